"""Embedded PDF signatures, validated offline against the trust roots given."""

from __future__ import annotations

import socket
from datetime import datetime

import pytest

from app.evidence import inspect_file
from tests.evidence import corpus as c
from tests.evidence.conftest import CAP


@pytest.fixture
def no_network(monkeypatch):
    """Any attempt to resolve or connect is recorded and fails."""
    attempts: list[object] = []

    def refuse(*args, **kwargs):
        attempts.append(args)
        raise OSError("network use during evidence inspection")

    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    yield attempts
    assert attempts == []


def test_signed_with_root_given(corpus, pki, no_network):
    result = inspect_file(corpus["signed"], corpus["signed"].name, CAP, [pki.root_der])
    assert result.problems == ()
    (sig,) = result.signatures
    assert sig.signer == c.SIGNER_CN
    assert (sig.intact, sig.valid, sig.trusted, sig.covers_whole_file) == (True, True, True, True)
    assert sig.field == "Signature1"
    moment = datetime.fromisoformat(sig.signing_time)
    assert sig.signing_time.endswith("Z") and moment.utcoffset().total_seconds() == 0


def test_signed_without_the_root_is_valid_but_untrusted(corpus, pki, no_network):
    result = inspect_file(corpus["signed"], corpus["signed"].name, CAP, [])
    (sig,) = result.signatures
    assert (sig.intact, sig.valid, sig.trusted, sig.covers_whole_file) == (True, True, False, True)
    assert result.codes == ("signature_untrusted",)
    assert "Nguyễn Văn An" in result.problems[0].vi and "tin cậy" in result.problems[0].vi


def test_other_root_does_not_make_it_trusted(corpus, no_network):
    stranger = c.make_pki(cn="Người lạ")
    result = inspect_file(corpus["signed"], corpus["signed"].name, CAP, [stranger.root_der])
    assert result.signatures[0].trusted is False


def test_modified_after_signing(corpus, pki, no_network):
    result = inspect_file(corpus["signed_modified"], corpus["signed_modified"].name, CAP, [pki.root_der])
    (sig,) = result.signatures
    assert sig.intact and sig.valid
    assert sig.covers_whole_file is False
    assert "signature_partial" in result.codes
    assert "sửa đổi sau khi ký" in result.problems[result.codes.index("signature_partial")].vi


def test_bytes_changed_inside_the_signed_range(corpus, pki, signed_bytes, no_network):
    assert corpus["signed_flipped"].read_bytes() != signed_bytes
    result = inspect_file(corpus["signed_flipped"], corpus["signed_flipped"].name, CAP, [pki.root_der])
    (sig,) = result.signatures
    assert (sig.intact, sig.valid, sig.trusted) == (False, False, False)
    assert "signature_invalid" in result.codes
    assert sig.signer == c.SIGNER_CN


def test_second_signature_keeps_the_first_covering(tmp_path, pki, signed_bytes, no_network):
    """A later signature is an allowed change: both cover the whole file (see signatures.py)."""
    path = tmp_path / "Hai chữ ký.pdf"
    path.write_bytes(c.sign_pdf(signed_bytes, pki, field="Signature2"))
    result = inspect_file(path, path.name, CAP, [pki.root_der])
    assert [s.field for s in result.signatures] == ["Signature1", "Signature2"]
    assert all(s.valid and s.trusted and s.covers_whole_file for s in result.signatures)
    assert result.problems == ()


def test_expired_certificate_is_not_trusted(tmp_path, no_network):
    old = c.make_pki(expired=True)
    path = tmp_path / "Chứng thư hết hạn.pdf"
    path.write_bytes(c.sign_pdf(c.reportlab_pdf(1), old))
    result = inspect_file(path, path.name, CAP, [old.root_der])
    (sig,) = result.signatures
    assert sig.valid and not sig.trusted
    assert result.codes == ("signature_untrusted",)


def test_garbage_signature_contents_do_not_crash(tmp_path, signed_bytes, pki):
    start = signed_bytes.index(b"/Contents <") + len(b"/Contents <")
    broken = signed_bytes[:start] + b"0" * 64 + signed_bytes[start + 64:]
    path = tmp_path / "Chữ ký hỏng.pdf"
    path.write_bytes(broken)
    result = inspect_file(path, path.name, CAP, [pki.root_der])
    assert len(result.signatures) == 1
    assert result.signatures[0].valid is False
    assert "signature_invalid" in result.codes


def test_malformed_trust_root_is_ignored(corpus, pki):
    result = inspect_file(corpus["signed"], corpus["signed"].name, CAP, [b"not a certificate", pki.root_der])
    assert result.signatures[0].trusted is True


def test_unsigned_pdf_does_not_load_pyhanko(corpus):
    import subprocess
    import sys

    code = ("import sys; from pathlib import Path; from app.evidence import inspect_file; "
            f"inspect_file(Path({str(corpus['valid'])!r}), 'a.pdf', 10**7, []); "
            "print('pyhanko' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_validation_works_inside_a_running_event_loop(corpus, pki):
    """pyHanko's synchronous API starts its own event loop; called from async code it must still work."""
    import asyncio

    async def inside() -> bool:
        result = inspect_file(corpus["signed"], corpus["signed"].name, CAP, [pki.root_der])
        return result.signatures[0].trusted

    assert asyncio.run(inside()) is True
