"""Publish builds to the signed update repository and promote them between rings.

The repository is a static folder (served by ``python -m server serve --updates-dir DIR``
under ``/updates/``, or by any web server) holding The Update Framework metadata::

    DIR/metadata/1.root.json, timestamp.json, N.snapshot.json, N.targets.json,
                 N.stable.json, N.pilot.json         (versioned: consistent snapshots)
    DIR/targets/<ring>/<sha256>.index.json           (the ring's release list)
    DIR/targets/<ring>/<sha256>.DeclarantDesk-<version>-setup.exe

Roles and keys (one ed25519 key each, ``KEYS/<role>.pem``, never committed): ``root``,
``targets`` (delegates ``stable/*`` → role ``stable`` and ``pilot/*`` → role ``pilot``),
``stable``, ``pilot``, ``snapshot``, ``timestamp``. Publishing to pilot needs the pilot,
snapshot and timestamp keys; promoting needs the stable key too, so the stable key can be
kept by whoever signs off a pilot.

Usage::

    python -m installer.release init    --repo DIR --keys KEYS
    python -m installer.release publish --repo DIR --keys KEYS --ring pilot FILE --version 2.1rc1
    python -m installer.release promote --repo DIR --keys KEYS 2.1rc1
    python -m installer.release list    --repo DIR
    python -m installer.release refresh --repo DIR --keys KEYS   (re-sign before expiry)
    python -m installer.release withdraw --repo DIR --keys KEYS --ring pilot 2.1rc1
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from desktop.updates.policy import RINGS, STABLE
from installer.ring_releases import INSTALLER_NAME
from installer.rollouts import DEFAULT_MARGIN, DEFAULT_MIN_REPORTS, DEFAULT_STEPS, RolloutSteering, load_health
from installer.tuf_metadata import ALL_ROLES, DEFAULT_EXPIRY_DAYS, TOP_ROLES, ReleaseError

__all__ = [
    "ALL_ROLES", "DEFAULT_EXPIRY_DAYS", "DEFAULT_MARGIN", "DEFAULT_MIN_REPORTS", "DEFAULT_STEPS", "INSTALLER_NAME",
    "TOP_ROLES", "ReleaseError", "Repository", "build_parser", "load_health", "main",
]


class Repository(RolloutSteering):
    """The update repository on disk plus the keys given on the command line.

    Built in layers, each in its own module: the signed TUF metadata and its keys
    (:mod:`installer.tuf_metadata`: refresh, rotate_key), the rings' release lists and
    installers (:mod:`installer.ring_releases`: init, publish, promote, withdraw) and the
    stable ring's gradual rollouts (:mod:`installer.rollouts`: set_percent, pause, resume,
    advance)."""

    def summary(self) -> dict:
        """What ``list`` shows: each role's metadata version and expiry, each ring's releases
        and withdrawn versions."""
        out = {"repository": str(self.dir), "metadata": self.metadata_expiry(), "rings": {}}
        out["withdrawn"] = {}
        for ring in RINGS:
            index = self.index(ring)
            out["rings"][ring] = index["releases"]
            out["withdrawn"][ring] = index["withdrawn"]
        return out


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m installer.release", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)

    def common(p, keys=True):
        p.add_argument("--repo", required=True, type=Path, help="the update repository folder")
        if keys:
            p.add_argument("--keys", required=True, type=Path,
                           help="folder with the signing keys <role>.pem (keep it off the server; "
                                "DECLARANT_DESK_KEY_PASSPHRASE unlocks encrypted keys)")

    common(sub.add_parser("init", help="create the keys (if missing) and an empty repository"))
    p = sub.add_parser("publish", help="publish an installer to a ring")
    common(p)
    p.add_argument("--ring", required=True, choices=RINGS)
    p.add_argument("--version", required=True, help="e.g. 2.1rc1 (pilot) or 2.1 (stable)")
    p.add_argument("--notes", default="", help="short release notes shown to the user")
    p.add_argument("installer", type=Path, help="the signed setup .exe from build_installer.py")
    p.add_argument("--percent", type=float, default=100,
                   help="stable only: offer it to this share of the stable ring first (default 100)")
    p = sub.add_parser("promote", help="promote a pilot release to stable")
    common(p)
    p.add_argument("version", help="the pilot version, e.g. 2.1rc1")
    p.add_argument("--percent", type=float, default=100,
                   help="offer it to this share of the stable ring first (gradual rollout; default 100)")
    p = sub.add_parser("withdraw", help="stop offering a release; workstations running it go back to the "
                                        "last good release")
    common(p)
    p.add_argument("--ring", required=True, choices=RINGS)
    p.add_argument("--reason", default="", help="why (kept in the signed release list)")
    p.add_argument("version")
    p = sub.add_parser("rollout", help="widen a stable release to a larger share of the stable ring")
    common(p)
    p.add_argument("version")
    p.add_argument("--percent", type=float, required=True)
    p = sub.add_parser("pause", help="stop widening a stable rollout (no further workstation receives it)")
    common(p)
    p.add_argument("version")
    p.add_argument("--reason", default="paused by customs IT")
    p = sub.add_parser("resume", help="resume a paused stable rollout")
    common(p)
    p.add_argument("version")
    p = sub.add_parser("advance", help="scheduled step: widen each healthy stable rollout, pause one whose "
                                       "crash rate rose (run daily)")
    common(p)
    p.add_argument("--health", required=True,
                   help="the inventory's per-version figures: a JSON file, or the server's "
                        "https://…/api/v1/inventory/versions (bearer token in $DECLARANT_DESK_ADMIN_TOKEN)")
    p.add_argument("--steps", default=",".join(f"{s:g}" for s in DEFAULT_STEPS),
                   help="rollout steps in percent (default %(default)s)")
    p.add_argument("--margin", type=float, default=DEFAULT_MARGIN,
                   help="pause when the crash rate (crashes per report) exceeds the previous version's by more "
                        "than this (default %(default)s)")
    p.add_argument("--min-reports", type=int, default=DEFAULT_MIN_REPORTS,
                   help="reports needed on the new version before judging it (default %(default)s)")
    p = sub.add_parser("rotate-key", help="replace one role's signing key (clients keep updating)")
    common(p)
    p.add_argument("role", choices=ALL_ROLES)
    p = sub.add_parser("refresh", help="re-sign timestamp/snapshot and roles near expiry (run weekly)")
    common(p)
    p.add_argument("--within-days", type=float, default=14)
    common(sub.add_parser("list", help="show the releases of each ring and metadata expiry"), keys=False)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    repo = Repository(args.repo, getattr(args, "keys", None))
    try:
        if args.command == "init":
            root = repo.init()
            print(f"update repository created in {args.repo}")
            print(f"trusted root for the installer: {root}  (build_installer.py --update-root {root})")
        elif args.command == "publish":
            entry = repo.publish(args.ring, args.installer, args.version, args.notes, percent=args.percent)
            print(f"published {entry['version']} to {args.ring} as {entry['target']}")
        elif args.command == "promote":
            entry = repo.promote(args.version, percent=args.percent)
            print(f"promoted {args.version} to stable as {entry['version']} ({entry['target']}, "
                  f"{entry['percent']:g} % of the stable ring)")
        elif args.command == "withdraw":
            back = repo.withdraw(args.ring, args.version, args.reason)
            print(f"withdrew {args.version} from {args.ring}; workstations running it go back to "
                  f"{back or '(no earlier release: they keep it until a new release)'}")
        elif args.command == "rollout":
            entry = repo.set_percent(args.version, args.percent)
            print(f"{entry['version']} is offered to {entry['percent']:g} % of the stable ring")
        elif args.command == "pause":
            repo.pause(args.version, args.reason)
            print(f"the rollout of {args.version} is paused: {args.reason}")
        elif args.command == "resume":
            repo.resume(args.version)
            print(f"the rollout of {args.version} resumes")
        elif args.command == "advance":
            steps = tuple(sorted(float(x) for x in args.steps.split(",") if x.strip()))
            done = repo.advance(load_health(args.health), steps, args.margin, args.min_reports)
            print("\n".join(done) if done else "no stable rollout below 100 %")
        elif args.command == "rotate-key":
            retired = repo.rotate_key(args.role)
            print(f"the {args.role} key was replaced; the old key is kept as {retired} "
                  "(destroy it once every workstation has updated)")
        elif args.command == "refresh":
            print("re-signed: " + ", ".join(repo.refresh(args.within_days)))
        elif args.command == "list":
            summary = repo.summary()
            for ring, releases in summary["rings"].items():
                print(f"{ring}:")
                for r in releases or [{"version": "(none)", "target": "", "published": ""}]:
                    extra = f"  promoted from {r['promoted_from']}" if r.get("promoted_from") else ""
                    if ring == STABLE and r.get("target"):
                        extra += f"  {float(r.get('percent', 100)):g} %"
                    if r.get("paused"):
                        extra += f"  PAUSED: {r['paused']}"
                    print(f"  {r['version']:<12} {r['published']:<26} {r['target']}{extra}")
                for w in summary["withdrawn"][ring]:
                    print(f"  {w['version']:<12} withdrawn {w.get('withdrawn', '')}; back to "
                          f"{w.get('rollback_to') or '(none)'}  {w.get('reason', '')}")
            print("metadata expiry:")
            for role, info in summary["metadata"].items():
                print(f"  {role:<10} v{info['version']:<5} expires {info['expires']}")
    except ReleaseError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
