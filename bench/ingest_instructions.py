#!/usr/bin/env python3
"""Machine instructions per ingested item (SQLite, in-process), counted with valgrind.

Times on a shared machine vary by a fifth from one minute to the next, so a change of a
few per cent in the ingest cannot be seen in ``bench/server_ingest.py``. This script runs
the ingest of ``bench/server_ingest.py``'s items (final assessments, three targets each, a
fifth of the ratings 1–2★) in batches of 500 under valgrind's cachegrind, once with a
warm-up batch only and once with ``--items`` more, and prints the difference per item:
the same figure on every run. ``--parts`` also counts it with one part of the ingest left
out at a time (the content screening, the shared validation rules, the report summaries,
the cases), to show what each part costs.

    python bench/ingest_instructions.py [--items 1000] [--parts]

``--http`` also counts the whole server over HTTP: ``python -m server serve`` runs under
valgrind and the items are posted in batches of 500 (a warm-up batch, then ``--items``
more; the difference per item), so the body, the request model, the answer and the
server's garbage collector are counted too, which the in-process count leaves out.

It counts instructions, not time: SQLite's cache misses and the disk are not in it (nor
a garbage collection's, which are mostly memory waits). The items/s figures stay those of
``bench/server_ingest.py``.
"""
from __future__ import annotations

import argparse
import os
import pickle
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

BATCH = 500
_CACHEGRIND = ("valgrind", "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null")
PARTS = {  # what a ``--parts`` run leaves out, and how
    "content screening": "screen",
    "validation rules (assessment)": "validate",
    "report summaries": "summaries",
    "cases": "cases",
}


def _child(data_dir: str, count: int, leave_out: str) -> None:
    """Ingest a warm-up batch and then ``count`` items (run under valgrind)."""
    os.environ.setdefault("DD_SERVER_ARGON2", "low")
    work = tempfile.mkdtemp(prefix="dd-ir-")
    try:
        shutil.copy(Path(data_dir) / "bench.db", Path(work) / "bench.db")
        items = pickle.loads((Path(data_dir) / "items.pickle").read_bytes())
        from server import ingest as ingest_module, report_store
        from server.app import tune_gc
        from server.db import Database

        if leave_out == "screen":
            ingest_module.screen = lambda item: None
        elif leave_out == "validate":
            ingest_module._VALIDATORS["assessment"] = lambda payload, **_kw: payload
        elif leave_out == "summaries":
            report_store.counts_of = lambda *_a, **_kw: report_store.Counts()
        elif leave_out == "cases":
            ingest_module._plan_openings = lambda *_a, **_kw: None  # no cases planned, none opened
        from server_ingest import BENCH

        db = Database(f"sqlite:///{work}/bench.db")
        tune_gc()

        def run(chunk: list[dict]) -> None:
            ingest_module.ingest(db, BENCH.tax_code, [
                ingest_module.Item(id=i["id"], kind=i["kind"], schema=i["schema"], payload=i["payload"],
                                   created_at=i["created_at"]) for i in chunk])

        run(items[:BATCH])
        for start in range(BATCH, BATCH + count, BATCH):
            run(items[start:start + BATCH])
        db.dispose()
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _count(data_dir: str, count: int, leave_out: str) -> int:
    proc = subprocess.run([*_CACHEGRIND, sys.executable, __file__, "--child", data_dir, str(count), leave_out],
                          cwd=ROOT, env={**os.environ, "PYTHONHASHSEED": "0"}, capture_output=True, text=True,
                          timeout=1800)
    refs = _refs(proc.stderr)
    if proc.returncode != 0 or refs is None:
        raise SystemExit(f"the counted run failed:\n{proc.stderr[-3000:]}")
    return refs


def _refs(valgrind_stderr: str) -> int | None:
    """The instruction count in valgrind's summary."""
    found = re.search(r"I\s+refs:\s+([\d,]+)", valgrind_stderr)
    return None if found is None else int(found.group(1).replace(",", ""))


def per_item(data_dir: str, items: int, leave_out: str = "") -> float:
    return (_count(data_dir, items, leave_out) - _count(data_dir, 0, leave_out)) / items


def _count_http(data_dir: str, count: int) -> int:
    """Instructions of a server process (under valgrind) that answers a warm-up batch and
    ``count`` more items, from its start to its end."""
    from server_ingest import login, send, start_server

    work = tempfile.mkdtemp(prefix="dd-ir-http-")
    try:
        shutil.copy(Path(data_dir) / "bench.db", Path(work) / "bench.db")
        items = pickle.loads((Path(data_dir) / "items.pickle").read_bytes())
        proc, base = start_server(f"sqlite:///{work}/bench.db", 1, wrapper=_CACHEGRIND,
                                  env_extra={"PYTHONHASHSEED": "0"}, timeout=600)
        try:
            send(base, login(base, timeout=600), items[:BATCH + count], BATCH, timeout=1800)
        finally:
            proc.terminate()
            err = proc.communicate(timeout=1800)[1].decode(errors="replace")
        refs = _refs(err)
        if refs is None:
            raise SystemExit(f"no instruction count from the server:\n{err[-3000:]}")
        return refs
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main() -> int:
    if len(sys.argv) == 5 and sys.argv[1] == "--child":
        _child(sys.argv[2], int(sys.argv[3]), sys.argv[4])
        return 0
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--items", type=int, default=1000, help="items counted (a multiple of 500)")
    p.add_argument("--parts", action="store_true", help="also count with each part of the ingest left out")
    p.add_argument("--http", action="store_true", help="also count the whole server over HTTP")
    a = p.parse_args()
    if shutil.which("valgrind") is None:
        print("this benchmark needs valgrind (Debian: apt install valgrind)", file=sys.stderr)
        return 2
    items = max(BATCH, a.items // BATCH * BATCH)
    sys.path.insert(0, str(ROOT / "bench"))
    os.environ.setdefault("DD_SERVER_ARGON2", "low")
    import server_ingest

    with tempfile.TemporaryDirectory(prefix="dd-ir-data-") as data_dir:
        decls = server_ingest.prepare_database(f"sqlite:///{data_dir}/bench.db", items + BATCH + 500)
        (Path(data_dir) / "items.pickle").write_bytes(
            pickle.dumps(server_ingest.make_items(decls[:items + BATCH], 1)))
        whole = per_item(data_dir, items)
        print(f"instructions per ingested item (SQLite, in-process, batches of {BATCH}, {items:,} items): "
              f"{whole / 1000:,.0f} k")
        if a.http:
            http = (_count_http(data_dir, items) - _count_http(data_dir, 0)) / items
            print(f"the same over HTTP (the whole server process, batches of {BATCH}): {http / 1000:,.0f} k")
        if a.parts:
            for label, leave_out in PARTS.items():
                part = whole - per_item(data_dir, items, leave_out)
                print(f"  {label:32s} {part / 1000:7,.0f} k  ({100 * part / whole:4.1f} %)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
