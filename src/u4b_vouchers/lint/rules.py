"""The ``x-u4b-rules`` extension is well formed and everything it names exists."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from jsonschema import Draft202012Validator, ValidationError

from ..spec import (
    ALL_OPERATIONS,
    DOCUMENTS_KEY,
    KINDS,
    OPEN,
    RULES_KEY,
    Operation,
    Spec,
    SpecError,
    document_titles,
    join,
    named_documents,
    parse_rules,
    target_schema,
)
from .context import LintContext
from .findings import Finding
from .registry import check

DECISION_REF = re.compile(r"\bD-[0-9]{3}\b")
RULE_REF = re.compile(r"\b(?:AUTH|ERR|GEN|CRT|GST|UPD)(?:-[A-Z0-9]+)+\b")
DECISION_HEADING = re.compile(r"^#+\s*(D-[0-9]{3})\b", re.MULTILINE)


def target_exists(spec: Spec, op: Operation, target: str) -> bool:
    """Whether a rule target such as ``body.pickup_locations[].radius`` names something real."""
    where, _, rest = target.partition(".")
    if where == "header" and rest.lower() == "authorization":
        return bool(op.raw.get("security", spec.data.get("security")))
    return target_schema(spec, op, target) is not None


def _shape_message(raw: list[Any], error: ValidationError) -> str:
    """The JSON Schema error, naming the rule and, for a stated rule that allows success, why."""
    path = list(error.absolute_path)
    message = error.message
    if error.validator == "not" and path[-1:] == ["status"] and "violation" in path:
        message = "a stated rule's violation lists a success; make its basis implied or open"
    index = path[0] if path and isinstance(path[0], int) else None
    if index is not None and index < len(raw) and isinstance(raw[index], dict) and "id" in raw[index]:
        return f"{raw[index]['id']}: {message}"
    return message


def documents(spec: Spec, meta: Any) -> Iterator[Finding]:
    """``x-u4b-documents`` is well formed (the companion schema's ``documents`` definition, when
    it has one) and lists every document a citation or ``x-u4b-source`` names."""
    named = list(named_documents(spec.data))
    at = join([DOCUMENTS_KEY])
    if DOCUMENTS_KEY not in spec.data:
        if named:
            yield Finding(
                "rules",
                "no-document-list",
                f"the description names {len({str(n.document) for n in named})} document(s) in citations "
                f"but has no {DOCUMENTS_KEY} giving their titles",
            )
        return
    definitions = meta.get("$defs") if isinstance(meta, dict) else None
    if isinstance(definitions, dict) and "documents" in definitions:
        schema = {"$defs": definitions, "$ref": "#/$defs/documents"}
        errors = list(Draft202012Validator(schema).iter_errors(spec.data[DOCUMENTS_KEY]))
        for error in errors:
            pointer = join([DOCUMENTS_KEY, *[str(t) for t in error.absolute_path]])
            message = f"{DOCUMENTS_KEY}: {error.message}"
            yield Finding("rules", "document-shape", message, pointer, spec.line_of(pointer))
        if errors:
            return
    try:
        titles = document_titles(spec.data)
    except SpecError as exc:
        yield Finding("rules", "document-shape", exc.message, at, spec.line_of(at))
        return
    for place in named:
        if not isinstance(place.document, str) or place.document not in titles:
            yield Finding(
                "rules",
                "unlisted-document",
                f"{place.document} is cited but {DOCUMENTS_KEY} does not list it (give it a file and title there)",
                place.pointer,
                spec.line_of(place.pointer),
            )


@check(
    "rules",
    "x-u4b-rules: shape, known kinds and their parameters, a basis that fits the outcomes, unique ids, and "
    "every operation, pointer, target, decision and cited document exists",
)
def rules(ctx: LintContext) -> Iterator[Finding]:
    spec = ctx.spec
    # The companion schema is read only for a description that has something it describes.
    meta: Any = ctx.data(ctx.rules_schema) if RULES_KEY in spec.data or DOCUMENTS_KEY in spec.data else {}
    yield from documents(spec, meta)
    raw = spec.data.get(RULES_KEY)
    if raw is None:
        return
    shape_errors = list(Draft202012Validator(meta).iter_errors(raw))
    for error in shape_errors:
        pointer = join([RULES_KEY, *[str(t) for t in error.absolute_path]])
        yield Finding("rules", "rule-shape", _shape_message(raw, error), pointer, spec.line_of(pointer))
    if shape_errors:
        return
    try:
        parsed = parse_rules(spec.data)
    except SpecError as exc:
        yield Finding("rules", "rule-shape", exc.message, join([RULES_KEY]), spec.line_of(join([RULES_KEY])))
        return
    operations = {op.operation_id: op for op in spec.operations()}
    seen: set[str] = set()
    for index, rule in enumerate(parsed):
        at = join([RULES_KEY, str(index)])
        line = spec.line_of(at)
        if rule.id in seen:
            yield Finding("rules", "duplicate-id", f"rule id {rule.id} is used twice", at, line)
        seen.add(rule.id)
        kind = KINDS.get(rule.kind)
        if kind is None:
            yield Finding("rules", "rule-shape", f"{rule.id}: unknown kind {rule.kind!r}", at, line)
        else:
            for missing in kind.missing(raw[index]):
                yield Finding("rules", "rule-shape", f"{rule.id}: a {kind.name} rule needs {missing}", at, line)
            if rule.basis == OPEN and "violation" in kind.names and len(rule.violation) < 2:
                yield Finding(
                    "rules",
                    "rule-basis",
                    f"{rule.id}: an open rule's violation lists every outcome the documents allow, "
                    "so at least two (one alone is a stated or implied rule)",
                    at,
                    line,
                )
        names = [op for op in rule.operations if op != ALL_OPERATIONS]
        for name in names:
            if name not in operations:
                yield Finding(
                    "rules",
                    "unknown-operation",
                    f"{rule.id} names unknown operation {name!r}",
                    at,
                    line,
                )
        if rule.pointer is not None:
            try:
                spec.resolve(rule.pointer)
            except KeyError:
                yield Finding(
                    "rules",
                    "dangling-pointer",
                    f"{rule.id} points at {rule.pointer}, which does not exist",
                    at,
                    line,
                )
        if rule.target is not None:
            targets = [rule.target]
            after = rule.params.get("after")
            if isinstance(after, str):
                targets.append(after)
            applicable = [operations[n] for n in names if n in operations] if names else list(operations.values())
            for target in targets:
                for op in applicable:
                    if not target_exists(spec, op, target):
                        yield Finding(
                            "rules",
                            "unknown-target",
                            f"{rule.id}: {op.operation_id} has no {target}",
                            at,
                            line,
                        )


@check("decisions", "every D-nnn the description cites is an entry of DECISIONS.md")
def decisions(ctx: LintContext) -> Iterator[Finding]:
    text = ctx.spec.path.read_text(encoding="utf-8")
    if ctx.decisions is None:
        if DECISION_REF.search(text):
            yield Finding(
                "decisions",
                "no-decision-log",
                "the description cites decisions (D-nnn) but there is no DECISIONS.md next to it",
            )
        return
    log = ctx.text(ctx.decisions)
    defined = set(DECISION_HEADING.findall(log))
    raw_rules = ctx.spec.data.get(RULES_KEY)
    if isinstance(raw_rules, list):  # a description without rules: the log's rule ids are not about it
        known_rules = {str(rule.get("id")) for rule in raw_rules if isinstance(rule, dict)}
        for number, line_text in enumerate(log.splitlines(), start=1):
            for rule_id in RULE_REF.findall(line_text):
                if rule_id not in known_rules:
                    yield Finding(
                        "decisions",
                        "unknown-rule",
                        f"{ctx.decisions.name} mentions rule {rule_id}, not in x-u4b-rules",
                        file=str(ctx.decisions),
                        line=number,
                    )
    for number, line_text in enumerate(text.splitlines(), start=1):
        for ref in DECISION_REF.findall(line_text):
            if ref not in defined:
                yield Finding(
                    "decisions",
                    "unknown-decision",
                    f"{ref} is cited but {ctx.decisions.name} has no entry for it",
                    line=number,
                )
