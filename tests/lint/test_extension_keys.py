"""``x-`` keys are extensions only where OpenAPI allows them: keys of OpenAPI objects, never
names in a map of names nor anything inside a value."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from tests.lint.other_api import LINE_OF_EXTENSION, write_other_api
from u4b_vouchers.lint import run_lint
from u4b_vouchers.lint.extensions import extension_uses
from u4b_vouchers.spec import load_spec, openapi_dir

NAMES_THAT_LOOK_LIKE_EXTENSIONS = """
openapi: 3.0.3
info: {title: T, version: '1', x-logo: {url: logo.png, x-inner: 1}}
x-root: true
paths:
  x-paths-note: a note on the paths object
  /things/{x-id}:
    x-path-item: 1
    parameters:
      - {name: x-id, in: path, required: true, schema: {type: string}, x-parameter: 1}
    post:
      x-operation: 1
      requestBody:
        content:
          x-custom/json:
            schema: {$ref: '#/components/schemas/x-thing'}
            examples:
              x-sample: {value: {x-key: 1}, x-example-object: 1}
            encoding:
              x-field: {headers: {x-encoded: {schema: {type: string}}}}
      callbacks:
        x-callback-name:
          '{$request.body#/url}':
            post: {responses: {'200': {description: ok}}, x-in-callback: 1}
      responses:
        x-responses-note: 1
        '200':
          description: ok
          x-response: 1
          headers:
            x-next: {schema: {type: string}, x-header: 1}
          links:
            x-link: {operationId: getThing, parameters: {x-param: $response.body#/id}}
components:
  schemas:
    x-thing:
      type: object
      x-schema: 1
      default: {x-default-key: 1}
      enum: [{x-enum-key: 1}]
      example: {x-example-key: 1}
      properties:
        x-foo: {type: integer, x-property-schema: 1}
      patternProperties:
        '^x-': {type: string}
      allOf:
        - {properties: {x-bar: {type: string}}}
      discriminator: {propertyName: kind, mapping: {x-kind: '#/components/schemas/x-thing'}}
  securitySchemes:
    x-key: {type: apiKey, in: header, name: x-key, x-scheme: 1}
    oauth:
      type: oauth2
      flows:
        clientCredentials: {tokenUrl: /token, scopes: {x-scope: a scope}, x-flow: 1}
  examples:
    x-shared: {value: {x-shared-key: 1}}
security:
  - x-key: []
"""

#: The real extensions of the document above: every key a user chose is left out.
THING = "#/paths/~1things~1{x-id}"
REAL = [
    ("x-logo", "#/info/x-logo"),
    ("x-root", "#/x-root"),
    ("x-paths-note", "#/paths/x-paths-note"),
    ("x-path-item", f"{THING}/x-path-item"),
    ("x-parameter", f"{THING}/parameters/0/x-parameter"),
    ("x-operation", f"{THING}/post/x-operation"),
    (
        "x-example-object",
        f"{THING}/post/requestBody/content/x-custom~1json/examples/x-sample/x-example-object",
    ),
    (
        "x-in-callback",
        THING + "/post/callbacks/x-callback-name/{$request.body#~1url}/post/x-in-callback",
    ),
    ("x-responses-note", f"{THING}/post/responses/x-responses-note"),
    ("x-response", f"{THING}/post/responses/200/x-response"),
    ("x-header", f"{THING}/post/responses/200/headers/x-next/x-header"),
    ("x-schema", "#/components/schemas/x-thing/x-schema"),
    ("x-property-schema", "#/components/schemas/x-thing/properties/x-foo/x-property-schema"),
    ("x-scheme", "#/components/securitySchemes/x-key/x-scheme"),
    ("x-flow", "#/components/securitySchemes/oauth/flows/clientCredentials/x-flow"),
]


def test_only_keys_of_openapi_objects_are_extensions() -> None:
    uses = extension_uses(yaml.safe_load(NAMES_THAT_LOOK_LIKE_EXTENSIONS))
    assert sorted((u.key, u.pointer) for u in uses) == sorted(REAL)


def test_the_project_description_uses_the_extensions_it_documents() -> None:
    data: Any = yaml.safe_load((openapi_dir() / "vouchers.yaml").read_text(encoding="utf-8"))
    keys = {use.key for use in extension_uses(data)}
    assert "x-u4b-rules" in keys
    assert all(key.startswith("x-u4b-") for key in keys), keys


def test_another_api_with_an_extensions_doc_names_the_real_extension_and_its_line(tmp_path: Path) -> None:
    """The header ``x-next`` and the property ``x-foo`` are names; ``x-rate-limit`` on the
    operation is the one extension, reported with its key and line."""
    path = write_other_api(tmp_path)
    (tmp_path / "extensions.md").write_text("# Extensions\n\n## `x-other`\n\nSomething else.\n", encoding="utf-8")
    (finding,) = run_lint(load_spec(path), only=["extensions"])
    assert (finding.rule, finding.pointer, finding.line) == (
        "undocumented-extension",
        "#/paths/~1pets/get/x-rate-limit",
        LINE_OF_EXTENSION,
    )
    assert finding.message.startswith("x-rate-limit is not documented")


def test_a_project_extension_without_its_doc_is_named_with_its_line(tmp_path: Path) -> None:
    path = write_other_api(tmp_path)
    path.write_text(path.read_text().replace("x-rate-limit", "x-u4b-owner"), encoding="utf-8")
    (finding,) = run_lint(load_spec(path), only=["extensions"])
    assert finding.rule == "no-extensions-doc"
    assert "x-u4b-owner" in finding.message
    assert finding.line == LINE_OF_EXTENSION
