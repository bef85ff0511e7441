"""An emulator served over HTTP in a subprocess, as a user starts one: ``u4b-vouchers serve`` with
the given options (readings, fault flags, no control plane), and the profile it writes (the
benchmarks' helper, one implementation for both)."""

from __future__ import annotations

from benchmarks.serving import served as serving

__all__ = ["serving"]
