"""Where a changed schema sits, for the schema checks: a request or response body, or a property
under one (at any depth), with the rule-id prefix oasdiff uses for that place and the name it
gives the property in messages."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from .tree import DocDiff, OperationDiff, SchemaDiff
from .walk import Body, bodies, properties


@dataclass(frozen=True)
class Position:
    body: Body
    schema: SchemaDiff
    name: str  # "" for the body itself
    location: str
    #: The schema holding this one and this one's property name there ("" for items, members...).
    parent: SchemaDiff | None = None
    own_name: str = ""

    @property
    def op(self) -> OperationDiff:
        return self.body.op

    @property
    def side(self) -> str:
        return self.body.side

    @property
    def is_body(self) -> bool:
        return not self.name

    @property
    def prefix(self) -> str:
        """``request-body``, ``request-property``, ``response-body`` or ``response-property``."""
        return f"{self.side}-{'body' if self.is_body else 'property'}"

    @property
    def base(self) -> dict[str, Any]:
        return self.schema.base or {}

    @property
    def revision(self) -> dict[str, Any]:
        return self.schema.revision or {}

    def described(self) -> str:
        where = self.body.where
        return f"{where}: {self.name}" if self.name else where

    def read_only(self) -> bool:
        return self.revision.get("readOnly") is True

    def write_only(self) -> bool:
        return self.revision.get("writeOnly") is True


def positions(d: DocDiff, side: str | None = None) -> Iterator[Position]:
    """Every changed body schema, then every changed schema under it (walked once per tree)."""
    found: list[Position] | None = d.cache.get("positions")
    if found is None:
        found = []
        for body in bodies(d):
            found.append(Position(body, body.schema, "", body.location))
            for prop in properties(body.schema, body.location):
                found.append(Position(body, prop.schema, prop.full_name, prop.location, prop.parent, prop.name))
        d.cache["positions"] = found
    return (pos for pos in found if side is None or pos.side == side)
