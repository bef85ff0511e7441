"""Everything the checked-in inventory of documented facts lists is in the description."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..spec import Operation, Rule, Spec, SpecError, document_titles, load_document, parse_rules
from .context import LintContext
from .findings import Finding
from .registry import check

ALL = "*"


def _types(schema: dict[str, Any]) -> set[str]:
    declared = schema.get("type")
    if isinstance(declared, list):
        return {str(t) for t in declared}
    return {str(declared)} if declared else set()


def _merged(spec: Spec, schema: Any) -> dict[str, Any]:
    """A schema with ``$ref`` followed and ``allOf`` members folded in (shallowly)."""
    schema = spec.deref(schema)
    if not isinstance(schema, dict):
        return {}
    merged = {k: v for k, v in schema.items() if k not in ("$ref", "allOf")}
    if "$ref" in schema:  # a $ref with sibling keywords: siblings win over the target's
        merged = {**_merged(spec, {"$ref": schema["$ref"]}), **merged}
    for member in schema.get("allOf") or []:
        for key, value in _merged(spec, member).items():
            if key == "properties":
                mine = merged.get("properties", {})
                merged["properties"] = {name: {**value.get(name, {}), **mine.get(name, {})} for name in {*value, *mine}}
            elif key == "required":
                merged["required"] = sorted({*value, *merged.get("required", [])})
            else:
                merged.setdefault(key, value)
    return merged


def _walk(spec: Spec, schema: Any, dotted: str) -> tuple[dict[str, Any], dict[str, Any]] | None:
    """(parent object schema, field schema) for ``a.b[].c``; ``a[]`` is the items schema."""
    parent: dict[str, Any] = {}
    current = _merged(spec, schema)
    for step in dotted.split("."):
        name = step.removesuffix("[]")
        parent = current
        props = current.get("properties") or {}
        if name not in props:
            return None
        current = _merged(spec, props[name])
        if step.endswith("[]"):
            parent = current
            current = _merged(spec, current.get("items") or {})
    return parent, current


def _field_problems(spec: Spec, op: Operation, field: dict[str, Any]) -> Iterator[str]:
    where, name = field["in"], field["name"]
    if where in ("path", "query", "header"):
        params = {(p.get("in"), str(p.get("name", "")).lower()): p for p in spec.parameters(op)}
        param = params.get((where, name.lower()))
        if param is None:
            yield f"{where} parameter {name} is missing"
            return
        if "required" in field and bool(param.get("required", False)) != field["required"]:
            yield f"{where} parameter {name}: required should be {field['required']}"
        schema = _merged(spec, param.get("schema") or {})
        parent_required: list[str] | None = None
    else:
        if where == "body":
            body = spec.deref(op.raw.get("requestBody") or {})
            media = (body.get("content") or {}).get("application/json") or {}
        else:
            response = spec.deref((op.raw.get("responses") or {}).get(str(field["status"])) or {})
            media = (response.get("content") or {}).get("application/json") or {}
        if "schema" not in media:
            yield f"{where} {field.get('status', '')} has no application/json schema".replace("  ", " ")
            return
        found = _walk(spec, media["schema"], name)
        if found is None:
            yield f"{where} field {name} is missing"
            return
        parent, schema = found
        parent_required = list(parent.get("required") or [])
    if field["type"] not in _types(schema):
        yield f"{where} {name}: documented type {field['type']} not among {sorted(_types(schema))}"
    if parent_required is not None and "required" in field and not name.endswith("[]"):
        leaf = name.rsplit(".", 1)[-1].removesuffix("[]")
        if (leaf in parent_required) != field["required"]:
            yield f"{where} {name}: required should be {field['required']}"
    for keyword in ("enum", "format", "minimum", "maximum"):
        if keyword in field and schema.get(keyword) != field[keyword]:
            actual = schema.get(keyword)
            yield f"{where} {name}: {keyword} should be {field[keyword]!r}, spec has {actual!r}"


def _error_codes(spec: Spec, op: Operation, status: int) -> set[str] | None:
    response = spec.deref((op.raw.get("responses") or {}).get(str(status)) or {})
    media = (response.get("content") or {}).get("application/json")
    if not response or media is None:
        return None
    code = (_merged(spec, media.get("schema") or {}).get("properties") or {}).get("code") or {}
    code = _merged(spec, code)
    if "const" in code:
        return {str(code["const"])}
    return {str(v) for v in code.get("enum", [])}


def _scopes(spec: Spec, op: Operation) -> set[str]:
    requirements = op.raw.get("security", spec.data.get("security")) or []
    return {scope for requirement in requirements for scopes in requirement.values() for scope in scopes}


Problem = tuple[str, str, str]  # (finding rule, message, pointer into the inventory)


def _operation_problems(
    spec: Spec, op: Operation, document: str, entry: dict[str, Any], base: str
) -> Iterator[Problem]:
    op_id = op.operation_id
    if (op.method, op.path) != (entry["method"], entry["path"]):
        yield (
            "operation-route",
            f"{op_id} should be {entry['method'].upper()} {entry['path']}",
            base,
        )
    if "scopes" in entry and _scopes(spec, op) != set(entry["scopes"]):
        yield (
            "scopes",
            f"{op_id}: scopes should be {sorted(entry['scopes'])}, spec has {sorted(_scopes(spec, op))}",
            f"{base}/scopes",
        )
    if entry.get("deprecated") and not op.raw.get("deprecated"):
        yield "deprecated", f"{op_id} should be marked deprecated", base
    success = entry.get("success")
    if success and str(success["status"]) not in (op.raw.get("responses") or {}):
        yield (
            "success-status",
            f"{op_id}: success status {success['status']} is missing",
            f"{base}/success",
        )
    for index, field in enumerate(entry.get("fields") or []):
        for problem in _field_problems(spec, op, field):
            yield (
                "field",
                f"{op_id}: {problem} ({document}, {field['section']})",
                f"{base}/fields/{index}",
            )


def _error_problems(
    spec: Spec, op: Operation | None, document: str, entry: dict[str, Any], base: str
) -> Iterator[Problem]:
    operations = {o.operation_id: o for o in spec.operations()}
    for index, error in enumerate(entry.get("errors") or []):
        pointer = f"{base}/errors/{index}"
        if op is not None:
            targets: list[Operation | None] = [op]
        elif error.get("operation") == ALL:
            targets = list(operations.values())
        else:
            targets = [operations.get(error.get("operation", ""))]
        for target in targets:
            if target is None:
                yield (
                    "error",
                    f"{document}: error names unknown operation {error.get('operation')}",
                    pointer,
                )
                continue
            codes = _error_codes(spec, target, error["status"])
            if codes is None or error["code"] not in codes:
                yield (
                    "error",
                    f"{target.operation_id}: {error['status']} {error['code']} is not documented "
                    f"in the spec ({document}, {error['section']})",
                    pointer,
                )


def _rule_problems(
    rules: dict[str, Rule], op: Operation | None, document: str, entry: dict[str, Any], base: str, title: str
) -> Iterator[Problem]:
    """Each rule the inventory lists for ``document`` that the description lacks or cites
    elsewhere; messages name the document by ``title``, its file beside it."""
    for index, cited in enumerate(entry.get("rules") or []):
        pointer = f"{base}/rules/{index}"
        rule = rules.get(cited["id"])
        if rule is None:
            yield (
                "rule-missing",
                f"rule {cited['id']} ({title} ({document}), {cited['section']}) is not in x-u4b-rules",
                pointer,
            )
            continue
        cites = any(
            s.document == document and s.section == cited["section"] and ("row" not in cited or s.row == cited["row"])
            for s in rule.sources
        )
        if not cites:
            row = f", row {cited['row']}" if "row" in cited else ""
            yield (
                "rule-citation",
                f"rule {rule.id} does not cite {title}, {cited['section']}{row} ({document})",
                pointer,
            )
        applies_to = cited.get("operation", op.operation_id if op is not None else None)
        if applies_to is not None and not rule.applies_to(applies_to):
            yield "rule-operation", f"rule {rule.id} does not apply to {applies_to}", pointer


@check(
    "inventory",
    "every documented field, error, scope and rule in the inventory is in the description",
)
def inventory(ctx: LintContext) -> Iterator[Finding]:
    if ctx.inventory is None:
        return
    spec, file = ctx.spec, str(ctx.inventory)
    try:
        loaded = load_document(ctx.inventory)
    except SpecError as exc:
        yield Finding("inventory", "unreadable", exc.message, file=file, line=exc.line)
        return
    data = loaded.data if isinstance(loaded.data, dict) else {}
    if data.get("describes") and data["describes"] != spec.path.name:
        return  # an inventory of another description (the control plane's, for instance)
    operations = {op.operation_id: op for op in spec.operations()}
    rules = {rule.id: rule for rule in parse_rules(spec.data)}
    try:
        titles = document_titles(spec.data)
    except SpecError:
        titles = {}  # the rules check reports a malformed list
    for document, entry in (data.get("documents") or {}).items():
        base = f"#/documents/{document}"
        op = operations.get(entry["operation"]) if entry.get("operation") else None
        if entry.get("operation") and op is None:
            yield Finding(
                "inventory",
                "missing-operation",
                f"{document}: operation {entry['operation']} is missing",
                None,
                loaded.line_of(base),
                file,
            )
            continue
        problems = [
            *(_operation_problems(spec, op, document, entry, base) if op is not None else []),
            *_error_problems(spec, op, document, entry, base),
            *_rule_problems(rules, op, document, entry, base, titles.get(document, document)),
        ]
        for rule_id, message, pointer in problems:
            yield Finding("inventory", rule_id, message, None, loaded.line_of(pointer), file)
    listed = {cited["id"] for entry in (data.get("documents") or {}).values() for cited in entry.get("rules") or []}
    for rule_id in sorted(set(rules) - listed):
        yield Finding(
            "inventory",
            "rule-unlisted",
            f"rule {rule_id} is in x-u4b-rules but not in the inventory",
            file=file,
        )
