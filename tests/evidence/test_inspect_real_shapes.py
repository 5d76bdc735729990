"""Shapes of real PDFs that the inspection once misread (issue 20): scalar indirect objects (every LibreOffice
PDF), a check failing inside the inspection, certificate encryption, bytes after %%EOF, and signatures whose
CMS carries its content inside. Each test failed before the fix."""

from __future__ import annotations

import hashlib
import io
import logging
from pathlib import Path

import pytest

from app.evidence import EvidenceRefused, Inspection, inspect_file, optimize_pdf
from tests.evidence import corpus as c
from tests.evidence.conftest import CAP


def _write(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.write_bytes(data)
    return path


def _inspect(path: Path, roots: tuple[bytes, ...] = ()) -> Inspection:
    return inspect_file(path, path.name, CAP, roots)


def _codes(result: Inspection) -> list[str]:
    return [p.code for p in result.problems]


def scalar_objects_pdf() -> bytes:
    """What LibreOffice, Ghostscript, pdfTeX and most producers write: a stream whose /Length is an indirect
    object (written after the stream, once its length is known), and other scalars standing as objects of
    their own (a boolean, a null, a real)."""
    content = b"BT /F1 14 Tf 72 760 Td (Bien ban hop) Tj ET"
    return c.raw_pdf([
        b"<< /Type /Catalog /Pages 2 0 R /NeedsRendering 6 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /UserUnit 7 0 R /Dummy 8 0 R "
        b"/Resources << /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> >> >>",
        b"<< /Length 5 0 R >>\nstream\n" + content + b"\nendstream",
        b"%d" % len(content),
        b"false",
        b"1.0",
        b"null",
    ])


def test_scalar_indirect_objects_are_accepted(tmp_path):
    result = _inspect(_write(tmp_path, "Biên bản LibreOffice.pdf", scalar_objects_pdf()))
    assert result.pages == 1
    assert _codes(result) == []


def test_scalar_indirect_objects_can_be_optimized(tmp_path):
    path = _write(tmp_path, "Biên bản.pdf", scalar_objects_pdf())
    smaller = optimize_pdf(path)
    assert smaller.startswith(b"%PDF-")
    assert _inspect(_write(tmp_path, "Nhỏ hơn.pdf", smaller)).pages == 1


@pytest.mark.parametrize("check", ["scan_objects", "signature_fields", "syntax_problems"])
def test_a_check_that_fails_inside_the_inspection_is_a_finding_not_a_refusal(tmp_path, monkeypatch, caplog, check):
    import app.evidence.pdf as pdf

    def broken(*_args):
        raise AttributeError("'int' object has no attribute '_type_code'")

    monkeypatch.setattr(pdf, check, broken)
    data = c.reportlab_pdf(pages=2)
    with caplog.at_level(logging.WARNING, logger="app.evidence.pdf"):
        result = _inspect(_write(tmp_path, "Báo cáo.pdf", data))
    assert result.pages == 2
    assert _codes(result) == ["unchecked"]
    (finding,) = result.problems
    assert "could not check" in finding.en and "không kiểm tra được" in finding.vi
    # logged with the file's hash and the traceback, so the file can be found and the bug fixed
    assert any(hashlib.sha256(data).hexdigest() in r.getMessage() and r.exc_info for r in caplog.records)


def test_a_failed_scan_still_lets_signatures_be_validated(tmp_path, monkeypatch, pki, signed_bytes):
    import app.evidence.pdf as pdf

    def broken(*_args):
        raise TypeError("unforeseen object")

    monkeypatch.setattr(pdf, "scan_objects", broken)
    monkeypatch.setattr(pdf, "signature_fields", broken)
    result = _inspect(_write(tmp_path, "Đã ký.pdf", signed_bytes), (pki.root_der,))
    (sig,) = result.signatures
    assert sig.valid and sig.trusted
    assert _codes(result) == ["unchecked", "unchecked"]


def test_optimize_refuses_when_it_cannot_tell_whether_the_file_is_signed(tmp_path, monkeypatch):
    import app.evidence.pdf as pdf

    def broken(*_args):
        raise TypeError("unforeseen object")

    monkeypatch.setattr(pdf, "signature_fields", broken)
    with pytest.raises(EvidenceRefused) as caught:
        optimize_pdf(_write(tmp_path, "Quét.pdf", c.reportlab_pdf()))
    assert "could not be checked" in str(caught.value) and "chữ ký số" in caught.value.message_vi


def certificate_encrypted_pdf() -> bytes:
    """Encrypted for a recipient's certificate (/Adobe.PubSec), as pyHanko and Acrobat write it."""
    import datetime as dt

    from asn1crypto import x509 as asn1_x509
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.pdf_utils.writer import copy_into_new_writer

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Sở Khoa học và Công nghệ")])
    now = dt.datetime.now(dt.UTC)
    usage = x509.KeyUsage(digital_signature=False, content_commitment=False, key_encipherment=True,
                          data_encipherment=False, key_agreement=False, key_cert_sign=False, crl_sign=False,
                          encipher_only=False, decipher_only=False)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=30)).add_extension(usage, critical=True)
            .sign(key, hashes.SHA256()))
    writer = copy_into_new_writer(PdfFileReader(io.BytesIO(c.reportlab_pdf())))
    writer.encrypt_pubkey([asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))])
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_certificate_encrypted_pdf_is_called_encrypted(tmp_path):
    with pytest.raises(EvidenceRefused) as caught:
        _inspect(_write(tmp_path, "Mã hóa chứng thư.pdf", certificate_encrypted_pdf()))
    assert "encrypted for recipients' certificates" in str(caught.value)
    assert "mã hóa cho người nhận có chứng thư số" in caught.value.message_vi
    assert "damaged" not in str(caught.value)


def test_password_refusal_says_what_to_do(corpus):
    with pytest.raises(EvidenceRefused) as caught:
        _inspect(corpus["user_password"])
    assert "save or print it as a PDF without a password" in str(caught.value)


@pytest.mark.parametrize("padding", [b"\x00" * 20_000, b"\r\n" * 3000 + b"\x00" * 5000, b" " * 2000])
def test_padding_after_eof_is_accepted_without_a_finding(tmp_path, padding):
    result = _inspect(_write(tmp_path, "Quét từ máy EPSON.pdf", c.reportlab_pdf(pages=3) + padding))
    assert result.pages == 3
    assert _codes(result) == []


def test_appended_bytes_after_eof_are_accepted_with_a_finding(tmp_path):
    appended = b"<html><body>Tep dinh kem duoc quet virus</body></html>\n" * 60
    result = _inspect(_write(tmp_path, "Tải về.pdf", c.reportlab_pdf() + appended))
    assert result.pages == 2
    assert _codes(result) == ["trailing_data"]


def test_a_further_revision_cut_off_after_eof_is_refused_as_incomplete(tmp_path):
    cut = b"7 0 obj\n<< /Type /Annot /Subtype /Text /Contents (ghi chu) >>\nendobj\nxref\n0 1\n00000"
    data = c.reportlab_pdf() + b"\x00" * 2000 + cut
    with pytest.raises(EvidenceRefused) as caught:
        _inspect(_write(tmp_path, "Bị cắt.pdf", data))
    assert "incomplete" in str(caught.value)


def test_signed_pdf_with_padding_still_covers_the_whole_file(tmp_path, pki, signed_bytes):
    result = _inspect(_write(tmp_path, "Đã ký, có đệm.pdf", signed_bytes + b"\x00" * 4096), (pki.root_der,))
    (sig,) = result.signatures
    assert (sig.valid, sig.trusted, sig.covers_whole_file) == (True, True, True)
    assert _codes(result) == []


def test_adbe_pkcs7_sha1_signature_is_validated_and_called_unsafe(tmp_path, pki):
    result = _inspect(_write(tmp_path, "Ký kiểu cũ.pdf", c.encapsulated_signature_pdf(pki)), (pki.root_der,))
    (sig,) = result.signatures
    assert (sig.signer, sig.intact, sig.valid, sig.trusted, sig.covers_whole_file) == \
        (c.SIGNER_CN, True, True, False, True)
    assert _codes(result) == ["signature_untrusted"]
    assert "adbe.pkcs7.sha1" in result.problems[0].en and "SHA-1" in result.problems[0].vi


def test_adbe_pkcs7_sha1_signature_over_changed_bytes_is_altered(tmp_path, pki):
    data = c.encapsulated_signature_pdf(pki, tamper=True)
    result = _inspect(_write(tmp_path, "Ký kiểu cũ, đã sửa.pdf", data), (pki.root_der,))
    (sig,) = result.signatures
    assert not sig.intact and not sig.valid
    assert _codes(result) == ["signature_invalid"]
    assert "altered" in result.problems[0].en


def test_detached_subfilter_with_encapsulated_content_is_reported_precisely(tmp_path, pki):
    data = c.encapsulated_signature_pdf(pki, subfilter=b"/adbe.pkcs7.detached")
    result = _inspect(_write(tmp_path, "Ký sai chuẩn.pdf", data), (pki.root_der,))
    (sig,) = result.signatures
    assert sig.signer == c.SIGNER_CN and not sig.valid
    assert "encapsulated" in result.problems[0].en and "could not be read" not in result.problems[0].en


def test_unknown_subfilter_is_reported_not_dropped(tmp_path, pki):
    data = c.encapsulated_signature_pdf(pki, subfilter=b"/vn.gov.sig.v1")
    result = _inspect(_write(tmp_path, "Ký lạ.pdf", data), (pki.root_der,))
    (sig,) = result.signatures
    assert not sig.valid
    assert _codes(result) == ["signature_invalid"]


def test_optimize_never_returns_a_rewrite_that_does_not_read_back(tmp_path):
    """A cross-reference table cut short (found by the fuzz test): qpdf rebuilds the file while reading, but the
    smaller file it then wrote had no /Root. The rewrite is read back and refused rather than handed over."""
    import pikepdf

    data = c.reportlab_pdf(pages=2, compress=False)
    head, _, rest = data.partition(b"xref\n")
    lines = rest.split(b"\n")
    cut = head + b"xref\n" + b"\n".join(lines[:8]) + b"\n0" + rest[rest.index(b"trailer"):]
    path = _write(tmp_path, "Hỏng xref.pdf", cut)
    try:
        out = optimize_pdf(path)
    except EvidenceRefused as e:
        assert "could not rewrite" in str(e)
        return
    with pikepdf.open(io.BytesIO(out)) as pdf:
        assert len(pdf.pages) == 2
