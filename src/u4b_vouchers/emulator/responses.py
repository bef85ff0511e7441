"""Serialising: what the pipeline answers, as the wire shows it.

A :class:`Reply` is an answer before it becomes bytes, so readings and drift can shape it.
The domain's results (a page of guests, a created program) become the vendor's JSON here and
nowhere else.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import formatdate
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import orjson
from starlette.responses import Response

from .catalogue import ApiError, OAuthError
from .readings import Readings

#: The field ``response-extras=added`` puts in every JSON object answered (D-060).
EXTRA_FIELD = "x_emulator_reading"


@dataclass
class Reply:
    status: int
    body: Any = None
    text: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    #: The documented rule a refusal is for (logged, and named in ``X-U4B-Rule``).
    rule: str | None = None
    #: What went wrong where no rule names it (see :class:`~.catalogue.ApiError`).
    cause: str | None = None
    #: The media type of a ``text`` reply.
    media_type: str = "text/plain; charset=utf-8"

    def with_headers(self, headers: Mapping[str, str]) -> Reply:
        return Reply(self.status, self.body, self.text, dict(headers), self.rule, self.cause, self.media_type)


def json_response(status: int, body: object, headers: Mapping[str, str] | None = None) -> Response:
    return Response(dumps(body), status_code=status, media_type="application/json", headers=dict(headers or {}))


def dumps(body: object) -> bytes:
    """Compact JSON, as UTF-8 bytes (orjson)."""
    return orjson.dumps(body)


def oauth_error(error: OAuthError) -> Response:
    return json_response(
        error.status,
        {"error": error.error, "error_description": error.description},
        {"Cache-Control": "no-store"},
    )


class Serialiser:
    """The vendor's JSON for each result, as the readings in force shape it."""

    def __init__(self, readings: Readings):
        self.readings = readings
        self._extras = readings.is_("response-extras", "added")
        self._opaque = readings.is_("code-ids", "opaque")
        self._amount_as_string = readings.is_("usage-amount", "string")
        self._canceled_at_zero = readings.is_("canceled-at-when-live", "zero")
        self._unclaimed = readings["unclaimed-voucher"]
        self._empty_list = readings.is_("empty-guest-list", "array")
        self._token_in_guests = readings.is_("next-token-in-guests", "yes")

    def _extra(self, body: dict[str, Any]) -> dict[str, Any]:
        if self._extras:
            body[EXTRA_FIELD] = "response-extras"
        return body

    def error(self, error: ApiError) -> Reply:
        body: dict[str, Any] = {"code": error.code} if error.code else {}
        if error.message and (self.readings.is_("error-message", "included") or not error.code):
            body["message"] = error.message
        headers = dict(error.headers)
        if error.status == 429 and "Retry-After" in headers:
            headers = self._retry_after(headers)
        return Reply(error.status, self._extra(body), headers=headers, rule=error.rule, cause=error.cause)

    def _retry_after(self, headers: dict[str, str]) -> dict[str, str]:
        choice = self.readings["retry-after"]
        if choice == "omitted":
            headers.pop("Retry-After")
        elif choice == "http-date":
            headers["Retry-After"] = formatdate(time.time() + int(headers["Retry-After"]), usegmt=True)
        return headers

    # -------------------------------------------------------------- the four operations

    def generated(self) -> Reply:
        return Reply(200, self._extra({}) if self.readings.is_("generate-response", "json") else None)

    def updated(self) -> Reply:
        return Reply(204)

    def created(self, created: Mapping[str, Any]) -> Reply:
        """``created``: the request body's echoed fields, the program and its creator."""
        body: dict[str, Any] = {
            "campaign_uuid": created["campaign_uuid"],
            "owner_uuid": created["owner_uuid"],
            "owner_type": created["owner_type"],
            "creator_uuid": created["creator_uuid"],
            "template_uuid": created["template_uuid"],
            "name": created["name"],
            "starts_at": created["starts_at"],
            "ends_at": created["ends_at"],
        }
        if self.readings.is_("created-owner-type", "words"):
            body["owner_type"] = {"ORGANIZATION": "Organization", "USER": "Personal"}.get(
                str(created["owner_type"]), created["owner_type"]
            )
        if self.readings.is_("created-times", "string"):
            zone = created.get("display_timezone") or "UTC"
            body["starts_at"] = _local_time(int(created["starts_at"]), zone)
            body["ends_at"] = _local_time(int(created["ends_at"]), zone)
        if "memo" in created and self.readings.is_("created-memo", "echoed"):
            body["memo"] = created["memo"]
        return Reply(200, self._extra(body))

    def page(self, guests: list[dict[str, Any]], next_token: str | None) -> Reply:
        body: dict[str, Any] = {}
        shown = [self.guest(row) for row in guests]
        if shown or self._empty_list:
            body["guests"] = shown
        if next_token is not None:
            body["next_token"] = next_token
            if self._token_in_guests:
                for guest in shown:
                    guest["next_token"] = next_token
        return Reply(200, self._extra(body))

    def guest(self, row: Mapping[str, Any]) -> dict[str, Any]:
        """A guest as the vendor serialises one: fields without a value are left out (D-011, D-014)."""
        guest: dict[str, Any] = {}
        for key in ("name", "phone", "email"):
            value = row[key]
            if value is not None:
                guest[key] = value
        code_id = row["code_id"]
        if code_id:
            code = {"code_id": code_id.replace("-", "") if self._opaque else code_id, "code_text": row["code_text"]}
            guest["code"] = self._extra(code)
        voucher: dict[str, Any] = {}
        for key in ("voucher_id", "usage_count", "usage_amount", "voucher_status"):
            value = row[key]
            if value is not None:
                voucher[key] = value
        if self._opaque and "voucher_id" in voucher:
            voucher["voucher_id"] = str(voucher["voucher_id"]).replace("-", "")
        if self._amount_as_string and "usage_amount" in voucher:
            voucher["usage_amount"] = _decimal(voucher["usage_amount"])
        status = row["voucher_status"]
        if status == "VOUCHER_CANCELED" and row["canceled_at"]:
            voucher["canceled_at"] = row["canceled_at"]
        elif status and self._canceled_at_zero:
            voucher["canceled_at"] = 0
        if self._unclaimed != "shown" and status in ("VOUCHER_SENT", "VOUCHER_SCHEDULED") and not row["usage_count"]:
            if self._unclaimed == "empty":
                guest["voucher"] = {}
        elif voucher:
            guest["voucher"] = self._extra(voucher)
        return self._extra(guest)


def _decimal(value: Any) -> str:
    number = float(value)
    return str(int(number)) if number.is_integer() else repr(number)


def _local_time(epoch_ms: int, zone: str) -> str:
    try:
        tz: Any = ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        tz = UTC
    return datetime.fromtimestamp(epoch_ms / 1000, tz).isoformat(timespec="seconds")
