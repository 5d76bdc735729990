"""The build's view of the package metadata, read from the checkout without importing the application:
the project's name, description and scripts from pyproject.toml, the version from app/__init__.py (the
single source that pyproject's dynamic version also reads). Used by dti.spec and windows/make_iss.py.
"""

from __future__ import annotations

import ast
import tomllib
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Fixed for the life of the product: Windows identifies an installed application (upgrade in place,
# uninstall entry) by this id. Never change it.
APP_ID = "7570048a-7364-4e62-ae3c-1e3af730b07d"
PUBLISHER = "DTI project"
DISPLAY_NAME = "DTI — Chỉ số chuyển đổi số"
# The executables of the one-folder bundle: `dti` (console: every command, `dti FILE`, `dti gui`) and, on
# Windows only, `dti-gui` (no console window: the Start-menu shortcut and the file associations).
CONSOLE_EXE = "dti"
WINDOWED_EXE = "dti-gui"


@dataclass(frozen=True)
class Meta:
    name: str          # the distribution name, e.g. "dti-suite"
    version: str       # app.__version__
    description: str
    console_script: str
    gui_script: str


def read_version(root: Path = ROOT) -> str:
    tree = ast.parse((root / "app" / "__init__.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "__version__" for t in node.targets):
            return str(ast.literal_eval(node.value))
    raise RuntimeError("app/__init__.py has no __version__")


def read(root: Path = ROOT) -> Meta:
    project = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    scripts = project.get("scripts", {})
    gui_scripts = project.get("gui-scripts", {})
    return Meta(name=project["name"], version=read_version(root), description=project.get("description", ""),
                console_script=scripts[CONSOLE_EXE], gui_script=gui_scripts[WINDOWED_EXE])


def numeric_version(version: str) -> str:
    """Windows' four-part numeric form of a version: "0.1.0" -> "0.1.0.0", "1.2.0rc1" -> "1.2.0.0"."""
    parts = []
    for piece in version.split(".")[:4]:
        digits = ""
        for ch in piece:
            if not ch.isdigit():
                break
            digits += ch
        parts.append(str(int(digits or 0)))
    return ".".join(parts + ["0"] * (4 - len(parts)))
