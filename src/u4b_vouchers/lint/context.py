"""What every lint check gets: the description and where its companion files are."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..spec import Spec, SpecError, load_document, openapi_dir, read_text


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
            return local if _beside(spec, local) else bundled / name

        if inventory is None and _beside(spec, here / "inventory.yaml"):
            inventory = here / "inventory.yaml"
        decisions = here / "DECISIONS.md"
        extensions_doc = here / "extensions.md"
        return cls(
            spec=spec,
            inventory=inventory,
            decisions=decisions if _beside(spec, decisions) else None,
            extensions_doc=extensions_doc if _beside(spec, extensions_doc) else None,
            rules_schema=companion("x-u4b-rules.schema.yaml"),
            spectral_ruleset=companion("spectral.yaml"),
            redocly_config=companion("redocly.yaml"),
        )


def _beside(spec: Spec, path: Path) -> bool:
    """Whether a companion file is there; one that is must be read as the description is
    (under its reference root, a regular file within the size cap, UTF-8, YAML bounded), or
    the run stops with a one-line SpecError: a pull request controls the folder."""
    if not (path.exists() or path.is_symlink()):
        return False
    reason = spec.refs.why_not(path) if spec.refs is not None else None
    if reason is not None:
        raise SpecError(f"companion file refused: {reason}", path=str(path))
    if path.suffix in (".yaml", ".yml"):
        load_document(path)
    else:
        read_text(path)
    return True
