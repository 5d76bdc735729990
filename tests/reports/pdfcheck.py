"""What every report test checks on a written PDF: fonts embedded, text as a reader's tools see it."""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pikepdf
import pytest

STANDARD_14 = {"Courier", "Courier-Bold", "Courier-Oblique", "Courier-BoldOblique", "Helvetica", "Helvetica-Bold",
               "Helvetica-Oblique", "Helvetica-BoldOblique", "Times-Roman", "Times-Bold", "Times-Italic",
               "Times-BoldItalic", "Symbol", "ZapfDingbats"}


def font_dicts(pdf: pikepdf.Pdf) -> list[pikepdf.Dictionary]:
    """Every font dictionary in the file, whether a page uses it or not."""
    fonts = []
    for obj in pdf.objects:
        if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == pikepdf.Name.Font:
            fonts.append(obj)
    return fonts


def assert_fonts_embedded(path: Path) -> None:
    with pikepdf.open(path) as pdf:
        fonts = font_dicts(pdf)
        assert fonts, "no font at all"
        page_fonts = [f for page in pdf.pages for f in page.Resources.get("/Font", {}).values()]
        assert page_fonts, "the pages name no font"
        for font in fonts:
            base = str(font.get("/BaseFont", "")).lstrip("/")
            assert base.split("+")[-1] not in STANDARD_14, f"standard-14 font {base}"
            if font.get("/Subtype") == pikepdf.Name.Type0:
                font = font.DescendantFonts[0]
            descriptor = font.get("/FontDescriptor")
            assert descriptor is not None, f"{base}: no font descriptor"
            assert "/FontFile2" in descriptor or "/FontFile3" in descriptor, f"{base}: not embedded"
    assert b"/Helvetica" not in path.read_bytes()


def text_of(path: Path, page: int | None = None, *, normalize: bool = True) -> str:
    """The text pdftotext extracts in content-stream order (-raw: reportlab draws in reading order, and the
    default layout mode glues single-letter words together), NFC; skipped where poppler is not installed."""
    exe = shutil.which("pdftotext")
    if exe is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    pages = ["-f", str(page), "-l", str(page)] if page else []
    out = subprocess.run([exe, "-raw", "-enc", "UTF-8", *pages, str(path), "-"], capture_output=True, check=True).stdout
    text = out.decode("utf-8")
    return unicodedata.normalize("NFC", text) if normalize else text


def compact(text: str) -> str:
    return re.sub(r"\s+", "", text)


def page_count(path: Path) -> int:
    with pikepdf.open(path) as pdf:
        return len(pdf.pages)


def docinfo(path: Path) -> dict[str, str]:
    with pikepdf.open(path) as pdf:
        return {str(k): str(v) for k, v in pdf.docinfo.items()}
