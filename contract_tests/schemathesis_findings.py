"""Schemathesis's failures as findings, each under the rule whose keyword, status or field it breaks.

Schemathesis knows the schema but not the documents: it reports a schema-violating request that
was accepted, a response that does not match its schema, a status the operation does not list.
Each is judged again here against ``x-u4b-rules``:

- an accepted negative request is filed under the rule of the keyword it breaks (found by
  validating the request again, see :mod:`u4b_vouchers.spec.attribution`), and passes when that
  rule allows the response (an open rule), is a warning when the rule is implied;
- ``null`` in an optional field taken as absent (D-059) and an Update with no JSON object taken
  as changing nothing (D-061) are readings the documents allow, not findings;
- a response-schema failure is filed under the rule whose pointer covers the failing keyword,
  else under the rule that responses match their documented schemas, with the field path.
"""

from __future__ import annotations

import time
from typing import Any

from u4b_vouchers.spec import Outcome, Rule, SchemaFailure, join

from .context import CheckContext, Deviation
from .findings import WARNING, difference
from .operations import SUCCESS_STATUS, operation_at
from .schema_judging import ERROR_BODIES, REQUEST_SCHEMA, RESPONSE_SCHEMA, attribution, response_deviations
from .target import Exchange

TOKEN_REQUIRED = "AUTH-TOKEN-REQUIRED"
UPDATE = "updateVoucherProgram"
REFUSED = (Outcome(400, "invalid_request"),)
#: The base URL Schemathesis gives an in-process ASGI app.
IN_PROCESS_BASE = "http://testserver"


def _pairs(headers: Any) -> list[tuple[str, str]]:
    """Schemathesis's headers (a name to a value, or to a list of values) as name-value pairs."""
    pairs = []
    for name, value in (headers or {}).items():
        for one in value if isinstance(value, list) else [value]:
            pairs.append((str(name), str(one)))
    return pairs


def record_interaction(interaction: Any, ctx: CheckContext) -> Exchange:
    """Count and record a request Schemathesis sent, as the target records its own (the same
    kept headers, secrets taken out, bodies cut when the check is over); one that got no answer
    is recorded with status 0 and no response."""
    request, response = interaction.request, interaction.response
    url = str(request.uri)
    if ctx.target.asgi_app is not None and url.startswith(IN_PROCESS_BASE):
        url = ctx.target.profile.base_url + url[len(IN_PROCESS_BASE) :]  # as the other checks show it
    content = response.content if response is not None and isinstance(response.content, bytes) else b""
    return ctx.target.record(
        method=str(request.method),
        url=url,
        request_headers=_pairs(request.headers),
        request_body=request.body.decode("utf-8", "replace") if isinstance(request.body, bytes) else None,
        status=int(response.status_code) if response is not None else 0,
        response_headers=_pairs(response.headers) if response is not None else [],
        response_body=content.decode("utf-8", "replace"),
        identity="first_party",
        elapsed_ms=float(getattr(response, "elapsed", 0.0) or 0.0) * 1000,
        seconds=interaction.timestamp - _wall_start(ctx),
        count=True,
    )


def _wall_start(ctx: CheckContext) -> float:
    """The run's start on the wall clock (Schemathesis stamps interactions with time.time())."""
    return time.time() - (time.perf_counter() - ctx.target.started)


class Judge:
    def __init__(self, ctx: CheckContext):
        self.ctx = ctx
        self.attribution = attribution(ctx)
        self.bodies: dict[str, str] = {}
        self.responses: dict[tuple[str, int], str] = {}
        for op in ctx.spec.operations():
            base = ["paths", op.path, op.method]
            content = ctx.spec.deref(op.raw.get("requestBody") or {}).get("content") or {}
            if "application/json" in content:
                self.bodies[op.operation_id] = join([*base, "requestBody", "content", "application/json", "schema"])
            for status, raw in (op.raw.get("responses") or {}).items():
                response = ctx.spec.deref(raw)
                numeric = str(status).isascii() and str(status).isdigit()
                if numeric and "application/json" in (response.get("content") or {}):
                    pointer = join([*base, "responses", str(status)])
                    if isinstance(raw, dict) and isinstance(raw.get("$ref"), str):
                        pointer = raw["$ref"]
                    self.responses[(op.operation_id, int(status))] = pointer + "/content/application~1json/schema"

    def failure(self, check_name: str, failure: Any, case: Any, exchange: Exchange | None) -> None:
        """Record Schemathesis's ``failure`` of ``check_name`` on ``case`` (its recorded
        ``exchange``, None without an answer) as a finding, unless the documents allow what the
        target did."""
        deviation = self.deviation(check_name, failure, case, exchange)
        if deviation is not None:
            self.ctx.record(deviation)

    # ------------------------------------------------------------------ one failure

    def deviation(self, check_name: str, failure: Any, case: Any, exchange: Exchange | None) -> Deviation | None:
        title = str(getattr(failure, "title", "") or type(failure).__name__)
        status = exchange.status if exchange is not None else None
        operation = exchange.operation if exchange is not None else _operation_of_case(case)
        if check_name == "negative_data_rejection" and exchange is not None:
            return self.negative(case, exchange, operation, title)
        if check_name == "response_schema_conformance" and exchange is not None and operation is not None:
            return self.response_schema(exchange, operation, title)
        success_rule = SUCCESS_STATUS.get(operation or "", ("", 0))[0]
        if (
            check_name == "status_code_conformance"
            and status is not None
            and 200 <= status < 300
            and success_rule in self.ctx.rules
        ):
            rule_object = self.ctx.rules[success_rule]
            return Deviation(
                f"{operation} answered a success with {status}, a status it does not document",
                success_rule,
                exchange,
                kind=f"success-status:{status}",
                expected=title,
                severity=WARNING if rule_object.basis == "implied" else None,
            )
        if check_name in ("missing_required_header", "ignored_auth"):
            rule = TOKEN_REQUIRED
        elif status is not None and status >= 400:
            rule = ERROR_BODIES
        else:
            rule = RESPONSE_SCHEMA
        message = f"schemathesis {check_name}: {title}"
        detail = str(getattr(failure, "message", "") or "").strip().splitlines()
        if detail:
            message += f": {detail[0][:200]}"
        return Deviation(message, rule, exchange, kind=f"schemathesis:{check_name}", expected=title)

    def negative(self, case: Any, exchange: Exchange, operation: str | None, title: str) -> Deviation | None:
        body = _body_of(case)
        accepted = 200 <= exchange.status < 300
        if accepted and operation == UPDATE and not isinstance(body, dict):
            return None  # D-061: an update with no JSON object may change nothing
        found: SchemaFailure | None = None
        pointer = self.bodies.get(operation or "")
        if pointer is not None and body is not _NO_BODY:
            if accepted and isinstance(body, dict) and None in body.values():
                kept = {k: v for k, v in body.items() if v is not None}
                if next(self.attribution.failures(pointer, kept, operation=operation), None) is None:
                    return None  # D-059: null in an optional field may be taken as absent
            found = next(self.attribution.failures(pointer, body, operation=operation), None)
        rule: Rule | None = found.rule if found is not None else None
        field = found.field if found is not None else None
        if found is None:
            location, parameter = _mutated_parameter(case)
            if location and parameter:
                field = f"{location}.{parameter}"
                rule = next(
                    (r for r in self.ctx.rules.values() if r.target == field and _applies(r, operation)),
                    None,
                )
        rule = rule or self.ctx.rules.get(REQUEST_SCHEMA)
        outcomes = rule.violation if rule is not None and rule.violation else REFUSED
        if any(o.matches(exchange.status, exchange.code) for o in outcomes):
            return None
        reason = found.message if found is not None else title
        shown = ", ".join(sorted({str(o) for o in outcomes}))
        return Deviation(
            f"a request that breaks the schema{f' at {field}' if field else ''} ({reason[:160]}) got "
            f"{difference(outcomes, exchange)}",
            rule.id if rule is not None else REQUEST_SCHEMA,
            exchange,
            kind="accepted" if accepted else "status",
            expected=shown,
            field=field,
            probe=f"schemathesis:{found.keyword if found else 'negative'}",
        )

    def response_schema(self, exchange: Exchange, operation: str, title: str) -> Deviation | None:
        pointer = self.responses.get((operation, exchange.status))
        found = (
            next(response_deviations(self.attribution, pointer, exchange, operation), None)
            if pointer is not None
            else None
        )
        if found is not None:
            return found
        return Deviation(
            f"schemathesis response_schema_conformance: {title}",
            ERROR_BODIES if exchange.status >= 400 else RESPONSE_SCHEMA,
            exchange,
            kind="schema",
            expected="the documented response schema",
        )


_NO_BODY = object()


def _body_of(case: Any) -> Any:
    body = getattr(case, "body", _NO_BODY)
    return _NO_BODY if type(body).__name__ == "NotSet" else body


def _operation_of_case(case: Any) -> str | None:
    if case is None:
        return None
    found = operation_at(str(case.method).upper(), "http://x" + str(case.formatted_path))
    return found.id if found is not None else None


def _mutated_parameter(case: Any) -> tuple[str | None, str | None]:
    data = getattr(getattr(getattr(case, "meta", None), "phase", None), "data", None)
    location = getattr(data, "parameter_location", None)
    parameter = getattr(data, "parameter", None)
    return (str(getattr(location, "value", location)) if location else None, str(parameter) if parameter else None)


def _applies(rule: Rule, operation: str | None) -> bool:
    return operation is None or rule.applies_to(operation)
