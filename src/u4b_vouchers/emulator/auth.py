"""OAuth 2.0 as the vendor runs it (related-facts.md, OAuth 2.0 tokens), and who may call what.

The token endpoint issues client-credentials, authorization-code and refresh-token grants for
the clients in the seed. Which token may call which operation is read from the spec's
``security`` requirements, so the two cannot drift apart.
"""

from __future__ import annotations

import secrets
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from ..spec import Spec
from . import repository as repo
from .catalogue import PROGRAM_NOT_FOUND, UNAUTHORIZED, USER_NOT_ALLOWED, ApiError, OAuthError
from .clock import Clock
from .db import Database
from .readings import HIDE_AS_404, Readings, outcome_value
from .rulebook import RuleBook
from .settings import Settings

FLOW_GRANTS = {"clientCredentials": "client_credentials", "authorizationCode": "authorization_code"}
#: The ``identity`` words of the auth rules for each grant.
GRANT_IDENTITIES = {"client_credentials": "client-credentials", "authorization_code": "authorization-code"}
HOUR_MS = 3_600_000
PRINCIPALS_CACHED = 10_000
TOKEN_REQUIRED = "AUTH-TOKEN-REQUIRED"
NO_API_ACCESS = "AUTH-NO-API-ACCESS"
THIRD_PARTY = "AUTH-THIRD-PARTY-NOT-AUTHORIZED"
ISOLATION = "AUTH-ORGANIZATION-ISOLATION"


@dataclass(frozen=True)
class Principal:
    """The caller a valid access token stands for."""

    client_id: str
    grant: str
    scopes: frozenset[str]
    org_id: str | None
    user_id: str | None
    third_party: bool


class AccessPolicy:
    """Per operation: the (grant, scopes) alternatives its ``security`` allows."""

    def __init__(self, spec: Spec):
        schemes = (spec.data.get("components") or {}).get("securitySchemes") or {}
        grant_of = {}
        for name, scheme in schemes.items():
            flows = list((scheme.get("flows") or {}).keys())
            grant_of[name] = FLOW_GRANTS.get(flows[0]) if len(flows) == 1 else None
        default = spec.data.get("security") or []
        self.alternatives: dict[str, list[tuple[str | None, frozenset[str]]]] = {}
        for op in spec.operations():
            requirements = op.raw.get("security", default)
            self.alternatives[op.operation_id] = [
                (grant_of.get(name), frozenset(scopes))
                for requirement in requirements
                for name, scopes in requirement.items()
            ]

    def refusal(self, operation_id: str, principal: Principal) -> str | None:
        """None when an alternative allows ``principal``; else ``"grant"`` when no alternative
        takes its grant at all, or ``"scopes"``."""
        alternatives = self.alternatives.get(operation_id, [])
        if any((g is None or g == principal.grant) and s <= principal.scopes for g, s in alternatives):
            return None
        return "scopes" if any(g is None or g == principal.grant for g, _ in alternatives) else "grant"


class AccessControl:
    """Authentication (the bearer token) and authorization (the spec's ``security`` and the
    auth rules of ``x-u4b-rules``) of the vendor's four operations."""

    def __init__(self, spec: Spec, rules: RuleBook, db: Database, clock: Clock):
        self.db = db
        self.clock = clock
        self.rules = rules
        self.policy = AccessPolicy(spec)
        #: Access token → (its caller, when it expires): tokens never change once issued, and
        #: the token endpoint and seeds drop the ones they revoke (:meth:`forget`).
        self._principals: dict[str, tuple[Principal, int | None]] = {}
        #: Per operation and grant: the auth rule refusing that grant there (D-036).
        self._grant_rules: dict[tuple[str, str], str] = {}
        for op in spec.operations():
            for rule in rules.for_operation(op.operation_id, ("auth",)):
                if rule.params.get("outcome") == "rejected":
                    for grant, identity in GRANT_IDENTITIES.items():
                        if rule.params.get("identity") == identity:
                            self._grant_rules[(op.operation_id, grant)] = rule.id

    def _refuse(self, rule_id: str, operation_id: str, readings: Readings | None) -> ApiError:
        """The refusal ``rule_id`` documents, as the readings choose it, among the statuses
        ``operation_id`` documents (an operation without 404 never answers 404)."""
        rule = self.rules.by_id[rule_id]
        catalogue = self.rules.catalogue
        chosen = readings[rule_id] if readings is not None and rule_id in readings.known else None
        if chosen == HIDE_AS_404 or (chosen is None and rule_id == ISOLATION):
            status, code = PROGRAM_NOT_FOUND if catalogue.documents(operation_id, 404) else USER_NOT_ALLOWED
        else:
            outcome = next((o for o in rule.violation if chosen is None or outcome_value(o) == chosen), None)
            outcome = catalogue.documented_outcome(rule, operation_id, outcome)
            if outcome is None or not isinstance(outcome.status, int):
                status, code = USER_NOT_ALLOWED
            else:
                status, code = outcome.status, outcome.code or USER_NOT_ALLOWED[1]
        return ApiError(status, code, catalogue.message(status, code), rule=rule_id)

    def authenticate(self, conn: sqlite3.Connection, authorization: str | None) -> Principal:
        """The caller behind an ``Authorization`` header; 401 when missing or not valid."""
        if not authorization or not authorization.strip():
            raise self.rules.catalogue.error(UNAUTHORIZED, rule=TOKEN_REQUIRED)
        scheme, _, token = authorization.strip().partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise ApiError(*UNAUTHORIZED, "Authorization must be a Bearer token.", rule=TOKEN_REQUIRED)
        token = token.strip()
        cached = self._principals.get(token)
        if cached is None:
            record = repo.get_token(conn, token)
            if record is None or record["kind"] != "access":
                raise ApiError(*UNAUTHORIZED, "The access token is invalid or has expired.", rule=TOKEN_REQUIRED)
            principal = Principal(
                client_id=record["client_id"],
                grant=record["grant"],
                scopes=frozenset(record["scopes"]),
                org_id=record.get("org_id"),
                user_id=record.get("user_id"),
                third_party=bool(record.get("third_party")),
            )
            if len(self._principals) >= PRINCIPALS_CACHED:
                self._principals.clear()
            cached = self._principals[token] = (principal, record.get("expires_at"))
        principal, expires = cached
        if expires is not None and expires <= self.clock.now_ms():
            raise ApiError(*UNAUTHORIZED, "The access token is invalid or has expired.", rule=TOKEN_REQUIRED)
        return principal

    def forget(self, token: str | None = None) -> None:
        """Drop a revoked token (or, with None, every token) from the cache of callers."""
        if token is None:
            self._principals.clear()
        else:
            self._principals.pop(token, None)

    def authorize(
        self,
        conn: sqlite3.Connection,
        principal: Principal,
        operation_id: str,
        org_id: str,
        *,
        ignored: frozenset[str] = frozenset(),
        readings: Readings | None = None,
    ) -> None:
        """Refuse a token without the operation's grant or scopes, an unapproved 3P app, and
        another organization's caller, each with its rule's documented outcome."""
        reason = self.policy.refusal(operation_id, principal)
        if reason is not None:
            rule_id = NO_API_ACCESS
            if reason == "grant":
                rule_id = self._grant_rules.get((operation_id, principal.grant), NO_API_ACCESS)
            if rule_id not in ignored:
                raise self._refuse(rule_id, operation_id, readings)
        if principal.third_party:
            org = repo.get(conn, "organizations", org_id)
            approved = org is not None and principal.client_id in org.get("authorized_apps", [])
            if not approved and THIRD_PARTY not in ignored:
                raise self._refuse(THIRD_PARTY, operation_id, readings)
            return
        if principal.org_id != org_id and ISOLATION not in ignored:
            raise self._refuse(ISOLATION, operation_id, readings)


class OAuthServer:
    """The token and authorization endpoints (related-facts.md, OAuth 2.0 tokens)."""

    def __init__(self, db: Database, clock: Clock, settings: Settings, revoked: Callable[[str], None] | None = None):
        self.db = db
        self.clock = clock
        self.settings = settings
        #: Told of every token the server deletes (the callers' cache forgets it).
        self.revoked = revoked or (lambda token: None)

    # -------------------------------------------------------------- token endpoint

    def _client(self, conn: sqlite3.Connection, form: dict[str, str]) -> dict[str, Any]:
        client = repo.get(conn, "clients", form.get("client_id", ""))
        if client is None or not secrets.compare_digest(
            str(client["secret"]).encode(), form.get("client_secret", "").encode()
        ):
            raise OAuthError(401, "invalid_client", "Unknown client or wrong client secret.")
        return client

    def _scopes(self, client: dict[str, Any], requested: str | None) -> list[str]:
        allowed = list(client.get("scopes", []))
        if not requested:
            return allowed
        wanted = requested.split()
        unknown = [s for s in wanted if s not in allowed]
        if unknown:
            raise OAuthError(400, "invalid_scope", f"Scope not allowed for this client: {' '.join(unknown)}")
        return wanted

    def _issue(
        self,
        conn: sqlite3.Connection,
        client: dict[str, Any],
        grant: str,
        scopes: list[str],
        user: dict[str, Any] | None,
    ) -> dict[str, Any]:
        now = self.clock.now_ms()
        if grant == "client_credentials":
            # The vendor allows 100 client-credentials tokens an hour; the 101st
            # invalidates the oldest (related-facts.md, OAuth 2.0 tokens).
            recent = list(repo.client_tokens_since(conn, client["id"], "access", now - HOUR_MS))
            for stale in recent[: max(0, len(recent) - self.settings.client_credentials_tokens_per_hour + 1)]:
                repo.delete_token(conn, stale)
                self.revoked(stale)
        token = secrets.token_urlsafe(32)
        ttl = self.settings.token_ttl_seconds
        data = {
            "client_id": client["id"],
            "grant": grant,
            "scopes": scopes,
            "org_id": None if client.get("third_party") else (user or {}).get("org_id", client.get("org_id")),
            "user_id": (user or {}).get("id", client.get("service_user_id")),
            "third_party": bool(client.get("third_party")),
            "expires_at": now + ttl * 1000,
        }
        repo.put_token(conn, token, "access", now, data)
        body: dict[str, Any] = {
            "access_token": token,
            "token_type": "Bearer",
            "expires_in": ttl,
            "scope": " ".join(scopes),
        }
        if grant == "authorization_code":
            refresh = secrets.token_urlsafe(32)
            repo.put_token(conn, refresh, "refresh", now, {**data, "expires_at": None})
            body["refresh_token"] = refresh
        return body

    def token(self, form: dict[str, str]) -> dict[str, Any]:
        grant = form.get("grant_type", "")
        if not grant:
            raise OAuthError(400, "invalid_request", "grant_type is required.")
        if grant not in ("client_credentials", "authorization_code", "refresh_token"):
            raise OAuthError(400, "unsupported_grant_type", f"Unsupported grant_type {grant!r}.")
        with self.db.transaction() as conn:
            client = self._client(conn, form)
            allowed_grants = client.get("grants", ["client_credentials"])
            if grant not in allowed_grants and not (
                grant == "refresh_token" and "authorization_code" in allowed_grants
            ):
                raise OAuthError(400, "unauthorized_client", f"This client may not use {grant}.")
            if grant == "client_credentials":
                return self._issue(conn, client, grant, self._scopes(client, form.get("scope")), None)
            if grant == "authorization_code":
                code = repo.get_token(conn, form.get("code", ""))
                if (
                    code is None
                    or code["kind"] != "code"
                    or code["client_id"] != client["id"]
                    or code["expires_at"] <= self.clock.now_ms()
                ):
                    raise OAuthError(400, "invalid_grant", "The authorization code is invalid, used or expired.")
                if code.get("redirect_uri") and form.get("redirect_uri") != code["redirect_uri"]:
                    raise OAuthError(
                        400,
                        "invalid_grant",
                        "redirect_uri does not match the authorization request.",
                    )
                repo.delete_token(conn, form["code"])  # single use
                user = repo.get(conn, "users", code["user_id"])
                return self._issue(conn, client, grant, code["scopes"], user)
            refresh = repo.get_token(conn, form.get("refresh_token", ""))
            if refresh is None or refresh["kind"] != "refresh" or refresh["client_id"] != client["id"]:
                raise OAuthError(400, "invalid_grant", "The refresh token is invalid.")
            user = repo.get(conn, "users", refresh.get("user_id") or "")
            return self._issue(conn, client, "authorization_code", refresh["scopes"], user)

    def authorize(self, params: dict[str, str]) -> str:
        """Consent on the user's behalf (the emulator has no login page) and return the
        redirect URL carrying a one-time authorization code."""
        if params.get("response_type") != "code":
            raise OAuthError(400, "unsupported_response_type", "response_type must be code.")
        with self.db.transaction() as conn:
            client = repo.get(conn, "clients", params.get("client_id", ""))
            if client is None or "authorization_code" not in client.get("grants", []):
                raise OAuthError(
                    400,
                    "unauthorized_client",
                    "Unknown client, or it may not use authorization_code.",
                )
            redirect = params.get("redirect_uri") or (client.get("redirect_uris") or [""])[0]
            if redirect not in client.get("redirect_uris", []):
                raise OAuthError(400, "invalid_request", "redirect_uri is not registered for this client.")
            scopes = self._scopes(client, params.get("scope"))
            users = [u for u in repo.all_of(conn, "users") if u["org_id"] == client.get("org_id")]
            hint = params.get("login_hint")
            chosen = [u for u in users if hint in (u["id"], u.get("email"))] if hint else users[:1]
            if not chosen:
                raise OAuthError(400, "invalid_request", "No such user in the client's organization.")
            code = secrets.token_urlsafe(24)
            now = self.clock.now_ms()
            repo.put_token(
                conn,
                code,
                "code",
                now,
                {
                    "client_id": client["id"],
                    "user_id": chosen[0]["id"],
                    "scopes": scopes,
                    "redirect_uri": params.get("redirect_uri"),
                    "expires_at": now + 10 * 60 * 1000,
                },
            )
        query = {"code": code, **({"state": params["state"]} if "state" in params else {})}
        return f"{redirect}{'&' if '?' in redirect else '?'}{urlencode(query)}"
