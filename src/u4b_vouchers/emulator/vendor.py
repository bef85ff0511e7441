"""The emulated vendor: its state, clock, settings, readings and drift, with no HTTP in it.

A ``Vendor`` owns everything a request may change or consult; :mod:`.app` puts HTTP in front
of it (``Emulator``). Readings and drift are replaced whole, and only through its methods.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from ..spec import Spec, load_spec
from . import repository as repo
from .auth import AccessControl, OAuthServer
from .catalogue import Catalogue
from .clock import Clock
from .controlspec import problem, schema_pointer
from .db import Database, StateError
from .drift import Drift
from .faults import FaultInjector
from .paging import PageTokens
from .readings import Reading, Readings, catalogue
from .requestlog import RequestLog
from .seed import apply_seed, check_seed, read_seed
from .settings import Settings
from .store import Store
from .validation import RequestValidator

TOKEN_PATH = "/oauth/v2/token"
AUTHORIZE_PATH = "/oauth/v2/authorize"


class Vendor:
    """One emulated vendor.

    ``seed`` is a built-in seed name, a path, or an already-parsed mapping; ``state`` a SQLite
    file that keeps everything across restarts, the clock and the settings included (a file
    that already holds data is not re-seeded); ``readings`` the readings to take instead of the
    defaults (name → value).
    """

    def __init__(
        self,
        *,
        spec: Spec | None = None,
        seed: str | Path | dict[str, Any] | None = "demo",
        state: str | Path | None = None,
        settings: Settings | None = None,
        control_plane: bool = True,
        readings: Mapping[str, str] | None = None,
    ):
        self.spec = spec or load_spec()
        self.clock = Clock()
        self.settings = settings or Settings()
        self.catalogue = Catalogue(self.spec)
        self.store = Store(self.spec, self.settings, self.catalogue)
        self.readings_known: dict[str, Reading] = catalogue(self.store.rules.rules)
        self._readings = Readings(self.readings_known, readings)
        self._drift = Drift()
        self._disabled: frozenset[str] = frozenset()
        self._ignored: frozenset[str] = frozenset()
        self._tokens = PageTokens()
        self._own_validator = RequestValidator(self.spec, self.store.rules)
        self._validator = self._own_validator
        self._refresh()
        self.db = Database(state)
        self.access = AccessControl(self.spec, self.store.rules, self.db, self.clock)
        self.oauth = OAuthServer(self.db, self.clock, self.settings, revoked=self.access.forget)
        self.faults = FaultInjector()
        self.log = RequestLog()
        self.control_plane = control_plane
        self.seed: dict[str, Any] = (seed if isinstance(seed, dict) else read_seed(seed)) if seed is not None else {}
        check_seed(self.seed)
        self._restore()
        self.clock.on_change = self._save_clock
        if self.db.is_empty():
            apply_seed(self.db, self.seed, self.clock.now_ms())
            self._save_clock()
            self._save_settings()

    # ------------------------------------------------------------------ persistence

    def _restore(self) -> None:
        """The clock and settings a state file kept, if it kept them."""
        with self.db.transaction() as conn:
            clock, settings = repo.get_meta(conn, "clock"), repo.get_meta(conn, "settings")
        try:
            if clock is not None:
                self.clock.restore(json.loads(clock))
            if settings is not None:
                kept = json.loads(settings)
                why = problem(schema_pointer("Settings"), kept)
                if why is not None:
                    raise ValueError(why)
                self.settings.update(kept)
        except (ValueError, KeyError, AttributeError) as exc:
            raise StateError(f"{self.db.path}: the saved clock or settings are unusable ({exc})") from None

    def _save_clock(self) -> None:
        with self.db.transaction() as conn:
            repo.set_meta(conn, "clock", json.dumps(self.clock.snapshot()))

    def _save_settings(self) -> None:
        with self.db.transaction() as conn:
            repo.set_meta(conn, "settings", json.dumps(self.settings.as_dict()))

    def change_settings(self, changes: Mapping[str, Any]) -> None:
        """Change some settings (already checked against the ``Settings`` schema) and keep them."""
        self.settings.update(dict(changes))
        self._save_settings()

    # ------------------------------------------------------------------ switches

    @property
    def readings(self) -> Readings:
        return self._readings

    @property
    def drift(self) -> Drift:
        return self._drift

    @property
    def disabled_rules(self) -> frozenset[str]:
        return self._disabled

    @property
    def ignored_rules(self) -> frozenset[str]:
        """Rules not enforced: disabled ones, those the readings relax and those drift ignores."""
        return self._ignored

    @property
    def page_tokens(self) -> PageTokens:
        return self._tokens

    @property
    def validator(self) -> RequestValidator:
        """The request validator in force: the description's, or the drift's changed copy."""
        return self._validator

    def _refresh(self) -> None:
        self._ignored = self._disabled | self._drift.ignored | self._readings.relaxed()
        if self._drift.schema is None:
            self._validator = self._own_validator
        else:
            drifted = Spec.from_data(self._drift.schema(self.spec.data), f"{self.spec.path} (drifted)")
            self._validator = RequestValidator(drifted, self.store.rules)
        signed = self._readings.is_("page-tokens", "signed")
        if self._tokens.signed != signed:
            self._tokens = PageTokens(signed=signed)

    def set_readings(self, chosen: Mapping[str, str]) -> None:
        """Take these readings (name → value); every other reading goes back to its default."""
        self._readings = Readings(self.readings_known, chosen)
        self._refresh()

    def set_switches(self, *, disabled_rules: Iterable[str] = (), fault_flags: Iterable[str] = ()) -> None:
        """Rules to stop enforcing and fault flags to drift by (each replaces the previous set)."""
        unknown = sorted(set(disabled_rules) - set(self.store.rules.by_id))
        if unknown:
            raise KeyError(", ".join(unknown))
        self._drift = Drift(fault_flags)
        self._disabled = frozenset(disabled_rules)
        self._refresh()

    # ------------------------------------------------------------------ state

    def reset(self) -> None:
        """Back to the seed: data, clock, settings, faults, switches and the log (readings stay:
        they say which correct server this is)."""
        self.clock.reset()
        self.settings.update(Settings().as_dict())
        self._save_settings()
        self.faults.clear()
        self.log.clear()
        self.set_switches()
        apply_seed(self.db, self.seed, self.clock.now_ms())
        self.access.forget()

    def load_seed(self, seed: dict[str, Any]) -> None:
        """Replace all data with ``seed`` (refused whole, nothing changed, when it is invalid)."""
        apply_seed(self.db, seed, self.clock.now_ms())
        self.access.forget()
        self.seed = seed

    def client_secrets(self) -> dict[str, str]:
        return {str(client["id"]): str(client["secret"]) for client in self.seed.get("clients") or []}

    def program_view(self, program_id: str) -> dict[str, Any] | None:
        with self.db.transaction() as conn:
            return self.store.program_view(conn, program_id, self.clock.now_ms())

    def cancel_program(self, program_id: str) -> bool:
        with self.db.transaction() as conn:
            return self.store.cancel_program(conn, program_id)

    def program_codes(self, program_id: str, limit: int, after: int) -> list[dict[str, Any]] | None:
        with self.db.transaction() as conn:
            return self.store.program_codes(conn, program_id, limit, after)

    def close(self) -> None:
        self.db.close()


__all__ = ["AUTHORIZE_PATH", "TOKEN_PATH", "Vendor"]
