from __future__ import annotations

from u4b_vouchers.spec import SchemaValidator, Spec, iter_examples


def test_every_example_validates(spec: Spec, validator: SchemaValidator) -> None:
    examples = list(iter_examples(spec))
    assert len(examples) >= 25
    invalid = {e.pointer: [err.message for err in validator.errors(e.schema_pointer, e.value)] for e in examples}
    assert {k: v for k, v in invalid.items() if v} == {}


def test_every_request_and_response_body_has_an_example(spec: Spec) -> None:
    covered = {e.schema_pointer.rsplit("/schema", 1)[0] for e in iter_examples(spec)}
    missing = []
    for op in spec.operations():
        body = op.raw.get("requestBody")
        if body:
            for media in body["content"]:
                pointer = f"{op.pointer}/requestBody/content/{media.replace('/', '~1')}"
                if pointer not in covered:
                    missing.append(pointer)
        for status, response in op.raw["responses"].items():
            if "$ref" in response:
                name = response["$ref"].rsplit("/", 1)[-1]
                resolved = spec.deref(response)
                prefix = f"#/components/responses/{name}"
            else:
                resolved, prefix = response, f"{op.pointer}/responses/{status}"
            for media in resolved.get("content", {}):
                pointer = f"{prefix}/content/{media.replace('/', '~1')}"
                if pointer not in covered:
                    missing.append(pointer)
    assert missing == []


def test_a_broken_example_is_caught(spec: Spec, validator: SchemaValidator) -> None:
    """The validator really checks: the documented guest list with a seventh status fails."""
    example = next(
        e for e in iter_examples(spec) if e.pointer.endswith("/examples/documented/value") and "guests" in e.pointer
    )
    broken = {"guests": [{"voucher": {"voucher_status": "VOUCHER_LOST"}}]}
    assert validator.is_valid(example.schema_pointer, example.value)
    assert not validator.is_valid(example.schema_pointer, broken)
