#!/usr/bin/env python3
"""Start-up time on a 1,000,000-row declaration database, against a bare PySide6 window.

Measures, in child processes (several runs each, median), the time from process start to
"main window shown and the declaration list painted" for the program, and to "window
shown and painted" for a bare ``QMainWindow`` script, and prints both and their ratios
(targets on a quiet machine: painted <= 1.2, fully started <= 1.5, whole id array <= 2). The program prints ``DD_PAINTED <epoch seconds>`` when
``DECLARANT_DESK_TIMING`` is set and closes itself when ``DECLARANT_DESK_EXIT_AFTER_PAINT``
is set.

    python bench/startup.py [--rows 1000000] [--runs 5] [--data DIR] [--cold-ids]
    python bench/startup.py --instructions    # needs valgrind

Each run also starts a "skeleton": the bare window with what the program shows at its first
paint (a menu bar, a filter row, the store's first 40 rows) made of Qt's own classes
only, with no Python model and no use of the ``Qt`` namespace, none of the program's code.
Its ratio is what a first paint of such a window costs at the least in PySide.

``--instructions`` counts the machine instructions each start executes up to its marker
(valgrind's cachegrind, hash seed fixed): the same figures on every run and every
machine load, where times on a shared machine vary by a fifth. It also counts a bare
window whose table has a 20-line Python model: PySide creates the Python enums of the
whole ``Qt`` namespace as soon as a Python model answers the view, which is the floor of
any program with a model of its own.

The database is built once with ``python -m desktop.demo_data`` and kept under
``bench/out/`` (git-ignored) so later runs start at once.
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MARKER = "DD_PAINTED"
READY = "DD_READY"
LISTED = "DD_LISTED"

BARE = r"""
import sys, time
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow, QTableView
app = QApplication(sys.argv)
win = QMainWindow()
table = QTableView()
win.setCentralWidget(table)
win.resize(1280, 800)
class Probe(QObject):
    done = False
    def eventFilter(self, obj, ev):
        if ev.type() == QEvent.Type.Paint and not self.done:
            self.done = True
            QTimer.singleShot(0, lambda: (print("DD_PAINTED %.6f" % time.time(), flush=True), win.close()))
        return False
probe = Probe()
table.viewport().installEventFilter(probe)
win.show()
sys.exit(app.exec())
"""

# The bare window with a Python table model (the floor of a PySide program with its own model).
BARE_MODEL = BARE.replace("table = QTableView()\n", """table = QTableView()
from PySide6.QtCore import QAbstractTableModel
class Model(QAbstractTableModel):
    def rowCount(self, parent=None): return 1000
    def columnCount(self, parent=None): return 10
    def data(self, index, role=0):
        return f"{index.row()}:{index.column()}" if role == 0 else None
    def headerData(self, section, orientation, role=0):
        return f"Column {section}" if role == 0 else None
model = Model()
table.setModel(model)
""")
assert BARE_MODEL != BARE

# The bare window as the program looks at its first paint, made of Qt's own classes only: a
# menu bar, a filter row, and the first 40 rows of the store (sqlite3) in a
# QStandardItemModel; no Python model and no access to the ``Qt`` namespace: what a first
# paint of such a window costs at the least. The store's path is the first argument.
SKELETON = BARE.replace("table = QTableView()\n", """table = QTableView()
import sqlite3
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget
for title in ("&Hệ thống", "&Tờ khai", "&Đánh giá", "&Doanh nghiệp", "&Công cụ", "&Trợ giúp"):
    win.menuBar().addMenu(title)
central = QWidget()
column = QVBoxLayout(central)
row = QHBoxLayout()
column.addLayout(row)
row.addWidget(QLabel("Tìm:"))
row.addWidget(QLineEdit())
for choices in (["Tất cả", "Thông quan", "Giải phóng hàng"], ["Mọi luồng", "Xanh", "Vàng", "Đỏ"]):
    box = QComboBox()
    box.addItems(choices)
    row.addWidget(box)
row.addWidget(QPushButton("Lọc"))
column.addWidget(table)
model = QStandardItemModel(0, 10)
model.setHorizontalHeaderLabels(["Số tờ khai", "Ngày đăng ký", "Chi cục", "Loại hình", "Đối tác", "Vận đơn",
                                 "Hóa đơn", "Trị giá", "Trạng thái", "Luồng"])
store = sqlite3.connect(sys.argv[1])
for r in store.execute("SELECT number, registered_at, office_code, type_code, partner_id, bill_of_lading, "
                       "invoice_no, invoice_value, status, channel FROM declarations "
                       "ORDER BY registered_at DESC, id DESC LIMIT 40"):
    model.appendRow([QStandardItem("" if v is None else str(v)) for v in r])
table.setModel(model)
win.statusBar().showMessage("40")
""").replace("win.setCentralWidget(table)\n", "").replace("win.resize(1280, 800)\n", "win.setCentralWidget(central)\nwin.resize(1280, 800)\n")
assert SKELETON.count("setCentralWidget(central)") == 1

# Run a program and end it at the first line of its standard output that starts with a
# marker (so that an instruction count stops there):
#   python -c EXIT_AT MARKER -c CODE        or        python -c EXIT_AT MARKER -m MODULE ARGS...
EXIT_AT = r"""
import os, runpy, sys
marker, how, target, *rest = sys.argv[1:]
class _Out:
    def __init__(self, out):
        self.out = out
    def write(self, text):
        n = self.out.write(text)
        if text.startswith(marker):
            self.out.flush()
            os._exit(0)
        return n
    def __getattr__(self, name):
        return getattr(self.out, name)
sys.stdout = _Out(sys.stdout)
if how == "-c":
    sys.argv = ["-c", *rest]
    exec(compile(target, "<bench>", "exec"), {"__name__": "__main__"})
else:
    sys.argv = [target, *rest]
    runpy.run_module(target, run_name="__main__", alter_sys=True)
"""


def count_instructions(args: list[str], env: dict[str, str]) -> int:
    """Instructions the process executes (valgrind's cachegrind, no cache simulation)."""
    proc = subprocess.run(["valgrind", "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null",
                           *args], cwd=ROOT, env={**env, "PYTHONHASHSEED": "0"}, capture_output=True, text=True,
                          timeout=900)
    found = re.search(r"I\s+refs:\s+([\d,]+)", proc.stderr)
    if found is None:
        raise RuntimeError(f"no instruction count from {' '.join(args[:4])}:\n{proc.stderr[-2000:]}")
    return int(found.group(1).replace(",", ""))


def instructions(program: list[str], env: dict[str, str], store: Path) -> int:
    """The ``--instructions`` report."""
    if shutil.which("valgrind") is None:
        print("--instructions needs valgrind (Debian: apt install valgrind)", file=sys.stderr)
        return 2
    py = sys.executable
    measure(program, env, wait_ready=True)  # the saved id array exists, as in the timed runs
    args = program[1:]  # after the interpreter: -m desktop --data-dir DIR
    counts = {
        "bare": count_instructions([py, "-c", EXIT_AT, MARKER, "-c", BARE], env),
        "model": count_instructions([py, "-c", EXIT_AT, MARKER, "-c", BARE_MODEL], env),
        "skeleton": count_instructions([py, "-c", EXIT_AT, MARKER, "-c", SKELETON, str(store)], env),
        "painted": count_instructions([py, "-c", EXIT_AT, MARKER, *args], env),
        "ready": count_instructions([py, "-c", EXIT_AT, READY, *args], env),
    }
    b = counts["bare"]
    print("instructions to the marker (valgrind cachegrind; the same on every run)")
    print(f"bare QMainWindow               {b / 1e6:8.0f} M")
    print(f"bare window, Python model      {counts['model'] / 1e6:8.0f} M  ratio {counts['model'] / b:.2f}"
          "  (the floor of a program with its own model)")
    print(f"bare window as the program     {counts['skeleton'] / 1e6:8.0f} M  ratio {counts['skeleton'] / b:.2f}"
          "  (Qt's own widgets and model, first 40 rows: the floor of the first paint)")
    print(f"Declarant Desk painted         {counts['painted'] / 1e6:8.0f} M  ratio {counts['painted'] / b:.2f}"
          "  (target <= 1.2)")
    print(f"Declarant Desk fully started   {counts['ready'] / 1e6:8.0f} M  ratio {counts['ready'] / b:.2f}"
          "  (target <= 1.5)")
    return 0

def ensure_database(data_dir: Path, rows: int, *, rebuild: bool = False) -> Path:
    db = data_dir / "declarations.db"
    stamp = data_dir / f".rows-{rows}"
    if db.exists() and stamp.exists() and not rebuild:
        return db
    stamp.unlink(missing_ok=True)
    data_dir.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(str(db) + suffix).unlink(missing_ok=True)
    print(f"building a {rows:,}-row database in {db} (once) ...", file=sys.stderr, flush=True)
    t = time.perf_counter()
    subprocess.run([sys.executable, "-m", "desktop.demo_data", "--count", str(rows), "--db", str(db)],
                   cwd=ROOT, check=True)
    print(f"  built in {time.perf_counter() - t:.1f} s", file=sys.stderr, flush=True)
    stamp.write_text(str(rows))
    return db


def measure(args: list[str], env: dict[str, str], timeout: float = 120.0, *,
            wait_ready: bool = False) -> tuple[float, float | None, float | None]:
    """Seconds to (painted, services+plugins ready, whole list loaded) for one child process."""
    start = time.time()
    proc = subprocess.Popen(args, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    painted = ready = listed = None
    assert proc.stdout is not None
    deadline = start + timeout
    for line in proc.stdout:
        if line.startswith(MARKER):
            painted = float(line.split()[1])
        elif line.startswith(READY):
            ready = float(line.split()[1])
        elif line.startswith(LISTED):
            listed = float(line.split()[1])
        if painted is not None and (not wait_ready or (ready is not None and listed is not None)):
            break
        if time.time() > deadline:
            break
    try:
        proc.wait(timeout=max(1.0, deadline - time.time()))
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    if painted is None:
        err = proc.stderr.read() if proc.stderr else ""
        raise RuntimeError(f"no {MARKER} marker from {' '.join(args[:4])}:\n{err[-2000:]}")
    return (painted - start, ready - start if ready is not None else None,
            listed - start if listed is not None else None)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--rows", type=int, default=1_000_000)
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--data", type=Path, default=None, help="data dir for the program (default bench/out/startup-<rows>)")
    p.add_argument("--rebuild", action="store_true", help="build the database again (after a store schema change)")
    p.add_argument("--cold-ids", action="store_true",
                   help="delete the saved id array before each start (the first start after the store changed)")
    p.add_argument("--instructions", action="store_true",
                   help="count instructions instead of timing (valgrind): figures that do not vary with load")
    a = p.parse_args(argv)
    data_dir = (a.data or ROOT / "bench" / "out" / f"startup-{a.rows}").resolve()
    store = ensure_database(data_dir, a.rows, rebuild=a.rebuild)
    # An installed program ships byte-compiled modules; compile ours the same way so that
    # the figure does not include compiling sources (PYTHONDONTWRITEBYTECODE may be set).
    compile_env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    subprocess.run([sys.executable, "-m", "compileall", "-q", "desktop", "domain", "plugins"],
                   cwd=ROOT, env=compile_env, check=True)
    env = {**os.environ, "DECLARANT_DESK_TIMING": "1", "DECLARANT_DESK_EXIT_AFTER_PAINT": "1",
           "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    env.pop("DECLARANT_DESK_HOME", None)
    program = [sys.executable, "-m", "desktop", "--data-dir", str(data_dir)]
    bare = [sys.executable, "-c", BARE]
    skeleton = [sys.executable, "-c", SKELETON, str(store)]
    if a.instructions:
        return instructions(program, env, store)
    # one warm-up run each (file cache, .pyc), not counted
    measure(bare, env)
    measure(skeleton, env)
    measure(program, env, wait_ready=True)
    times_bare, times_skeleton, times_prog, times_ready, times_listed = [], [], [], [], []
    saved_ids = data_dir / "declarations.db.ids"
    for i in range(a.runs):
        times_bare.append(measure(bare, env)[0])
        times_skeleton.append(measure(skeleton, env)[0])
        if a.cold_ids:
            saved_ids.unlink(missing_ok=True)
        painted, ready, listed = measure(program, env, wait_ready=True)
        times_prog.append(painted)
        if ready is not None:
            times_ready.append(ready)
        if listed is not None:
            times_listed.append(listed)
        print(f"run {i + 1}: bare {times_bare[-1] * 1000:6.0f} ms, skeleton {times_skeleton[-1] * 1000:6.0f} ms"
              f" | program: painted {painted * 1000:6.0f} ms"
              + (f", all ids {listed * 1000:6.0f} ms" if listed is not None else "")
              + (f", services+plugins {ready * 1000:6.0f} ms" if ready is not None else ""), flush=True)
    b, pr = statistics.median(times_bare), statistics.median(times_prog)
    print(f"platform          {env['QT_QPA_PLATFORM']} (project modules byte-compiled, as installed)")
    print(f"saved id array    {'deleted before each start (--cold-ids)' if a.cold_ids else 'used (a start after one with the same store)'}")
    print(f"rows              {a.rows:,}")
    print(f"bare QMainWindow  {b * 1000:7.0f} ms (median of {a.runs})")
    sk = statistics.median(times_skeleton)
    print(f"skeleton window   {sk * 1000:7.0f} ms (median of {a.runs}; ratio {sk / b:.2f}: Qt's own widgets and model with "
          "menus, a filter row and 40 rows, no Python model: the floor of the first paint)")
    print(f"Declarant Desk    {pr * 1000:7.0f} ms (median of {a.runs}; window shown, list painted with its first rows)")
    print(f"ratio             {pr / b:7.2f}  (target <= 1.2)")
    bmin, pmin = min(times_bare), min(times_prog)
    print(f"best runs         bare {bmin * 1000:.0f} ms, program {pmin * 1000:.0f} ms, ratio {pmin / bmin:.2f}"
          "  (least disturbed by other load on the machine)")
    if times_listed:
        ls = statistics.median(times_listed)
        print(f"whole id array    {ls * 1000:7.0f} ms (all {a.rows:,} rows scrollable; ratio {ls / b:.2f}, target <= 2)")
    if times_ready:
        rd = statistics.median(times_ready)
        print(f"fully started     {rd * 1000:7.0f} ms (services installed, plugins loaded; ratio {rd / b:.2f}, target <= 1.5)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
