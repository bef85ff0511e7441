"""What every lint check gets: the description and where its companion files are."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..spec import Spec, openapi_dir


@dataclass(frozen=True)
class LintContext:
    spec: Spec
    inventory: Path | None
    decisions: Path | None
    extensions_doc: Path | None
    rules_schema: Path
    spectral_ruleset: Path
    redocly_config: Path

    @classmethod
    def for_spec(cls, spec: Spec, inventory: Path | None = None) -> LintContext:
        """Companion files next to the description win; the project's own fill the gaps.

        The inventory and the decision log are only used when they sit next to the
        description (or are named): they describe one particular description.
        """
        here = spec.path.resolve().parent
        bundled = openapi_dir()

        def companion(name: str) -> Path:
            local = here / name
            return local if local.is_file() else bundled / name

        if inventory is None and (here / "inventory.yaml").is_file():
            inventory = here / "inventory.yaml"
        decisions = here / "DECISIONS.md"
        extensions_doc = here / "extensions.md"
        return cls(
            spec=spec,
            inventory=inventory,
            decisions=decisions if decisions.is_file() else None,
            extensions_doc=extensions_doc if extensions_doc.is_file() else None,
            rules_schema=companion("x-u4b-rules.schema.yaml"),
            spectral_ruleset=companion("spectral.yaml"),
            redocly_config=companion("redocly.yaml"),
        )
