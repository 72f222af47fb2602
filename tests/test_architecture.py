"""The architecture's import boundaries ([tool.importlinter] in pyproject.toml), checked
by import-linter's ``lint-imports``: domain imports no Qt/desktop/server, plugins import only
``desktop.plugin_api`` and ``domain``, the server imports nothing from the desktop program,
and the Qt-free core imports no PySide6."""
from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import require_tool

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("desktop", "domain", "server", "plugins")


def _lint_imports() -> str | None:
    here = Path(sys.executable).parent / "lint-imports"
    return str(here) if here.exists() else shutil.which("lint-imports")


def _run(tool: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([tool, "--no-cache"], cwd=cwd, capture_output=True, text=True, timeout=120,
                          env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(cwd)})


def test_import_contracts_are_kept():
    tool = _lint_imports()
    require_tool(tool is not None, "import-linter (lint-imports)")
    result = _run(tool, ROOT)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "0 broken" in result.stdout


def test_a_plugin_reaching_into_the_host_breaks_a_contract(tmp_path):
    tool = _lint_imports()
    require_tool(tool is not None, "import-linter (lint-imports)")
    ignore = shutil.ignore_patterns("__pycache__", "*.qm", "*.ts", "static", "templates", "i18n")
    for name in PACKAGES:
        shutil.copytree(ROOT / name, tmp_path / name, ignore=ignore)
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    bad = tmp_path / "plugins" / "example" / "plugin.py"
    bad.write_text(bad.read_text(encoding="utf-8") + "\nfrom desktop.hostapi import HostEvents  # noqa\n",
                   encoding="utf-8")
    result = _run(tool, tmp_path)
    assert result.returncode != 0
    assert "plugins import only the public plugin API" in result.stdout and "BROKEN" in result.stdout
    assert "plugins.example.plugin -> desktop.hostapi" in result.stdout


# ---- sizes ----------------------------------------------------------------------------------------

MAX_CLASS_LINES = 400
MAX_FUNCTION_LINES = 80
SIZE_CHECKED = ("desktop", "domain", "server", "plugins", "installer")


def _oversized(tree: "ast.Module", where: str) -> list[str]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef):
            limit, kind = MAX_CLASS_LINES, "class"
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            limit, kind = MAX_FUNCTION_LINES, "function"
        else:
            continue
        lines = node.end_lineno - node.lineno + 1
        if lines > limit:
            found.append(f"{where}:{node.lineno} {kind} {node.name}: {lines} lines (at most {limit})")
    return found


def _sources() -> list[Path]:
    return sorted(p for name in SIZE_CHECKED for p in (ROOT / name).rglob("*.py")
                  if "__pycache__" not in p.parts and "migrations" not in p.parts)


def test_no_class_over_400_lines_and_no_function_over_80():
    """Outside tests, benches and migrations, a class fits in 400 lines and a function in 80."""
    found = []
    for path in _sources():
        found += _oversized(ast.parse(path.read_text(encoding="utf-8")), str(path.relative_to(ROOT)))
    assert found == [], "\n".join(found)


def test_the_size_rule_sees_a_long_function():
    body = "\n".join(f"        x{i} = {i}" for i in range(MAX_FUNCTION_LINES))
    tree = ast.parse(f"class Small:\n    def long(self):\n{body}\n")
    assert _oversized(tree, "m.py") == [f"m.py:2 function long: {MAX_FUNCTION_LINES + 1} lines (at most 80)"]
    assert _oversized(ast.parse("def short():\n    return 1\n"), "m.py") == []
