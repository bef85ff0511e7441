"""What every lint check gets: the description and where its companion files are."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..spec import Spec, SpecError, openapi_dir, parse, read_text


@dataclass(frozen=True)
class LintContext:
    spec: Spec
    inventory: Path | None
    decisions: Path | None
    extensions_doc: Path | None
    rules_schema: Path
    #: The Spectral ruleset and Redocly configuration to run: one beside the description, the
    #: project's (asked for with ``project_rules``), or None for the tools' generic sets
    #: (``spectral:oas``, Redocly's ``recommended``).
    spectral_ruleset: Path | None
    redocly_config: Path | None
    #: Companion texts already read (and checked) while the context was built, by path.
    texts: dict[Path, str] = field(default_factory=dict, compare=False, repr=False)

    def text(self, path: Path) -> str:
        """A companion file's text: read once, bounded like every file the tools read."""
        if path not in self.texts:
            self.texts[path] = read_text(path)
        return self.texts[path]

    def data(self, path: Path) -> Any:
        """A YAML companion's data, parsed bounded (aliases, nesting)."""
        return parse(self.text(path), str(path))

    @property
    def project_rulesets(self) -> bool:
        """Whether a project's rulesets run (rather than the tools' generic ones only)."""
        return self.spectral_ruleset is not None or self.redocly_config is not None

    @classmethod
    def for_spec(cls, spec: Spec, inventory: Path | None = None, *, project_rules: bool = False) -> LintContext:
        """Companion files next to the description win.

        The inventory, the decision log and extensions.md are only used when they sit next to
        the description (or are named): they describe one particular description. A Spectral
        ruleset or Redocly configuration is the one beside the description, else this
        project's when ``project_rules`` asks for it, else none: another API gets the tools'
        generic rules only, never this project's conventions.
        """
        here = spec.path.resolve().parent
        bundled = openapi_dir()

        texts: dict[Path, str] = {}

        def companion(name: str) -> Path:
            local = here / name
            return local if _beside(spec, local, texts) else bundled / name

        def ruleset(name: str) -> Path | None:
            local = here / name
            if _beside(spec, local, texts):
                return local
            return bundled / name if project_rules else None

        if inventory is None and _beside(spec, here / "inventory.yaml", texts):
            inventory = here / "inventory.yaml"
        decisions = here / "DECISIONS.md"
        extensions_doc = here / "extensions.md"
        return cls(
            spec=spec,
            inventory=inventory,
            decisions=decisions if _beside(spec, decisions, texts) else None,
            extensions_doc=extensions_doc if _beside(spec, extensions_doc, texts) else None,
            rules_schema=companion("x-u4b-rules.schema.yaml"),
            spectral_ruleset=ruleset("spectral.yaml"),
            redocly_config=ruleset("redocly.yaml"),
            texts=texts,
        )


def _beside(spec: Spec, path: Path, texts: dict[Path, str]) -> bool:
    """Whether a companion file is there; one that is must be read as the description is
    (under its reference root, a regular file within the size cap, UTF-8, YAML bounded), or
    the run stops with a one-line SpecError: a pull request controls the folder. Its text is
    kept in ``texts`` for the checks."""
    if not (path.exists() or path.is_symlink()):
        return False
    reason = spec.refs.why_not(path) if spec.refs is not None else None
    if reason is not None:
        raise SpecError(f"companion file refused: {reason}", path=str(path))
    text = texts[path] = read_text(path)
    if path.suffix in (".yaml", ".yml"):
        data = parse(text, str(path))
        if path.name in NODE_CONFIGS:
            _built_in_only(data, path)
    return True


#: The Node linters' configuration files: a description's folder may hold its own.
NODE_CONFIGS = ("spectral.yaml", "redocly.yaml")
#: Keys with which a ruleset or config loads JavaScript.
CODE_KEYS = ("functions", "functionsDir", "plugins")
#: ``extends`` may name the tools' own rulesets (``spectral:oas``, ``recommended-strict``).
BUILT_IN = re.compile(r"(spectral:)?[a-z][a-z-]*")


def _strings(node: Any) -> list[str]:
    if isinstance(node, str):
        return [node]
    if isinstance(node, list):
        return [text for item in node for text in _strings(item)]
    return []


def _built_in_only(data: Any, path: Path) -> None:
    """A Spectral ruleset or Redocly config beside a description may extend only the tools'
    built-in rulesets and load no code: anything else would make the linter fetch a URL, read
    another file or run the pull request's JavaScript."""
    if not isinstance(data, dict):
        return
    for key in CODE_KEYS:
        if key in data:
            raise SpecError(f"companion file refused: {key!r} would load code", path=str(path))
    for name in _strings(data.get("extends")):
        if not BUILT_IN.fullmatch(name):
            raise SpecError(
                f"companion file refused: extends {name!r} (only the tools' built-in rulesets)", path=str(path)
            )
