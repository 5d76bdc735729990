"""Issue 18, "two-tier map": `dti enroll issue --from UNITS.xlsx|UNITS.csv --out DIR [--framework ID]` (DESIGN §7).

A province enrolls its units from one list: a file per unit and one PDF of all sheets, or, for any bad row or
failure, nothing at all (no file in DIR, the store as it was). A district enrolled from the list with
may_enroll_others accepts its file and enrolls its own communes from its own list: the two tiers of the map.
Merged units keep their predecessors in the registry."""

from __future__ import annotations

import contextlib
import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from app.cli.main import main
from app.models.tables import AuditEntry, ChainCert, Enrollment, Round, RoundUnit
from app.services.workspace import Workspace
from tests.conftest import SMALL
from tests.reports.pdfcheck import assert_fonts_embedded, page_count, text_of

PASS = "tinh-thu-passphrase-2025"
FW = "small-2024"
AUTHORITY = "Sở Khoa học và Công nghệ tỉnh Thử"
VI_HEADER = "STT;Mã đơn vị;Tên đơn vị;Nhóm;Đơn vị cấp trên;Đơn vị tiền thân;Được cấp tài khoản cho đơn vị khác"
# the header the sheet prints above the passphrase, then the passphrase in 5 groups of 4 (app.trust.keys alphabet)
PASSPHRASE_ON_SHEET = re.compile(r"2\. Passphrase\n((?:[acdefhjkmnprtuwxy3478]{4} ?){5})\n")


@dataclass
class Province:
    work: Path
    run: Callable[..., int]

    @property
    def data(self) -> Path:
        return self.work / "prov"


@pytest.fixture(scope="module")
def province(tmp_path_factory: pytest.TempPathFactory) -> Province:
    work = tmp_path_factory.mktemp("enroll-list")
    passfile = work / "pass.txt"
    passfile.write_text(PASS + "\n", encoding="utf-8")
    (work / "fw.dti.yaml").write_text(SMALL, encoding="utf-8")

    def run(data: str | Path, *args: object, passphrase: Path = passfile) -> int:
        return main(["--data-dir", str(work / data), "--lang", "en", "--passphrase-file", str(passphrase),
                     *map(str, args)])

    assert run("prov", "authority", "init", "--code", "TP", "--name", AUTHORITY) == 0
    assert run("prov", "framework", "import", work / "fw.dti.yaml") == 0
    # enrolled before the list: a list naming it again is refused
    assert run("prov", "enroll", "issue", "--framework", FW, "--unit-code", "E1", "--unit-name", "UBND xã Đã Cấp",
               "--group", "xa", "--unit-passphrase-file", passfile, "--out", work / "E1.dtienroll") == 0
    return Province(work, run)


def csv_file(path: Path, lines: list[str], bom: bool = True) -> Path:
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + "\r\n".join(lines).encode("utf-8") + b"\r\n")
    return path


def communes(n: int, start: int = 26000) -> list[str]:
    return [f"{i + 1};{start + i};UBND xã Thử Số {i + 1};xa;;;" for i in range(n)]


def listing(folder: Path) -> list[tuple[str, int]]:
    if not folder.exists():
        return []
    return sorted((str(p.relative_to(folder)), p.stat().st_size if p.is_file() else -1) for p in folder.rglob("*")
                  if p.name not in ("dti.sqlite3-wal", "dti.sqlite3-shm"))


def row_counts(data: Path) -> dict[str, int]:
    with Workspace(data, write=False) as ws, ws.store.session() as session:
        return {t.__name__: session.scalar(select(func.count()).select_from(t))
                for t in (Enrollment, RoundUnit, Round, AuditEntry, ChainCert)}


def state(province: Province, out: Path) -> tuple:
    return listing(province.data), listing(out), listing(out.parent), row_counts(province.data)


def one_line_refusal(capsys) -> str:
    captured = capsys.readouterr()
    err = captured.err.strip()
    assert len(err.splitlines()) == 1 and err.startswith("dti: ") and "Traceback" not in err, err
    assert "internal error" not in err, err
    assert captured.out == ""
    return err


# -- hostile lists: one line naming the rows, nothing written ---------------------------------------------------
def _xlsx(path: Path, rows: list[list]) -> Path:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


HOSTILE: dict[str, tuple[Callable[[Path], Path], tuple[str, ...]]] = {
    "empty": (lambda d: csv_file(d / "empty.csv", [], bom=False), ("empty.csv: the file is empty",)),
    "header only": (lambda d: csv_file(d / "header.csv", [VI_HEADER]), ("no unit listed under the header",)),
    "missing column": (lambda d: csv_file(d / "missing.csv", ["Mã;Tên;Cấp trên", "X1;UBND xã Một;TP"]),
                       ("missing: group",)),
    "duplicate codes": (lambda d: csv_file(d / "dup.csv", [VI_HEADER, *communes(5), "6;26002;UBND xã Lặp;xa;;;"]),
                        ("1 row cannot be enrolled, nothing was issued", "row 7: code 26002 is listed twice (row 4)")),
    "unknown group": (lambda d: csv_file(d / "group.csv", [VI_HEADER, *communes(3), "4;X4;UBND phường Bốn;phuong;;;"]),
                      ("row 5: framework small-2024 has no group 'phuong'",)),
    "bad yes/no": (lambda d: csv_file(d / "yesno.csv", [VI_HEADER, "1;H1;UBND huyện Một;huyen;;;có lẽ"]),
                   ("row 2: may_enroll_others 'có lẽ' is not yes or no",)),
    "2,001 rows": (lambda d: csv_file(d / "big.csv", [VI_HEADER, *communes(2001)]), ("more than 2.000 units",)),
    "a formula cell": (lambda d: _xlsx(d / "formula.xlsx", [["code", "name", "group"], ["X1", "UBND xã Một", "xa"],
                                                          ["X2", "=B2&\" mới\"", "xa"]]),
                       ("row 3: cell B3 is a formula",)),
    "garbage named .xlsx": (lambda d: (d / "garbage.xlsx").write_bytes(bytes(range(256)) * 40) and d / "garbage.xlsx",
                            ("garbage.xlsx: not an Excel workbook (.xlsx)",)),
    "already enrolled": (lambda d: csv_file(d / "again.csv", [VI_HEADER, *communes(3), "4;E1;UBND xã Đã Cấp;xa;;;"]),
                         ("row 5: unit E1 is already enrolled",)),
    "Windows-1258": (lambda d: (d / "ansi.csv").write_bytes("Mã,Tên,Nhóm\r\n".encode()
                                                             + b"X1,UBND x\xe3 M\xf4\xf2t,xa\r\n") and d / "ansi.csv",
                     ("ansi.csv: not UTF-8 text (line 2)", "CSV UTF-8")),
    "another parent": (lambda d: csv_file(d / "parent.csv", [VI_HEADER, "1;X1;UBND xã Một;xa;H9;;"]),
                       ("row 2: parent H9 is not this authority (TP)",)),
    "many bad rows": (lambda d: csv_file(d / "many.csv", [VI_HEADER, *[f"{i};;UBND xã {i};xa;;;" for i in range(25)]]),
                      ("25 rows cannot be enrolled", "row 11: code empty", "; and 15 more")),
}


@pytest.mark.parametrize("case", HOSTILE)
def test_a_hostile_list_is_refused_in_one_line_and_nothing_is_written(province, tmp_path, capsys, case):
    make, expected = HOSTILE[case]
    source = make(tmp_path)
    out = tmp_path / "out"
    before = state(province, out)
    capsys.readouterr()
    assert province.run("prov", "enroll", "issue", "--from", source, "--out", out) == 1
    err = one_line_refusal(capsys)
    for part in expected:
        assert part in err, err
    assert state(province, out) == before and not out.exists()


def test_a_refusal_is_in_vietnamese_by_default(province, tmp_path, capsys):
    source = csv_file(tmp_path / "dup.csv", [VI_HEADER, *communes(2), "3;26001;UBND xã Lặp;xa;;;"])
    rc = main(["--data-dir", str(province.data), "--passphrase-file", str(province.work / "pass.txt"), "enroll",
               "issue", "--from", str(source), "--out", str(tmp_path / "out")])
    assert rc == 1
    assert one_line_refusal(capsys) == ("dti: dup.csv: 1 dòng không cấp được, chưa cấp đơn vị nào — dòng 4: mã 26001 "
                                        "lặp lại (dòng 3)")


def test_options_of_one_unit_do_not_go_with_a_list(province, tmp_path, capsys):
    source = csv_file(tmp_path / "ok.csv", [VI_HEADER, *communes(2)])
    out = tmp_path / "out"
    before = state(province, out)
    capsys.readouterr()
    for extra in (("--unit-passphrase-file", province.work / "pass.txt"), ("--can-issue",), ("--unit-code", "X1")):
        assert province.run("prov", "enroll", "issue", "--from", source, "--out", out, *extra) == 1
        err = one_line_refusal(capsys)
        assert f"{extra[0]} cannot go with --from" in err and "its own generated passphrase" in err
    # without --from the options of one unit are required, each named
    assert province.run("prov", "enroll", "issue", "--framework", FW, "--unit-code", "X1", "--out", out) == 1
    assert "needs --unit-name, --group (or --from" in one_line_refusal(capsys)
    assert state(province, out) == before


def test_an_output_folder_holding_a_file_of_the_batch_is_refused(province, tmp_path, capsys):
    source = csv_file(tmp_path / "ok.csv", [VI_HEADER, *communes(3)])
    out = tmp_path / "out"
    out.mkdir()
    (out / "26001.DTIENROLL").write_bytes(b"an earlier file")
    before = state(province, out)
    capsys.readouterr()
    assert province.run("prov", "enroll", "issue", "--from", source, "--out", out) == 1
    assert "already holds 26001.DTIENROLL: choose an empty folder" in one_line_refusal(capsys)
    assert state(province, out) == before


# -- a failure half-way leaves nothing either -------------------------------------------------------------------
def test_a_failure_while_recording_leaves_no_file_and_no_row(province, tmp_path, capsys, monkeypatch):
    from app.services import enrollment

    real, calls = enrollment.record, []

    def failing(*args, **kwargs):   # the 100th unit's registry row: a fault injected, as a full disk would
        calls.append(1)
        if len(calls) == 100:
            raise RuntimeError("disk full (injected)")
        return real(*args, **kwargs)

    monkeypatch.setattr(enrollment, "record", failing)
    source = csv_file(tmp_path / "list.csv", [VI_HEADER, *communes(120, start=30000)])
    out = tmp_path / "new" / "out"
    before = state(province, out)
    capsys.readouterr()
    assert province.run("prov", "enroll", "issue", "--from", source, "--out", out) == 1
    err = capsys.readouterr().err
    assert "internal error (RuntimeError: disk full (injected))" in err and len(calls) == 100
    after = state(province, out)
    # the log of the internal error is the one thing added to the data folder
    assert [e for e in after[0] if not e[0].startswith("logs")] == before[0]
    assert after[1:] == before[1:] and not (tmp_path / "new").exists()


def test_a_failure_after_the_files_were_moved_takes_them_back(province, tmp_path, capsys, monkeypatch):
    import app.atomicfile

    def failing(directory: Path) -> None:
        if Path(directory).name == "out":
            raise OSError(5, "Input/output error (injected)")

    monkeypatch.setattr(app.atomicfile, "fsync_dir", failing)
    source = csv_file(tmp_path / "list.csv", [VI_HEADER, *communes(5, start=31000)])
    out = tmp_path / "out"
    before = state(province, out)
    capsys.readouterr()
    assert province.run("prov", "enroll", "issue", "--from", source, "--out", out) == 1
    assert "cannot write into" in one_line_refusal(capsys)
    assert state(province, out) == before and not out.exists()


# -- 170 communes, merged units, a district that enrolls its own ------------------------------------------------
@pytest.fixture(scope="module")
def issued(province: Province) -> tuple[Path, str]:
    rows = [*communes(167), "168;27001;UBND xã Tân Hợp (mới);xa;TP;26010 26011, 26012;không",
            "169;H01;UBND huyện Văn Lâm;UBND huyện;;;có", "170;H02;UBND huyện Ân Thi;huyen;tp;;x"]
    source = csv_file(province.work / "danh-sach.csv", [VI_HEADER, *rows])
    out = province.work / "cap-tai-khoan"
    stdout, stderr = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        assert province.run("prov", "enroll", "issue", "--from", source, "--out", out) == 0, stderr.getvalue()
    assert stderr.getvalue() == "columns not used: STT\n"
    return out, stdout.getvalue()


def test_170_units_one_file_each_and_one_pdf(province, issued):
    out, stdout = issued
    names = sorted(p.name for p in out.iterdir())
    assert len(names) == 171 and "phieu-cap-tai-khoan.pdf" in names
    assert {n for n in names if n.endswith(".dtienroll")} == {f"{26000 + i}.dtienroll" for i in range(167)} | {
        "27001.dtienroll", "H01.dtienroll", "H02.dtienroll"}
    assert not any(n.endswith("-phieu.pdf") for n in names) and not any(p.name.startswith(".") for p in
                                                                       province.work.iterdir() if p.is_dir())
    lines = stdout.splitlines()
    assert len(lines) == 171
    assert lines[0] == f"26000 — UBND xã Thử Số 1 — xa: {out / '26000.dtienroll'}"
    assert lines[167] == f"27001 — UBND xã Tân Hợp (mới) — xa | predecessors: 26010 26011 26012: {out / '27001.dtienroll'}"
    assert lines[168] == f"H01 — UBND huyện Văn Lâm — huyen | may enroll others: {out / 'H01.dtienroll'}"
    assert lines[-1] == f"enrollment sheets (170 pages): {out / 'phieu-cap-tai-khoan.pdf'}"
    # the passphrases are on the sheets only
    assert not re.search(r"[acdefhjkmnprtuwxy3478]{20}", stdout) and "passphrase" not in stdout


def test_the_registry_holds_every_unit_with_its_predecessors_and_rights(province, issued):
    with Workspace(province.data, write=False) as ws, ws.store.session() as session:
        rows = {e.unit_code: e for e in session.scalars(select(Enrollment))}
        assert len(rows) == 171                                                     # E1 and the 170
        assert rows["27001"].predecessors == "26010 26011 26012" and rows["26000"].predecessors is None
        assert rows["H01"].can_issue and rows["H02"].can_issue and not rows["27001"].can_issue
        assert rows["H01"].issuing_serial and rows["H01"].group_code == "huyen" and rows["H01"].parent_code == "TP"
        assert {e.issued_at for c, e in rows.items() if c != "E1"} == {rows["H01"].issued_at}   # one moment
        groups = dict(session.execute(select(RoundUnit.unit_code, RoundUnit.group_code)).all())
        assert groups["H02"] == "huyen" and groups["26166"] == "xa" and len(groups) == 171
        actions = [a for (a,) in session.execute(select(AuditEntry.action).order_by(AuditEntry.id))]
        assert actions.count("enroll.issue") == 171 and actions[-1] == "enroll.batch"
        batch = session.scalars(select(AuditEntry).where(AuditEntry.action == "enroll.batch")).one()
        assert batch.new.startswith("170 units from danh-sach.csv (sha256 ") and batch.code == FW
        assert session.scalar(select(func.count()).select_from(ChainCert).where(ChainCert.role == "intermediate")) >= 2
        from app.services import audit

        assert audit.verify(session).broken_at is None


def test_the_combined_pdf_has_one_sheet_a_page_with_fonts_embedded(province, issued):
    out, _stdout = issued
    pdf = out / "phieu-cap-tai-khoan.pdf"
    assert page_count(pdf) == 170
    assert_fonts_embedded(pdf)
    first, merged, last = text_of(pdf, 1), text_of(pdf, 168), text_of(pdf, 170)
    assert "ENROLLMENT SHEET" in first and "UBND xã Thử Số 1" in first and "26000.dtienroll" in first
    assert "Page 1/170" in first and PASSPHRASE_ON_SHEET.search(first)
    assert "UBND xã Tân Hợp (mới)" in merged and "27001.dtienroll" in merged
    assert "UBND huyện Ân Thi" in last and "Yes — this unit may enroll the units under it" in last
    assert AUTHORITY in last


def test_a_file_opens_with_the_passphrase_on_its_sheet_in_a_fresh_installation(province, issued, tmp_path, capsys):
    out, _stdout = issued
    pdf = out / "phieu-cap-tai-khoan.pdf"
    for page, code in ((1, "26000"), (168, "27001")):
        secret = "".join(PASSPHRASE_ON_SHEET.search(text_of(pdf, page)).group(1).split())
        passfile = tmp_path / f"{code}.txt"
        passfile.write_text(secret, encoding="utf-8")
        capsys.readouterr()
        assert province.run(tmp_path / code, "enroll", "accept", out / f"{code}.dtienroll", passphrase=passfile) == 0
        assert capsys.readouterr().out.startswith(f"{code} — ")
        with Workspace(tmp_path / code, write=False) as ws:
            assert ws.state().code == code and ws.state().group == "xa"


def test_a_district_from_the_list_enrolls_its_communes_from_its_own_list(province, issued, tmp_path, capsys):
    out, _stdout = issued
    pdf = out / "phieu-cap-tai-khoan.pdf"
    secret = "".join(PASSPHRASE_ON_SHEET.search(text_of(pdf, 169)).group(1).split())
    passfile = tmp_path / "h01.txt"
    passfile.write_text(secret, encoding="utf-8")
    district = tmp_path / "H01"
    assert province.run(district, "enroll", "accept", out / "H01.dtienroll", passphrase=passfile) == 0

    # the district's own list, an Excel file with codes typed as numbers; parent H01 or empty
    source = _xlsx(tmp_path / "xa-van-lam.xlsx", [
        ["Danh sách các xã huyện Văn Lâm"], [],
        ["Mã", "Tên", "Nhóm", "Cấp trên", "Tiền thân"],
        [12001, "UBND xã Lạc Hồng", "xa", "H01", None],
        [12002.0, "UBND xã Minh Hải (sáp nhập)", "UBND xã", None, "12003 12004"]])
    assert province.run(district, "enroll", "issue", "--from", source, "--out", tmp_path / "xa", passphrase=passfile) == 0
    assert sorted(p.name for p in (tmp_path / "xa").iterdir()) == ["12001.dtienroll", "12002.dtienroll",
                                                                    "phieu-cap-tai-khoan.pdf"]
    with Workspace(district, write=False) as ws, ws.store.session() as session:
        rows = {e.unit_code: e for e in session.scalars(select(Enrollment))}
        assert rows["12002"].predecessors == "12003 12004" and rows["12001"].parent_code == "H01"

    # a commune of the district opens its file: commune → district → province
    sheets = tmp_path / "xa" / "phieu-cap-tai-khoan.pdf"
    commune_pass = "".join(PASSPHRASE_ON_SHEET.search(text_of(sheets, 2)).group(1).split())
    (tmp_path / "x.txt").write_text(commune_pass, encoding="utf-8")
    assert province.run(tmp_path / "12002", "enroll", "accept", tmp_path / "xa" / "12002.dtienroll",
                        passphrase=tmp_path / "x.txt") == 0

    # a district enrolls only its own: a row naming the province, or a unit that enrolls others, is refused
    bad = _xlsx(tmp_path / "bad.xlsx", [["code", "name", "group", "parent", "may_enroll_others"],
                                        ["12005", "UBND xã Năm", "xa", "TP", ""], ["12006", "UBND xã Sáu", "xa", "", "yes"]])
    capsys.readouterr()
    assert province.run(district, "enroll", "issue", "--from", bad, "--out", tmp_path / "bad", passphrase=passfile) == 1
    err = one_line_refusal(capsys)
    assert "row 2: parent TP is not this authority (H01)" in err
    assert "row 3: only the province can enroll a unit that enrolls others" in err
    assert not (tmp_path / "bad").exists()
