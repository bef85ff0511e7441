from __future__ import annotations

from collections import Counter

import pytest

from u4b_vouchers.spec import Outcome, Spec, SpecError, parse_rules
from u4b_vouchers.spec.rules import parse_rule


def test_every_rule_parses_and_ids_are_unique(spec: Spec) -> None:
    rules = parse_rules(spec.data)
    ids = [rule.id for rule in rules]
    assert len(ids) == len(set(ids))
    assert len(rules) >= 70


def test_each_operation_has_its_own_rules(spec: Spec) -> None:
    rules = parse_rules(spec.data)
    per_operation = Counter(
        op.operation_id for op in spec.operations() for rule in rules if rule.applies_to(op.operation_id)
    )
    assert (
        per_operation["updateVoucherProgram"]
        > per_operation["createIndividualVoucherProgram"]
        > per_operation["generateVoucherCodes"]
    )


def test_rules_json_schema_cannot_express_are_recorded(spec: Spec) -> None:
    """The issue's list of rules beyond JSON Schema, each present with its machine-readable kind."""
    by_id = {rule.id: rule for rule in parse_rules(spec.data)}
    expected_kinds = {
        "CRT-STARTS-NOT-TOO-EARLY": "time-window",
        "CRT-STARTS-NOT-TOO-LATE": "time-window",
        "CRT-ENDS-NOT-TOO-LATE": "time-window",
        "UPD-STARTS-BEFORE-START-ONLY": "program-state",
        "UPD-PERCENT-INCREASE-ONLY": "monotonic",
        "UPD-PERCENT-IF-PRESENT": "present-only",
        "UPD-REDEMPTIONS-SINGLE-CODE-ONLY": "code-scheme",
        "UPD-CANCELED-IMMUTABLE": "program-state",
        "CRT-ENDS-AFTER-STARTS": "field-order",
    }
    for rule_id, kind in expected_kinds.items():
        assert by_id[rule_id].kind == kind
    assert by_id["CRT-STARTS-NOT-TOO-EARLY"].params["not-before"] == "-PT24H"
    assert by_id["UPD-CANCELED-IMMUTABLE"].params["forbidden-when"] == ["canceled"]


def test_every_rule_cites_a_document(spec: Spec) -> None:
    for rule in parse_rules(spec.data):
        assert rule.sources, rule.id
        for citation in rule.sources:
            assert citation.document.endswith((".txt", ".md"))
            assert 0 < len(citation.quote) <= 60


@pytest.mark.parametrize(
    ("outcome", "status", "code", "expected"),
    [
        (Outcome(400, "invalid_request"), 400, "invalid_request", True),
        (Outcome(400, "invalid_request"), 400, "other", False),
        (Outcome(400, "invalid_request"), 404, "invalid_request", False),
        (Outcome("2XX"), 204, None, True),
        (Outcome("2XX"), 302, None, False),
        (Outcome(403), 403, "anything", True),
    ],
)
def test_outcome_matching(outcome: Outcome, status: int, code: str | None, expected: bool) -> None:
    assert outcome.matches(status, code) is expected


def test_lenient_rules_are_those_that_allow_success(spec: Spec) -> None:
    lenient = {rule.id for rule in parse_rules(spec.data) if rule.lenient}
    assert lenient == {
        "GEN-COUNT-POSITIVE",
        "GEN-TOTAL-CODES-MAX",
        "GST-LIMIT-POSITIVE",
        "UPD-ENDS-AFTER-STARTS",
    }


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("not a mapping", "must be a mapping"),
        ({"id": "X-Y"}, "missing operations, kind, summary, source"),
        (
            {
                "id": "X-Y",
                "operations": ["*"],
                "kind": "schema",
                "summary": "s",
                "source": [{"document": "d"}],
            },
            "needs document, section and quote",
        ),
        (
            {
                "id": "X-Y",
                "operations": ["*"],
                "kind": "schema",
                "summary": "s",
                "source": [{"document": "d", "section": "s", "quote": "q"}],
                "violation": [{"code": "c"}],
            },
            "needs a status",
        ),
    ],
)
def test_malformed_rules_are_reported(raw: object, message: str) -> None:
    with pytest.raises(SpecError, match=message):
        parse_rule(raw, 0)
