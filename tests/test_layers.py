"""The layering of DESIGN §2, checked on the source: imports point down only."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

APP = Path(__file__).resolve().parent.parent / "app"
QT = ("PySide6", "shiboken6", "PyQt5", "PyQt6")
HEAVY = ("PySide6", "sqlalchemy", "openpyxl", "reportlab", "pikepdf", "yaml", "pyhanko", "cryptography")

# Rank of each top-level subpackage: a module may import its own subpackage and lower ranks.
RANK = {"scoring": 0, "frameworks": 1, "entries": 1, "models": 1, "evidence": 1, "packages": 1, "trust": 1, "reports": 1,
        "services": 2, "cli": 3, "ui": 3}
# `dti gui` is one command of the same executable (DESIGN §7): the CLI launches the GUI and nothing more.
LAUNCHERS = {("cli/gui_cmd.py", "app.ui.app")}
SHARED = {"__init__", "__main__", "errors", "atomicfile", "paths", "xlsx_guard"}  # import nothing of app/: usable anywhere


def imports_of(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
    return names


def modules():
    for path in APP.rglob("*.py"):
        parts = path.relative_to(APP).with_suffix("").parts
        yield path, parts[0]


def test_only_ui_imports_qt():
    offenders = [f"{p.relative_to(APP)}: {name}" for p, top in modules() if top != "ui"
                 for name in imports_of(p) if name.split(".")[0] in QT]
    assert offenders == []


def test_scoring_imports_only_itself_and_the_standard_library():
    allowed_std = set(sys.stdlib_module_names)
    offenders = []
    for p, top in modules():
        if top != "scoring":
            continue
        for name in imports_of(p):
            root = name.split(".")[0]
            outside_scoring = root == "app" and not name.startswith("app.scoring")
            not_stdlib = root not in ("app", "__future__") and root not in allowed_std
            if outside_scoring or not_stdlib:
                offenders.append(f"{p.name}: {name}")
    assert offenders == []


def test_importing_scoring_loads_no_heavy_library():
    code = ("import sys, app.scoring, app.scoring.explain; "
            f"print([m for m in {HEAVY!r} if m in sys.modules or m.lower() in sys.modules])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_cli_start_loads_no_heavy_library():
    """`dti --version` must start fast: the parser module imports nothing heavy."""
    code = ("import sys; from app.cli.main import build_parser; build_parser(); "
            f"print([m for m in {HEAVY!r} if m in sys.modules])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_imports_point_down():
    offenders = []
    for p, top in modules():
        if top in SHARED or (p.name == "__init__.py" and p.parent == APP):
            continue
        mine = RANK.get(top)
        assert mine is not None, f"{p.relative_to(APP)}: subpackage '{top}' has no layer in this test"
        for name in imports_of(p):
            parts = name.split(".")
            if parts[0] != "app" or len(parts) < 2 or parts[1] in SHARED or parts[1] == top:
                continue
            theirs = RANK.get(parts[1])
            if (p.relative_to(APP).as_posix(), name) in LAUNCHERS:
                continue
            if theirs is None or theirs >= mine:
                offenders.append(f"{p.relative_to(APP)} imports {name}")
    assert offenders == []
