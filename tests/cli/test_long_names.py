"""Issue 18 item 3, "names as they are": unit and authority names of up to 200 characters of any Vietnamese
text travel through every command, file, certificate and report of a real chain driven through the CLI.

The certificate's common name carries what fits its 64 UTF-8 bytes (`certs.common_name_of`); the whole name
travels in the enrollment file and the signed manifest, and reaches the ranking, the reports and feedback."""

from __future__ import annotations

import json
import unicodedata
import zipfile

import pytest
from cryptography.x509.oid import NameOID

from app.cli.main import main
from tests.conftest import SMALL
from tests.reports.pdfcheck import compact, text_of

PASS = "ten-dai-passphrase-1"
FW = "small-2024"

# A real department name (Hưng Yên's office serving its National Assembly delegation and People's Council).
DEPARTMENT = "Văn phòng Đoàn Đại biểu Quốc hội và Hội đồng nhân dân tỉnh Hưng Yên"

_WORDS = ("Ủy ban nhân dân xã Nghĩa Trụ mới được thành lập trên cơ sở sáp nhập toàn bộ diện tích tự nhiên và quy "
          "mô dân số của các xã Vĩnh Khúc, Long Hưng, Tân Tiến, Đồng Tiến, Phụng Công, Xuân Quan, Cửu Cao, Liên "
          "Nghĩa, thuộc huyện Văn Giang, tỉnh Hưng Yên, theo Nghị quyết của Ủy ban Thường vụ Quốc hội năm hai nghìn")


def chars_exactly(n: int, text: str = _WORDS) -> str:
    """`n` characters of Vietnamese text (NFC), not starting or ending with a space."""
    out = unicodedata.normalize("NFC", text)[:n]
    if out[-1] == " ":
        out = out[:-1] + "ố"
    assert len(out) == n
    return out


def bytes_exactly(n: int, prefix: str, last: str) -> str:
    """A name of exactly `n` UTF-8 bytes that ends with `last` (so a cut at 64 bytes can fall inside it)."""
    need = n - len(last.encode("utf-8"))
    out = prefix
    for c in _WORDS[len(prefix):] if _WORDS.startswith(prefix) else _WORDS:
        if len((out + c).encode("utf-8")) > need:
            break
        out += c
    while len(out.encode("utf-8")) < need:
        out += "a"
    out = out.rstrip() if out.endswith(" ") else out
    while len(out.encode("utf-8")) < need:
        out += "a"
    name = out + last
    assert len(name.encode("utf-8")) == n and unicodedata.is_normalized("NFC", name)
    return name


NAME_200 = chars_exactly(200)                                    # the name limit, 2–3 bytes a letter
AUTHORITY_200 = chars_exactly(200, "Sở Thông tin và Truyền thông tỉnh Hưng Yên, cơ quan chuyên môn thuộc Ủy ban "
                                   "nhân dân tỉnh, tham mưu, giúp Ủy ban nhân dân tỉnh quản lý nhà nước về chuyển "
                                   "đổi số, bưu chính, viễn thông, công nghệ thông tin, báo chí và xuất bản")
DISTRICT_200 = chars_exactly(200, "Ủy ban nhân dân huyện Văn Giang, tỉnh Hưng Yên (đơn vị hành chính cấp huyện "
                                  "được sắp xếp lại theo Nghị quyết của Ủy ban Thường vụ Quốc hội về việc sắp xếp "
                                  "các đơn vị hành chính cấp huyện, cấp xã giai đoạn hai nghìn không trăm hai mươi)")
NAME_64B = bytes_exactly(64, "Ủy ban nhân dân xã Nghĩa Trụ", "ệ")    # the CN limit exactly: kept whole
NAME_65B = bytes_exactly(65, "Ủy ban nhân dân xã Nghĩa Trụ", "ệ")    # one byte over: the cut falls inside "ệ"
NAME_201 = chars_exactly(201)

UNITS = {   # code: (issuer, name, group)
    "D1": ("prov", DEPARTMENT, "huyen"),
    "H1": ("prov", DISTRICT_200, "huyen"),
    "X64": ("H1", NAME_64B, "xa"),
    "X65": ("H1", NAME_65B, "xa"),
    "XL": ("H1", NAME_200, "xa"),
}


@pytest.fixture(scope="module")
def chain(tmp_path_factory: pytest.TempPathFactory):
    work = tmp_path_factory.mktemp("longnames")
    passfile = work / "pass.txt"
    passfile.write_text(PASS + "\n", encoding="utf-8")
    fw = work / "fw.dti.yaml"
    fw.write_text(SMALL, encoding="utf-8")

    def run(data: str, *args: object) -> int:
        return main(["--data-dir", str(work / data), "--lang", "en", "--passphrase-file", str(passfile),
                     *map(str, args)])

    assert run("prov", "authority", "init", "--code", "TP", "--name", AUTHORITY_200) == 0
    assert run("prov", "framework", "import", fw) == 0
    for code, (issuer, name, group) in UNITS.items():
        extra = ("--can-issue",) if code == "H1" else ()
        assert run(issuer, "enroll", "issue", "--framework", FW, "--unit-code", code, "--unit-name", name,
                   "--group", group, "--unit-passphrase-file", passfile, "--out", work / f"{code}.dtienroll",
                   *extra) == 0, code
        assert run(code, "enroll", "accept", work / f"{code}.dtienroll") == 0, code
    for i, code in enumerate(UNITS):
        assert run(code, "entry", "set", "1.1", 30 + i) == 0
        assert run(code, "entry", "set", "1.2", "20,5") == 0
        assert run(code, "package", "export", "--out", work / f"{code}.dtipkg") == 0
    return work, run


def _one_line_refusal(capsys, rc: int) -> str:
    err = capsys.readouterr().err.strip()
    assert rc == 1, err
    assert len(err.splitlines()) == 1 and "Traceback" not in err and "internal" not in err.lower(), err
    return err


def test_the_names_are_what_the_issue_asks():
    for name in (NAME_200, AUTHORITY_200, DISTRICT_200):
        assert len(name) == 200 and unicodedata.is_normalized("NFC", name) and len(name.encode("utf-8")) > 200
    assert len(NAME_201) == 201
    assert len(NAME_64B.encode("utf-8")) == 64 and len(NAME_65B.encode("utf-8")) == 65


def test_certificates_carry_what_fits_and_the_enrollment_the_whole_name(chain):
    from app.services.trust_service import identity
    from app.services.workspace import Workspace
    from app.trust.certs import common_name_of

    work, _run = chain
    expected_cn = {"X64": NAME_64B, "X65": NAME_65B[:-1]}
    for code, (_issuer, name, _group) in UNITS.items():
        with Workspace(work / code, write=False) as ws:
            ident = identity(ws)
            cert = ident.signing[0]
            assert ws.state().name == name
        cn = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value
        assert cn == common_name_of(name) and len(cn.encode("utf-8")) <= 64 and name.startswith(cn)
        if code in expected_cn:
            assert cn == expected_cn[code]
    with Workspace(work / "prov", write=False) as ws:
        root = identity(ws).root[0]
    root_cn = root.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value
    assert root_cn == common_name_of(AUTHORITY_200)


def test_the_enrollment_sheet_shows_the_whole_name(chain):
    work, _run = chain
    for code in ("D1", "XL", "X65"):
        sheet = work / f"{code}-phieu.pdf"
        assert sheet.is_file()
        assert compact(UNITS[code][1]) in compact(text_of(sheet)), code


def test_the_signed_manifest_carries_the_whole_name(chain):
    work, _run = chain
    for code, (_issuer, name, _group) in UNITS.items():
        with zipfile.ZipFile(work / f"{code}.dtipkg") as z:
            manifest = json.loads(z.read("manifest.json"))
        assert manifest["unit"]["code"] == code and manifest["unit"]["name"] == name


def test_district_and_province_import_rank_and_report_the_whole_names(chain, tmp_path, capsys):
    work, run = chain
    communes = [work / f"{c}.dtipkg" for c in ("X64", "X65", "XL")]
    assert run("H1", "package", "import", *communes) == 0
    assert run("prov", "package", "import", *(work / f"{c}.dtipkg" for c in UNITS)) == 0
    capsys.readouterr()
    assert run("prov", "rank", "--json") == 0
    ranking = capsys.readouterr().out
    names = set()

    def walk(value):
        if isinstance(value, dict):
            if "unit_code" in value:
                names.add((value["unit_code"], value["unit_name"]))
            for v in value.values():
                walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)

    walk(json.loads(ranking))
    for code, (_issuer, name, _group) in UNITS.items():
        assert (code, name) in names, code

    for code in UNITS:
        out = tmp_path / f"{code}.pdf"
        assert run("prov", "report", "unit", "--unit", code, "--out", out) == 0, code
        assert out.is_file()
        own = tmp_path / f"{code}-own.pdf"          # the unit's own report, on its own machine
        assert run(code, "report", "unit", "--out", own) == 0, code
        assert compact(UNITS[code][1]) in compact(text_of(own)), code
    pdf, xlsx = tmp_path / "xep-hang.pdf", tmp_path / "xep-hang.xlsx"
    assert run("prov", "report", "ranking", "--out", pdf) == 0
    assert run("prov", "report", "ranking", "--out", xlsx) == 0
    from openpyxl import load_workbook

    cells = {str(c.value) for ws in load_workbook(xlsx, read_only=True).worksheets for row in ws.iter_rows()
             for c in row if c.value is not None}
    for code, (_issuer, name, _group) in UNITS.items():
        assert name in cells, code
    text = compact(text_of(pdf))
    for code, (_issuer, name, _group) in UNITS.items():
        assert compact(name) in text, code
        assert compact(name) in compact(text_of(tmp_path / f"{code}.pdf")), code


def test_feedback_travels_with_the_whole_names(chain, tmp_path, capsys):
    """Feedback comes from the authority that enrolled the unit: the province for D1 and H1, H1 for its communes."""
    work, run = chain
    if not (work / "prov" / "received").exists():
        assert run("H1", "package", "import", *(work / f"{c}.dtipkg" for c in ("X64", "X65", "XL"))) == 0
        assert run("prov", "package", "import", *(work / f"{c}.dtipkg" for c in UNITS)) == 0
    for code, (issuer, _name, _group) in UNITS.items():
        out = tmp_path / f"{code}.dtifb"
        assert run(issuer, "feedback", "export", "--unit", code, "--out", out) == 0, code
        capsys.readouterr()
        assert run(code, "feedback", "import", out) == 0, (code, capsys.readouterr().err)


def test_201_characters_are_refused_in_one_line(chain, tmp_path, capsys):
    work, run = chain
    capsys.readouterr()
    rc = run("prov", "enroll", "issue", "--framework", FW, "--unit-code", "X201", "--unit-name", NAME_201,
             "--group", "xa", "--out", tmp_path / "x201.dtienroll")
    assert "200" in _one_line_refusal(capsys, rc)
    assert not (tmp_path / "x201.dtienroll").exists()
    rc = main(["--data-dir", str(tmp_path / "auth"), "--lang", "en", "--passphrase-file", str(work / "pass.txt"),
               "authority", "init", "--code", "TQ", "--name", NAME_201])
    assert "200" in _one_line_refusal(capsys, rc)
    # `dti unit init` keeps the same limit: 200 characters are taken, 201 refused
    early = tmp_path / "early"
    assert main(["--data-dir", str(early), "framework", "import", str(work / "fw.dti.yaml")]) == 0
    capsys.readouterr()
    rc = main(["--data-dir", str(early), "--lang", "en", "unit", "init", "--framework", FW, "--unit-code", "X9",
               "--unit-name", NAME_201, "--group", "xa"])
    assert "200" in _one_line_refusal(capsys, rc)
    assert main(["--data-dir", str(early), "unit", "init", "--framework", FW, "--unit-code", "X9",
                 "--unit-name", NAME_200, "--group", "xa"]) == 0
