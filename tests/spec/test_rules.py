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


RULE = {
    "id": "X-Y",
    "operations": ["*"],
    "kind": "bound",
    "summary": "s",
    "source": [{"document": "d", "section": "s", "quote": "q"}],
    "target": "body.n",
    "minimum": 1,
    "violation": [{"status": 400, "code": "invalid_request"}],
}


@pytest.mark.parametrize(
    ("basis", "violation", "message"),
    [
        (None, None, r"\(X-Y\): missing basis \(one of stated, implied, open\)"),
        ("likely", None, r"\(X-Y\): basis 'likely' is not one of stated, implied, open"),
        ("stated", [{"status": "2XX"}, {"status": 400}], r"\(X-Y\): a stated rule's violation lists a success"),
        ("stated", [{"status": 204}], "lists a success"),
    ],
)
def test_a_missing_unknown_or_contradicted_basis_is_refused(
    basis: str | None, violation: list[dict[str, object]] | None, message: str
) -> None:
    raw: dict[str, object] = dict(RULE)
    if basis is not None:
        raw["basis"] = basis
    if violation is not None:
        raw["violation"] = violation
    with pytest.raises(SpecError, match=message):
        parse_rule(raw, 3)


@pytest.mark.parametrize(
    ("basis", "violation", "status", "code", "verdict"),
    [
        ("stated", [{"status": 400, "code": "invalid_request"}], 400, "invalid_request", "pass"),
        ("stated", [{"status": 400, "code": "invalid_request"}], 200, None, "failure"),
        ("stated", [{"status": 400, "code": "invalid_request"}], 404, "resource_not_found", "failure"),
        ("implied", [{"status": 400, "code": "invalid_request"}], 204, None, "warning"),
        ("implied", [{"status": "2XX"}, {"status": 400, "code": "invalid_request"}], 200, None, "warning"),
        ("implied", [{"status": 400, "code": "invalid_request"}], 400, "invalid_request", "pass"),
        ("implied", [{"status": 400, "code": "invalid_request"}], 500, "internal_server_error", "failure"),
        ("open", [{"status": "2XX"}, {"status": 400, "code": "invalid_request"}], 200, None, "pass"),
        ("open", [{"status": "2XX"}, {"status": 400, "code": "invalid_request"}], 400, "invalid_request", "pass"),
        ("open", [{"status": "2XX"}, {"status": 400, "code": "invalid_request"}], 403, "unauthorized", "failure"),
    ],
)
def test_the_verdict_on_a_response_to_a_request_that_breaks_a_rule(
    basis: str, violation: list[dict[str, object]], status: int, code: str | None, verdict: str
) -> None:
    rule = parse_rule({**RULE, "basis": basis, "violation": violation}, 0)
    assert rule.basis == basis
    assert "basis" not in rule.params
    assert rule.verdict(status, code) == verdict


def test_every_rule_has_a_basis_and_only_the_unsettled_ones_are_not_stated(spec: Spec) -> None:
    rules = parse_rules(spec.data)
    not_stated = {rule.id: rule.basis for rule in rules if rule.basis != "stated"}
    assert not_stated == {
        "GEN-COUNT-POSITIVE": "implied",
        "GEN-TOTAL-CODES-MAX": "open",
        "GEN-SUCCESS-200": "implied",
        "CRT-EMAIL-FORMAT": "implied",
        "CRT-MOBILE-FORMAT": "implied",
        "CRT-TEMPLATE-EXISTS": "implied",
        "CRT-PROGRAM-MATCHES-TEMPLATE": "implied",
        "CRT-DISPLAY-TIMEZONE-IANA": "implied",
        "GST-PAGE-TOKEN-VALID": "implied",
        "GST-LIMIT-POSITIVE": "open",
        "GST-VOUCHER-EMPTY-UNTIL-CLAIMED": "open",
        "UPD-ENDS-AFTER-STARTS": "implied",
        "UPD-SUCCESS-204": "implied",
    }
    # Every lenient rule (a success among its outcomes) is implied or open.
    assert all(rule.basis != "stated" for rule in rules if rule.lenient)


def test_the_documented_success_statuses_are_response_rules(spec: Spec) -> None:
    by_id = {rule.id: rule for rule in parse_rules(spec.data)}
    for rule_id, operation_id, status in (
        ("GEN-SUCCESS-200", "generateVoucherCodes", "200"),
        ("UPD-SUCCESS-204", "updateVoucherProgram", "204"),
    ):
        rule = by_id[rule_id]
        assert (rule.kind, rule.basis, rule.operations) == ("response", "implied", (operation_id,))
        assert rule.pointer is not None
        assert rule.pointer.endswith(f"/responses/{status}")
        (operation,) = [op for op in spec.operations() if op.operation_id == operation_id]
        assert [code for code in operation.raw["responses"] if code.startswith("2")] == [status]
