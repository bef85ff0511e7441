"""Checks on the lifecycle of operations, parameters and properties: removal, deprecation,
sunset dates (``x-sunset``) and stability levels (``x-stability-level``), and of the webhooks
and component schemas.

As oasdiff does, only what is ``beta`` or ``stable`` (or has no level) is held to the rules:
an operation whose revision is draft or alpha is out of scope for every check here but the
stability ones, and removing a draft or alpha operation is not reported. Removing something
deprecated is fine once its sunset has passed; deprecating it must leave the days the policy
asks for (``DiffConfig.deprecation_days_beta`` / ``_stable``) before the sunset.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from .registry import Report, check
from .sunset import (
    SUNSET,
    LifecycleError,
    deprecated,
    deprecation_days,
    in_scope,
    rank,
    shown,
    stability,
    sunset_date,
    valid_stability,
)
from .tree import DocDiff, OperationDiff, ParameterDiff, SchemaDiff, canonical, escape
from .walk import Body, properties, request_bodies, response_bodies


def _label(path: str, method: str) -> str:
    return f"{method.upper()} {path}"


def _days_left(d: DocDiff, sunset: date) -> int:
    return (sunset - d.config.today).days


# ------------------------------------------------------------------ sunsets


class Sunset:
    """The ``x-sunset`` of one thing on one side: absent, unreadable (``error``) or a date."""

    def __init__(self, node: dict[str, Any]):
        self.present = SUNSET in node
        self.date: date | None = None
        self.error = ""
        if self.present:
            try:
                self.date = sunset_date(node[SUNSET])
            except LifecycleError as exc:
                self.error = str(exc)


def _sunset_changed(base: dict[str, Any], revision: dict[str, Any]) -> str:
    """``deleted`` or ``modified`` when the sunset was removed or changed, else ""."""
    if SUNSET in base and SUNSET not in revision:
        return "deleted"
    if SUNSET in base and SUNSET in revision and canonical(base[SUNSET]) != canonical(revision[SUNSET]):
        return "modified"
    return ""


# ------------------------------------------------------------------ operations


@check(
    "api-path-removed-without-deprecation",
    "api-path-removed-with-deprecation",
    "api-path-sunset-parse",
    "api-path-removed-before-sunset",
    "api-removed-without-deprecation",
    "api-removed-with-deprecation",
    "api-removed-before-sunset",
)
def removals(d: DocDiff, out: Report) -> None:
    """An operation removed (with its path, or alone): fine only after its sunset; draft and
    alpha operations, and those whose level cannot be read, may go at any time."""
    gone_paths = set(d.paths_deleted)
    for path, method in d.operations_deleted:
        op, _ = d.base_operations[(path, method)]
        kind = "api-path" if path in gone_paths else "api"
        label, at = _label(path, method), f"#/paths/{escape(path)}/{method}"
        sunset = Sunset(op)
        if not deprecated(op):
            out.add(f"{kind}-removed-without-deprecation", label, at, f"{label} removed without deprecation")
        elif not sunset.present:
            out.add(f"{kind}-removed-with-deprecation", label, at, f"{label} removed after deprecation")
        elif sunset.date is None:
            out.add("api-path-sunset-parse", label, f"{at}/{SUNSET}", f"{label} removed: {sunset.error}")
        elif d.config.today < sunset.date:
            out.add(f"{kind}-removed-before-sunset", label, at, f"{label} removed before its sunset {sunset.date}")


@check(
    "endpoint-deprecated",
    "endpoint-deprecated-with-sunset",
    "endpoint-reactivated",
    "api-deprecated-sunset-missing",
    "api-deprecated-sunset-parse",
    "api-sunset-date-too-small",
)
def deprecations(d: DocDiff, out: Report) -> None:
    for op in d.operations.values():
        before, after = deprecated(op.base), deprecated(op.revision)
        if before == after:
            continue
        at = f"{op.pointer}/deprecated"
        if not after:
            out.add("endpoint-reactivated", op, at, f"{op.label} no longer deprecated")
            continue
        level = valid_stability(op.revision)
        if level is None:
            continue
        found = _deprecation(d, op.revision, level)
        rule = {
            "missing": "api-deprecated-sunset-missing",
            "deprecated": "endpoint-deprecated",
            "invalid": "api-deprecated-sunset-parse",
            "too-soon": "api-sunset-date-too-small",
            "with-sunset": "endpoint-deprecated-with-sunset",
        }[found.outcome]
        out.add(rule, op, at, f"{op.label} deprecated{found.detail}")


@dataclass(frozen=True)
class Deprecation:
    """What deprecating one thing amounts to under the policy."""

    outcome: str  # missing, deprecated, invalid, too-soon or with-sunset
    detail: str


def _deprecation(d: DocDiff, node: dict[str, Any], level: str) -> Deprecation:
    """Judges a deprecation by the sunset ``node`` gives and the days ``level`` asks for."""
    days = deprecation_days(d.config, level)
    sunset = Sunset(node)
    if not sunset.present:
        if days > 0:
            return Deprecation("missing", f" without a sunset date (the policy asks for {days} days)")
        return Deprecation("deprecated", "")
    if sunset.date is None:
        return Deprecation("invalid", f": {sunset.error}")
    left = _days_left(d, sunset.date)
    if left < days:
        return Deprecation("too-soon", f" with sunset {sunset.date}, {left} days away (the policy asks for {days})")
    return Deprecation("with-sunset", f" with sunset {sunset.date}")


@check("sunset-deleted", "api-sunset-date-changed-too-small", "api-path-sunset-parse")
def sunset_changes(d: DocDiff, out: Report) -> None:
    """The sunset of a deprecated operation removed, or brought forward to fewer days than
    the policy asks for."""
    for op in d.operations.values():
        if not deprecated(op.revision):
            continue
        change = _sunset_changed(op.base, op.revision)
        at = f"{op.pointer}/{SUNSET}"
        if change == "deleted":
            out.add("sunset-deleted", op, at, f"{op.label}: sunset date removed from a deprecated operation")
        elif change == "modified":
            _sunset_moved(
                d, out, op, op.base, op.revision, at, "api-path-sunset-parse", "api-sunset-date-changed-too-small"
            )


def _sunset_moved(
    d: DocDiff,
    out: Report,
    op: OperationDiff,
    base: dict[str, Any],
    revision: dict[str, Any],
    at: str,
    parse_rule: str,
    too_small_rule: str,
) -> None:
    before, after = Sunset(base), Sunset(revision)
    if after.date is None or before.date is None:
        out.add(parse_rule, op, at, f"{op.label}: {(after if after.date is None else before).error}")
        return
    level = valid_stability(op.revision)
    if level is None:
        return
    days = deprecation_days(d.config, level)
    if after.date < before.date and _days_left(d, after.date) < days:
        out.add(
            too_small_rule,
            op,
            at,
            f"{op.label}: sunset moved from {before.date} to {after.date}, fewer than {days} days away",
        )


# ------------------------------------------------------------------ parameters


def _parameter_at(op: OperationDiff, where: str, name: str) -> str:
    return f"{op.pointer}/parameters/{escape(where)}.{escape(name)}"


def _modified_parameters(d: DocDiff) -> Iterator[tuple[OperationDiff, ParameterDiff]]:
    for op in d.operations.values():
        for param in op.parameters_modified.values():
            yield op, param


@check(
    "request-parameter-deprecated",
    "request-parameter-reactivated",
    "request-parameter-deprecated-sunset-missing",
    "request-parameter-sunset-date-too-small",
    "request-parameter-sunset-parse",
)
def parameter_deprecations(d: DocDiff, out: Report) -> None:
    """A parameter deprecated (with the sunset it gives, the days asked for by the operation's
    stability level) or no longer deprecated."""
    for op, param in _modified_parameters(d):
        before, after = deprecated(param.base), deprecated(param.revision)
        if before == after:
            continue
        at, named = _parameter_at(op, param.location, param.name), f"{param.location} parameter {param.name}"
        if not after:
            out.add("request-parameter-reactivated", op, at, f"{named} no longer deprecated")
            continue
        level = valid_stability(op.revision)
        if level is None:
            continue
        found = _deprecation(d, param.revision, level)
        rule = {
            "missing": "request-parameter-deprecated-sunset-missing",
            "deprecated": "request-parameter-deprecated",
            "invalid": "request-parameter-sunset-parse",
            "too-soon": "request-parameter-sunset-date-too-small",
            "with-sunset": "request-parameter-deprecated",
        }[found.outcome]
        out.add(rule, op, at, f"{named} deprecated{found.detail}")


@check(
    "request-parameter-sunset-deleted",
    "request-parameter-sunset-date-changed-too-small",
    "request-parameter-sunset-parse",
)
def parameter_sunset_changes(d: DocDiff, out: Report) -> None:
    for op, param in _modified_parameters(d):
        if not deprecated(param.revision):
            continue
        change = _sunset_changed(param.base, param.revision)
        at = f"{_parameter_at(op, param.location, param.name)}/{SUNSET}"
        if change == "deleted":
            out.add(
                "request-parameter-sunset-deleted",
                op,
                at,
                f"{param.location} parameter {param.name}: sunset date removed from a deprecated parameter",
            )
        elif change == "modified":
            _sunset_moved(
                d,
                out,
                op,
                param.base,
                param.revision,
                at,
                "request-parameter-sunset-parse",
                "request-parameter-sunset-date-changed-too-small",
            )


@check(
    "request-parameter-removed",
    "request-parameter-removed-with-deprecation",
    "request-parameter-sunset-parse",
    "request-parameter-removed-before-sunset",
)
def parameters_removed(d: DocDiff, out: Report) -> None:
    """A parameter removed: fine once its sunset has passed."""
    for op in d.operations.values():
        for where, name in op.parameters_deleted:
            param = op.base_parameters[(where, name)]
            at, named = _parameter_at(op, where, name), f"{where} parameter {name}"
            sunset = Sunset(param)
            if not deprecated(param):
                out.add("request-parameter-removed", op, at, f"{named} removed")
            elif not sunset.present:
                out.add("request-parameter-removed-with-deprecation", op, at, f"{named} removed after deprecation")
            elif sunset.date is None:
                out.add("request-parameter-sunset-parse", op, f"{at}/{SUNSET}", f"{named} removed: {sunset.error}")
            elif d.config.today < sunset.date:
                out.add(
                    "request-parameter-removed-before-sunset",
                    op,
                    at,
                    f"{named} removed before its sunset {sunset.date}",
                )


# ------------------------------------------------------------------ properties

_PROPERTY_RULES = {
    "missing": "deprecated-sunset-missing",
    "deprecated": "deprecated",
    "invalid": "deprecated-sunset-invalid",
    "too-soon": "sunset-date-too-small",
    "with-sunset": "deprecated-with-sunset",
}


def _bodies(d: DocDiff) -> Iterator[Body]:
    yield from request_bodies(d)
    yield from response_bodies(d)


@check(
    *(f"{side}-property-{rule}" for side in ("request", "response") for rule in _PROPERTY_RULES.values()),
    "request-property-reactivated",
    "response-property-reactivated",
)
def property_deprecations(d: DocDiff, out: Report) -> None:
    """A property of a request or response body deprecated (the sunset it gives, the days the
    operation's stability level asks for) or no longer deprecated."""
    for body in _bodies(d):
        level = valid_stability(body.op.revision)
        if level is None:
            continue
        for prop in properties(body.schema, body.location):
            base, revision = prop.schema.base or {}, prop.schema.revision or {}
            before, after = deprecated(base), deprecated(revision)
            if before == after:
                continue
            named = f"{body.where}: {prop.full_name}"
            at = f"{prop.location}/deprecated"
            if not after:
                out.add(f"{body.side}-property-reactivated", body.op, at, f"{named} no longer deprecated")
                continue
            found = _deprecation(d, revision, level)
            out.add(
                f"{body.side}-property-{_PROPERTY_RULES[found.outcome]}",
                body.op,
                at,
                f"{named} deprecated{found.detail}",
            )


# ------------------------------------------------------------------ stability levels


def _modified(op: OperationDiff) -> bool:
    """Whether anything of a matched operation changed (as written, or in what it refers to)."""
    if canonical(op.base) != canonical(op.revision) or op.parameters_added or op.parameters_deleted:
        return True
    for param in op.parameters_modified.values():
        content = param.content
        if param.schema is not None or content.added or content.deleted or content.modified:
            return True
        if canonical(param.base) != canonical(param.revision):
            return True
    body = op.body_content
    if body is not None and (body.added or body.deleted or body.modified):
        return True
    if op.responses_added or op.responses_deleted:
        return True
    return any(
        rd.content.added
        or rd.content.deleted
        or rd.content.modified
        or rd.headers_added
        or rd.headers_deleted
        or any(h.schema is not None or canonical(h.base) != canonical(h.revision) for h in rd.headers_modified.values())
        or canonical(rd.base) != canonical(rd.revision)
        for rd in op.responses_modified.values()
    )


@check("api-invalid-stability-level")
def invalid_stability(d: DocDiff, out: Report) -> None:
    """An ``x-stability-level`` that is not a level, on an operation changed or removed (an
    operation left as it was is not reported, as oasdiff does not)."""
    for op in filter(_modified, d.all_operations.values()):
        for side in (op.base, op.revision):
            _report_invalid(out, op.label, f"{op.pointer}/x-stability-level", side)
    for path, method in d.all_operations_deleted:
        node, _ = d.base_operations[(path, method)]
        _report_invalid(out, _label(path, method), f"#/paths/{escape(path)}/{method}/x-stability-level", node)


def _report_invalid(out: Report, label: str, at: str, node: dict[str, Any]) -> bool:
    try:
        stability(node)
    except LifecycleError as exc:
        out.add("api-invalid-stability-level", label, at, str(exc))
        return True
    return False


@check("api-stability-decreased", "api-stability-increased")
def operation_stability(d: DocDiff, out: Report) -> None:
    """An operation's stability level lowered (breaking) or raised; only from beta or stable."""
    for op in d.all_operations.values():
        before, after = valid_stability(op.base), valid_stability(op.revision)
        if before is None or after is None:
            continue
        _report_level(out, op, f"{op.pointer}/x-stability-level", op.label, before, after, "api-stability")


def _report_level(out: Report, op: OperationDiff, at: str, what: str, before: str, after: str, prefix: str) -> None:
    if rank(before) == rank(after) or not in_scope(before):
        return
    change = "decreased" if rank(after) < rank(before) else "increased"
    out.add(f"{prefix}-{change}", op, at, f"{what}: stability {shown(before)} -> {shown(after)}")


@check(
    "request-property-stability-decreased",
    "request-property-stability-increased",
    "response-property-stability-decreased",
    "response-property-stability-increased",
    "api-invalid-stability-level",
)
def property_stability(d: DocDiff, out: Report) -> None:
    """A body property's stability level lowered or raised (from beta or stable); a level that
    cannot be read, on a property whose extensions changed, is reported as invalid."""
    for body in _bodies(d):
        for prop in properties(body.schema, body.location):
            if not _extensions_changed(prop.schema):
                continue
            base, revision = prop.schema.base or {}, prop.schema.revision or {}
            at = f"{prop.location}/x-stability-level"
            if _report_invalid(out, body.op.label, at, base) or _report_invalid(out, body.op.label, at, revision):
                continue
            named = f"{body.where}: {prop.full_name}"
            _report_level(
                out, body.op, at, named, stability(base), stability(revision), f"{body.side}-property-stability"
            )


def _extensions_changed(schema: SchemaDiff) -> bool:
    return any(keyword.startswith("x-") for keyword in schema.values)


# ------------------------------------------------------------------ webhooks and components


@check("webhook-added", "webhook-removed")
def webhooks(d: DocDiff, out: Report) -> None:
    base = d.base.data.get("webhooks") or {}
    rev = d.revision.data.get("webhooks") or {}
    base, rev = (base if isinstance(base, dict) else {}), (rev if isinstance(rev, dict) else {})
    for name in rev:
        if name not in base:
            out.add("webhook-added", "", f"#/webhooks/{escape(str(name))}", f"webhook {name} added")
    for name in base:
        if name not in rev:
            out.add("webhook-removed", "", f"#/webhooks/{escape(str(name))}", f"webhook {name} removed")


@check("api-schema-removed")
def schemas_removed(d: DocDiff, out: Report) -> None:
    base = (d.base.data.get("components") or {}).get("schemas") or {}
    rev = (d.revision.data.get("components") or {}).get("schemas") or {}
    if not isinstance(base, dict):
        return
    for name in base:
        if not isinstance(rev, dict) or name not in rev:
            out.add("api-schema-removed", "", f"#/components/schemas/{escape(str(name))}", f"schema {name} removed")
