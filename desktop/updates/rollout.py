"""Gradual rollouts: the install id and which workstations a percentage selects.

Every installation has an **install id**: 32 random hex digits made once and kept in the
user's data folder (``install-id``). It says nothing about the person or the enterprise;
it is what the inventory reports and what decides membership of a gradual rollout.

A stable release can be offered to a *percentage* of the stable ring. A workstation is in
when ``bucket(install_id, version) < percent``; the bucket is a number in ``[0, 100)`` taken
from a SHA-256 hash, so:

* the decision is the same on every check (no coin is tossed again),
* a workstation that is in at 10 % stays in at 25 %, 50 % and 100 % (the set only grows),
* the version is part of the hash, so a different handful of workstations goes first for
  each release (no workstation is always the guinea pig).

This module has no Qt; the release tool uses the same functions to report a rollout.
"""
from __future__ import annotations

import hashlib
import os
import re
import secrets
from pathlib import Path

INSTALL_ID_FILE = "install-id"
_ID = re.compile(r"^[0-9a-f]{32}$")
BUCKETS = 10_000  # 0.01 % resolution


def bucket(install_id: str, version: str) -> float:
    """The workstation's place in ``[0, 100)`` for the rollout of ``version``."""
    digest = hashlib.sha256(f"{install_id.strip().lower()}:{version}".encode("utf-8")).digest()
    return (int.from_bytes(digest[:8], "big") % BUCKETS) * 100.0 / BUCKETS


def selected(install_id: str | None, version: str, percent: float) -> bool:
    """Whether a workstation receives ``version`` while it is offered to ``percent`` % of the ring."""
    if percent >= 100:
        return True
    if percent <= 0 or not install_id:
        return False
    return bucket(install_id, version) < percent


def install_id(data_dir: Path) -> str:
    """This installation's id, created on first use (random; never personal).

    A damaged file is replaced by a new id (the inventory then sees a new workstation,
    which is harmless)."""
    path = Path(data_dir) / INSTALL_ID_FILE
    try:
        text = path.read_text(encoding="ascii").strip().lower()
        if _ID.match(text):
            return text
    except (OSError, UnicodeDecodeError):
        pass
    new = secrets.token_hex(16)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_text(new + "\n", encoding="ascii")
        os.replace(tmp, path)
    except OSError:
        pass  # read-only profile: the id holds for this run only
    return new


def crash_rate(figures: dict) -> float | None:
    """Crashes per workstation report (a workstation reports about once a day)."""
    reports = int(figures.get("reports", 0) or 0)
    if reports <= 0:
        return None
    return int(figures.get("crashes", 0) or 0) / reports


def health_verdict(health: list[dict], version: str, previous: str | None, *, margin: float,
                   min_reports: int) -> dict:
    """Whether the rollout of ``version`` must pause: its crash rate exceeds ``previous``'s by
    more than ``margin`` (absolute, crashes per report). ``health`` holds per-version figures
    ``{"version", "reports", "crashes"}`` from the inventory. Too few reports: no verdict yet,
    the rollout may widen (the first steps are small)."""
    by_version = {str(item.get("version")): item for item in health}
    new = by_version.get(version, {})
    new_rate = crash_rate(new)
    if new_rate is None or int(new.get("reports", 0) or 0) < min_reports:
        return {"pause": False, "reason": f"{int(new.get('reports', 0) or 0)} reports on {version} so far"}
    old_rate = crash_rate(by_version.get(previous or "", {})) if previous else None
    base = old_rate if old_rate is not None else 0.0
    text = (f"crash rate {new_rate:.1%} on {version} against {base:.1%} on {previous or 'no previous version'} "
            f"(margin {margin:.1%})")
    return {"pause": new_rate > base + margin, "reason": text, "rate": new_rate, "previous_rate": old_rate}
