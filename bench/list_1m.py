"""Benchmark of the declaration list on 1,000,000 declarations.

    python bench/list_1m.py [--count 1000000] [--repeat 5]

Runs two fresh processes on the same machine, in the same run:

* **baseline** — a bare ``QMainWindow`` with an empty ``QTableView``: its time to paint
  and its peak RSS;
* **list** — the main-window-sized ``DeclarationListView`` on a cached demo store
  (``bench/out``), timing, from the moment the change is requested until the rows are
  painted: no filter, a status filter, a number-prefix search, number searches anywhere
  in the number (trigram index; printed as ratios to the prefix search), sort by date descending
  (from another sort), and scrolling to the last row. It also reports when the whole id
  array has arrived (the count is final) and the peak RSS.

Figures are printed with their ratio to the baseline and to the targets (150 ms per
step, 80 MB of extra peak RSS over the bare window); nothing passes or fails.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import demo_db, emit, median, peak_rss_mb, rss_mb, run_child  # noqa: E402

TARGET_MS = 150.0
TARGET_MB = 80.0


def _app():
    from PySide6.QtWidgets import QApplication

    return QApplication.instance() or QApplication(sys.argv[:1])


def child_baseline(repeat: int) -> None:
    from PySide6.QtCore import QStringListModel
    from PySide6.QtWidgets import QMainWindow, QTableView

    app = _app()
    t0 = time.perf_counter()
    win = QMainWindow()
    table = QTableView(win)
    table.setModel(QStringListModel([], table))
    win.setCentralWidget(table)
    win.resize(1280, 800)
    win.show()
    app.processEvents()
    table.viewport().repaint()
    startup = (time.perf_counter() - t0) * 1000
    paints = []
    for _ in range(repeat):
        t = time.perf_counter()
        table.viewport().repaint()
        app.processEvents()
        paints.append((time.perf_counter() - t) * 1000)
    emit({"startup_ms": startup, "paint_ms": median(paints), "rss_mb": rss_mb(), "peak_rss_mb": peak_rss_mb()})


def child_list(db: str, repeat: int) -> None:
    from PySide6.QtCore import QEventLoop, Qt, QTimer
    from PySide6.QtWidgets import QMainWindow

    from desktop.core.query import DeclarationFilter, Sort
    from desktop.declarations.view import DeclarationListView

    app = _app()
    win = QMainWindow()
    t0 = time.perf_counter()
    view = DeclarationListView(Path(db), win)
    win.setCentralWidget(view)
    win.resize(1280, 800)
    win.show()
    model = view.model

    def wait(signal_names: tuple[str, ...], timeout_s: float = 60.0) -> None:
        loop = QEventLoop()
        hits = []

        def hit(*_a) -> None:
            hits.append(1)
            loop.quit()

        sources = {"first": model.first_rows_ready, "finished": view.query_finished, "failed": model.query_failed}
        for name in signal_names:
            sources[name].connect(hit)
        QTimer.singleShot(int(timeout_s * 1000), loop.quit)
        if not hits:
            loop.exec()
        for name in signal_names:
            sources[name].disconnect(hit)
        if not hits:
            raise RuntimeError(f"no {signal_names} within {timeout_s} s")
        if model.error:
            raise RuntimeError(model.error)

    def painted() -> None:
        view.table.viewport().repaint()  # paints the visible rows (fetching their block)

    wait(("first", "finished"))
    painted()
    first_window = (time.perf_counter() - t0) * 1000
    wait(("finished",))
    complete_startup = (time.perf_counter() - t0) * 1000
    results: dict[str, dict[str, list[float]]] = {}

    def measure(name: str, action, reset) -> None:
        firsts, totals, counts = [], [], []
        for _ in range(repeat):
            reset()
            wait(("finished",))
            t = time.perf_counter()
            action()
            wait(("first", "finished"))
            painted()
            firsts.append((time.perf_counter() - t) * 1000)
            if not model.complete:
                wait(("finished",))
            totals.append((time.perf_counter() - t) * 1000)
            counts.append(model.rowCount())
        results[name] = {"first_ms": firsts, "complete_ms": totals, "rows": counts}

    everything = DeclarationFilter()
    measure("no filter", lambda: view.set_filter(everything),
            lambda: view.set_filter(DeclarationFilter(statuses={"new"})))
    measure("status filter (cleared)", lambda: view.set_filter(DeclarationFilter(statuses={"cleared"})),
            lambda: view.set_filter(DeclarationFilter(statuses={"new"})))
    prefix = (model.number_at(0) or "1012")[:5]
    measure(f"search number prefix {prefix}", lambda: view.set_filter(DeclarationFilter(search=prefix)),
            lambda: view.set_filter(everything))
    # the last digits of a number, as declarants type them (trigram index)
    inner = (model.number_at(model.rowCount() // 2) or "101088740120")[-7:-1]
    measure(f"search number digits {inner}", lambda: view.set_filter(DeclarationFilter(search=inner)),
            lambda: view.set_filter(everything))
    measure("search number digits 088", lambda: view.set_filter(DeclarationFilter(search="088")),
            lambda: view.set_filter(everything))
    col = model.column_index("registered_at")
    measure("sort by date desc", lambda: view.table.sortByColumn(col, Qt.SortOrder.DescendingOrder),
            lambda: (view.set_filter(everything), view.set_sort(Sort("number", False))))

    # beyond the required steps: the assessment plugin's "not yet rated" view, a partner search
    from desktop.core.query import MarkFilter
    from domain.codes import ASSESSMENT_STATUSES

    measure("(extra) unrated view (mark filter)",
            lambda: view.set_filter(DeclarationFilter(statuses=ASSESSMENT_STATUSES,
                                                      mark=MarkFilter("satisfaction", present=False))),
            lambda: view.set_filter(DeclarationFilter(statuses={"new"})))
    measure("(extra) partner search 'samsung'", lambda: view.set_filter(DeclarationFilter(search="samsung")),
            lambda: view.set_filter(DeclarationFilter(statuses={"new"})))

    # scroll to the last row of the full list
    view.set_filter(everything)
    view.set_sort(Sort("registered_at", True))
    wait(("finished",))
    scrolls = []
    for _ in range(repeat):
        view.table.scrollToTop()
        painted()
        t = time.perf_counter()
        view.table.setFocus()
        view.table.scrollToBottom()
        view.table.setCurrentIndex(model.index(model.rowCount() - 1, 0))
        painted()
        app.processEvents()
        scrolls.append((time.perf_counter() - t) * 1000)
    results["scroll to last row"] = {"first_ms": scrolls, "complete_ms": scrolls, "rows": [model.rowCount()]}
    last_ok = view.current_number() == model.number_at(model.rowCount() - 1)
    view.close_store()
    emit({"results": results, "startup_first_ms": first_window, "startup_complete_ms": complete_startup,
          "rss_mb": rss_mb(), "peak_rss_mb": peak_rss_mb(), "last_row_current": last_ok})


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--db", type=Path, help="use this store instead of the cached demo one")
    parser.add_argument("--child", choices=("baseline", "list"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child == "baseline":
        child_baseline(args.repeat)
        return 0
    if args.child == "list":
        child_list(str(args.db), args.repeat)
        return 0

    db = args.db or demo_db(args.count)
    script = Path(__file__).resolve()
    base = run_child(script, "--child", "baseline", "--repeat", str(args.repeat))
    lst = run_child(script, "--child", "list", "--db", str(db), "--repeat", str(args.repeat))
    rows = lst["results"]["no filter"]["rows"][0]
    print(f"declaration list benchmark: {rows:,} declarations in {db}")
    print(f"baseline (bare QMainWindow + empty QTableView, same run): window shown and painted in "
          f"{base['startup_ms']:.0f} ms, peak RSS {base['peak_rss_mb']:.0f} MB")
    print(f"list window: first rows painted {lst['startup_first_ms']:.0f} ms after creation "
          f"(×{lst['startup_first_ms'] / max(base['startup_ms'], 1):.1f} the bare window), "
          f"count final after {lst['startup_complete_ms']:.0f} ms\n")
    print(f"{'step (median of %d)' % args.repeat:34s} {'first rows':>11s} {'÷target':>8s} {'count final':>12s} {'rows':>10s}")
    for name, r in lst["results"].items():
        first = median(r["first_ms"])
        complete = median(r["complete_ms"])
        print(f"{name:34s} {first:9.1f}ms {first / TARGET_MS:8.2f} {complete:10.1f}ms {r['rows'][-1]:>10,}")
    names = list(lst["results"])
    prefix_name = next(n for n in names if n.startswith("search number prefix"))
    prefix_ms = median(lst["results"][prefix_name]["first_ms"])
    print(f"\nnumber search anywhere vs. prefix ({prefix_name}, {prefix_ms:.1f} ms, same run):")
    for name in (n for n in names if n.startswith("search number digits")):
        ms = median(lst["results"][name]["first_ms"])
        print(f"  {name:32s} {ms:9.1f}ms  ×{ms / max(prefix_ms, 0.1):.2f} the prefix search")
    extra = lst["peak_rss_mb"] - base["peak_rss_mb"]
    print(f"\npeak RSS: list {lst['peak_rss_mb']:.0f} MB, bare window {base['peak_rss_mb']:.0f} MB, "
          f"extra {extra:.0f} MB (÷target {extra / TARGET_MB:.2f}); current RSS after the run "
          f"{lst['rss_mb']:.0f} MB")
    print(f"last row reached and current: {lst['last_row_current']}")
    print(f"targets: each step ≤ {TARGET_MS:.0f} ms to first rows, extra peak RSS ≤ {TARGET_MB:.0f} MB "
          "(÷target ≤ 1.00 meets it)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
