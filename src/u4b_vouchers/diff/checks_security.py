"""Checks on security: what an operation (or the whole API) asks of a caller, and the security
schemes of the components.

As OpenAPI defines it, a security requirement object is a conjunction (every scheme it names
is needed together) and the list is a disjunction (any one requirement suffices): requirements
are matched by the set of schemes they name, and scopes compared per scheme within one.
"""

from __future__ import annotations

from typing import Any

from .registry import Report, check
from .tree import DocDiff, escape

Requirement = frozenset[str]


def _requirements(value: Any) -> dict[Requirement, dict[str, frozenset[str]]]:
    found: dict[Requirement, dict[str, frozenset[str]]] = {}
    for requirement in value if isinstance(value, list) else []:
        if isinstance(requirement, dict):
            scopes = {
                str(name): frozenset(str(s) for s in (needed if isinstance(needed, list) else []))
                for name, needed in requirement.items()
            }
            found[frozenset(scopes)] = scopes
    return found


def _shown(requirement: Requirement) -> str:
    return " AND ".join(sorted(requirement)) or "(no authentication)"


def _compare(out: Report, rule_prefix: str, operation: str, at: str, base: Any, rev: Any) -> None:
    b, r = _requirements(base), _requirements(rev)
    for requirement in r:
        if requirement not in b:
            out.add(f"{rule_prefix}-added", operation, at, f"security requirement {_shown(requirement)} added")
    for requirement in b:
        if requirement not in r:
            out.add(f"{rule_prefix}-removed", operation, at, f"security requirement {_shown(requirement)} removed")
    for requirement, b_scopes in b.items():
        r_scopes = r.get(requirement)
        if r_scopes is None:
            continue
        for scheme in sorted(requirement):
            for scope in sorted(r_scopes[scheme] - b_scopes[scheme]):
                out.add(f"{rule_prefix}-scope-added", operation, at, f"{scheme}: scope {scope} added")
            for scope in sorted(b_scopes[scheme] - r_scopes[scheme]):
                out.add(f"{rule_prefix}-scope-removed", operation, at, f"{scheme}: scope {scope} removed")


@check("api-security-added", "api-security-removed", "api-security-scope-added", "api-security-scope-removed")
def operation_security(d: DocDiff, out: Report) -> None:
    for op in d.operations.values():
        if "security" in op.base or "security" in op.revision:
            _compare(
                out,
                "api-security",
                op.label,
                f"{op.pointer}/security",
                op.base.get("security"),
                op.revision.get("security"),
            )


@check(
    "api-global-security-added",
    "api-global-security-removed",
    "api-global-security-scope-added",
    "api-global-security-scope-removed",
)
def global_security(d: DocDiff, out: Report) -> None:
    _compare(out, "api-global-security", "", "#/security", d.base.data.get("security"), d.revision.data.get("security"))


@check(
    "api-security-component-removed",
    "api-security-component-added",
    "api-security-component-type-changed",
    "api-security-component-oauth-url-changed",
    "api-security-component-oauth-token-url-changed",
    "api-security-component-oauth-scope-added",
    "api-security-component-oauth-scope-removed",
    "api-security-component-oauth-scope-changed",
    "api-security-component-scheme-changed",
)
def security_components(d: DocDiff, out: Report) -> None:
    base = (d.base.data.get("components") or {}).get("securitySchemes") or {}
    rev = (d.revision.data.get("components") or {}).get("securitySchemes") or {}
    for name in rev:
        if name not in base:
            out.add(
                "api-security-component-added",
                "",
                f"#/components/securitySchemes/{escape(name)}",
                f"security scheme {name} added",
            )
    for name in base:
        at = f"#/components/securitySchemes/{escape(name)}"
        if name not in rev:
            out.add("api-security-component-removed", "", at, f"security scheme {name} removed")
            continue
        b, r = d.base.resolve(base[name])[0], d.revision.resolve(rev[name])[0]
        b, r = (b if isinstance(b, dict) else {}), (r if isinstance(r, dict) else {})
        if b.get("type") != r.get("type"):
            out.add(
                "api-security-component-type-changed",
                "",
                f"{at}/type",
                f"security scheme {name}: type {b.get('type')!r} -> {r.get('type')!r}",
            )
        else:
            for field in ("in", "name", "scheme", "bearerFormat", "openIdConnectUrl"):
                before, after = b.get(field), r.get(field)
                if field == "scheme" and isinstance(before, str) and isinstance(after, str):
                    before, after = before.lower(), after.lower()  # HTTP auth schemes are case-insensitive
                if before != after:
                    out.add(
                        "api-security-component-scheme-changed",
                        "",
                        f"{at}/{field}",
                        f"security scheme {name}: {field} {b.get(field)!r} -> {r.get(field)!r}",
                    )
        b_flows, r_flows = b.get("flows") or {}, r.get("flows") or {}
        for flow in b_flows:
            if flow not in r_flows or not isinstance(b_flows[flow], dict) or not isinstance(r_flows[flow], dict):
                continue
            bf, rf = b_flows[flow], r_flows[flow]
            flow_at = f"{at}/flows/{flow}"
            for url, rule in (
                ("authorizationUrl", "api-security-component-oauth-url-changed"),
                ("tokenUrl", "api-security-component-oauth-token-url-changed"),
                ("refreshUrl", "api-security-component-oauth-url-changed"),
            ):
                if bf.get(url) != rf.get(url):
                    out.add(rule, "", f"{flow_at}/{url}", f"security scheme {name} {flow}: {url} changed")
            b_scopes, r_scopes = bf.get("scopes") or {}, rf.get("scopes") or {}
            for scope in r_scopes:
                if scope not in b_scopes:
                    out.add(
                        "api-security-component-oauth-scope-added",
                        "",
                        f"{flow_at}/scopes",
                        f"{name} {flow}: scope {scope} added",
                    )
            for scope in b_scopes:
                if scope not in r_scopes:
                    out.add(
                        "api-security-component-oauth-scope-removed",
                        "",
                        f"{flow_at}/scopes",
                        f"{name} {flow}: scope {scope} removed",
                    )
                elif b_scopes[scope] != r_scopes[scope]:
                    out.add(
                        "api-security-component-oauth-scope-changed",
                        "",
                        f"{flow_at}/scopes",
                        f"{name} {flow}: scope {scope} described differently",
                    )
