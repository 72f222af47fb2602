"""Gradual rollouts in the stable ring, steered by customs IT.

A stable release is offered to a share of the stable ring that only grows
(:meth:`RolloutSteering.set_percent`); a rollout can be paused with its reason and resumed.
The scheduled step (:meth:`RolloutSteering.advance`, run daily) widens each healthy rollout
to the next step and pauses one whose crash rate rose, judged on the inventory's per-version
figures (:func:`load_health`).
"""
from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Callable

from tuf.api.metadata import Metadata

from desktop.updates import versions
from desktop.updates.policy import STABLE
from installer.ring_releases import RingReleases, check_percent
from installer.tuf_metadata import ReleaseError, utc_now

DEFAULT_STEPS = (5.0, 25.0, 50.0, 100.0)
DEFAULT_MARGIN = 0.02       # crash rate: crashes per workstation report (about one a day)
DEFAULT_MIN_REPORTS = 20


def load_health(source: str) -> list[dict]:
    """Per-version figures from a JSON file or the inventory API (``{"versions": [...]}`` or a list)."""
    if source.startswith(("https://", "http://")):
        import requests

        token = os.environ.get("DECLARANT_DESK_ADMIN_TOKEN", "")
        try:
            response = requests.get(source, headers={"Authorization": f"Bearer {token}"} if token else {},
                                    timeout=(10, 60))
            response.raise_for_status()
            data = response.json()
        except (requests.RequestException, ValueError) as exc:
            raise ReleaseError(f"the inventory cannot be read from {source}: {exc}") from None
    else:
        try:
            data = json.loads(Path(source).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ReleaseError(f"{source} cannot be read: {exc}") from None
    items = data.get("versions", []) if isinstance(data, dict) else data
    if not isinstance(items, list):
        raise ReleaseError(f"{source} holds no per-version figures")
    return [item for item in items if isinstance(item, dict)]


class RolloutSteering(RingReleases):
    """Widening, pausing and resuming the stable ring's rollouts."""

    def _change_stable_entry(self, version: str, edit: Callable[[dict], None]) -> dict:
        wanted = versions.parse(version)
        self._need_keys(STABLE)
        found: dict = {}

        def change(ring_md: Metadata, releases: list[dict]) -> list[dict]:
            for entry in releases:
                if versions.parse(entry["version"]) == wanted:
                    edit(entry)
                    found.update(entry)
                    return releases
            raise ReleaseError(f"{wanted} is not published in stable")

        with self._locked():
            self._update_ring(STABLE, change)
        return found

    def set_percent(self, version: str, percent: float) -> dict:
        """Offer a stable release to ``percent`` % of the stable ring (the set of workstations
        only grows: a lower percentage is refused; withdraw instead)."""
        percent = check_percent(percent)

        def edit(entry: dict) -> None:
            if entry.get("paused"):
                raise ReleaseError(f"the rollout of {entry['version']} is paused ({entry['paused']}); "
                                   "resume or withdraw it first")
            if percent < float(entry.get("percent", 100)):
                raise ReleaseError(f"{entry['version']} already reaches {entry.get('percent', 100)} %; a rollout "
                                   "does not shrink (withdraw the version to take it back)")
            entry["percent"] = percent

        return self._change_stable_entry(version, edit)

    def pause(self, version: str, reason: str) -> dict:
        def edit(entry: dict) -> None:
            entry["paused"] = reason or "paused by customs IT"
            entry["paused_at"] = utc_now().isoformat()

        return self._change_stable_entry(version, edit)

    def resume(self, version: str) -> dict:
        def edit(entry: dict) -> None:
            if not entry.get("paused"):
                raise ReleaseError(f"the rollout of {entry['version']} is not paused")
            entry.pop("paused", None)
            entry.pop("paused_at", None)

        return self._change_stable_entry(version, edit)

    def advance(self, health: list[dict], steps: tuple[float, ...] = DEFAULT_STEPS,
                margin: float = DEFAULT_MARGIN, min_reports: int = DEFAULT_MIN_REPORTS) -> list[str]:
        """One step of every stable rollout below 100 %, after a health check.

        ``health`` is the inventory's per-version figures (``GET /api/v1/inventory/versions``):
        a rollout whose crash rate exceeds the previous version's by more than ``margin``
        is paused with the reason instead of widened. Returns what was done, one line each."""
        from desktop.updates.rollout import health_verdict

        done = []
        releases = sorted(self.releases(STABLE), key=lambda r: versions.parse(r["version"]))
        for i, entry in enumerate(releases):
            percent = float(entry.get("percent", 100))
            if percent >= 100 or entry.get("paused"):
                continue
            previous = next((r["version"] for r in reversed(releases[:i]) if float(r.get("percent", 100)) >= 100),
                            None)
            verdict = health_verdict(health, entry["version"], previous, margin=margin, min_reports=min_reports)
            if verdict["pause"]:
                self.pause(entry["version"], verdict["reason"])
                done.append(f"{entry['version']}: paused at {percent:g} %: {verdict['reason']}")
                continue
            following = next((s for s in steps if s > percent), 100.0)
            self.set_percent(entry["version"], following)
            done.append(f"{entry['version']}: {percent:g} % -> {following:g} % ({verdict['reason']})")
        return done
