"""Schema failures as deviations, each under the narrowest rule that names the failing keyword.

The suites and Schemathesis's failures (schemathesis_findings.py) meet here: a value checked
against a schema of the description is attributed to a rule by
:mod:`u4b_vouchers.spec.attribution`; ``REQ-SCHEMA`` and ``RSP-SCHEMA`` take what no narrower
rule names, and an error body falls to ``ERR-BODY-SHAPE``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from u4b_vouchers.spec import RuleAttribution

from .context import CheckContext, Deviation
from .target import Exchange

#: Requests that break their operation's schema are refused (the schema rule of no keyword in
#: particular), and responses match the schemas their operation documents.
REQUEST_SCHEMA = "REQ-SCHEMA"
RESPONSE_SCHEMA = "RSP-SCHEMA"
ERROR_BODIES = "ERR-BODY-SHAPE"


def attribution(ctx: CheckContext) -> RuleAttribution:
    """Schema failures filed under the narrowest rule; REQ-SCHEMA and RSP-SCHEMA only as fallbacks."""
    return RuleAttribution(ctx.spec, ctx.rules.values(), fallbacks=frozenset({REQUEST_SCHEMA, RESPONSE_SCHEMA}))


def response_deviations(
    attribution: RuleAttribution, pointer: str, exchange: Exchange, operation: str
) -> Iterator[Deviation]:
    """Each way ``exchange``'s body breaks the response schema at ``pointer``, as a deviation of
    the narrowest rule naming the keyword (else ERR-BODY-SHAPE for an error, RSP-SCHEMA for a
    success), with the field path and the value that came."""
    body = exchange.json()
    fallback = ERROR_BODIES if exchange.status >= 400 else RESPONSE_SCHEMA
    for found in attribution.failures(pointer, body, location="response", operation=operation):
        named = found.rule is not None and found.rule.kind in ("response", "schema")
        yield Deviation(
            f"the {exchange.status} response does not match its schema at {found.field or 'the body'}: "
            f"{found.message[:200]}",
            found.rule.id if found.rule is not None and named else fallback,
            exchange,
            kind=f"schema:{found.keyword}",
            expected=f"{found.keyword} of {found.keyword_pointer}",
            got=json.dumps(_at(body, found.field))[:120] if found.field else "",
            field=found.field,
        )


def _at(body: Any, field: str) -> Any:
    """The value at a field path such as ``guests[3].voucher.usage_count`` (None when absent)."""
    node = body
    for part in field.replace("[", ".[").split("."):
        if not part:
            continue
        if part.startswith("["):
            index = int(part[1:-1])
            node = node[index] if isinstance(node, list) and index < len(node) else None
        else:
            node = node.get(part) if isinstance(node, dict) else None
    return node
