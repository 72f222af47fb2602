"""Demo start-up: a quiet log, and a list that says it is loading instead of "0"."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_importing_the_embedded_server_leaves_no_alembic_chatter_in_the_log(tmp_path):
    # a fresh interpreter: Alembic logs while it is imported, which happens only once per process
    script = (
        "import logging, sys\n"
        "from pathlib import Path\n"
        "from desktop import logs\n"
        "logs.setup(Path(sys.argv[1]))\n"
        "from desktop.demo import DemoServer\n"
        "assert DemoServer.available()\n"
        "logging.getLogger('desktop.demo').info('after the import')\n"
        "for h in logging.getLogger().handlers: h.flush()\n"
    )
    subprocess.run([sys.executable, "-c", script, str(tmp_path)], check=True, cwd=ROOT, timeout=120)
    text = (tmp_path / "declarant-desk.log").read_text("utf-8")
    assert "after the import" in text  # the log works at INFO level
    assert "alembic" not in text
