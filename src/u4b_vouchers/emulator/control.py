"""The control plane under ``/__emulator/``: reset, seeds, the clock, faults, settings, rule
switches and fault flags, readings, the request log and program inspection. Described by
``openapi/emulator-control.yaml``.

None of it is reachable through the vendor's paths, and ``--no-control`` leaves it out.
"""

from __future__ import annotations

from typing import Any

import yaml
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ..spec import openapi_dir
from .catalogue import INVALID_REQUEST, PROGRAM_NOT_FOUND
from .drift import FAULT_FLAGS
from .faults import Fault
from .jsonbody import MalformedJson, parse_json, read_limited
from .readings import ReadingError
from .responses import json_response
from .seed import SeedError
from .vendor import Vendor

PREFIX = "/__emulator"
CONTROL_SPEC = "emulator-control.yaml"


def _error(status: int, message: str) -> Response:
    code = INVALID_REQUEST[1] if status == INVALID_REQUEST[0] else PROGRAM_NOT_FOUND[1]
    return json_response(status, {"code": code, "message": message})


def emulator_of(request: Request) -> Vendor:
    vendor: Vendor = request.app.state.vendor
    return vendor


async def read_body(request: Request, limit: int) -> bytes | None:
    """The body, or None when it is larger than ``limit`` bytes."""
    return await read_limited(request.stream(), request.headers.get("content-length"), limit)


async def _json_object(request: Request) -> dict[str, Any] | Response:
    limit = emulator_of(request).settings.max_body_bytes
    raw = await read_body(request, limit)
    if raw is None:
        return _error(400, f"the body is larger than {limit} bytes")
    if not raw.strip():
        return {}
    try:
        body = parse_json(raw)
    except MalformedJson as exc:
        return _error(400, f"malformed JSON ({exc})")
    return body if isinstance(body, dict) else _error(400, "the body must be a JSON object")


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
    raw = await read_body(request, 64 * 1024 * 1024)
    if raw is None:
        return _error(400, "the seed is larger than 64 MiB")
    try:
        seed = yaml.safe_load(raw.decode("utf-8")) if raw.strip() else None
    except (UnicodeDecodeError, yaml.YAMLError, RecursionError):
        return _error(400, "the seed is not valid YAML or JSON")
    if not isinstance(seed, dict):
        return _error(400, "a seed is a mapping with organizations, clients, templates and programs")
    try:
        emulator_of(request).load_seed(seed)
    except SeedError as exc:
        return _error(400, str(exc))
    return Response(status_code=204)


async def get_clock(request: Request) -> Response:
    return _clock(request)


def _int_field(body: dict[str, Any], key: str, *, required: bool) -> int | Response | None:
    value = body.get(key)
    if value is None:
        return _error(400, f"{key} is required") if required else None
    if not isinstance(value, int) or isinstance(value, bool):
        return _error(400, f"{key} must be an integer (milliseconds)")
    return value


async def clock_action(request: Request) -> Response:
    body = await _json_object(request)
    if isinstance(body, Response):
        return body
    clock = emulator_of(request).clock
    action = request.path_params["action"]
    if action == "freeze":
        at = _int_field(body, "at_ms", required=False)
        if isinstance(at, Response):
            return at
        clock.freeze(at)
    elif action == "unfreeze":
        clock.unfreeze()
    elif action in ("set", "advance"):
        key = "now_ms" if action == "set" else "by_ms"
        value = _int_field(body, key, required=True)
        if isinstance(value, Response):
            return value
        assert value is not None
        (clock.set if action == "set" else clock.advance)(value)
    else:
        return _error(404, f"no clock action {action!r} (freeze, unfreeze, set, advance)")
    return _clock(request)


async def faults(request: Request) -> Response:
    injector = emulator_of(request).faults
    if request.method == "DELETE":
        injector.clear()
        return Response(status_code=204)
    if request.method == "POST":
        body = await _json_object(request)
        if isinstance(body, Response):
            return body
        try:
            injector.add(
                Fault(
                    operation=str(body.get("operation", "*")),
                    kind=str(body.get("kind", "")),
                    remaining=int(body.get("count", 1)),
                    retry_after=int(body.get("retry_after", 1)),
                    delay_ms=int(body.get("delay_ms", 0)),
                )
            )
        except (TypeError, ValueError) as exc:
            return _error(400, str(exc))
    return json_response(200, {"faults": injector.pending()})


async def settings(request: Request) -> Response:
    current = emulator_of(request).settings
    if request.method == "PATCH":
        body = await _json_object(request)
        if isinstance(body, Response):
            return body
        try:
            current.update(body)
        except KeyError as exc:
            return _error(400, f"unknown setting {exc.args[0]!r}")
    return json_response(200, current.as_dict())


async def flags(request: Request) -> Response:
    vendor = emulator_of(request)
    if request.method == "PUT":
        body = await _json_object(request)
        if isinstance(body, Response):
            return body
        rules, faults = body.get("disabled_rules", []), body.get("fault_flags", [])
        if not isinstance(rules, list) or not isinstance(faults, list):
            return _error(400, "disabled_rules and fault_flags must be lists")
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
        body = await _json_object(request)
        if isinstance(body, Response):
            return body
        chosen = body.get("readings", {})
        if not isinstance(chosen, dict) or not all(isinstance(v, str | int) for v in chosen.values()):
            return _error(400, "readings must map reading names to values")
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
    limit = request.query_params.get("limit", "100")
    if not limit.isdigit():
        return _error(400, "limit must be a non-negative integer")
    return json_response(200, {"requests": log.recent(int(limit))})


async def program(request: Request) -> Response:
    view = emulator_of(request).program_view(request.path_params["program_id"])
    return json_response(200, view) if view is not None else _error(404, "no such program")


async def cancel_program(request: Request) -> Response:
    done = emulator_of(request).cancel_program(request.path_params["program_id"])
    return Response(status_code=204) if done else _error(404, "no such program")


async def program_codes(request: Request) -> Response:
    limit, after = request.query_params.get("limit", "1000"), request.query_params.get("after", "0")
    if not (limit.isdigit() and after.isdigit()):
        return _error(400, "limit and after must be non-negative integers")
    codes = emulator_of(request).program_codes(request.path_params["program_id"], int(limit), int(after))
    return json_response(200, {"codes": codes}) if codes is not None else _error(404, "no such program")


ROUTES = [
    Route(f"{PREFIX}/readings", readings, methods=["GET", "PUT"]),
    Route(f"{PREFIX}/health", health, methods=["GET"]),
    Route(f"{PREFIX}/openapi.yaml", description, methods=["GET"]),
    Route(f"{PREFIX}/reset", reset, methods=["POST"]),
    Route(f"{PREFIX}/seed", load_seed, methods=["PUT"]),
    Route(f"{PREFIX}/clock", get_clock, methods=["GET"]),
    Route(f"{PREFIX}/clock/{{action}}", clock_action, methods=["POST"]),
    Route(f"{PREFIX}/faults", faults, methods=["GET", "POST", "DELETE"]),
    Route(f"{PREFIX}/settings", settings, methods=["GET", "PATCH"]),
    Route(f"{PREFIX}/flags", flags, methods=["GET", "PUT"]),
    Route(f"{PREFIX}/requests", requests, methods=["GET", "DELETE"]),
    Route(f"{PREFIX}/programs/{{program_id}}", program, methods=["GET"]),
    Route(f"{PREFIX}/programs/{{program_id}}/cancel", cancel_program, methods=["POST"]),
    Route(f"{PREFIX}/programs/{{program_id}}/codes", program_codes, methods=["GET"]),
]
