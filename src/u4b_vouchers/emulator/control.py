"""The control plane under ``/__emulator/``: reset, seeds, the clock, faults, settings, rule
switches and fault flags, readings, the request log and program inspection. Described by
``openapi/emulator-control.yaml``, whose schemas every body and query parameter is checked
against before anything changes.

None of it is reachable through the vendor's paths, and ``--no-control`` leaves it out. With a
control token (``serve --control-token``) every request must carry it as a bearer token.
"""

from __future__ import annotations

import hmac
import re
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ..spec import openapi_dir
from .catalogue import INVALID_REQUEST, PROGRAM_NOT_FOUND, UNAUTHORIZED
from .controlspec import CONTROL_SPEC, parameter_schema, problem, schema_of, schema_pointer
from .drift import FAULT_FLAGS
from .faults import Fault
from .jsonbody import MalformedJson, parse_json, read_limited
from .readings import ReadingError
from .responses import json_response
from .seed import MAX_SEED_BYTES, SeedError, parse_seed
from .vendor import Vendor

PREFIX = "/__emulator"
#: Control-plane JSON bodies above this are refused (a seed may be up to ``MAX_SEED_BYTES``).
#: Fixed, not the vendor's ``max_body_bytes`` setting, so a small setting cannot lock it out.
MAX_CONTROL_BODY_BYTES = 1_048_576
WHOLE_NUMBER = re.compile(r"[0-9]{1,40}")
Handler = Callable[[Request], Awaitable[Response]]


def _error(status: int, message: str) -> Response:
    code = {400: INVALID_REQUEST[1], 401: UNAUTHORIZED[1]}.get(status, PROGRAM_NOT_FOUND[1])
    return json_response(status, {"code": code, "message": message})


def emulator_of(request: Request) -> Vendor:
    vendor: Vendor = request.app.state.vendor
    return vendor


async def read_body(request: Request, limit: int) -> bytes | None:
    """The body, or None when it is larger than ``limit`` bytes."""
    return await read_limited(request.stream(), request.headers.get("content-length"), limit)


async def _json_object(request: Request, schema: str) -> dict[str, Any] | Response:
    """The body as a JSON object valid under the control description's ``schema``, or a 400."""
    raw = await read_body(request, MAX_CONTROL_BODY_BYTES)
    if raw is None:
        return _error(400, f"the body is larger than {MAX_CONTROL_BODY_BYTES} bytes")
    body: Any = {}
    if raw.strip():
        try:
            body = parse_json(raw)
        except MalformedJson as exc:
            return _error(400, f"malformed JSON ({exc})")
    if not isinstance(body, dict):
        return _error(400, "the body must be a JSON object")
    why = problem(schema_pointer(schema), body)
    return body if why is None else _error(400, why)


def _query_number(request: Request, route: str, name: str) -> int | Response:
    """A whole-number query parameter of ``route``, within its schema's bounds, or a 400."""
    pointer, schema = parameter_schema(PREFIX + route, request.method.lower(), name)
    raw = request.query_params.get(name)
    if raw is None:
        return int(schema["default"])
    if not WHOLE_NUMBER.fullmatch(raw):
        return _error(400, f"{name} must be a non-negative whole number, got {raw[:40]!r}")
    why = problem(pointer, int(raw))
    return int(raw) if why is None else _error(400, f"{name}: {why.split(': ', 1)[-1]}")


def token_guard(handler: Handler) -> Handler:
    """``handler`` behind the control token, when the app was given one."""

    async def guarded(request: Request) -> Response:
        expected: str | None = getattr(request.app.state, "control_token", None)
        if expected is not None:
            given = request.headers.get("authorization", "")
            scheme, _, token = given.partition(" ")
            if scheme.lower() != "bearer" or not hmac.compare_digest(token.strip().encode(), expected.encode()):
                return _error(401, "the control plane needs Authorization: Bearer <control token>")
        return await handler(request)

    return guarded


def _clock(request: Request) -> Response:
    state = emulator_of(request).clock.state()
    return json_response(200, {"now_ms": state.now_ms, "frozen": state.frozen, "offset_ms": state.offset_ms})


async def health(request: Request) -> Response:
    return json_response(200, {"status": "ok"})


async def description(request: Request) -> Response:
    return Response((openapi_dir() / CONTROL_SPEC).read_text(encoding="utf-8"), media_type="application/yaml")


async def reset(request: Request) -> Response:
    emulator_of(request).reset()
    return Response(status_code=204)


async def load_seed(request: Request) -> Response:
    raw = await read_body(request, MAX_SEED_BYTES)
    if raw is None:
        return _error(400, f"the seed is larger than {MAX_SEED_BYTES} bytes")
    try:
        emulator_of(request).load_seed(parse_seed(raw, "seed"))
    except SeedError as exc:
        return _error(400, str(exc))
    return Response(status_code=204)


async def get_clock(request: Request) -> Response:
    return _clock(request)


#: Each clock action's field and whether it must be given.
CLOCK_FIELDS: dict[str, tuple[str | None, bool]] = {
    "freeze": ("at_ms", False),
    "unfreeze": (None, False),
    "set": ("now_ms", True),
    "advance": ("by_ms", True),
}


async def clock_action(request: Request) -> Response:
    action = request.path_params["action"]
    if action not in CLOCK_FIELDS:
        return _error(404, f"no clock action {action[:40]!r} (freeze, unfreeze, set, advance)")
    body = await _json_object(request, "ClockMove")
    if isinstance(body, Response):
        return body
    field, required = CLOCK_FIELDS[action]
    others = sorted(set(body) - {field})
    if others:
        return _error(400, f"{action} takes {field or 'no fields'}, not {', '.join(others)}")
    if required and field not in body:
        return _error(400, f"{field} is required")
    clock = emulator_of(request).clock
    value = body.get(field) if field else None
    if action == "advance":
        bounds = schema_of("EpochMs")
        if not bounds["minimum"] <= clock.now_ms() + int(value or 0) <= bounds["maximum"]:
            return _error(400, f"advancing by {value} ms leaves {bounds['minimum']}..{bounds['maximum']} ms")
        clock.advance(int(value or 0))
    elif action == "set":
        clock.set(int(value or 0))
    elif action == "freeze":
        clock.freeze(value)
    else:
        clock.unfreeze()
    return _clock(request)


async def faults(request: Request) -> Response:
    injector = emulator_of(request).faults
    if request.method == "DELETE":
        injector.clear()
        return Response(status_code=204)
    if request.method == "POST":
        body = await _json_object(request, "NewFault")
        if isinstance(body, Response):
            return body
        defaults = {name: field.get("default") for name, field in schema_of("NewFault")["properties"].items()}
        chosen = {**defaults, **body}
        try:
            injector.add(
                Fault(
                    operation=chosen["operation"],
                    kind=chosen["kind"],
                    remaining=chosen["count"],
                    retry_after=chosen["retry_after"],
                    delay_ms=chosen["delay_ms"],
                )
            )
        except ValueError as exc:
            return _error(400, str(exc))
    return json_response(200, {"faults": injector.pending()})


async def settings(request: Request) -> Response:
    current = emulator_of(request).settings
    if request.method == "PATCH":
        body = await _json_object(request, "Settings")
        if isinstance(body, Response):
            return body
        try:
            emulator_of(request).change_settings(body)
        except KeyError as exc:
            return _error(400, f"unknown setting {exc.args[0]!r}")
    return json_response(200, current.as_dict())


async def flags(request: Request) -> Response:
    vendor = emulator_of(request)
    if request.method == "PUT":
        body = await _json_object(request, "Switches")
        if isinstance(body, Response):
            return body
        rules, faults = body.get("disabled_rules", []), body.get("fault_flags", [])
        unknown = [str(r) for r in rules if r not in vendor.store.rules.by_id]
        unknown += [str(f) for f in faults if f not in FAULT_FLAGS]
        if unknown:
            return _error(400, f"unknown rule ids or fault flags: {', '.join(unknown)}")
        vendor.set_switches(disabled_rules=[str(r) for r in rules], fault_flags=[str(f) for f in faults])
    return json_response(
        200,
        {
            "disabled_rules": sorted(vendor.disabled_rules),
            "fault_flags": sorted(vendor.drift.flags),
            "available_fault_flags": {name: flag.description for name, flag in FAULT_FLAGS.items()},
        },
    )


def reading_list(vendor: Vendor) -> list[dict[str, Any]]:
    """Every reading: its values, default, value in force and the decisions it comes from."""
    return [
        {
            "name": reading.name,
            "summary": reading.summary,
            "values": list(reading.values) + (["<whole number>"] if reading.numeric else []),
            "default": reading.default,
            "value": vendor.readings[reading.name],
            "decisions": list(reading.decisions),
            **({"rule": reading.rule} if reading.rule else {}),
        }
        for reading in vendor.readings_known.values()
    ]


async def readings(request: Request) -> Response:
    vendor = emulator_of(request)
    if request.method == "PUT":
        body = await _json_object(request, "ReadingChoice")
        if isinstance(body, Response):
            return body
        chosen = body.get("readings", {})
        try:
            vendor.set_readings({str(k): str(v) for k, v in chosen.items()})
        except ReadingError as exc:
            return _error(400, str(exc))
    return json_response(200, {"readings": reading_list(vendor), "changed": vendor.readings.changed()})


async def requests(request: Request) -> Response:
    log = emulator_of(request).log
    if request.method == "DELETE":
        log.clear()
        return Response(status_code=204)
    limit = _query_number(request, "/requests", "limit")
    if isinstance(limit, Response):
        return limit
    return json_response(200, {"requests": log.recent(limit)})


async def program(request: Request) -> Response:
    view = emulator_of(request).program_view(request.path_params["program_id"])
    return json_response(200, view) if view is not None else _error(404, "no such program")


async def cancel_program(request: Request) -> Response:
    done = emulator_of(request).cancel_program(request.path_params["program_id"])
    return Response(status_code=204) if done else _error(404, "no such program")


async def program_codes(request: Request) -> Response:
    route = "/programs/{program_id}/codes"
    limit, after = _query_number(request, route, "limit"), _query_number(request, route, "after")
    if isinstance(limit, Response):
        return limit
    if isinstance(after, Response):
        return after
    codes = emulator_of(request).program_codes(request.path_params["program_id"], limit, after)
    return json_response(200, {"codes": codes}) if codes is not None else _error(404, "no such program")


ROUTES = [
    Route(f"{PREFIX}{path}", token_guard(handler), methods=methods)
    for path, handler, methods in (
        ("/readings", readings, ["GET", "PUT"]),
        ("/health", health, ["GET"]),
        ("/openapi.yaml", description, ["GET"]),
        ("/reset", reset, ["POST"]),
        ("/seed", load_seed, ["PUT"]),
        ("/clock", get_clock, ["GET"]),
        ("/clock/{action}", clock_action, ["POST"]),
        ("/faults", faults, ["GET", "POST", "DELETE"]),
        ("/settings", settings, ["GET", "PATCH"]),
        ("/flags", flags, ["GET", "PUT"]),
        ("/requests", requests, ["GET", "DELETE"]),
        ("/programs/{program_id}", program, ["GET"]),
        ("/programs/{program_id}/cancel", cancel_program, ["POST"]),
        ("/programs/{program_id}/codes", program_codes, ["GET"]),
    )
]
