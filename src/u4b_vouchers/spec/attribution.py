"""Which documented rule a schema failure breaks, and at which field.

A value checked against a schema of the description fails at a keyword (``minimum``, ``enum``,
``pattern``, ...). The rule it breaks is the rule whose ``pointer`` names that keyword or a
schema above it (the longest such pointer wins); failing that, a rule whose ``target`` is the
failing field and which states the keyword (``minimum: 1``). Both the emulator (to refuse a
request with the rule's id) and the contract suites (to file a finding under the right rule)
ask this one module.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from jsonschema.exceptions import ValidationError, relevance

from .document import Spec
from .pointer import escape
from .rules import Rule
from .validation import SchemaValidator


@dataclass(frozen=True)
class SchemaFailure:
    """One failing keyword: the reason, the field (``guests[3].voucher.usage_count``), the
    keyword's location in the description, and the rule it breaks (None when no rule says)."""

    message: str
    field: str
    keyword: str
    keyword_pointer: str
    rule: Rule | None


def field_path(parts: Iterable[Any], prefix: str = "") -> str:
    """``['guests', 3, 'voucher']`` → ``guests[3].voucher``."""
    text = prefix
    for part in parts:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


def keyword_pointer(spec: Spec, start: str, error: ValidationError) -> str:
    """The document location of the schema keyword that failed.

    jsonschema's schema path steps through ``$ref`` silently, so a step that the current schema
    lacks is looked up in the schema its ``$ref`` names.
    """
    pointer, node = start, spec.resolve(start)
    for raw in error.absolute_schema_path:
        token = str(raw)
        while isinstance(node, dict) and token not in node and isinstance(node.get("$ref"), str):
            pointer = node["$ref"]
            node = spec.resolve(pointer)
        pointer = f"{pointer}/{escape(token)}"
        if isinstance(node, dict):
            node = node.get(token)
        elif isinstance(node, list) and isinstance(raw, int) and raw < len(node):
            node = node[raw]
        else:
            node = None
    return pointer


def _target_path(field: str) -> str:
    """A field as rules name it: ``pickup_locations[0].radius`` → ``pickup_locations[].radius``."""
    out, depth = [], 0
    for char in field:
        if char == "[":
            depth += 1
            out.append("[]")
        elif char == "]":
            depth -= 1
        elif depth == 0:
            out.append(char)
    return "".join(out)


class RuleAttribution:
    """Schema failures of values at pointers of ``spec``, each with the rule it breaks."""

    def __init__(
        self,
        spec: Spec,
        rules: Iterable[Rule],
        *,
        kinds: frozenset[str] | None = None,
        fallbacks: frozenset[str] = frozenset(),
    ):
        """``fallbacks``: rules a failure is filed under when no other rule names its keyword
        (``REQ-SCHEMA``, ``RSP-SCHEMA``); they are left out of the matching, whatever their pointer."""
        self.spec = spec
        self.validator = SchemaValidator(spec)
        chosen = [r for r in rules if (kinds is None or r.kind in kinds) and r.id not in fallbacks]
        self._by_pointer = sorted(
            ((rule.pointer, rule) for rule in chosen if rule.pointer),
            key=lambda item: -len(item[0]),
        )
        self._by_target = [rule for rule in chosen if rule.target]

    def rule_for(self, pointer: str, field: str, location: str, keyword: str, operation: str | None) -> Rule | None:
        for rule_pointer, rule in self._by_pointer:
            if (pointer == rule_pointer or pointer.startswith(rule_pointer + "/")) and (
                operation is None or rule.applies_to(operation)
            ):
                return rule
        target = f"{location}.{_target_path(field)}" if field else location
        for rule in self._by_target:
            if rule.target == target and keyword in rule.params and (operation is None or rule.applies_to(operation)):
                return rule
        return None

    def failures(
        self, start: str, value: Any, *, location: str = "body", operation: str | None = None
    ) -> Iterator[SchemaFailure]:
        """Every failing keyword of ``value`` against the schema at ``start``, most relevant first."""
        for error in sorted(self.validator.errors(start, value), key=relevance):
            for leaf in _leaves(error):
                pointer = keyword_pointer(self.spec, start, leaf)
                field = field_path(leaf.absolute_path)
                if leaf.validator == "required" and isinstance(leaf.validator_value, list):
                    present = leaf.instance if isinstance(leaf.instance, dict) else {}
                    missing = next((name for name in leaf.validator_value if name not in present), None)
                    if missing is not None:
                        field = field_path([*leaf.absolute_path, missing])
                keyword = str(leaf.validator)
                yield SchemaFailure(
                    message=str(leaf.message),
                    field=field,
                    keyword=keyword,
                    keyword_pointer=pointer,
                    rule=self.rule_for(pointer, field, location, keyword, operation),
                )


def _leaves(error: ValidationError) -> Iterator[ValidationError]:
    """The error itself, or for ``allOf``-style wrappers the errors inside that say more."""
    if error.validator in ("anyOf", "oneOf") or not error.context:
        yield error
        return
    yield from (leaf for inner in error.context for leaf in _leaves(inner))
