"""Atomic writes and durable folders (app/atomicfile.py)."""

from __future__ import annotations

import os

import pytest

from app import atomicfile


def test_an_output_in_new_folders_records_each_new_folder_in_its_parent(tmp_path, monkeypatch):
    synced: list = []
    monkeypatch.setattr(atomicfile, "_fsync_dir", lambda d: synced.append(d))
    target = tmp_path / "evidence" / "ab" / "file.pdf"
    with atomicfile.atomic_output(target) as out:
        out.write(b"%PDF-")
    assert target.read_bytes() == b"%PDF-"
    # evidence/ made durable in tmp_path, ab/ in evidence/, then the rename in ab/
    assert synced == [tmp_path, tmp_path / "evidence", tmp_path / "evidence" / "ab"]
    synced.clear()
    with atomicfile.atomic_output(target) as out:         # the folders exist: only the rename is synced
        out.write(b"%PDF-1")
    assert synced == [tmp_path / "evidence" / "ab"]


def test_a_failed_output_leaves_the_old_file_and_no_temp(tmp_path):
    target = tmp_path / "a.txt"
    atomicfile.write_bytes(target, b"old")
    with pytest.raises(RuntimeError), atomicfile.atomic_output(target) as out:
        out.write(b"new, half")
        raise RuntimeError("killed")
    assert target.read_bytes() == b"old" and [p.name for p in tmp_path.iterdir()] == ["a.txt"]


@pytest.mark.skipif(os.name == "nt" or os.geteuid() == 0, reason="root writes read-only files anyway")
def test_a_read_only_file_refuses_a_write_in_place_and_is_replaced_after_make_writable(tmp_path):
    kept = tmp_path / "kept.pdf"
    kept.write_bytes(b"1")
    atomicfile.make_read_only(kept)
    with pytest.raises(PermissionError):
        kept.write_bytes(b"2")
    atomicfile.make_writable(kept)
    kept.write_bytes(b"2")
    atomicfile.make_writable(tmp_path / "absent")           # nothing to do, no error


def test_read_only_modes(tmp_path):
    kept = tmp_path / "kept.pdf"
    kept.write_bytes(b"1")
    atomicfile.make_read_only(kept)
    assert kept.stat().st_mode & 0o222 == 0
    atomicfile.make_writable(kept)
    assert kept.stat().st_mode & 0o200


def test_remove_tree_removes_read_only_files(tmp_path, monkeypatch):
    kept = tmp_path / "demo" / "evidence" / "ab" / "ab12.pdf"
    kept.parent.mkdir(parents=True)
    kept.write_bytes(b"%PDF-")
    atomicfile.make_read_only(kept)
    calls: list = []
    real_unlink = os.unlink

    def windows_unlink(path, *args, **kwargs):   # Windows: a read-only file cannot be deleted
        calls.append(path)
        if not os.stat(path, dir_fd=kwargs.get("dir_fd")).st_mode & 0o200:   # rmtree unlinks by name in its folder
            raise PermissionError(13, "Access is denied", str(path))
        return real_unlink(path, *args, **kwargs)

    monkeypatch.setattr(os, "unlink", windows_unlink)
    atomicfile.remove_tree(tmp_path / "demo")
    assert not (tmp_path / "demo").exists() and len(calls) == 2   # refused once, removed once made writable
