"""The one spec adjustment a generator needs (README, "Clients in other languages").

openapi-typescript turns an object schema with ``properties`` and an ``anyOf`` of
required-only branches ("email or mobile number") into a union with ``unknown``, which erases
the type. The same rule written as ``allOf: [object, anyOf: [branches that name the property]]``
becomes ``Object & ({email_address: ...} | {mobile_number: ...})``, exactly the rule. This
rewrites every such schema; the canonical description stays as it is.

Usage: adjust_for_openapi_typescript.py IN.yaml OUT.yaml
"""

from __future__ import annotations

import sys
from typing import Any

import yaml


def adjust(node: Any) -> Any:
    if isinstance(node, list):
        return [adjust(item) for item in node]
    if not isinstance(node, dict):
        return node
    node = {key: adjust(value) for key, value in node.items()}
    branches = node.get("anyOf")
    properties = node.get("properties", {})
    if (
        isinstance(branches, list)
        and properties
        and all(isinstance(b, dict) and set(b) == {"required"} for b in branches)
    ):
        base = {key: value for key, value in node.items() if key != "anyOf"}
        named = [
            {"required": b["required"], "properties": {name: properties[name] for name in b["required"]}}
            for b in branches
        ]
        return {"allOf": [base, {"anyOf": named}]}
    return node


def main() -> None:
    source, target = sys.argv[1:3]
    with open(source, encoding="utf-8") as handle:
        document = yaml.safe_load(handle)
    with open(target, "w", encoding="utf-8") as handle:
        yaml.safe_dump(adjust(document), handle, sort_keys=False, allow_unicode=True)


if __name__ == "__main__":
    main()
