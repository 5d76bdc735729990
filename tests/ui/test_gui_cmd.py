"""`dti gui --screenshot`: renders offscreen and exits, in a child process (its own QApplication and an
isolated settings folder, as a real start would have)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from app.cli.gui_cmd import parse_size
from app.errors import UserError


def _dti(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_CONFIG_HOME": str(tmp_path / "config"),
           "HOME": str(tmp_path / "home"), "DTI_LANG": "vi"}
    env.pop("DTI_DATA_DIR", None)
    return subprocess.run([sys.executable, "-m", "app", *args], capture_output=True, text=True, env=env, timeout=120,
                          cwd=Path(__file__).resolve().parents[2])


def test_screenshot_of_the_main_window_at_the_requested_size(tmp_path: Path, hy_unit: Path):
    out = tmp_path / "shots" / "main.png"
    done = _dti(tmp_path, "--data-dir", str(hy_unit), "gui", "--screenshot", str(out), "--size", "1024x700")
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    image = QImage(str(out))
    assert (image.width(), image.height()) == (1024, 700)


def test_screenshot_without_a_unit_shows_the_wizard(tmp_path: Path):
    out = tmp_path / "wizard.png"
    done = _dti(tmp_path, "--data-dir", str(tmp_path / "empty"), "gui", "--screenshot", str(out))
    assert done.returncode == 0, done.stderr
    assert (QImage(str(out)).width(), QImage(str(out)).height()) == (1280, 800)
    assert not (tmp_path / "empty").exists()   # looking creates nothing


def test_a_bad_size_is_one_line(tmp_path: Path):
    done = _dti(tmp_path, "--data-dir", str(tmp_path), "gui", "--screenshot", str(tmp_path / "x.png"), "--size", "big")
    assert done.returncode != 0
    assert done.stderr.count("\n") == 1 and "RỘNGxCAO" in done.stderr


def test_parse_size():
    assert parse_size("800x600") == (800, 600)
    assert parse_size(" 1920 × 1080 ") == (1920, 1080)
    for bad in ("", "10x10", "800", "axb"):
        with pytest.raises(UserError):
            parse_size(bad)
