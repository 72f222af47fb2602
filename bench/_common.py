"""Shared helpers of the benchmarks: memory (RSS), timing, cached databases, child runs.

Benchmarks print figures; they never pass or fail on timing.
"""
from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"  # git-ignored: cached databases and results
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


# ---- memory -----------------------------------------------------------------------------------

def _proc_status(field: str) -> float | None:
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) / 1024.0  # kB -> MB
    except OSError:
        return None
    return None


def _windows_counters() -> tuple[float, float] | None:
    if os.name != "nt":
        return None
    import ctypes
    from ctypes import wintypes

    class Counters(ctypes.Structure):
        _fields_ = [("cb", wintypes.DWORD), ("PageFaultCount", wintypes.DWORD),
                    ("PeakWorkingSetSize", ctypes.c_size_t), ("WorkingSetSize", ctypes.c_size_t),
                    ("QuotaPeakPagedPoolUsage", ctypes.c_size_t), ("QuotaPagedPoolUsage", ctypes.c_size_t),
                    ("QuotaPeakNonPagedPoolUsage", ctypes.c_size_t), ("QuotaNonPagedPoolUsage", ctypes.c_size_t),
                    ("PagefileUsage", ctypes.c_size_t), ("PeakPagefileUsage", ctypes.c_size_t)]

    counters = Counters()
    counters.cb = ctypes.sizeof(Counters)
    handle = ctypes.windll.kernel32.GetCurrentProcess()
    if not ctypes.windll.psapi.GetProcessMemoryInfo(handle, ctypes.byref(counters), counters.cb):
        return None
    return counters.WorkingSetSize / 2**20, counters.PeakWorkingSetSize / 2**20


def rss_mb() -> float:
    """Current resident set size of this process, in MB."""
    win = _windows_counters()
    if win is not None:
        return win[0]
    value = _proc_status("VmRSS")
    if value is not None:
        return value
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def peak_rss_mb() -> float:
    """Peak resident set size of this process so far, in MB."""
    win = _windows_counters()
    if win is not None:
        return win[1]
    value = _proc_status("VmHWM")
    if value is not None:
        return value
    import resource

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (2**20 if sys.platform == "darwin" else 1024.0)


# ---- timing ------------------------------------------------------------------------------------

@contextmanager
def timed(into: list[float]) -> Iterator[None]:
    """Append the elapsed milliseconds of the block to ``into``."""
    t0 = time.perf_counter()
    try:
        yield
    finally:
        into.append((time.perf_counter() - t0) * 1000.0)


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


# ---- cached databases ------------------------------------------------------------------------------

def demo_db(count: int, seed: int | None = None, path: Path | None = None) -> Path:
    """A demo declaration store with ``count`` rows, built once and reused (``bench/out``)."""
    from domain.demo import DEFAULT_SEED

    seed = DEFAULT_SEED if seed is None else seed
    path = path or OUT / f"declarations-{count}-{seed}.db"
    if path.exists():
        try:
            from desktop.core.store import DeclarationStore

            with DeclarationStore(path) as store:
                if store.count() == count and store.meta("demo_seed") == str(seed):
                    return path
        except Exception as exc:  # noqa: BLE001 - rebuild whatever is wrong with it
            print(f"rebuilding {path}: {exc}", file=sys.stderr)
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    print(f"building {path} ({count:,} declarations, once) …", file=sys.stderr, flush=True)
    t0 = time.perf_counter()
    subprocess.check_call([sys.executable, "-m", "desktop.demo_data", "--count", str(count), "--db", str(path),
                           "--seed", str(seed)], cwd=ROOT)
    print(f"built in {time.perf_counter() - t0:.1f} s", file=sys.stderr, flush=True)
    return path


# ---- child processes ----------------------------------------------------------------------------------

def run_child(script: Path, *args: str, timeout: float = 900) -> dict[str, Any]:
    """Run ``script`` in a fresh interpreter and return the JSON it prints last on stdout
    (each scenario gets a clean process, so memory figures do not mix)."""
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    proc = subprocess.run([sys.executable, str(script), *args], capture_output=True, text=True,
                          timeout=timeout, env=env, cwd=ROOT)
    if proc.returncode != 0:
        raise RuntimeError(f"{script.name} {' '.join(args)} failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    lines = [line for line in proc.stdout.splitlines() if line.startswith("{")]
    if not lines:
        raise RuntimeError(f"{script.name} printed no result:\n{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}")
    return json.loads(lines[-1])


def emit(result: dict[str, Any]) -> None:
    print(json.dumps(result), flush=True)
