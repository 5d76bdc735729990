"""Hostile input: whatever the bytes, inspect_file returns an Inspection or raises EvidenceRefused."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.evidence import EvidenceRefused, Inspection, inspect_file
from tests.evidence import corpus as c

_EXTS = (".pdf", ".jpg", ".png", ".PDF", ".jpeg")
_FUZZ = settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

_NETWORK_EVENTS = ("socket.connect", "socket.getaddrinfo", "socket.gethostbyname", "urllib.Request")
_network_seen: list[str] = []
_watching = [False]


def _audit(event: str, args: tuple) -> None:
    if _watching[0] and event in _NETWORK_EVENTS:
        _network_seen.append(event)


sys.addaudithook(_audit)  # audit hooks cannot be removed; this one only records while a fuzz test runs


@pytest.fixture
def watch_network():
    _network_seen.clear()
    _watching[0] = True
    yield
    _watching[0] = False
    assert _network_seen == []


def _check(folder: Path, data: bytes, ext: str, roots: tuple[bytes, ...] = ()) -> None:
    path = folder / f"mẫu{ext}"
    path.write_bytes(data)
    try:
        result = inspect_file(path, path.name, 1024 * 1024, roots)
    except EvidenceRefused as e:
        assert str(e) and e.message_vi and "\n" not in str(e)
        return
    assert isinstance(result, Inspection)
    assert Inspection.from_json(result.to_json()) == result


_PDF = c.reportlab_pdf(pages=2, compress=False)
_JPEG = c.scan_image("JPEG", size=(120, 90))
_PNG = c.scan_image("PNG", size=(120, 90))
_SEEDS = {".pdf": _PDF, ".jpg": _JPEG, ".png": _PNG}


@st.composite
def mutations(draw: st.DrawFn, seed: bytes) -> bytes:
    data = bytearray(seed)
    for _ in range(draw(st.integers(1, 6))):
        op = draw(st.sampled_from(("flip", "cut", "insert", "delete", "splice")))
        at = draw(st.integers(0, max(0, len(data) - 1)))
        if op == "flip" and data:
            data[at] ^= draw(st.integers(1, 255))
        elif op == "cut":
            del data[at:]
        elif op == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=64))
        elif op == "delete":
            del data[at:at + draw(st.integers(1, 256))]
        else:  # PDF syntax where it hurts
            data[at:at] = draw(st.sampled_from((b" 0 obj", b"endobj", b"<<", b">>", b"[", b"stream\n", b"endstream",
                                                b"/Length 99999999", b"xref\n0 1\n", b"%%EOF", b"/JS (x)",
                                                b"trailer<</Root 1 0 R>>", b"9999999999 0 R")))
    return bytes(data)


@_FUZZ
@given(data=st.binary(max_size=4096), ext=st.sampled_from(_EXTS))
def test_random_bytes(tmp_path, watch_network, data, ext):
    _check(tmp_path, data, ext)


@_FUZZ
@given(data=st.binary(max_size=2048), ext=st.sampled_from(_EXTS))
def test_random_bytes_behind_a_real_header(tmp_path, watch_network, data, ext):
    header = {".pdf": b"%PDF-1.7\n", ".PDF": b"%PDF-1.4\n", ".jpg": b"\xff\xd8\xff\xe0", ".jpeg": b"\xff\xd8\xff\xdb",
              ".png": b"\x89PNG\r\n\x1a\n"}[ext]
    _check(tmp_path, header + data + (b"\n%%EOF\n" if "pdf" in ext.lower() else b""), ext)


@_FUZZ
@given(st.data())
def test_mutated_valid_files(tmp_path, watch_network, data):
    ext = data.draw(st.sampled_from(tuple(_SEEDS)))
    _check(tmp_path, data.draw(mutations(_SEEDS[ext])), ext)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.data())
def test_mutated_signed_pdf(tmp_path, watch_network, signed_bytes, pki, data):
    _check(tmp_path, data.draw(mutations(signed_bytes)), ".pdf", (pki.root_der,))


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.data())
def test_conversions_on_mutated_files(tmp_path, data):
    """image_to_pdf and optimize_pdf give bytes of a PDF or EvidenceRefused, never anything else."""
    import io

    import pikepdf

    from app.evidence import image_to_pdf, optimize_pdf

    ext = data.draw(st.sampled_from(tuple(_SEEDS)))
    path = tmp_path / f"mẫu{ext}"
    path.write_bytes(data.draw(mutations(_SEEDS[ext])))
    convert = optimize_pdf if ext == ".pdf" else image_to_pdf
    try:
        out = convert(path)
    except EvidenceRefused:
        return
    with pikepdf.open(io.BytesIO(out)) as pdf:
        assert len(pdf.pages) >= 1
