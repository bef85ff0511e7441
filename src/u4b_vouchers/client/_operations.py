"""What the sync and async clients share: building each operation's request from the spec, and
turning responses into models or typed errors."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any, TypeVar
from urllib.parse import quote

import httpx
from pydantic import BaseModel, RootModel
from pydantic import ValidationError as PydanticValidationError
from u4b_vouchers_generated import (
    CreateIndividualVoucherProgramRequest,
    UpdateVoucherProgramRequest,
)

from ..spec import RequestBodyValidator, Spec, load_spec
from ._errors import RequestValidationError, ResponseValidationError, UnknownFieldError, error_from_response
from ._fields import unknown_field
from ._response import ApiResponse

GENERATE = "generateVoucherCodes"
CREATE = "createIndividualVoucherProgram"
GUESTS = "getVoucherProgramGuestInfo"
UPDATE = "updateVoucherProgram"

CreateRequest = CreateIndividualVoucherProgramRequest | BaseModel | Mapping[str, Any]
UpdateRequest = UpdateVoucherProgramRequest | Mapping[str, Any]

M = TypeVar("M", bound=BaseModel)


@cache
def _spec() -> Spec:
    return load_spec()


@cache
def _validator() -> RequestBodyValidator:
    return RequestBodyValidator(_spec())


def server_url(description: str) -> str:
    """A server URL of the description, by its description (``Production.``, ``Sandbox ...``)."""
    for server in _spec().data.get("servers", []):
        if str(server.get("description", "")).lower().startswith(description.lower()):
            return str(server["url"])
    raise KeyError(description)


def token_url() -> str:
    schemes = _spec().data["components"]["securitySchemes"]
    return str(schemes["ClientCredentials"]["flows"]["clientCredentials"]["tokenUrl"])


@dataclass(frozen=True)
class Call:
    """One request, ready to send."""

    operation_id: str
    method: str
    path: str
    params: dict[str, str] = field(default_factory=dict)
    json: Any = None


def _path(operation_id: str, **values: str) -> str:
    template = _spec().operation(operation_id).path
    return template.format(**{name: quote(str(value), safe="") for name, value in values.items()})


def _body(request: Any) -> Any:
    """JSON for a request given as a model or a mapping. Only fields that were set are sent:
    in an update, a field left out keeps its value (DECISIONS.md, D-026)."""
    if isinstance(request, RootModel):
        request = request.root
    if isinstance(request, BaseModel):
        return request.model_dump(mode="json", exclude_unset=True, by_alias=True)
    if isinstance(request, Mapping):
        return dict(request)
    return request


class Operations:
    def __init__(self, validate_requests: bool = True, allow_unknown_fields: bool = False):
        self.validate_requests = validate_requests
        self.allow_unknown_fields = allow_unknown_fields

    def _checked(self, operation_id: str, body: Any) -> Any:
        if not self.allow_unknown_fields:
            pointer = _validator().body_schema(operation_id)
            unknown = unknown_field(_spec(), _spec().resolve(pointer), body) if pointer else None
            if unknown is not None:
                raise UnknownFieldError(operation_id, unknown.field, unknown.path, unknown.allowed, unknown.suggestion)
        if self.validate_requests:
            violation = _validator().violation(operation_id, body)
            if violation is not None:
                raise RequestValidationError(operation_id, violation)
        return body

    def generate(self, organization_id: str, voucher_program_id: str, number_of_codes: int) -> Call:
        body = self._checked(GENERATE, {"number_of_codes": number_of_codes})
        path = _path(GENERATE, organization_id=organization_id, voucher_program_id=voucher_program_id)
        return Call(GENERATE, "POST", path, json=body)

    def create(self, organization_id: str, request: CreateRequest) -> Call:
        body = self._checked(CREATE, _body(request))
        return Call(CREATE, "POST", _path(CREATE, organization_id=organization_id), json=body)

    def guests(
        self,
        organization_id: str,
        voucher_program_id: str,
        limit: int | None,
        page_token: str | None,
    ) -> Call:
        params = {k: str(v) for k, v in {"limit": limit, "page_token": page_token}.items() if v is not None}
        path = _path(GUESTS, organization_id=organization_id, voucher_program_id=voucher_program_id)
        return Call(GUESTS, "GET", path, params=params)

    def update(self, organization_id: str, voucher_program_id: str, request: UpdateRequest) -> Call:
        body = self._checked(UPDATE, _body(request))
        path = _path(UPDATE, organization_id=organization_id, voucher_program_id=voucher_program_id)
        return Call(UPDATE, "PATCH", path, json=body)

    @staticmethod
    def empty(call: Call, response: httpx.Response) -> ApiResponse[None]:
        """The result of an operation whose success documents no body, or a typed error."""
        if response.status_code >= 400:
            raise error_from_response(response)
        return ApiResponse(response.status_code, response.headers, None, call.operation_id)

    @staticmethod
    def parsed(call: Call, response: httpx.Response, model: type[M]) -> ApiResponse[M]:
        """The body as ``model``, or a typed error."""
        if response.status_code >= 400:
            raise error_from_response(response)
        try:
            data = model.model_validate(response.json())
        except (ValueError, PydanticValidationError) as exc:
            raise ResponseValidationError(call.operation_id, str(exc).splitlines()[0], response) from None
        return ApiResponse(response.status_code, response.headers, data, call.operation_id)
