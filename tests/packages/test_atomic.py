"""Nothing half-written (DESIGN §1): a failed or killed export leaves the previous file or none, never a
temp file after the next export; the read-back catches bytes that do not come back as written."""

from __future__ import annotations

import hashlib
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization

from app.packages import EntrySource, PackageRefused, ReadBackFailed, verify_package, write_package
from tests.packages.conftest import manifest

ROOT = Path(__file__).resolve().parents[2]


def _files(directory: Path) -> list[str]:
    """What a directory holds, but the sample's evidence sources (src-*)."""
    return sorted(p.name for p in directory.iterdir() if not p.name.startswith("src-"))


def _corrupt_one_byte(offset_from_start: int):
    def hook(temp: Path) -> None:
        with open(temp, "r+b") as f:
            f.seek(offset_from_start)
            b = f.read(1)
            f.seek(offset_from_start)
            f.write(bytes([b[0] ^ 0x20]))
    return hook


@pytest.mark.parametrize("where", [40, 5000, -30, -300])
def test_read_back_catches_a_corrupted_write(tmp_path, pki, sample, where):
    out = tmp_path / "X1.dtipkg"
    [first] = write_package(out, manifest(revision=1), sample, pki.commune)
    before = first.read_bytes()
    size = len(write_package(tmp_path / "probe" / "X1.dtipkg", manifest(revision=2), sample, pki.commune)[0].read_bytes())
    with pytest.raises(ReadBackFailed) as e:
        write_package(out, manifest(revision=2), sample, pki.commune, after_write=_corrupt_one_byte(where % size))
    assert "X1.dtipkg" in str(e.value) and "X1.dtipkg" in e.value.message_vi
    assert out.read_bytes() == before
    assert _files(tmp_path) == ["X1.dtipkg", "probe"]


def test_read_back_catches_a_truncated_write(tmp_path, pki, sample):
    out = tmp_path / "X1.dtipkg"
    with pytest.raises(ReadBackFailed):
        write_package(out, manifest(), sample, pki.commune, after_write=lambda p: os.truncate(p, p.stat().st_size - 1))
    assert _files(tmp_path) == []
    with pytest.raises(ReadBackFailed):
        write_package(out, manifest(), sample, pki.commune, split_mb=1, after_write=lambda p: os.truncate(p, 100))
    assert _files(tmp_path) == []


def test_a_failure_while_writing_leaves_the_previous_file(tmp_path, pki, sample):
    out = tmp_path / "X1.dtipkg"
    [first] = write_package(out, manifest(revision=1), sample, pki.commune)
    before = first.read_bytes()
    gone = EntrySource("evidence/" + "a" * 64 + ".pdf", tmp_path / "missing.pdf")
    with pytest.raises(FileNotFoundError):
        write_package(out, manifest(revision=2), [*sample, gone], pki.commune)
    assert out.read_bytes() == before
    assert _files(tmp_path) == ["X1.dtipkg"]


def test_stale_temp_files_are_removed_but_live_ones_kept(tmp_path, pki, sample):
    out = tmp_path / "X1.dtipkg"
    stale = tmp_path / ".X1.dtipkg.k1ll3d.part"
    stale.write_bytes(b"half a package")
    stale_volume = tmp_path / ".X1.dtipkg.002-of-003.x9.part"
    stale_volume.write_bytes(b"half a volume")
    other = tmp_path / ".X2.dtipkg.abc.part"
    other.write_bytes(b"another export's temp")
    live = tmp_path / ".X1.dtipkg.alive.part"
    live.write_bytes(b"a concurrent export")
    if sys.platform != "win32":
        import fcntl

        fd = os.open(live, os.O_RDWR)
        fcntl.flock(fd, fcntl.LOCK_EX)
    try:
        write_package(out, manifest(), sample, pki.commune)
    finally:
        if sys.platform != "win32":
            os.close(fd)
    assert _files(tmp_path) == [".X1.dtipkg.alive.part", ".X2.dtipkg.abc.part", "X1.dtipkg"]


def _keys(tmp_path: Path, signer) -> Path:
    keys = tmp_path / "keys"
    keys.mkdir()
    (keys / "cert.pem").write_bytes(signer.cert.public_bytes(serialization.Encoding.PEM))
    (keys / "key.pem").write_bytes(signer.key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                            serialization.NoEncryption()))
    (keys / "chain.pem").write_bytes(b"".join(c.public_bytes(serialization.Encoding.PEM) for c in signer.chain))
    return keys


def _child(keys: Path, evidence: Path, out: Path, revision: int) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "tests.packages.export_child", str(keys), str(evidence), str(out), str(revision)],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
def test_killed_exports_leave_nothing_half_written(tmp_path, pki):
    """Exports of ~60 MB killed (SIGKILL) at random moments: `out` is absent or a complete verifiable
    package, and after one export that completes no temp file remains."""
    evidence = tmp_path / "evidence"
    evidence.mkdir()
    rng = random.Random(os.getpid())
    for i in range(15):
        data = hashlib.sha256(str(i).encode()).digest() * (4_000_000 // 32)
        (evidence / f"{hashlib.sha256(data).hexdigest()}.pdf").write_bytes(data)
    keys = _keys(tmp_path, pki.commune)
    out_dir = tmp_path / "usb"
    out_dir.mkdir()
    out = out_dir / "X1.dtipkg"

    started = time.perf_counter()
    first = _child(keys, evidence, out, 1)
    assert first.wait(timeout=60) == 0, first.stderr.read()
    duration = time.perf_counter() - started
    attempted = {1}
    for revision in range(2, 8):
        attempted.add(revision)   # a kill just after the rename leaves this revision, complete
        child = _child(keys, evidence, out, revision)
        assert child.stdout.readline().strip() == "start"
        time.sleep(rng.uniform(0, duration))
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
        child.stdout.close()
        child.stderr.close()
        assert out.exists()   # an earlier complete export is never lost
        assert verify_package(out, pki.anchors()).manifest["revision"] in attempted
        leftovers = [p for p in _files(out_dir) if p != "X1.dtipkg"]
        assert all(p.startswith(".X1.dtipkg.") and p.endswith(".part") for p in leftovers), leftovers
    final = _child(keys, evidence, out, 99)
    assert final.wait(timeout=60) == 0, final.stderr.read()
    final.stdout.close()
    final.stderr.close()
    assert _files(out_dir) == ["X1.dtipkg"]
    assert verify_package(out, pki.anchors()).manifest["revision"] == 99


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
def test_killed_first_export_leaves_no_package(tmp_path, pki):
    evidence = tmp_path / "evidence"
    evidence.mkdir()
    data = os.urandom(8_000_000)
    (evidence / f"{hashlib.sha256(data).hexdigest()}.pdf").write_bytes(data)
    keys = _keys(tmp_path, pki.commune)
    out = tmp_path / "usb" / "X1.dtipkg"
    out.parent.mkdir()
    child = _child(keys, evidence, out, 1)
    assert child.stdout.readline().strip() == "start"
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=30)
    child.stdout.close()
    child.stderr.close()
    if out.exists():   # it may have finished before the signal
        verify_package(out, pki.anchors())
    else:
        with pytest.raises(PackageRefused):
            verify_package(out, pki.anchors())
