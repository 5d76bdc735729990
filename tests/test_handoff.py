"""Hand-off files recognised by content (app.services.handoff), for a double-click or `dti FILE`: every kind
from real files written by the services, a renamed file still recognised, volumes of a split package with
and without the whole set, garbage refused in both languages; `dti FILE` routing in the command line."""

from __future__ import annotations

import io
import json
import shutil
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from app.cli.main import _opened_file, build_parser, main
from app.errors import UserError
from app.services import handoff as ho
from tests.conftest import SMALL

PASS = "handoff-passphrase-1"
# a department group and a field appraised by "Sở Nội vụ", for the appraisal work and return files
FIELD = (SMALL.replace('  - {code: xa, title: "UBND xã"}\n', '  - {code: xa, title: "UBND xã"}\n  - {code: so, title: "Sở"}\n')
         .replace('    title: "Nhận thức số"\n', '    title: "Nhận thức số"\n    appraiser: "Sở Nội vụ"\n')
         .replace("max: {huyen: 200, xa: 100}", "max: {huyen: 200, xa: 100, so: 100}"))


@dataclass(frozen=True)
class HandOffs:
    """Real hand-off files and the installations that wrote them (each a data directory under `work`)."""

    work: Path

    def file(self, name: str) -> Path:
        return self.work / "files" / name

    def data(self, name: str) -> Path:
        return self.work / name

    @property
    def volumes(self) -> list[Path]:
        return sorted((self.work / "vol").iterdir())


def build_handoffs(work: Path) -> HandOffs:
    """Province TP enrolls district H1 (issues) and the department SNV; H1 enrolls communes X1 and X2, which
    export packages; H1 imports X1, appraises, sends feedback and a bundle; the province imports the bundle
    and sends SNV a work file, which SNV returns. X2's package is also split into volumes."""
    (work / "pass.txt").write_text(PASS + "\n", encoding="utf-8")
    files = work / "files"
    files.mkdir()
    (work / "fw.dti.yaml").write_text(FIELD, encoding="utf-8")

    def run(data: str, *args: object) -> None:
        rc = main(["--data-dir", str(work / data), "--lang", "en", "--passphrase-file", str(work / "pass.txt"),
                   *map(str, args)])
        assert rc == 0, f"dti {' '.join(map(str, args))} at {data}"

    def enroll(issuer: str, code: str, group: str, *extra: str) -> None:
        run(issuer, "enroll", "issue", "--framework", "small-2024", "--unit-code", code, "--unit-name", f"Đơn vị {code}",
            "--group", group, "--unit-passphrase-file", work / "pass.txt", "--out", files / f"{code}.dtienroll", *extra)
        run(code, "enroll", "accept", files / f"{code}.dtienroll")

    run("TP", "authority", "init", "--code", "TP", "--name", "Sở Thông tin và Truyền thông Thử")
    run("TP", "framework", "import", work / "fw.dti.yaml")
    enroll("TP", "H1", "huyen", "--can-issue")
    enroll("TP", "SNV", "so")
    for code, value in (("X1", "50"), ("X2", "60")):
        enroll("H1", code, "xa")
        run(code, "entry", "set", "1.1", value)
        run(code, "package", "export", "--out", files / f"{code}.dtipkg")
    run("H1", "package", "import", files / "X1.dtipkg")
    run("H1", "appraise", "set", "X1", "1.1", "40", "--comment", "Thiếu biên bản", "--request-explanation")
    run("H1", "feedback", "export", "--unit", "X1", "--out", files / "X1.phanhoi")
    run("H1", "bundle", "export", "--out", files / "H1.dtibundle")
    run("TP", "package", "import", files / "H1.dtibundle")
    run("TP", "appraise", "export", "--department", "Sở Nội vụ", "--to", "SNV", "--out", files / "snv.dtiwork")
    run("SNV", "appraise", "import", files / "snv.dtiwork")
    run("SNV", "appraise", "set", "X1", "1.1", "45")
    run("SNV", "appraise", "export", "--out", files / "snv-ketqua.dtiwork")
    from app.packages.volumes import write_volumes

    (work / "vol").mkdir()
    package = files / "X2.dtipkg"
    write_volumes(package, work / "vol" / "X2.dtipkg", package.stat().st_size // 3 + 2000)
    return HandOffs(work)


@pytest.fixture(scope="module")
def handoffs(tmp_path_factory: pytest.TempPathFactory) -> HandOffs:
    return build_handoffs(tmp_path_factory.mktemp("handoff"))


@pytest.mark.parametrize(("name", "kind", "fmt", "unit"), [
    ("H1.dtienroll", ho.ENROLLMENT, "dti-enrollment/1", "H1"),
    ("X1.phanhoi", ho.FEEDBACK, "dti-feedback/1", "X1"),
    ("X1.dtipkg", ho.PACKAGE, "dti-package/1", "X1"),
    ("H1.dtibundle", ho.BUNDLE, "dti-bundle/1", None),
    ("snv.dtiwork", ho.APPRAISAL_WORK, "dti-appraisal-work/1", None),
    ("snv-ketqua.dtiwork", ho.APPRAISAL_RETURN, "dti-appraisal-return/1", None),
])
def test_every_kind_is_recognised_from_its_content(handoffs, name, kind, fmt, unit):
    found = ho.recognise(handoffs.file(name))
    assert (found.kind, found.format, found.split) == (kind, fmt, False)
    assert found.import_paths == [handoffs.file(name)]
    if unit is not None:
        assert found.unit_code == unit


def test_the_suffix_is_not_believed(handoffs, tmp_path):
    renamed = tmp_path / "phan-hoi-gui-xa.pdf"
    shutil.copyfile(handoffs.file("X1.phanhoi"), renamed)
    assert ho.recognise(renamed).kind == ho.FEEDBACK
    disguised = tmp_path / "X9.dtienroll"
    shutil.copyfile(handoffs.file("X1.dtipkg"), disguised)
    assert ho.recognise(disguised).kind == ho.PACKAGE


def test_a_volume_brings_its_whole_set(handoffs):
    volumes = handoffs.volumes
    assert len(volumes) >= 3
    found = ho.recognise(volumes[1])
    assert (found.kind, found.format, found.missing) == (ho.PACKAGE, "dti-package/1", ())
    assert found.import_paths == volumes and found.unit_code == "X2"


def test_a_missing_volume_is_named(handoffs, tmp_path):
    volumes = handoffs.volumes
    for v in volumes[:-1]:
        shutil.copyfile(v, tmp_path / v.name)
    found = ho.recognise(tmp_path / volumes[0].name)
    assert found.kind == ho.PACKAGE and found.format == ""
    assert found.missing == (volumes[-1].name,)
    assert [p.name for p in found.import_paths] == [v.name for v in volumes[:-1]]


def _zip(entries: dict[str, bytes], compression: int = zipfile.ZIP_STORED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=compression) as z:
        for name, data in entries.items():
            z.writestr(name, data)
    return buffer.getvalue()


@pytest.mark.parametrize("content", [
    b"",
    b"not a zip at all " * 40,
    b"PK\x03\x04" + b"\0" * 200,
    _zip({"hello.txt": b"xin chao"}, zipfile.ZIP_DEFLATED),
    _zip({"manifest.json": b"{not json", "manifest.p7s": b"x"}),
    _zip({"manifest.json": json.dumps({"format": "dti-unknown/1"}).encode(), "manifest.p7s": b"x"}),
    b"DTIVOL\r\n\x00",
], ids=["empty", "text", "zip-header-only", "other-zip", "bad-json", "unknown-format", "cut-volume-header"])
def test_garbage_is_refused_in_both_languages(tmp_path, content):
    path = tmp_path / "X1.dtipkg"
    path.write_bytes(content)
    with pytest.raises(UserError) as caught:
        ho.recognise(path)
    assert str(caught.value).startswith("X1.dtipkg: ") and "DTI" in str(caught.value)
    assert caught.value.message_vi.startswith("X1.dtipkg: ") and "không" in caught.value.message_vi


def test_a_folder_or_a_missing_file_is_refused(tmp_path):
    for path in (tmp_path, tmp_path / "none.dtipkg"):
        with pytest.raises(UserError):
            ho.recognise(path)


def test_every_associated_suffix_names_a_known_kind():
    assert {s.kind for s in ho.SUFFIXES} == set(ho.FORMATS.values()) - {ho.APPRAISAL_RETURN}
    assert all(s.suffix.startswith(".") and s.title_vi and s.title_en for s in ho.SUFFIXES)


def test_dti_file_opens_the_gui_only_for_an_existing_file(tmp_path, monkeypatch):
    parser = build_parser()
    handed = tmp_path / "X1.dtipkg"
    handed.write_bytes(b"x")
    assert _opened_file(parser, [str(handed)]) == handed.resolve()
    assert _opened_file(parser, [str(tmp_path / "none.dtipkg")]) is None
    assert _opened_file(parser, [str(handed), "--json"]) is None
    assert _opened_file(parser, ["--version"]) is None
    monkeypatch.chdir(tmp_path)
    (tmp_path / "demo").write_text("a file that happens to be named like a command")
    assert _opened_file(parser, ["demo"]) is None
