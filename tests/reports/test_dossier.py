"""The evidence dossier (`dti report dossier`): every evidence PDF of a unit in framework order behind a
separator per indicator, with bookmarks and page labels; at the unit and at the aggregator."""

from __future__ import annotations

import shutil
from pathlib import Path

import pikepdf
import pytest

from app.cli.main import main
from app.errors import UserError
from app.services.workspace import Workspace
from tests.conftest import SMALL
from tests.evidence import corpus as c
from tests.reports.pdfcheck import assert_fonts_embedded, page_count, text_of
from tests.reports.test_unit_report import UNIT, UNIT_NAME, WHEN, Kit, build_kit


@pytest.fixture(scope="module")
def kit(tmp_path_factory: pytest.TempPathFactory) -> Kit:
    return build_kit(tmp_path_factory.mktemp("dossier"))


def make(data: Path, out: Path, unit_code: str | None = None, lang: str = "vi"):
    from app.services.report_dossier import dossier

    with Workspace(data, clock=lambda: WHEN, lang=lang, write=False) as ws:
        return dossier(ws, out, unit_code=unit_code, lang=lang)


def evidence(data: Path) -> list:
    from app.services.evidence_service import attached

    with Workspace(data, write=False) as ws:
        return attached(ws)


def source_pages(data: Path) -> int:
    from app.services.evidence_service import evidence_path

    total = 0
    for item in evidence(data):
        if item.kind == "pdf":
            with pikepdf.open(evidence_path(data, item.sha256, "pdf")) as pdf:
                total += len(pdf.pages)
    return total


def outline_of(path: Path) -> list[tuple[int, str, int]]:
    """(depth, title, 0-based page) of every bookmark, in order."""
    out = []
    with pikepdf.open(path) as pdf:
        index = {page.objgen: n for n, page in enumerate(pdf.pages)}
        with pdf.open_outline() as outline:
            def walk(items, depth):
                for item in items:
                    out.append((depth, item.title, index[item.destination[0].objgen]))
                    walk(item.children, depth + 1)
            walk(outline.root, 0)
    return out


def labels_of(path: Path) -> list[str]:
    with pikepdf.open(path) as pdf:
        return [pikepdf.Page(p).label for p in pdf.pages]


@pytest.fixture(scope="module")
def own(kit: Kit, tmp_path_factory: pytest.TempPathFactory):
    out = tmp_path_factory.mktemp("own-dossier") / "tập tài liệu.pdf"
    return out, make(kit.unit, out)


def test_pages_are_cover_separators_and_every_evidence_page(own, kit: Kit):
    out, result = own
    evidence_pages = source_pages(kit.unit)
    assert evidence_pages == 3                                        # 2 + 1 pages; the PNG is not merged
    assert result.generated_pages == 1 + 2                            # cover, separators of 1.1 and 1.2
    assert page_count(out) == result.pages == result.generated_pages + evidence_pages
    assert result.not_merged == ["Ảnh chụp văn bản.png"]
    assert_fonts_embedded(out)                                        # separators and (DejaVu) evidence alike
    with pikepdf.open(out) as pdf:
        size = [float(v) for v in pdf.pages[0].mediabox]
        assert abs(size[2] - 595.28) < 0.5 and abs(size[3] - 841.89) < 0.5
        assert "/AcroForm" not in pdf.Root                            # the signature fields did not come along
        assert pdf.Root.PageMode == pikepdf.Name.UseOutlines


def test_page_labels_follow_the_codes(own):
    out, _ = own
    assert labels_of(out) == ["i", "1.1", "1.1-1", "1.1-2", "1.1-3", "1.2"]


def test_bookmarks_per_main_index_indicator_and_file(own, kit: Kit):
    out, _ = own
    marks = outline_of(out)
    titles = [(depth, title) for depth, title, _page in marks]
    assert titles[0] == (0, "1. Nhận thức số")
    assert (1, "1.1 Điểm họp ban chỉ đạo") in titles and (1, "1.2 Điểm văn bản chỉ đạo") in titles
    files = {title: page for depth, title, page in marks if depth == 2}
    assert set(files) == {"Biên bản họp Ban chỉ đạo.pdf", "Quyết định thành lập.pdf"}
    labels = labels_of(out)
    assert labels[dict((t, p) for _d, t, p in marks)["1.1 Điểm họp ban chỉ đạo"]] == "1.1"
    assert sorted(labels[p] for p in files.values()) == ["1.1-1", "1.1-3"]
    assert not any(title.startswith("2") for _d, title, _p in marks)   # no evidence under 2: no bookmark


def test_separator_says_what_was_verified_at_intake(own, kit: Kit):
    out, _ = own
    text = " ".join(text_of(out, 2).split())          # lines joined: a long status wraps in its cell
    items = {e.name: e for e in evidence(kit.unit)}
    for expected in ("TÀI LIỆU KIỂM CHỨNG CHỈ TIÊU", "1.1", "Điểm họp ban chỉ đạo", "1. Nhận thức số",
                     "Nhập điểm từ 0 đến 60", "50,00 / 60", "Biên bản họp Ban chỉ đạo.pdf", "Quyết định thành lập.pdf",
                     "Nguyễn Văn An", "hợp lệ, chứng thư được tin cậy", "không có chữ ký số",
                     items["Quyết định thành lập.pdf"].sha256[:12], "Kết quả kiểm tra khi tiếp nhận",
                     "chữ ký số nhúng trong tệp gốc không còn kiểm tra được", "Trang 1.1"):
        assert expected in text, expected
    assert "1.1-1 … 1.1-2 (2 trang)" in text and "1.1-3 (1 trang)" in text
    assert "Biên bản họp — trang 2" in text_of(out, 4)                 # the evidence pages themselves follow
    image = " ".join(text_of(out, 6).split())
    assert "Ảnh chụp văn bản.png" in image and "không ghép vào tập" in image
    assert "chữ ký số nhúng" not in image                               # nothing merged, nothing to warn about


def test_cover_names_the_unit_and_lists_the_contents(own):
    out, _ = own
    text = text_of(out, 1, normalize=False)
    for expected in (UNIT_NAME, UNIT, "TẬP TÀI LIỆU KIỂM CHỨNG", "năm 2024", "06/05/2024", "Mục lục",
                     "2 chỉ tiêu có tài liệu, 3 tệp, 3 trang tài liệu.", "Điểm văn bản chỉ đạo", "Trang i"):
        assert expected in text, expected


def test_at_the_aggregator_after_an_import(kit: Kit, tmp_path: Path, own):
    out = tmp_path / "XA.pdf"
    result = make(kit.prov, out, unit_code=UNIT)
    assert result.pages == own[1].pages and labels_of(out) == labels_of(own[0])
    text = text_of(out, 2)
    assert "40,00 / 60 (tự chấm 50,00)" in text and "Nguyễn Văn An" in text   # appraised points, intake record
    assert "Gói hồ sơ đơn vị đã nộp" in text_of(out, 1)
    assert_fonts_embedded(out)


def test_cli(kit: Kit, tmp_path: Path, capsys):
    out = tmp_path / "cli.pdf"
    capsys.readouterr()
    assert kit.run(kit.prov, "report", "dossier", "--unit", UNIT, "--out", out) == 0
    assert capsys.readouterr().out.strip() == str(out)
    assert page_count(out) == 6


def test_no_evidence_gives_a_cover_saying_so(tmp_path: Path):
    fw = tmp_path / "fw.dti.yaml"
    fw.write_text(SMALL, encoding="utf-8")
    data = tmp_path / "X9"
    assert main(["--data-dir", str(data), "framework", "import", str(fw)]) == 0
    assert main(["--data-dir", str(data), "unit", "init", "--framework", "small-2024", "--unit-code", "X9",
                 "--unit-name", "UBND phường Hiến Nam", "--group", "xa"]) == 0
    out = tmp_path / "empty.pdf"
    result = make(data, out)
    assert result.pages == page_count(out) == 1 and result.evidence_pages == 0
    assert_fonts_embedded(out)
    text = text_of(out)
    assert "UBND phường Hiến Nam" in text and "chưa đính kèm tài liệu kiểm chứng nào" in text
    assert labels_of(out) == ["i"]


def test_actions_of_the_sources_do_not_come_along_and_a_missing_file_is_named(kit: Kit, tmp_path: Path):
    from app.services.evidence_service import add_evidence, evidence_path

    data = tmp_path / "unit"
    shutil.copytree(kit.unit, data, ignore=shutil.ignore_patterns("dti.lock"))
    source = tmp_path / "Hành động trang.pdf"
    source.write_bytes(c.page_aa_pdf())
    with Workspace(data) as ws:
        (added,) = add_evidence(ws, "2.1", [source])
    minutes = next(e for e in evidence(data) if e.name == "Biên bản họp Ban chỉ đạo.pdf")
    evidence_path(data, minutes.sha256, "pdf").unlink()              # a store damaged by hand
    out = tmp_path / "d.pdf"
    result = make(data, out)
    assert "Biên bản họp Ban chỉ đạo.pdf" in result.not_merged
    with pikepdf.open(out) as pdf:
        assert all("/AA" not in page.obj for page in pdf.pages)
    assert result.pages == result.generated_pages + 1 + added.pages
    assert "không có trong kho tài liệu" in text_of(out, 2)


@pytest.mark.parametrize(("data", "args", "reason"), [("prov", ("--unit", "KHONG-CO"), "KHONG-CO"),
                                                      ("prov", (), "--unit")])
def test_refusals_leave_no_file(kit: Kit, tmp_path: Path, capsys, data, args, reason):
    out = tmp_path / "none.pdf"
    capsys.readouterr()
    assert kit.run(getattr(kit, data), "report", "dossier", *args, "--out", out) != 0
    err = capsys.readouterr().err.strip()
    assert reason in err and len(err.splitlines()) == 1
    assert list(tmp_path.iterdir()) == []


def test_not_a_pdf_name_is_refused(kit: Kit, tmp_path: Path):
    with pytest.raises(UserError, match=r"\*\.pdf"):
        make(kit.unit, tmp_path / "dossier.zip")
    assert list(tmp_path.iterdir()) == []
