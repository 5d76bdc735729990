"""Packages encrypted while they are written (writer.write_sealed_package, envelope.Sealing) and read in place
(envelope.DecryptedSource): round trips (Hypothesis), reads at any offset across ciphertext chunks, openssl,
the read-back catching a damaged write, an entry changing between the two passes, and no plaintext on disk."""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.errors import UserError
from app.packages import EntrySource, PackageRefused, ReadBackFailed, envelope, read_entry, verify_package, write_sealed_package
from app.packages.source import Source
from tests.packages.conftest import manifest
from tests.packages.test_atomic import _child, _corrupt_one_byte, _files, _keys

OPENSSL = shutil.which("openssl")
MARK = "Bí mật an toàn thông tin: lỗ hổng chưa vá".encode()   # plaintext that must never reach a disk


def opened(path: Path, key, name: str = "X1.dtipkg") -> envelope.Decryption:
    with Source.of_file(path) as src:
        env = envelope.open_envelope(src, name)
        return envelope.Decryption(env, envelope.unwrap_key(env, 0, key))


def entries_of(blobs: list[bytes]) -> list[EntrySource]:
    return [EntrySource(f"data/part{i}.json", blob) for i, blob in enumerate(blobs)]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(blobs=st.lists(st.binary(max_size=3000), min_size=1, max_size=5), chunk=st.sampled_from([100, 1000, 4096]))
def test_any_package_round_trips_encrypted(pki, tmp_path, monkeypatch, blobs, chunk):
    monkeypatch.setattr(envelope.Sealing, "HANDOFF", chunk)   # many hand-offs to the thread, many chunks
    out = tmp_path / f"X1-{chunk}.dtipkg"
    [written], manifest_bytes = write_sealed_package(out, manifest(), entries_of(blobs), pki.commune, pki.district_ca)
    assert written == out and envelope.is_enveloped(out.read_bytes()[:32])
    verified = verify_package(out, pki.anchors(), decryption=opened(out, pki.district_ca_key))
    assert verified.manifest_bytes == manifest_bytes
    for i, blob in enumerate(blobs):
        assert read_entry(verified, f"data/part{i}.json", 1 << 20) == blob


def _rechunked(path: Path, sizes: list[int], dest: Path) -> None:
    """The same encrypted file with its ciphertext cut into chunks of `sizes` (cycled): edges inside blocks, as
    another writer may cut them (this one cuts at block edges)."""
    with Source.of_file(path) as src:
        env = envelope.open_envelope(src, "c")
        first = next(iter(env.pieces))[0]
        ciphertext = b"".join(src.read_at(at, n) for at, n in env.pieces)
        header = src.read_at(0, first - 2 - (0 if src.read_at(first - 2, 1) == b"\x04" else 2))
    header = header[:header.rindex(b"\xa0\x80") + 2]
    out, at, i = bytearray(header), 0, 0
    while at < len(ciphertext):
        n = min(sizes[i % len(sizes)], len(ciphertext) - at)
        out += envelope._head(0x04, n) + ciphertext[at:at + n]
        at, i = at + n, i + 1
    dest.write_bytes(bytes(out) + b"\x00\x00" * 5)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data(), sizes=st.lists(st.integers(12, 700), min_size=1, max_size=6))   # ≤ 1,024 chunks
def test_reads_at_any_offset_equal_the_plaintext(pki, tmp_path_factory, data, sizes):
    plain = bytes(range(256)) * 37 + b"tail"
    folder = tmp_path_factory.mktemp("reads")
    with open(folder / "c", "wb") as out:
        sealing = envelope.Sealing(out, pki.district_ca)
        for piece in (plain[:5], plain[5:4000], plain[4000:]):
            sealing.write(piece)
        sealing.finish()
    _rechunked(folder / "c", sizes, folder / "r")
    for name in ("c", "r"):
        with Source.of_file(folder / name) as raw:
            env = envelope.open_envelope(raw, name)
            with envelope.Decryption(env, envelope.unwrap_key(env, 0, pki.district_ca_key)).source(raw) as src:
                assert src.size == len(plain)
                for _ in range(10):
                    offset = data.draw(st.integers(0, len(plain)))
                    size = data.draw(st.integers(0, len(plain) - offset))
                    assert src.read_at(offset, size) == plain[offset:offset + size]


def test_what_openssl_writes_in_chunks_reads_in_place(pki, tmp_path):
    if OPENSSL is None:
        pytest.skip("openssl not installed")
    plain = os.urandom(300_000) + MARK
    (tmp_path / "p").write_bytes(plain)
    cert = tmp_path / "cert.pem"
    cert.write_bytes(pki.district_ca.public_bytes(serialization.Encoding.PEM))
    subprocess.run([OPENSSL, "cms", "-encrypt", "-binary", "-stream", "-outform", "DER", "-aes256", "-in",
                    tmp_path / "p", "-out", tmp_path / "c", cert], check=True, capture_output=True)
    with Source.of_file(tmp_path / "c") as raw, opened(tmp_path / "c", pki.district_ca_key).source(raw) as src:
        assert src.read_at(0, src.size) == plain
        assert src.read_at(299_990, 30) == plain[299_990:300_020]


def test_openssl_decrypts_the_written_package_and_it_verifies(pki, tmp_path, sample):
    if OPENSSL is None:
        pytest.skip("openssl not installed")
    out = tmp_path / "X1.dtipkg"
    write_sealed_package(out, manifest(), sample, pki.commune, pki.district_ca)
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    key.write_bytes(pki.district_ca_key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                      serialization.NoEncryption()))
    cert.write_bytes(pki.district_ca.public_bytes(serialization.Encoding.PEM))
    subprocess.run([OPENSSL, "cms", "-decrypt", "-inform", "DER", "-in", out, "-inkey", key, "-recip", cert,
                    "-out", tmp_path / "plain.dtipkg"], check=True, capture_output=True)
    assert verify_package(tmp_path / "plain.dtipkg", pki.anchors()).manifest["revision"] == 3


@pytest.mark.parametrize("where", [20, 400, 5000, 200_000, -40, -12, -3])
def test_the_read_back_catches_a_damaged_encrypted_write(tmp_path, pki, sample, where):
    out = tmp_path / "X1.dtipkg"
    size = write_sealed_package(tmp_path / "probe" / "X1.dtipkg", manifest(), sample, pki.commune,
                                pki.district_ca)[0][0].stat().st_size
    out.write_bytes(b"the previous file")
    with pytest.raises(ReadBackFailed) as e:
        write_sealed_package(out, manifest(), sample, pki.commune, pki.district_ca,
                             after_write=_corrupt_one_byte(where % size))
    assert "X1.dtipkg" in str(e.value)
    assert out.read_bytes() == b"the previous file"
    assert _files(tmp_path) == ["X1.dtipkg", "probe"]


def test_the_read_back_catches_a_truncated_encrypted_write(tmp_path, pki, sample):
    out = tmp_path / "X1.dtipkg"
    with pytest.raises(ReadBackFailed):
        write_sealed_package(out, manifest(), sample, pki.commune, pki.district_ca,
                             after_write=lambda p: os.truncate(p, p.stat().st_size - 17))
    with pytest.raises(ReadBackFailed):
        write_sealed_package(out, manifest(), sample, pki.commune, pki.district_ca, split_mb=1,
                             after_write=lambda p: os.truncate(p, 300))
    assert _files(tmp_path) == []


def test_an_entry_that_changes_between_the_passes_is_refused(tmp_path, pki, sample):
    calls = []

    def changing():
        calls.append(1)
        yield b"first pass" if len(calls) == 1 else b"other bytes"

    out = tmp_path / "X1.dtipkg"
    with pytest.raises(UserError, match="changed while the package was being written"):
        write_sealed_package(out, manifest(), [*sample, EntrySource("data/late.json", changing)], pki.commune,
                             pki.district_ca)
    assert _files(tmp_path) == []


def test_no_plaintext_reaches_the_disk(tmp_path, pki):
    usb = tmp_path / "usb"
    seen = []

    def look(temp: Path) -> None:   # after the fsync, before the read-back: everything that is on the disk
        seen.extend((p.name, MARK in p.read_bytes()) for p in usb.iterdir())

    write_sealed_package(usb / "X1.dtipkg", manifest(), [EntrySource("data/values.json", MARK * 1000)], pki.commune,
                         pki.district_ca, split_mb=1, after_write=look)
    assert len(seen) == 1 and seen[0][0].endswith(".part") and not seen[0][1]
    assert all(MARK not in p.read_bytes() for p in usb.iterdir())


def test_volumes_of_an_encrypted_package_verify_in_any_order(tmp_path, pki):
    big = os.urandom(2_500_000)
    name = f"evidence/{hashlib.sha256(big).hexdigest()}.pdf"
    paths, _ = write_sealed_package(tmp_path / "X1.dtipkg", manifest(), [EntrySource(name, big)], pki.commune,
                                    pki.district_ca, split_mb=1)
    assert len(paths) == 3
    shuffled = [paths[2], paths[0], paths[1]]
    from app.packages.volumes import volume_segments

    label, segments = volume_segments(shuffled)
    with Source(segments) as raw:
        env = envelope.open_envelope(raw, label)
        decryption = envelope.Decryption(env, envelope.unwrap_key(env, 0, pki.district_ca_key))
    verified = verify_package(shuffled, pki.anchors(), decryption=decryption)
    with verified.open() as src:
        info = verified.entries[name]
        assert src.sha256(info.offset, info.size) == hashlib.sha256(big).hexdigest()


def test_a_wrong_key_or_altered_last_block_is_refused_before_reading(tmp_path, pki, sample):
    out = tmp_path / "X1.dtipkg"
    write_sealed_package(out, manifest(), sample, pki.commune, pki.district_ca)
    with pytest.raises(PackageRefused, match="does not unwrap"):
        opened(out, pki.root_key)
    _corrupt_one_byte(out.stat().st_size - 10 - 7)(out)   # inside the last ciphertext block (10 bytes of EOCs follow)
    decryption = opened(out, pki.district_ca_key)
    with pytest.raises(PackageRefused) as e:   # bad padding, but for 1 in ~256 keys whatever the ZIP then says
        verify_package(out, pki.anchors(), decryption=decryption)
    assert "\n" not in str(e.value) and "X1.dtipkg" in str(e.value)


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
def test_killed_encrypted_exports_leave_the_previous_file(tmp_path, pki):
    evidence = tmp_path / "evidence"
    evidence.mkdir()
    for i in range(8):
        data = hashlib.sha256(str(i).encode()).digest() * (4_000_000 // 32)
        (evidence / f"{hashlib.sha256(data).hexdigest()}.pdf").write_bytes(data)
    keys = _keys(tmp_path, pki.commune)
    (keys / "recipient.pem").write_bytes(pki.district_ca.public_bytes(serialization.Encoding.PEM))
    out = tmp_path / "usb" / "X1.dtipkg"
    out.parent.mkdir()
    first = _child(keys, evidence, out, 1)
    started = time.perf_counter()
    assert first.wait(timeout=60) == 0, first.stderr.read()
    duration = time.perf_counter() - started
    for revision, fraction in ((2, 0.2), (3, 0.5), (4, 0.9)):
        child = _child(keys, evidence, out, revision)
        assert child.stdout.readline().strip() == "start"
        time.sleep(duration * fraction)
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
        child.stdout.close()
        child.stderr.close()
        got = verify_package(out, pki.anchors(), decryption=opened(out, pki.district_ca_key))
        assert 1 <= got.manifest["revision"] <= revision
        assert all(p == "X1.dtipkg" or (p.startswith(".X1.dtipkg.") and p.endswith(".part"))
                   for p in _files(out.parent))


def test_a_file_of_tiny_ciphertext_chunks_is_refused_before_its_map_grows(pki, tmp_path):
    """One chunk per 2 KiB of the file at most (openssl writes 4 KiB, this program 1 MiB): 200,000 chunks of one
    block each would otherwise be a map of 200,000 entries for a 3.6 MB file."""
    import io

    sink = io.BytesIO()
    sealing = envelope.Sealing(sink, pki.district_ca)
    header = sealing.header
    sealing.abort()
    hostile = tmp_path / "tiny.dtipkg"
    hostile.write_bytes(header + (b"\x04\x10" + bytes(16)) * 200_000 + b"\x00\x00" * 5)
    with Source.of_file(hostile) as src, pytest.raises(PackageRefused, match="too many ciphertext chunks"):
        envelope.open_envelope(src, "tiny.dtipkg")
    sane = tmp_path / "sane.dtipkg"        # the same bytes in 4 KiB chunks, as openssl -stream cuts them
    chunk = b"\x04\x82\x10\x00" + bytes(4096)
    sane.write_bytes(header + chunk * 800 + b"\x00\x00" * 5)
    with Source.of_file(sane) as src:
        assert len(envelope.open_envelope(src, "sane.dtipkg").pieces) == 800


class _FullDisk:
    """A file that takes 3 MiB and then fails as a full disk does."""

    def __init__(self):
        self.taken = 0

    def write(self, data) -> int:
        if self.taken + len(data) > 3 << 20:
            raise OSError(28, "No space left on device")
        self.taken += len(data)
        return len(data)


def test_a_full_disk_in_the_encrypting_thread_is_raised_to_the_writer(pki, tmp_path, monkeypatch):
    import threading

    sealing = envelope.Sealing(_FullDisk(), pki.district_ca)
    with pytest.raises(OSError, match="No space left"):
        for _ in range(20):
            sealing.write(bytes(1 << 20))
        sealing.finish()
    sealing.abort()
    # through the writer: nothing left behind, no thread left running
    from app.packages import writer

    def full_after_3_mib(self, data) -> int:
        self.taken = getattr(self, "taken", 0)
        return _FullDisk.write(self, data)

    monkeypatch.setattr(writer._Crc, "write", full_after_3_mib)
    big = os.urandom(5 << 20)
    name = f"evidence/{hashlib.sha256(big).hexdigest()}.pdf"
    with pytest.raises(OSError, match="No space left"):
        write_sealed_package(tmp_path / "X1.dtipkg", manifest(), [EntrySource(name, big)], pki.commune, pki.district_ca)
    assert _files(tmp_path) == []
    assert not [t for t in threading.enumerate() if t.name == "dti-sealing"]
