"""The fast check never accepts a body the attributing validator refuses.

Bodies come from the description's own strategies (valid ones), mutated one field at a time
towards the edges (bounds ± 1, the int64 limits, near-miss strings), plus hand-picked cases
where Python's and ECMA's regular expressions or format checks could disagree.
"""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from u4b_vouchers.spec import RequestBodyValidator, SchemaValidator, Spec, SpecError, join, load_spec
from u4b_vouchers.spec.fastcheck import fast_checker
from u4b_vouchers.strategies import valid_values

SPEC = load_spec()
SLOW = SchemaValidator(SPEC)
POINTERS = {
    op.operation_id: join(["paths", op.path, op.method, "requestBody", "content", "application/json", "schema"])
    for op in SPEC.operations()
    if "application/json" in (SPEC.deref(op.raw.get("requestBody") or {}).get("content") or {})
}
FAST = {op: fast_checker(SPEC, pointer) for op, pointer in POINTERS.items()}
INT64 = 2**63
EDGES: list[Any] = [
    None,
    True,
    0,
    -1,
    1.5,
    19.0,
    INT64 - 1,
    INT64,
    -INT64,
    -INT64 - 1,
    10**26,
    "",
    "+15551234567",
    "+15551234567\n",
    "15551234567",
    "66e129f6-7020-4ac5-9166-b71d68fb82af",
    "66E129F6-7020-4AC5-9166-B71D68FB82AF",
    "66e129f670204ac59166b71d68fb82af",
    "{66e129f6-7020-4ac5-9166-b71d68fb82af}",
    "urn:uuid:66e129f6-7020-4ac5-9166-b71d68fb82af",
    "jane@example.com",
    "jane@",
    "@example.com",
    "jane doe@example.com",
    "PICKUP_ONLY",
    "pickup_only",
    "America/Los_Angeles",
    [],
    [{}],
    [{"address": "1 Main St"}],
    [{"address": "1 Main St", "radius": 19}],
    [{"address": "1 Main St", "radius": 20}],
    ["ECONOMY", "ECONOMY"],
    ["economy"],
    {},
]


def test_every_body_schema_of_the_description_has_a_fast_check() -> None:
    assert POINTERS
    assert all(check is not None for check in FAST.values())


def agrees(operation: str, body: Any) -> None:
    check = FAST[operation]
    assert check is not None
    slow = SLOW.is_valid(POINTERS[operation], body)
    if check(body):
        assert slow, (operation, body)


@pytest.mark.parametrize("operation", sorted(POINTERS))
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_the_fast_check_accepts_nothing_the_validator_refuses(operation: str, data: st.DataObject) -> None:
    body = data.draw(valid_values(SPEC, POINTERS[operation]))
    agrees(operation, body)
    if isinstance(body, dict) and body:
        key = data.draw(st.sampled_from(sorted(body)))
        agrees(operation, {**body, key: data.draw(st.sampled_from(EDGES))})
        agrees(operation, {k: v for k, v in body.items() if k != key})


@pytest.mark.parametrize("operation", sorted(POINTERS))
def test_edges_agree_field_by_field(operation: str) -> None:
    properties = _properties(SPEC, POINTERS[operation])
    for name in properties:
        for value in EDGES:
            agrees(operation, {name: value})


def _properties(spec: Spec, pointer: str) -> set[str]:
    names: set[str] = set()
    stack = [spec.resolve(pointer)]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if "$ref" in node and isinstance(node["$ref"], str) and node["$ref"].startswith("#/"):
                stack.append(spec.resolve(node["$ref"]))
            names.update((node.get("properties") or {}).keys())
            stack.extend(v for k, v in node.items() if k in ("allOf", "anyOf", "oneOf"))
        elif isinstance(node, list):
            stack.extend(node)
    return names


def test_a_failing_fast_check_falls_back_to_the_attributing_validator() -> None:
    validator = RequestBodyValidator(SPEC)
    violation = validator.violation("updateVoucherProgram", {"value_per_trip_percentage": 100})
    assert violation is not None
    assert violation.rule is not None
    assert violation.rule.id == "UPD-PERCENT-RANGE"
    assert validator.violation("updateVoucherProgram", {"starts_at": 10**26}) is not None
    assert validator.violation("updateVoucherProgram", {"name": "ok"}) is None


def test_refs_outside_the_description_are_never_retrieved(tmp_path: Any) -> None:
    """A readable schema file a description points to would compile if it were read: the fast
    check refuses to read it (and leaves the body to the Python validator)."""
    elsewhere = tmp_path / "elsewhere.json"
    elsewhere.write_text('{"type": "object"}', encoding="utf-8")
    body = {"content": {"application/json": {"schema": {"$ref": elsewhere.as_uri()}}}}
    description = {
        "openapi": "3.1.0",
        "info": {"title": "elsewhere", "version": "1"},
        "paths": {
            "/x": {"post": {"operationId": "x", "requestBody": body, "responses": {"200": {"description": "ok"}}}}
        },
    }
    path = tmp_path / "hostile.yaml"
    path.write_text(yaml.safe_dump(description), encoding="utf-8")
    pointer = join(["paths", "/x", "post", "requestBody", "content", "application/json", "schema"])
    with pytest.raises(SpecError, match="refused: a URL"):
        load_spec(path)  # the reference policy refuses it when the file is loaded...
    # ...and a description that bypassed it (built from data) still reads nothing
    assert fast_checker(Spec.from_data(description, str(path)), pointer) is None
