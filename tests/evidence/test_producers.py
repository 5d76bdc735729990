"""The producers matrix: PDFs written during the run by LibreOffice, Ghostscript, ImageMagick, img2pdf,
tiff2pdf, cairo, qpdf and pikepdf (see `producers.py`) are accepted as the ordinary documents they are.

Every real-world writer has its own habits (cross-reference streams, linearization hints, outlines, CCITT
images, XMP metadata), and an inspection that mistakes one of them for damage or active content would refuse
or flag the evidence of every commune that uses that tool. Each row is first checked to be what it claims
(the tool's /Producer, the structure that makes the row worth having, the page count by PDFium and poppler),
then inspected: accepted, with that page count and exactly the expected findings, normally none.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from app.evidence import inspect_file
from tests.evidence import corpus as c
from tests.evidence import producers as p


@pytest.fixture(scope="module")
def workshop(tmp_path_factory: pytest.TempPathFactory) -> p.Workshop:
    """One per module: LibreOffice starts once for all its rows, and derived rows reuse their base's PDF."""
    return p.Workshop(tmp_path_factory.mktemp("producers"))


def made(workshop: p.Workshop, key: str) -> Path:
    try:
        return workshop.pdf(key)
    except p.MissingTool as e:
        pytest.skip(str(e))


@pytest.mark.parametrize("key", list(p.ROWS))
def test_made_by_the_tool(workshop, key):
    """The file is what the row claims, so that an accepted row means that tool's PDF is accepted."""
    row = p.ROWS[key]
    path = made(workshop, key)
    data = path.read_bytes()
    assert row.producer.lower() in p.producer_of(path).lower()
    assert [mark for mark in row.marks if mark not in data] == []
    counts = p.page_counts(path)
    assert counts == dict.fromkeys(counts, row.pages)
    # Established from the bytes, not by qpdf: the damage (or its absence) is the tool's, not the reader's.
    assert p.xref_where_startxref_says(data) is not row.damaged_by_tool
    if row.text is not None:
        text = p.extracted_text(path)
        if text is not None:
            assert row.text in text


@pytest.mark.parametrize("key", list(p.ROWS))
def test_office_pdf_accepted(workshop, key):
    row = p.ROWS[key]
    path = made(workshop, key)
    result = inspect_file(path, f"Minh chứng — {key}.pdf")
    assert (result.kind, result.ext, result.encrypted) == ("pdf", "pdf", False)
    assert result.pages == row.pages
    assert sorted(result.codes) == sorted(row.codes), [f.en for f in result.problems]
    assert result.signatures == ()


@pytest.mark.parametrize("key", p.SIGNED)
def test_signed_office_pdf(workshop, pki, key, tmp_path):
    """A producer's PDF signed afterwards (as a commune chairman signs the exported report): one signature,
    intact and valid, covering the whole file, trusted only when its root is one of the trust roots."""
    row = p.ROWS[key]
    path = p.signed_copy(made(workshop, key), pki)
    result = inspect_file(path, f"Minh chứng ký số — {key}.pdf", trust_roots=[pki.root_der])
    assert result.pages == row.pages
    assert result.problems == (), [f.en for f in result.problems]
    (sig,) = result.signatures
    assert (sig.intact, sig.valid, sig.trusted, sig.covers_whole_file) == (True, True, True, True)
    assert (sig.signer, sig.field) == (c.SIGNER_CN, "Signature1")

    untrusted = inspect_file(path, f"Minh chứng ký số — {key}.pdf")
    (sig,) = untrusted.signatures
    assert (sig.intact, sig.valid, sig.trusted, sig.covers_whole_file) == (True, True, False, True)
    assert untrusted.codes == ("signature_untrusted",)
