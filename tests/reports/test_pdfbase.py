"""The shared PDF layer: embedded fonts, Vietnamese text, header and footer, tables, metadata, atomic and
reproducible writes."""

from __future__ import annotations

import unicodedata
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

import pikepdf
import pytest
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import Flowable

import app
from app.reports import pdfbase as pb
from app.reports.pdfcode import CodeBlock, group_chars
from tests.reports.pdfcheck import assert_fonts_embedded, docinfo, page_count, text_of

VN = ("Đánh giá, xếp hạng mức độ chuyển đổi số của các sở, ban, ngành; Ủy ban nhân dân cấp huyện, xã: ưu tiên dịch vụ "
      "công trực tuyến toàn trình, hạ tầng số, nhân lực số. Ắ Ằ Ẳ Ẵ Ặ ấ ầ ẩ ẫ ậ ế ề ể ễ ệ ố ồ ổ ỗ ộ ớ ờ ở ỡ ợ ứ ừ ử ữ ự "
      "ỳ ỷ ỹ ỵ Ư ơ Đ đ")
WHEN = datetime(2024, 3, 5, 9, 30, tzinfo=timezone(timedelta(hours=7)))


def simple_story(text: str = VN) -> list[Flowable]:
    st = pb.styles()
    return [pb.para("BÁO CÁO THỬ NGHIỆM", st.title), pb.para(text, st.body)]


def long_table_story(layout: pb.Layout) -> list[Flowable]:
    rows = [[str(i), f"Chỉ số {i}: tỷ lệ hồ sơ thủ tục hành chính được giải quyết trực tuyến toàn trình " * 2,
             Decimal("1234.5") + i, i * 1000] for i in range(1, 81)]
    return [pb.make_table(["STT", "Tên chỉ số", "Điểm", "Số hồ sơ"], rows, widths=[1, 8, 2, 2], total_width=layout.width)]


def test_fonts_register_once_as_a_family():
    pb.register_fonts()
    pb.register_fonts()
    assert {pb.FONT, pb.FONT_BOLD} <= set(pdfmetrics.getRegisteredFontNames())
    from reportlab.lib.fonts import tt2ps

    assert tt2ps(pb.FONT, 1, 0) == pb.FONT_BOLD
    assert tt2ps(pb.FONT, 0, 1) == pb.FONT  # no oblique: never a fall-back to a standard-14 font


def test_one_page_embeds_its_fonts_and_reads_back_in_vietnamese(tmp_path: Path):
    out = tmp_path / "a.pdf"
    assert pb.write_pdf(out, simple_story(), title="Thử", created=WHEN) == 1
    with pikepdf.open(out) as pdf:
        assert len(pdf.pages) == 1
        width, height = (float(v) for v in pdf.pages[0].mediabox[2:])
        assert (round(width), round(height)) == (595, 842)  # A4 portrait
    assert_fonts_embedded(out)
    text = text_of(out)
    assert "BÁO CÁO THỬ NGHIỆM" in text
    assert VN in " ".join(text.split())  # lines wrap where the paragraph wraps
    assert "Trang 1/1" in text
    assert "05/03/2024" in text  # the footer's date, dd/mm/yyyy


def test_decomposed_input_is_printed_composed(tmp_path: Path):
    out = tmp_path / "nfd.pdf"
    pb.write_pdf(out, simple_story(unicodedata.normalize("NFD", "Nguyễn Thị Hường, Ủy ban")), title="x", created=WHEN)
    raw = text_of(out, normalize=False)
    assert "Nguyễn Thị Hường, Ủy ban" in raw  # drawn with precomposed glyphs, not letters and loose marks


def test_metadata(tmp_path: Path):
    out = tmp_path / "meta.pdf"
    pb.write_pdf(out, simple_story(), title="Báo cáo đơn vị", subject="Chỉ số DTI", created=WHEN)
    info = docinfo(out)
    assert info["/Title"] == "Báo cáo đơn vị"
    assert info["/Subject"] == "Chỉ số DTI"
    assert info["/Author"] == "DTI"
    assert info["/Creator"] == f"dti {app.__version__}"
    assert info["/CreationDate"] == "D:20240305093000+07'00'"
    with pikepdf.open(out) as pdf:
        assert str(pdf.Root.Lang) == "vi-VN"


def test_many_pages_repeat_the_table_header_and_number_the_pages(tmp_path: Path):
    out = tmp_path / "long.pdf"
    pages = pb.write_pdf(out, long_table_story, title="Dài", header_left="UBND huyện Văn Lâm",
                         header_right="Báo cáo chỉ số", created=WHEN)
    assert pages == page_count(out) > 1
    assert_fonts_embedded(out)
    for n in range(1, pages + 1):
        text = text_of(out, page=n)
        assert "Tên chỉ số" in text and "Số hồ sơ" in text, f"header row missing on page {n}"
        assert f"Trang {n}/{pages}" in text
        assert "UBND huyện Văn Lâm" in text
    everything = text_of(out)
    assert "1.235,50" in everything and "80.000" in everything  # decimal comma, dot between thousands
    assert "trực tuyến toàn trình" in everything


def test_landscape_and_english(tmp_path: Path):
    out = tmp_path / "wide.pdf"
    pb.write_pdf(out, simple_story("Ranking"), title="Ranking", lang="en", orientation="landscape", created=WHEN)
    with pikepdf.open(out) as pdf:
        width, height = (float(v) for v in pdf.pages[0].mediabox[2:])
        assert width > height
    text = text_of(out)
    assert "Page 1/1" in text and "05/03/2024" in text


def test_invariant_output_is_byte_for_byte_reproducible(tmp_path: Path):
    a, b = tmp_path / "a.pdf", tmp_path / "b.pdf"
    for out in (a, b):
        pb.write_pdf(out, long_table_story, title="Cùng một nội dung", created=WHEN, invariant=True)
    assert a.read_bytes() == b.read_bytes()


def test_a_failing_story_leaves_the_previous_file_and_no_temporary(tmp_path: Path):
    out = tmp_path / "report.pdf"
    pb.write_pdf(out, simple_story(), title="Bản cũ", created=WHEN)
    before = out.read_bytes()

    def broken(layout: pb.Layout) -> list[Flowable]:
        raise RuntimeError("no data")

    with pytest.raises(RuntimeError):
        pb.write_pdf(out, broken, title="Bản mới")
    assert out.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["report.pdf"]


def test_a_flowable_failing_while_drawn_leaves_the_previous_file(tmp_path: Path):
    class Exploding(Flowable):
        def wrap(self, aw, ah):
            return aw, 10

        def draw(self):
            raise OSError("disk gone")

    out = tmp_path / "report.pdf"
    pb.write_pdf(out, simple_story(), title="Bản cũ", created=WHEN)
    before = out.read_bytes()
    with pytest.raises(OSError):
        pb.write_pdf(out, [*simple_story(), Exploding()], title="Bản mới")
    assert out.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["report.pdf"]


def test_code_block_reads_back_as_written(tmp_path: Path):
    out = tmp_path / "code.pdf"
    groups = group_chars("K7mQx2Lp9rTa")
    assert groups == ["K7mQ", "x2Lp", "9rTa"]
    pb.write_pdf(out, [CodeBlock(groups, colored=True)], title="x", created=WHEN)
    assert_fonts_embedded(out)
    assert "K7mQ x2Lp 9rTa" in text_of(out)


def test_group_chars_keeps_marks_with_their_letter():
    assert group_chars("abcdefghij") == ["abcd", "efgh", "ij"]
    assert group_chars(unicodedata.normalize("NFD", "ệệệệệ"), 2) == ["ệệ", "ệệ", "ệ"]
    decomposed_only = "q\u0323\u0302rst"  # no precomposed form: the marks stay on their q
    assert group_chars(decomposed_only, 2) == ["q\u0323\u0302r", "st"]


def test_missing_glyphs():
    assert pb.missing_glyphs("Tiếng Việt ĐƯỜNG 0123 ␣") == []
    assert pb.missing_glyphs("漢字 ok") == ["字", "漢"]


def test_unknown_orientation_is_refused(tmp_path: Path):
    with pytest.raises(ValueError):
        pb.write_pdf(tmp_path / "x.pdf", simple_story(), title="x", orientation="upside-down")
    assert list(tmp_path.iterdir()) == []


def test_format_date():
    assert pb.format_date(WHEN.date()) == "05/03/2024"
