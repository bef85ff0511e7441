"""When the project-specific checks apply: a description written to this project's conventions.

Another API gets the generic checks only; each project check it does not meet is *skipped*,
with the reason, rather than reported as passing. A description is held to a convention when
it brings the companion file the convention lives in (``DECISIONS.md``, ``extensions.md``,
``inventory.yaml`` next to it) or uses the convention itself (``x-u4b-rules``, a ``D-nnn``
citation, an ``x-u4b-`` extension): then a missing companion is a finding, not a skip.
"""

from __future__ import annotations

from ..spec import RULES_KEY, SpecError
from .context import LintContext
from .extensions import PROJECT_PREFIX, extension_uses
from .registry import requirement
from .rules import DECISION_REF


def _next_to(ctx: LintContext, name: str) -> str:
    return f"no {name} next to {ctx.spec.path.name}"


@requirement("rules")
def _has_rules(ctx: LintContext) -> str | None:
    return None if RULES_KEY in ctx.spec.data else f"no {RULES_KEY} in {ctx.spec.path.name}"


@requirement("decisions")
def _has_decision_log(ctx: LintContext) -> str | None:
    if ctx.decisions is not None or DECISION_REF.search(ctx.text(ctx.spec.path)):
        return None
    return _next_to(ctx, "DECISIONS.md")


@requirement("extensions")
def _has_extensions_doc(ctx: LintContext) -> str | None:
    if ctx.extensions_doc is not None:
        return None
    if any(use.key.startswith(PROJECT_PREFIX) for use in extension_uses(ctx.spec.data)):
        return None
    return _next_to(ctx, "extensions.md")


@requirement("inventory")
def _has_inventory(ctx: LintContext) -> str | None:
    if ctx.inventory is None:
        return _next_to(ctx, "inventory.yaml") + " (--inventory FILE names one)"
    try:
        data = ctx.data(ctx.inventory)
    except SpecError:
        return None  # the check reports an inventory it cannot read
    describes = data.get("describes") if isinstance(data, dict) else None
    if describes and describes != ctx.spec.path.name:
        return f"{ctx.inventory.name} describes {describes}, not {ctx.spec.path.name}"
    return None
