"""The domain: the four operations' rules and state changes, one method per operationId.

HTTP handlers parse requests and serialise results; everything that decides an outcome is here,
driven by the spec's schemas (:mod:`.validation`) and ``x-u4b-rules`` (:mod:`.rulebook`).
Each method runs in one database transaction, so concurrent calls never interleave.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import secrets
import sqlite3
import uuid
from typing import Any

from ..spec import Spec
from . import programs
from . import repository as repo
from .auth import OAuthServer, Principal
from .clock import Clock
from .db import Database
from .errors import ApiError, invalid_request, program_not_found
from .faultflags import FAULT_FLAGS
from .rulebook import RequestContext, RuleBook
from .settings import Settings
from .validation import RequestValidator

GENERATE = "generateVoucherCodes"
CREATE = "createIndividualVoucherProgram"
GUESTS = "getVoucherProgramGuestInfo"
UPDATE = "updateVoucherProgram"

QUOTA = 30_000
UPDATE_RULE_KINDS = (
    "program-state",
    "monotonic",
    "present-only",
    "code-scheme",
    "format",
    "field-order",
)
CREATE_RULE_KINDS = ("reference", "time-window", "field-order", "format")
GENERATE_RULE_KINDS = ("bound", "quota", "code-scheme", "conflict")


class Store:
    def __init__(self, spec: Spec, db: Database, clock: Clock, settings: Settings):
        self.db = db
        self.clock = clock
        self.settings = settings
        self.rules = RuleBook(spec)
        self.validator = RequestValidator(spec, self.rules.rules)
        #: Active fault flags (see faultflags.py); shared with the OAuth server and handlers.
        self.flags: set[str] = set()
        self.oauth = OAuthServer(db, clock, settings, spec, self.flags)
        #: Rule ids the store does not enforce, set through the control plane.
        self.disabled_rules: set[str] = set()

    # ------------------------------------------------------------------ helpers

    def _program(self, conn: sqlite3.Connection, org_id: str, program_id: str) -> tuple[int, dict[str, Any]]:
        found = repo.get_program(conn, program_id)
        leak = "leak-other-organizations" in self.flags
        if found is None or (found[1]["org_id"] != org_id and not leak):
            raise program_not_found()
        return found

    @property
    def ignored_rules(self) -> frozenset[str]:
        """Rules not enforced: disabled ones and those a fault flag ignores."""
        flagged = {FAULT_FLAGS[name].ignores for name in self.flags if name in FAULT_FLAGS}
        if "accept-count-over-30000" in self.flags:
            flagged.add("GEN-TOTAL-CODES-MAX")
        return frozenset(self.disabled_rules | {rule for rule in flagged if rule})

    def _check(self, ctx: RequestContext, kinds: tuple[str, ...]) -> None:
        self.rules.check(ctx, kinds, disabled=self.ignored_rules)

    def _page_secret(self, conn: sqlite3.Connection) -> bytes:
        secret = repo.get_meta(conn, "page_token_secret")
        if secret is None:
            secret = secrets.token_hex(32)
            repo.set_meta(conn, "page_token_secret", secret)
        return bytes.fromhex(secret)

    def _page_token(self, conn: sqlite3.Connection, program_id: str, after_seq: int) -> str:
        payload = base64.urlsafe_b64encode(f"{program_id}|{after_seq}".encode()).decode().rstrip("=")
        signature = hmac.new(self._page_secret(conn), payload.encode(), hashlib.sha256).hexdigest()[:24]
        return f"{payload}.{signature}"

    def _after_seq(self, conn: sqlite3.Connection, program_id: str, token: str) -> int:
        """The position a page token continues from; 400 for any token this server did not issue."""
        if "paging-accepts-forged-tokens" in self.flags and "." not in token:
            return 0
        refused = ApiError(
            400,
            "invalid_request",
            "page_token is not valid for this program (GST-PAGE-TOKEN-VALID)",
            rule="GST-PAGE-TOKEN-VALID",
        )
        payload, _, signature = token.partition(".")
        expected = hmac.new(self._page_secret(conn), payload.encode(), hashlib.sha256).hexdigest()[:24]
        if not signature or not hmac.compare_digest(signature.encode(), expected.encode()):
            raise refused
        try:
            owner, _, seq = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)).decode().partition("|")
            after = int(seq)
        except (binascii.Error, UnicodeDecodeError, ValueError):
            raise refused from None
        if owner != program_id or after < 0:
            raise refused
        return after

    # ------------------------------------------------------------------ the four operations

    def generate_voucher_codes(
        self, principal: Principal, organization_id: str, voucher_program_id: str, body: Any
    ) -> list[tuple[str, str]]:
        with self.db.transaction() as conn:
            self.oauth.check_access(conn, principal, GENERATE, organization_id, hide_as_404=True)
            self.validator.validate_body(GENERATE, body, self.ignored_rules)
            pk, program = self._program(conn, organization_id, voucher_program_id)
            now = self.clock.now_ms()
            ctx = RequestContext(GENERATE, now, body=body, program=program, code_count=repo.count_codes(conn, pk))
            self._check(ctx, GENERATE_RULE_KINDS)
            count = int(body["number_of_codes"])
            if count > QUOTA and "accept-count-over-30000" in self.flags:
                return []  # the drift: answer 200 for a count the documents forbid
            created = repo.add_codes(conn, pk, count) if count > 0 else []
            if self.settings.code_generation_ms_per_code > 0 and count > 0:
                program["generating_until"] = now + round(count * self.settings.code_generation_ms_per_code)
                repo.put_program(conn, program)
            return created

    def create_individual_voucher_program(
        self, principal: Principal, organization_id: str, body: Any
    ) -> dict[str, Any]:
        with self.db.transaction() as conn:
            self.oauth.check_access(conn, principal, CREATE, organization_id, hide_as_404=False)
            self.validator.validate_body(CREATE, body, self.ignored_rules)
            template = repo.get(conn, "templates", body["template_uuid"])
            if template is not None and template["org_id"] != organization_id:
                template = None  # another organization's template does not exist for this caller
            now = self.clock.now_ms()
            self._check(RequestContext(CREATE, now, body=body, template=template), CREATE_RULE_KINDS)
            assert template is not None  # CRT-TEMPLATE-EXISTS passed
            program = {
                **template.get("program_defaults", {}),
                "id": str(uuid.uuid4()),
                "org_id": organization_id,
                "name": template["name"],
                "code_scheme": programs.MULTI_CODE,
                "status": "active",
                "starts_at": body["starts_at"],
                "ends_at": body["ends_at"],
                "timezone": body.get("display_timezone"),
                "expense_memo": body.get("memo"),
                "description": body.get("description"),
                "template_uuid": template["id"],
                "owner_uuid": body["owner_uuid"],
                "owner_type": body["owner_type"],
                "creator_uuid": principal.user_id,
                "created_at": now,
            }
            pk = repo.put_program(conn, program)
            ((code_id, code_text),) = repo.add_codes(conn, pk, 1)
            repo.add_guests(
                conn,
                pk,
                [
                    {
                        "name": body.get("display_name"),
                        "email": body.get("email_address"),
                        "phone": body.get("mobile_number"),
                        "code_id": code_id,
                        "code_text": code_text,
                        "voucher_id": str(uuid.uuid4()),
                        "voucher_status": "VOUCHER_SCHEDULED" if body["starts_at"] > now else "VOUCHER_SENT",
                    }
                ],
            )
        response = {
            "campaign_uuid": program["id"],
            "owner_uuid": body["owner_uuid"],
            "owner_type": body["owner_type"],
            "creator_uuid": principal.user_id,
            "template_uuid": template["id"],
            "name": template["name"],
            "starts_at": body["starts_at"],
            "ends_at": body["ends_at"],
        }
        if "memo" in body:
            response["memo"] = body["memo"]
        if "create-response-without-campaign" in self.flags:
            del response["campaign_uuid"]
        return response

    def get_voucher_program_guest_info(
        self,
        principal: Principal,
        organization_id: str,
        voucher_program_id: str,
        limit: str | None,
        page_token: str | None,
    ) -> dict[str, Any]:
        with self.db.transaction() as conn:
            self.oauth.check_access(conn, principal, GUESTS, organization_id, hide_as_404=True)
            size = self.settings.default_page_limit
            if limit is not None:
                try:
                    size = int(limit)
                except ValueError:
                    raise invalid_request(f"This request is invalid: limit must be an integer, got {limit!r}") from None
                self._check(RequestContext(GUESTS, self.clock.now_ms(), query={"limit": size}), ("bound",))
                size = min(size, self.settings.max_page_limit)
            pk, _ = self._program(conn, organization_id, voucher_program_id)
            after = self._after_seq(conn, voucher_program_id, page_token) if page_token is not None else 0
            flags = self.flags
            if "paging-overlaps" in flags and after > 0:
                after -= 1
            rows = repo.page_guests(conn, pk, after, size + 2)
            shown = size + 1 if "paging-ignores-limit" in flags else size
            page: dict[str, Any] = {"guests": [_guest(row, flags) for row in rows[:shown]]}
            if len(rows) > shown:
                last = int(rows[shown - 1]["seq"]) + (1 if "paging-skips-a-guest" in flags else 0)
                page["next_token"] = self._page_token(conn, voucher_program_id, last)
            elif "paging-token-on-last-page" in flags and rows:
                page["next_token"] = self._page_token(conn, voucher_program_id, int(rows[-1]["seq"]))
            return page

    def update_voucher_program(
        self, principal: Principal, organization_id: str, voucher_program_id: str, body: Any
    ) -> None:
        with self.db.transaction() as conn:
            self.oauth.check_access(conn, principal, UPDATE, organization_id, hide_as_404=True)
            self.validator.validate_body(UPDATE, body, self.ignored_rules)
            _, program = self._program(conn, organization_id, voucher_program_id)
            self._check(
                RequestContext(UPDATE, self.clock.now_ms(), body=body, program=program),
                UPDATE_RULE_KINDS,
            )
            for field in programs.UPDATABLE_FIELDS:
                if field in body:
                    program[field] = body[field]
            if "updates-not-kept" not in self.flags:
                repo.put_program(conn, program)

    # ------------------------------------------------------------------ control plane

    def program_view(self, program_id: str) -> dict[str, Any] | None:
        with self.db.transaction() as conn:
            found = repo.get_program(conn, program_id)
            if found is None:
                return None
            pk, program = found
            defaults = {
                str(rule.target).split(".", 1)[1]: rule.params["default"]
                for rule in self.rules.for_operation(UPDATE, ("default",))
                if program.get(str(rule.target).split(".", 1)[1]) is None
            }
            return {
                **program,
                **defaults,
                "status": programs.status(program, self.clock.now_ms()),
                "code_count": repo.count_codes(conn, pk),
                "guest_count": repo.count_guests(conn, pk),
            }

    def cancel_program(self, program_id: str) -> bool:
        with self.db.transaction() as conn:
            found = repo.get_program(conn, program_id)
            if found is None:
                return False
            found[1]["status"] = "canceled"
            repo.put_program(conn, found[1])
            return True

    def program_codes(self, program_id: str, limit: int, after: int) -> list[dict[str, Any]] | None:
        with self.db.transaction() as conn:
            found = repo.get_program(conn, program_id)
            return None if found is None else repo.list_codes(conn, found[0], limit, after)


def _guest(row: dict[str, Any], flags: set[str] | frozenset[str] = frozenset()) -> dict[str, Any]:
    """A guest as the vendor serialises one: fields without a value are left out (D-011, D-014)."""
    guest = {key: row[key] for key in ("name", "phone", "email") if row.get(key) is not None}
    if row.get("code_id"):
        guest["code"] = {"code_id": row["code_id"], "code_text": row["code_text"]}
    voucher = {
        key: row[key]
        for key in ("voucher_id", "usage_count", "usage_amount", "voucher_status")
        if row.get(key) is not None
    }
    if row.get("voucher_status") == "VOUCHER_CANCELED" and row.get("canceled_at"):
        voucher["canceled_at"] = row["canceled_at"]
    elif "canceled-at-on-live-vouchers" in flags and row.get("voucher_status"):
        voucher["canceled_at"] = 1_700_000_000_000
    if "voucher-status-lowercase" in flags and "voucher_status" in voucher:
        voucher["voucher_status"] = str(voucher["voucher_status"]).lower()
    if voucher:
        guest["voucher"] = voucher
    return guest
