"""A small OpenAPI 3.1 description of another API, for the lint tests: names that look like
extensions (a header ``x-next``, a property ``x-foo``, an example's keys) and one real
extension (``x-rate-limit`` on the operation), one example that breaks its schema (the
``x-foo: three`` below), and no contact in its info (a Spectral warning)."""

from __future__ import annotations

from pathlib import Path

OTHER_API = """\
openapi: 3.1.0
info:
  title: Pets
  version: '1'
  description: Pets for everyone.
  license: {name: MIT, identifier: MIT}
servers:
  - url: https://api.pets.test
security: []
tags:
  - name: pets
    description: Pets.
paths:
  /pets:
    get:
      operationId: listPets
      summary: List pets
      description: Every pet.
      tags: [pets]
      x-rate-limit: 10
      responses:
        '200':
          description: A page of pets.
          headers:
            x-next:
              description: The next page.
              schema: {type: string}
          content:
            application/json:
              schema:
                type: object
                properties:
                  x-foo: {type: integer}
              example: {x-foo: three}
        '400':
          description: Bad request.
"""

#: The line of each place the tests look at.
LINE_OF_EXTENSION = OTHER_API.splitlines().index("      x-rate-limit: 10") + 1
LINE_OF_BAD_EXAMPLE = OTHER_API.splitlines().index("              example: {x-foo: three}") + 1
BAD_EXAMPLE = "#/paths/~1pets/get/responses/200/content/application~1json/example/x-foo"
PROJECT_CHECKS = ("rules", "decisions", "extensions", "inventory")


def write_other_api(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "my-api.yaml"
    path.write_text(OTHER_API, encoding="utf-8")
    return path
