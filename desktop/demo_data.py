"""Write demo declarations into a declaration store.

    python -m desktop.demo_data --count 1000000 --db /tmp/decl-1m.db [--seed 2020]

The declarations come from :func:`domain.demo.iter_declarations`, the same deterministic
world the demo server seeds, so the first rows of any demo database are the declarations
the demo server knows. Handling records (who handled each declaration) are stored for
small databases; large ones derive them from the number on demand
(:func:`domain.demo.handling_for`), which is what storing them would give, without writing
millions of rows.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Callable, TextIO

from domain.demo import DEFAULT_SEED, DEMO_COUNT, iter_declarations

from .declarations.store import DeclarationStore, StoreError

STORE_HANDLING_UP_TO = 20_000  # "auto": store handling records up to this many declarations


def write_demo(db: Path, count: int = DEMO_COUNT, seed: int = DEFAULT_SEED, *, handling: str = "auto",
               progress: Callable[[int], None] | None = None) -> int:
    """Write ``count`` demo declarations into the store at ``db``; return how many."""
    if count < 0:
        raise ValueError("count must not be negative")
    if handling not in ("auto", "stored", "derived"):
        raise ValueError(f"handling must be auto, stored or derived, not {handling!r}")
    store_handling = handling == "stored" or (handling == "auto" and count <= STORE_HANDLING_UP_TO)
    with DeclarationStore(db) as store:
        n = store.insert_many(iter_declarations(seed, count), progress=progress)
        if store_handling:
            from domain.demo import handling_for

            store.insert_handling_many(
                (d.number, [{"kind": t.kind, "code": t.code, "name": t.name}
                            for t in handling_for(d.number, d.office_code, d.channel, d.status)])
                for d in iter_declarations(seed, count))
            store.set_handling_source("stored")
        else:
            store.set_handling_source("derived")
        store.set_meta("demo_seed", str(seed))
        return n


def _progress_printer(total: int, out: TextIO) -> Callable[[int], None]:
    start = time.perf_counter()

    def show(done: int) -> None:
        pct = 100.0 * done / total if total else 100.0
        out.write(f"\r{done:>10,} / {total:,} declarations ({pct:5.1f} %) {time.perf_counter() - start:6.1f} s")
        out.flush()

    return show


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m desktop.demo_data",
                                     description="Write N demo declarations into a declaration store.")
    parser.add_argument("--count", type=int, default=DEMO_COUNT, help=f"declarations to write (default {DEMO_COUNT})")
    parser.add_argument("--db", type=Path, required=True, help="the store (SQLite file; created when missing)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"seed of the demo world (default {DEFAULT_SEED})")
    parser.add_argument("--handling", choices=("auto", "stored", "derived"), default="auto",
                        help="store the handling records, or derive them from the number on demand "
                             f"(auto: stored up to {STORE_HANDLING_UP_TO:,} declarations)")
    args = parser.parse_args(argv)
    if args.count < 0:
        parser.error("--count must not be negative")
    start = time.perf_counter()
    try:
        n = write_demo(args.db, args.count, args.seed, handling=args.handling,
                       progress=_progress_printer(args.count, sys.stderr))
    except StoreError as exc:
        print(f"\nerror: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\ninterrupted: nothing was written (the load is one transaction)", file=sys.stderr)
        return 130
    print(f"\n{n:,} declarations written to {args.db} in {time.perf_counter() - start:.1f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
