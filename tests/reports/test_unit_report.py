"""The unit's self-assessment report (`dti report unit`), at the unit, inside every package, and at the
aggregator after an import: written, then opened and read like an appraiser would."""

from __future__ import annotations

import hashlib
import json
import unicodedata
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pikepdf
import pytest

from app.cli.main import main
from app.errors import UserError
from app.services.workspace import Workspace
from tests.conftest import SMALL
from tests.evidence import corpus as c
from tests.reports.pdfcheck import assert_fonts_embedded, compact, docinfo, page_count, text_of
from tests.services.chainkit import PASS, repack, signer_of

UNIT = "XA-LAC-HONG"
UNIT_NAME = "UBND xã Lạc Hồng"
WHEN = datetime(2024, 5, 6, 2, 30, tzinfo=UTC)   # 09:30 in Hà Nội
A4 = (595.27, 841.89)


@dataclass(frozen=True)
class Kit:
    """A province (authority, framework, enrollment) and one commune that filled in, attached evidence
    (two PDFs with embedded fonts, one of them digitally signed, and a PNG scan), exported revision 1, which
    the province imported and appraised."""

    base: Path

    @property
    def prov(self) -> Path:
        return self.base / "prov"

    @property
    def unit(self) -> Path:
        return self.base / "unit"

    @property
    def package(self) -> Path:
        return self.base / "pkg" / f"{UNIT}-r1.dtipkg"

    @property
    def passfile(self) -> Path:
        return self.base / "pass.txt"

    def run(self, data: Path, *args: object) -> int:
        return main(["--data-dir", str(data), "--lang", "en", "--passphrase-file", str(self.passfile),
                     *map(str, args)])

    def workspace(self, data: Path, lang: str = "vi") -> Workspace:
        return Workspace(data, clock=lambda: WHEN, lang=lang, write=False)


def dejavu_pdf(path: Path, pages: int, text: str) -> Path:
    """An evidence PDF whose fonts are embedded (so that a dossier of it passes the font check)."""
    from reportlab.platypus import PageBreak

    from app.reports.pdfbase import para, styles, write_pdf

    story = []
    for n in range(1, pages + 1):
        story += [para(f"{text} — trang {n}", styles().title), para("Biên bản họp Ban chỉ đạo chuyển đổi số", styles().body)]
        if n < pages:
            story.append(PageBreak())
    write_pdf(path, story, title=text, created=datetime(2024, 3, 1, 8, 0), invariant=True)
    return path


def build_kit(base: Path) -> Kit:
    kit = Kit(base)
    kit.passfile.write_text(PASS + "\n", encoding="utf-8")
    fw = base / "fw.dti.yaml"
    fw.write_text(SMALL, encoding="utf-8")
    files = base / "files"
    files.mkdir()

    def ok(data: Path, *args: object) -> None:
        assert kit.run(data, *args) == 0, args

    ok(kit.prov, "authority", "init", "--code", "TP", "--name", "Sở Thông tin và Truyền thông Thử")
    ok(kit.prov, "framework", "import", fw)
    ok(kit.prov, "enroll", "issue", "--framework", "small-2024", "--unit-code", UNIT, "--unit-name", UNIT_NAME,
       "--group", "xa", "--unit-passphrase-file", kit.passfile, "--out", base / "unit.dtienroll")
    ok(kit.unit, "enroll", "accept", base / "unit.dtienroll")
    ok(kit.unit, "entry", "set", "1.1", "50")
    ok(kit.unit, "entry", "set", "1.2", "30,5")
    ok(kit.unit, "entry", "explain", "2.1", "Cổng dịch vụ công đang nâng cấp, số liệu bổ sung sau")
    pki = c.make_pki()
    (files / "root.der").write_bytes(pki.root_der)
    ok(kit.unit, "trust", "add-root", files / "root.der")
    minutes = dejavu_pdf(files / "Biên bản họp Ban chỉ đạo.pdf", 2, "Biên bản họp")
    signed = files / "Quyết định thành lập.pdf"
    signed.write_bytes(c.sign_pdf(dejavu_pdf(files / "qd.pdf", 1, "Quyết định").read_bytes(), pki))
    scan = files / "Ảnh chụp văn bản.png"
    scan.write_bytes(c.scan_image("PNG", size=(200, 280)))
    ok(kit.unit, "evidence", "add", "1.1", minutes, signed)
    ok(kit.unit, "evidence", "add", "1.2", scan)
    ok(kit.unit, "package", "export", "--out", kit.package)
    ok(kit.prov, "package", "import", kit.package)
    ok(kit.prov, "appraise", "set", UNIT, "1.1", "40", "--comment", "Thiếu chữ ký của Trưởng ban")
    return kit


@pytest.fixture(scope="module")
def kit(tmp_path_factory: pytest.TempPathFactory) -> Kit:
    return build_kit(tmp_path_factory.mktemp("unit-report"))


def write(kit: Kit, data: Path, out: Path, unit_code: str | None = None, lang: str = "vi") -> Path:
    from app.services.report_unit import write_unit_report

    with kit.workspace(data, lang) as ws:
        return write_unit_report(ws, out, unit_code=unit_code, lang=lang)


def evidence_items(kit: Kit) -> list[dict]:
    from app.services.evidence_service import attached

    with kit.workspace(kit.unit) as ws:
        return [{"code": e.code, "name": e.name, "sha256": e.sha256} for e in attached(ws)]


def manifest_of(package: Path) -> dict:
    with zipfile.ZipFile(package) as z:
        return json.loads(z.read("manifest.json"))


# -- at the unit ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def own_report(kit: Kit, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write(kit, kit.unit, tmp_path_factory.mktemp("own") / "báo cáo.pdf")


def test_a4_portrait_with_embedded_fonts(own_report: Path):
    assert_fonts_embedded(own_report)
    with pikepdf.open(own_report) as pdf:
        assert len(pdf.pages) >= 2
        for page in pdf.pages:
            box = [float(v) for v in page.mediabox]
            assert abs(box[2] - box[0] - A4[0]) < 0.5 and abs(box[3] - box[1] - A4[1]) < 0.5
    info = docinfo(own_report)
    assert UNIT in info["/Title"] and info["/CreationDate"].startswith("D:20240506")


def test_cover_and_summary(own_report: Path):
    first = text_of(own_report, 1, normalize=False)
    # exact Vietnamese: the name is printed in NFC, with every diacritic, as entered
    assert UNIT_NAME in first and unicodedata.is_normalized("NFC", first)
    for expected in (UNIT, "UBND xã", "Bộ chỉ số thử", "small-2024", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                     "BÁO CÁO TỰ ĐÁNH GIÁ", "NĂM 2024", "01/01/2024", "31/12/2024", "06/05/2024",
                     "80,50 / 200 điểm", "40,25%", "Yếu",
                     "1. Nhận thức số", "2. Hoạt động chính quyền số", "80,50%", "0,00%"):
        assert expected in first, expected
    assert "Trang 1/" in first


def test_every_indicator_with_value_rule_points_and_evidence(own_report: Path, kit: Kit):
    text = text_of(own_report)
    for code in ("1.1", "1.2", "2.1"):
        assert f"{code} " in text
    assert "Nhập điểm từ 0 đến 60" in text                      # the rule in words
    assert "50,00 / 60" in text and "30,50 / 40" in text and "0,00 / 100" in text
    assert "Chưa nhập số liệu" in text                          # 2.1: a warning, not a refusal
    assert "Cổng dịch vụ công đang nâng cấp, số liệu bổ sung sau" in text
    items = evidence_items(kit)
    assert len(items) == 3
    for item in items:
        assert item["name"] in text and item["sha256"][:12] in text
    assert "Nguyễn Văn An" in text and "hợp lệ, chứng thư được tin cậy" in text
    assert "không có chữ ký số" in text
    details = text[text.index("III. CHI TIẾT"):]
    assert details.index("1.1 ") < details.index("1.2 ") < details.index("2.1 ")   # framework order


def test_unpackaged_data_lists_the_hashes_an_export_would_carry(own_report: Path, kit: Kit):
    from app.services.package_export import build_contents

    text = compact(text_of(own_report))
    assert "chưađónggói" in text.lower() and "lần1" in text.lower()          # the latest export is named
    with kit.workspace(kit.unit) as ws:
        _manifest, entries, _warnings = build_contents(ws)
    for name, source in entries:
        sha = hashlib.sha256(source).hexdigest() if isinstance(source, bytes) else name.split("/")[1].split(".")[0]
        assert sha in text, name


def test_same_data_and_clock_give_the_same_bytes(kit: Kit, tmp_path: Path, own_report: Path):
    again = write(kit, kit.unit, tmp_path / "again.pdf")
    assert again.read_bytes() == own_report.read_bytes()


def test_english(kit: Kit, tmp_path: Path):
    out = write(kit, kit.unit, tmp_path / "report-en.pdf", lang="en")
    text = text_of(out)
    assert "SELF-ASSESSMENT REPORT" in text and "No value entered" in text and "80,50 / 200 points" in text
    assert_fonts_embedded(out)


# -- inside the package --------------------------------------------------------------------------------------


def test_every_package_carries_the_report_and_its_hashes_match_the_manifest(kit: Kit, tmp_path: Path):
    manifest = manifest_of(kit.package)
    listed = {e["name"]: e for e in manifest["entries"]}
    assert "report/self-assessment.pdf" in listed
    with zipfile.ZipFile(kit.package) as z:
        report = z.read("report/self-assessment.pdf")
    assert hashlib.sha256(report).hexdigest() == listed["report/self-assessment.pdf"]["sha256"]
    out = tmp_path / "self-assessment.pdf"
    out.write_bytes(report)
    assert_fonts_embedded(out)
    text = compact(text_of(out))
    assert manifest["package_id"] in text and UNIT_NAME.replace(" ", "") in text
    covered = [n for n in listed if n.startswith(("data/", "evidence/"))]
    assert any(n.startswith("evidence/") for n in covered) and "data/values.json" in covered
    for name in covered:
        assert listed[name]["sha256"] in text, name
    assert listed["report/self-assessment.pdf"]["sha256"] not in text      # it lists what it covers, not itself
    made = datetime.fromisoformat(manifest["created_at"].replace("Z", "+00:00")).astimezone()
    assert docinfo(out)["/CreationDate"].startswith(made.strftime("D:%Y%m%d%H%M%S"))   # the export's own clock


def test_report_pages_and_revision_in_the_package(kit: Kit, tmp_path: Path):
    with zipfile.ZipFile(kit.package) as z:
        (tmp_path / "r.pdf").write_bytes(z.read("report/self-assessment.pdf"))
    assert page_count(tmp_path / "r.pdf") >= 2
    text = text_of(tmp_path / "r.pdf")
    assert "Lần nộp 1" in text and "Mã gói" in text


# -- at the aggregator ---------------------------------------------------------------------------------------


def test_aggregator_reports_the_imported_submission_with_its_appraisal(kit: Kit, tmp_path: Path):
    out = write(kit, kit.prov, tmp_path / "XA.pdf", unit_code=UNIT)
    assert_fonts_embedded(out)
    text = text_of(out)
    manifest = manifest_of(kit.package)
    assert UNIT_NAME in text and "Gói hồ sơ đơn vị đã nộp" in text
    assert "40,00 điểm" in text and "Thiếu chữ ký của Trưởng ban" in text     # appraised, with the comment
    assert "70,50 / 200 điểm" in text and "Tổng điểm tự chấm: 80,50" in text
    flat = compact(text)
    assert manifest["package_id"] in flat
    for entry in manifest["entries"]:
        if entry["name"].startswith(("data/", "evidence/")):
            assert entry["sha256"] in flat
    for item in evidence_items(kit):
        assert item["sha256"][:12] in text


def test_cli_report_unit_at_the_aggregator(kit: Kit, tmp_path: Path, capsys):
    out = tmp_path / "cli.pdf"
    capsys.readouterr()
    assert kit.run(kit.prov, "report", "unit", "--unit", UNIT, "--out", out) == 0
    assert capsys.readouterr().out.strip() == str(out)
    assert page_count(out) >= 2


@pytest.mark.parametrize(("data", "args", "reason"), [
    ("prov", ("--unit", "KHONG-CO"), "KHONG-CO"),
    ("prov", (), "--unit"),
    ("unit", ("--unit", "X9"), "X9"),
])
def test_unknown_unit_is_refused_and_leaves_no_file(kit: Kit, tmp_path: Path, capsys, data, args, reason):
    out = tmp_path / "none.pdf"
    capsys.readouterr()
    assert kit.run(getattr(kit, data), "report", "unit", *args, "--out", out) != 0
    err = capsys.readouterr().err.strip()
    assert reason in err and len(err.splitlines()) == 1
    assert not out.exists() and list(tmp_path.iterdir()) == []


def test_not_a_pdf_name_is_refused(kit: Kit, tmp_path: Path):
    with pytest.raises(UserError, match=r"\*\.pdf"):
        write(kit, kit.unit, tmp_path / "report.docx")
    assert list(tmp_path.iterdir()) == []


# -- the importer's check of report/*.pdf ---------------------------------------------------------------------


def _import(kit: Kit, package: Path, tmp_path: Path) -> tuple[object, int]:
    import shutil

    from app.services.package_import import import_paths

    prov = tmp_path / "prov"
    shutil.copytree(kit.prov, prov, ignore=shutil.ignore_patterns("dti.lock"))
    with Workspace(prov, lang="en") as ws:
        (outcome,) = import_paths(ws, [package])
    with Workspace(prov, write=False) as ws:
        from sqlalchemy import func, select

        from app.models.tables import Submission

        with ws.store.session() as session:
            rows = session.scalar(select(func.count()).select_from(Submission))
    return outcome, rows


@pytest.mark.parametrize(("report", "reason"), [
    (b"not a pdf at all", "is not a PDF file"),
    (b"%PDF-1.7\n" + bytes(range(256)) * 4 + b"\n%%EOF\n", "cannot be used: the PDF is damaged"),
    (c.javascript_pdf(), "holds active content (javascript"),
])
def test_import_refuses_a_report_that_is_not_a_clean_pdf(kit: Kit, tmp_path: Path, report: bytes, reason: str):
    bad = repack(kit.package, tmp_path / "bad.dtipkg", signer_of(kit.unit), manifest={"revision": 5},
                 entries={"report/self-assessment.pdf": report})
    outcome, rows = _import(kit, bad, tmp_path)
    assert outcome.status == "refused" and "report/self-assessment.pdf" in outcome.reason_en
    assert reason in outcome.reason_en
    assert rows == 1                      # only the revision imported before


def test_import_takes_a_package_without_a_report(kit: Kit, tmp_path: Path):
    older = repack(kit.package, tmp_path / "older.dtipkg", signer_of(kit.unit), manifest={"revision": 6},
                   entries={"report/self-assessment.pdf": None})
    outcome, rows = _import(kit, older, tmp_path)
    assert outcome.status == "imported", outcome.reason_en
    assert rows == 2
