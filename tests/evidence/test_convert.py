"""image_to_pdf ("convert to PDF on request") and optimize_pdf."""

from __future__ import annotations

import io

import pikepdf
import pytest

from app.evidence import EvidenceRefused, image_to_pdf, inspect_file, optimize_pdf
from tests.evidence import corpus as c
from tests.evidence.conftest import CAP


def one_page_size(data: bytes) -> tuple[float, float]:
    """The size in points of the only page of the PDF `data`."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        assert len(pdf.pages) == 1
        box = [float(v) for v in pdf.pages[0].mediabox]
    return round(box[2] - box[0], 1), round(box[3] - box[1], 1)


@pytest.mark.parametrize("key", ["jpeg", "png"])
def test_scan_becomes_a_one_page_pdf_that_inspects_clean(corpus, key, tmp_path):
    data = image_to_pdf(corpus[key])
    assert one_page_size(data) == (595.4, 841.7)  # 827 x 1169 px at 100 dpi: A4
    out = tmp_path / "scan.pdf"
    out.write_bytes(data)
    result = inspect_file(out, "Ảnh quét.pdf", CAP, [])
    assert result.pages == 1 and result.problems == ()


def test_jpeg_is_embedded_without_re_encoding(corpus):
    data = image_to_pdf(corpus["jpeg"])
    with pikepdf.open(io.BytesIO(data)) as pdf:
        (image,) = [obj for obj in pdf.objects if isinstance(obj, pikepdf.Stream) and obj.get("/Subtype") == "/Image"]
        assert image.Filter == "/DCTDecode"
        assert image.read_raw_bytes() == corpus["jpeg"].read_bytes()


def test_without_resolution_the_image_is_fitted_to_a4(tmp_path):
    path = tmp_path / "Ảnh không DPI.png"
    path.write_bytes(c.scan_image("PNG", size=(3000, 1000), dpi=None))
    assert one_page_size(image_to_pdf(path)) == (841.9, 595.3)  # landscape A4


def test_exif_orientation_turns_the_page(tmp_path):
    path = tmp_path / "Ảnh xoay.jpg"
    path.write_bytes(c.scan_image("JPEG", size=(400, 200), dpi=100, exif_orientation=6))
    assert one_page_size(image_to_pdf(path)) == (144.0, 288.0)


@pytest.mark.parametrize("mode", ["RGBA", "L", "1", "P"])
def test_png_modes(tmp_path, mode):
    path = tmp_path / f"{mode}.png"
    path.write_bytes(c.scan_image("PNG", size=(300, 200), dpi=150, mode=mode))
    assert one_page_size(image_to_pdf(path)) == (144.0, 96.0)


@pytest.mark.parametrize("key", ["valid", "jpeg_truncated", "png_bomb"])
def test_image_to_pdf_refuses_what_is_not_a_sound_image(corpus, key):
    with pytest.raises(EvidenceRefused):
        image_to_pdf(corpus[key])


def test_optimize_makes_an_uncompressed_pdf_smaller(tmp_path):
    path = tmp_path / "Chưa nén.pdf"
    path.write_bytes(c.reportlab_pdf(pages=30, compress=False))
    smaller = optimize_pdf(path)
    assert len(smaller) < path.stat().st_size
    with pikepdf.open(io.BytesIO(smaller)) as pdf:
        assert len(pdf.pages) == 30


def test_optimize_never_grows_a_file(tmp_path, corpus):
    once = tmp_path / "Đã nén.pdf"
    once.write_bytes(optimize_pdf(corpus["valid"]))
    assert once.stat().st_size <= corpus["valid"].stat().st_size
    assert optimize_pdf(once) == once.read_bytes()


def test_optimize_keeps_owner_password_encryption(corpus):
    with pikepdf.open(io.BytesIO(optimize_pdf(corpus["owner_only"]))) as pdf:
        assert pdf.is_encrypted


@pytest.mark.parametrize("key", ["signed", "signed_modified"])
def test_optimize_refuses_a_signed_pdf(corpus, key):
    with pytest.raises(EvidenceRefused) as caught:
        optimize_pdf(corpus[key])
    assert "signed" in str(caught.value) and "chữ ký số" in caught.value.message_vi


@pytest.mark.parametrize("key, words", [("user_password", "password"), ("garbage_pdf", "cannot be read"),
                                        ("truncated", "incomplete"), ("zip_as_pdf", "ZIP"), ("jpeg", "JPEG"),
                                        ("no_pages", "no pages")])
def test_optimize_refuses_what_it_cannot_rewrite(corpus, key, words):
    with pytest.raises(EvidenceRefused) as caught:
        optimize_pdf(corpus[key])
    assert words in str(caught.value)


def _ctm(data: bytes) -> tuple[tuple[float, ...], tuple[float, float]]:
    """The matrix the image is drawn with (the product of the page's cm operators) and the page size."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        page = pdf.pages[0]
        size = [float(v) for v in page.mediabox][2:]
        ctm = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
        for operands, operator in pikepdf.parse_content_stream(page):
            if str(operator) == "cm":
                a, b, c_, d, e, f = (float(v) for v in operands)
                A, B, C, D, E, F = ctm
                ctm = (a * A + b * C, a * B + b * D, c_ * A + d * C, c_ * B + d * D, e * A + f * C + E,
                       e * B + f * D + F)
    return ctm, (size[0], size[1])


# Where the stored image's first pixel (row 0, column 0) and the end of its first row are shown, per EXIF.
_CORNERS = {1: ("tl", "tr"), 2: ("tr", "tl"), 3: ("br", "bl"), 4: ("bl", "br"),
            5: ("tl", "bl"), 6: ("tr", "br"), 7: ("br", "tr"), 8: ("bl", "tl")}


@pytest.mark.parametrize("orientation", range(1, 9))
def test_every_exif_orientation_puts_the_first_row_where_it_belongs(tmp_path, orientation):
    path = tmp_path / "xoay.jpg"
    path.write_bytes(c.scan_image("JPEG", size=(400, 200), dpi=100, exif_orientation=orientation))
    (a, b, c_, d, e, f), (w, h) = _ctm(image_to_pdf(path))
    corners = {"tl": (0, h), "tr": (w, h), "bl": (0, 0), "br": (w, 0)}

    def shown(x: float, y: float) -> tuple[float, float]:
        return round(a * x + c_ * y + e, 3), round(b * x + d * y + f, 3)

    first, end_of_row = _CORNERS[orientation]
    assert shown(0, 1) == corners[first]  # image space: (0, 1) is the top-left of the stored image
    assert shown(1, 1) == corners[end_of_row]


@pytest.mark.parametrize("mode", ["RGB", "L", "1", "P"])
def test_png_rows_are_embedded_without_decoding_and_show_the_same_pixels(tmp_path, mode):
    from PIL import Image

    path = tmp_path / f"{mode}.png"
    path.write_bytes(c.scan_image("PNG", size=(300, 200), dpi=150, mode=mode))
    with pikepdf.open(io.BytesIO(image_to_pdf(path))) as pdf:
        (stream,) = [o for o in pdf.objects if isinstance(o, pikepdf.Stream) and o.get("/Subtype") == "/Image"]
        assert stream.DecodeParms.Predictor == 15
        shown = pikepdf.PdfImage(stream).as_pil_image().convert("RGB")
    assert shown.tobytes() == Image.open(path).convert("RGB").tobytes()


def test_image_to_pdf_names_what_the_content_is(corpus):
    with pytest.raises(EvidenceRefused) as caught:
        image_to_pdf(corpus["valid"])
    assert "a PDF" in str(caught.value) and "tệp PDF" in caught.value.message_vi
