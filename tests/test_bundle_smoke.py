"""The frozen application (dist/dti) runs: `--version`, the headless `demo` and `gui --screenshot` offscreen.

Skipped unless DTI_BUNDLE_TEST=1 (`make bundle-smoke`, `.ci/run`): building the bundle takes minutes.
The bundle is built (installer/build.py) unless dist/dti/dti is newer than every source it is made of.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from app import __version__

ROOT = Path(__file__).resolve().parent.parent
EXE = ROOT / "dist" / "dti" / ("dti.exe" if os.name == "nt" else "dti")
SOURCES = ("app", "resources", "installer", "pyproject.toml")

pytestmark = pytest.mark.skipif(os.environ.get("DTI_BUNDLE_TEST") != "1",
                                reason="builds the PyInstaller bundle: set DTI_BUNDLE_TEST=1 (make bundle-smoke)")


def newest_source() -> float:
    newest = 0.0
    for name in SOURCES:
        path = ROOT / name
        files = [path] if path.is_file() else (p for p in path.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
        for file in files:
            newest = max(newest, file.stat().st_mtime)
    return newest


@pytest.fixture(scope="module")
def frozen() -> Path:
    if not EXE.is_file() or EXE.stat().st_mtime < newest_source():
        subprocess.run([sys.executable, str(ROOT / "installer" / "build.py")], check=True, cwd=ROOT, timeout=1800)
    assert EXE.is_file()
    return EXE


def run(exe: Path, tmp: Path, *args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DTI_", "PYTHON"))}
    env.update(QT_QPA_PLATFORM="offscreen", DTI_DATA_DIR=str(tmp / "data"), XDG_CONFIG_HOME=str(tmp / "config"),
               HOME=str(tmp / "home"), APPDATA=str(tmp / "appdata"))
    return subprocess.run([str(exe), *args], capture_output=True, text=True, encoding="utf-8", env=env, cwd=tmp,
                          timeout=timeout, check=False)


def test_version(frozen, tmp_path):
    done = run(frozen, tmp_path, "--version")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"dti {__version__}"


def test_demo_and_gui_screenshot(frozen, tmp_path):
    out = tmp_path / "demo"
    done = run(frozen, tmp_path, "demo", "--out", str(out), timeout=900)
    assert done.returncode == 0, done.stderr
    assert (out / "xep-hang.json").is_file() and (out / "bao-cao" / "xep-hang.pdf").is_file()
    shot = tmp_path / "x.png"
    # a commune of the demo: the main window with its Vietnamese indicator tree
    done = run(frozen, tmp_path, "--data-dir", str(out / "X-TT"), "gui", "--screenshot", str(shot))
    assert done.returncode == 0, done.stderr
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 20_000
    done = run(frozen, tmp_path, "gui", "--screenshot", str(tmp_path / "wizard.png"))   # a fresh data folder
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "wizard.png").stat().st_size > 10_000


def test_unknown_command_fails_with_one_line(frozen, tmp_path):
    done = run(frozen, tmp_path, "khong-co-lenh-nay")
    assert done.returncode != 0 and len(done.stderr.strip().splitlines()) == 1
