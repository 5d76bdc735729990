"""Data directory resolution (DESIGN §7): option, environment, portable mode, platform default."""

from __future__ import annotations

from pathlib import Path

from app.services.datadir import resolve_data_dir


def test_option_wins(tmp_path: Path):
    assert resolve_data_dir(str(tmp_path / "a"), {"DTI_DATA_DIR": str(tmp_path / "b")}, tmp_path) == tmp_path / "a"


def test_environment_next(tmp_path: Path):
    (tmp_path / "portable").write_text("")
    assert resolve_data_dir(None, {"DTI_DATA_DIR": str(tmp_path / "b")}, tmp_path) == tmp_path / "b"


def test_portable_mode_beside_the_executable(tmp_path: Path):
    (tmp_path / "portable").write_text("")
    assert resolve_data_dir(None, {}, tmp_path) == tmp_path / "data"


def test_platform_default_otherwise(tmp_path: Path):
    got = resolve_data_dir(None, {}, tmp_path)
    assert got.is_absolute() and "DTI" in got.parts and not str(got).startswith(str(tmp_path))
