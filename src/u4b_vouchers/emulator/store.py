"""The domain: the four operations' state changes under the vendor's rules, one method each.

A method gets an open transaction (the pipeline opens one per request) and a :class:`Call`
saying who asks, for what, when, and which rules and readings are in force. It loads what the
rules look at, lets the rule book judge (:mod:`.rulebook`) and changes the state. It knows no
HTTP, no wire format and no drift.
"""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..spec import Spec
from . import programs
from . import repository as repo
from .auth import Principal
from .catalogue import INVALID_REQUEST, PROGRAM_NOT_FOUND, Catalogue
from .paging import PageTokens, TokenRefused
from .readings import ACCEPT, Readings
from .rulebook import RequestContext, RuleBook
from .settings import Settings

GENERATE = "generateVoucherCodes"
CREATE = "createIndividualVoucherProgram"
GUESTS = "getVoucherProgramGuestInfo"
UPDATE = "updateVoucherProgram"
MUST_EXIST = "ERR-PROGRAM-NOT-FOUND"
ISOLATION = "AUTH-ORGANIZATION-ISOLATION"
PAGE_TOKEN_VALID = "GST-PAGE-TOKEN-VALID"
LIMIT_POSITIVE = "GST-LIMIT-POSITIVE"
WINDOW_SLACK = {"exact": 0, "lenient": 1, "strict": -1}


@dataclass(frozen=True)
class Call:
    """One request as the domain sees it."""

    operation_id: str
    organization_id: str
    principal: Principal
    now_ms: int
    readings: Readings
    program_id: str | None = None
    #: Rule ids not enforced (disabled through the control plane, or drift).
    ignored: frozenset[str] = frozenset()


@dataclass
class Page:
    """A page of guests: the rows, and the position after which the next page starts."""

    program_id: str
    rows: list[dict[str, Any]] = field(default_factory=list)
    next_after: int | None = None


class Store:
    def __init__(self, spec: Spec, settings: Settings, catalogue: Catalogue | None = None):
        self.settings = settings
        self.catalogue = catalogue or Catalogue(spec)
        self.rules = RuleBook(spec, self.catalogue)

    # ------------------------------------------------------------------ helpers

    def program(self, conn: sqlite3.Connection, call: Call) -> tuple[int, dict[str, Any]] | None:
        """The program the call names, if it exists for the caller's organization."""
        found = repo.get_program(conn, call.program_id or "")
        if found is None or (found[1]["org_id"] != call.organization_id and ISOLATION not in call.ignored):
            return None
        return found

    def _judge(self, call: Call, **facts: Any) -> None:
        ctx = RequestContext(
            call.operation_id,
            call.now_ms,
            window_slack=WINDOW_SLACK[call.readings["time-windows"]],
            **facts,
        )
        self.rules.check(ctx, ignored=call.ignored, readings=call.readings)

    def _existing(self, conn: sqlite3.Connection, call: Call, **facts: Any) -> tuple[int, dict[str, Any]]:
        """The named program, after every rule of the operation was judged with it."""
        found = self.program(conn, call)
        self._judge(call, program=found[1] if found else None, **facts)
        if found is None:  # ERR-PROGRAM-NOT-FOUND was not enforced, but nothing is there
            raise self.catalogue.error(PROGRAM_NOT_FOUND, rule=MUST_EXIST)
        return found

    # ------------------------------------------------------------------ the four operations

    def generate_voucher_codes(self, conn: sqlite3.Connection, call: Call, body: dict[str, Any]) -> None:
        found = self.program(conn, call)
        count_now = repo.count_codes(conn, found[0]) if found else 0
        self._judge(call, body=body, program=found[1] if found else None, code_count=count_now)
        if found is None:
            raise self.catalogue.error(PROGRAM_NOT_FOUND, rule=MUST_EXIST)
        pk, program = found
        count = int(body["number_of_codes"])
        if count > 0:
            repo.add_codes(conn, pk, count)
            if self.settings.code_generation_ms_per_code > 0:
                program["generating_until"] = call.now_ms + round(count * self.settings.code_generation_ms_per_code)
                repo.put_program(conn, program)

    def create_individual_voucher_program(
        self, conn: sqlite3.Connection, call: Call, body: dict[str, Any]
    ) -> dict[str, Any]:
        """The new program (D-055); returns what the response reports of it."""
        template = repo.get(conn, "templates", body["template_uuid"])
        if template is not None and template["org_id"] != call.organization_id:
            template = None  # another organization's template does not exist for this caller
        self._judge(call, body=body, template=template)
        if template is None:  # CRT-TEMPLATE-EXISTS was not enforced, but nothing is there
            raise self.catalogue.error(INVALID_REQUEST, "no such template", rule="CRT-TEMPLATE-EXISTS")
        program = {
            **template.get("program_defaults", {}),
            "id": str(uuid.uuid4()),
            "org_id": call.organization_id,
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
            "creator_uuid": call.principal.user_id,
            "created_at": call.now_ms,
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
                    "voucher_status": "VOUCHER_SCHEDULED" if body["starts_at"] > call.now_ms else "VOUCHER_SENT",
                }
            ],
        )
        created = {
            "campaign_uuid": program["id"],
            "owner_uuid": body["owner_uuid"],
            "owner_type": body["owner_type"],
            "creator_uuid": call.principal.user_id,
            "template_uuid": template["id"],
            "name": template["name"],
            "starts_at": body["starts_at"],
            "ends_at": body["ends_at"],
            "display_timezone": body.get("display_timezone"),
        }
        if "memo" in body:
            created["memo"] = body["memo"]
        return created

    def page_size(self, limit: int | None, readings: Readings) -> int:
        """Guests per page for a ``limit`` (D-013: no default, no maximum documented)."""
        default = readings.number("page-size-default") or 1
        if limit is None or (limit < 1 and readings[LIMIT_POSITIVE] == ACCEPT):
            return default
        cap = readings.number("page-size-cap")
        if cap is not None and limit > cap:
            if readings.is_("page-size-above-cap", "refuse"):
                raise self.catalogue.error(INVALID_REQUEST, f"limit above {cap} (page-size-above-cap)")
            return cap
        return limit

    def get_voucher_program_guest_info(
        self,
        conn: sqlite3.Connection,
        call: Call,
        limit: int | None,
        page_token: str | None,
        tokens: PageTokens,
    ) -> Page:
        """A page of guests in order, from where ``page_token`` says."""
        query: Mapping[str, Any] = {} if limit is None else {"limit": limit}
        pk, _ = self._existing(conn, call, query=dict(query))
        size = self.page_size(limit, call.readings)
        after = 0
        if page_token is not None:
            try:
                after = tokens.decode(conn, str(call.program_id), page_token)
            except TokenRefused:
                if PAGE_TOKEN_VALID in call.ignored:
                    after = 0
                else:
                    rule = self.rules.by_id[PAGE_TOKEN_VALID]
                    outcome = self.rules.outcome(rule, call.readings, call.operation_id)
                    raise self.catalogue.broken(rule, outcome) from None
        look_ahead = 0 if call.readings.is_("next-token-on-full-last-page", "yes") else 1
        rows = repo.page_guests(conn, pk, after, size + look_ahead)
        page = Page(str(call.program_id), rows[:size])
        if len(rows) > size or (not look_ahead and len(rows) == size and rows):
            page.next_after = int(rows[size - 1]["seq"])
        return page

    def update_voucher_program(self, conn: sqlite3.Connection, call: Call, body: dict[str, Any]) -> None:
        _, program = self._existing(conn, call, body=body)
        for name in programs.UPDATABLE_FIELDS:
            if name in body:
                program[name] = body[name]
        repo.put_program(conn, program)

    # ------------------------------------------------------------------ control plane

    def program_view(self, conn: sqlite3.Connection, program_id: str, now_ms: int) -> dict[str, Any] | None:
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
            "status": programs.status(program, now_ms),
            "code_count": repo.count_codes(conn, pk),
            "guest_count": repo.count_guests(conn, pk),
        }

    def cancel_program(self, conn: sqlite3.Connection, program_id: str) -> bool:
        found = repo.get_program(conn, program_id)
        if found is None:
            return False
        found[1]["status"] = "canceled"
        repo.put_program(conn, found[1])
        return True

    def program_codes(
        self, conn: sqlite3.Connection, program_id: str, limit: int, after: int
    ) -> list[dict[str, Any]] | None:
        found = repo.get_program(conn, program_id)
        return None if found is None else repo.list_codes(conn, found[0], limit, after)


__all__ = ["Call", "Page", "Store"]
