"""The dataclasses, their JSON form, the messages, and what importing the package costs."""

from __future__ import annotations

import json
import subprocess
import sys
import unicodedata

import pytest

from app.evidence import Finding, Inspection, SignatureInfo, inspect_file
from app.evidence import messages as msg
from tests.evidence.conftest import CAP


@pytest.mark.parametrize("key", ["valid", "owner_only", "javascript", "jpeg", "signed_modified", "damaged_xref"])
def test_json_round_trip(corpus, pki, key):
    result = inspect_file(corpus[key], corpus[key].name, CAP, [pki.root_der])
    data = json.loads(json.dumps(result.to_json(), ensure_ascii=False))
    assert Inspection.from_json(data) == result


def test_json_shape(corpus, pki):
    data = inspect_file(corpus["signed"], corpus["signed"].name, CAP, [pki.root_der]).to_json()
    assert set(data) == {"kind", "ext", "size", "sha256", "pages", "encrypted", "problems", "signatures"}
    assert set(data["signatures"][0]) == {"signer", "signing_time", "intact", "valid", "trusted",
                                          "covers_whole_file", "field"}


def test_from_json_ignores_unknown_keys_and_refuses_nonsense():
    good = Inspection("png", "png", 10, "a" * 64, 1, False, (Finding("image_scan", "vi", "en"),),
                      (SignatureInfo("X", None, True, True, False, True, None),))
    data = good.to_json() | {"newer_field": 1}
    assert Inspection.from_json(data) == good
    for broken in ({**data, "kind": "exe"}, {**data, "ext": "pdf"}, {**data, "size": "10"}, {**data, "size": True},
                   {**data, "sha256": "A" * 64}, {**data, "pages": -1}, {**data, "encrypted": "no"},
                   {**data, "problems": [{"code": "x"}]}, {**data, "signatures": [{"signer": 1}]}, [], None):
        with pytest.raises(ValueError):
            Inspection.from_json(broken)


def test_dataclasses_are_frozen():
    finding = Finding("a", "b", "c")
    with pytest.raises(AttributeError):
        finding.code = "x"  # type: ignore[misc]


def _vietnamese_lines() -> list[str]:
    lines = [vi for vi, _ in msg.FINDINGS.values()]
    lines += [msg.syntax_finding(["x"]).vi, msg.signature_partial("Nguyễn Văn An", None).vi]
    lines += [msg.signature_invalid("", "Sig", r).vi for r in msg.INVALID_REASONS]
    lines += [msg.signature_untrusted("", None, r).vi for r in msg.UNTRUSTED_REASONS]
    refusals = [msg.refused_empty("a.pdf"), msg.refused_too_large("a.pdf", 6 * 1024 * 1024, 5 * 1024 * 1024),
                msg.refused_type("a.doc", ".doc"), msg.refused_mismatch("a.pdf", ".pdf", "zip"),
                msg.refused_pdf_password("a.pdf"), msg.refused_pdf_damaged("a.pdf"),
                msg.refused_pdf_truncated("a.pdf"), msg.refused_pdf_no_pages("a.pdf"),
                msg.refused_image_damaged("a.png"), msg.refused_image_too_large("a.png", 1, 2, 80_000_000),
                msg.refused_image_too_large("a.png", None, None, 80_000_000), msg.refused_not_image("a.pdf", "pdf"),
                msg.refused_not_pdf("a.jpg", "jpeg"), msg.refused_signed_rewrite("a.pdf"),
                msg.refused_unreadable("a.pdf")]
    return lines + [e.message_vi for e in refusals]


def test_vietnamese_messages_are_nfc_one_line_and_have_diacritics():
    for line in _vietnamese_lines():
        assert unicodedata.is_normalized("NFC", line), line
        assert "\n" not in line
        assert "đ" in line or any(unicodedata.combining(ch) for ch in unicodedata.normalize("NFD", line)), line


def test_vietnamese_sizes_use_the_decimal_comma():
    error = msg.refused_too_large("a.pdf", int(6.5 * 1024 * 1024), 5 * 1024 * 1024)
    assert "6,5 MB" in error.message_vi and "6.5 MB" in str(error)


def test_importing_the_package_loads_no_heavy_library():
    heavy = ("pikepdf", "pyhanko", "PIL", "reportlab", "cryptography", "asn1crypto")
    code = f"import sys, app.evidence; print([m for m in {heavy!r} if m in sys.modules])"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
