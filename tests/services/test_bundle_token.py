"""Issue 19: the officials' token signatures on the commune packages a district bundle carries, at the province.

The province checks each commune's token signature as it does for a package imported alone: reported on the
commune's line, stored with its submission (data_json "token_signature"), shown by `dti status` and on the
aggregator's appraisal page, and under `require-token-signature yes` a commune without a valid one refuses the
whole bundle (all or nothing), the reason naming the commune.

World (everything through `dti`, the tokens SoftHSM2 through the real PKCS#11 module): province TP; district H1
with communes X1 (signed on token X1TOKEN by its chairman, organisation "UBND xã X1") and X2 (no token); district
H2 with commune Y1 (signed on token Y1TOKEN). The test CA stands in for the Government CA.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path

import pytest

from app.cli.main import main
from tests.conftest import SMALL
from tests.trust import tokenkit as k

PASS = "bundle-token-pass-1"


@dataclass(frozen=True)
class World:
    work: Path

    def run(self, data: str | Path, *args: object, lang: str = "en") -> int:
        data = data if isinstance(data, Path) else self.work / data
        return main(["--data-dir", str(data), "--lang", lang, *map(str, args)])

    def province(self, tmp_path: Path, trust_gca: bool = True) -> Path:
        data = tmp_path / "prov"
        shutil.copytree(self.work / "prov", data, ignore=shutil.ignore_patterns("dti.lock"))
        if trust_gca:
            assert self.run(data, "trust", "add-root", self.work / "gca.pem") == 0
        return data


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory):
    k.need_softhsm()
    work = tmp_path_factory.mktemp("bundle-token")
    gca = k.make_ca()
    conf = k.make_token(work / "hsm", "X1TOKEN", [k.issue(gca, cn="Nguyễn Văn Thử", org="UBND xã X1")],
                        extra_certs=(gca.cert,))
    k.make_token(work / "hsm", "Y1TOKEN", [k.issue(gca, cn="Lê Thị Y", org="UBND xã Y1")], extra_certs=(gca.cert,),
                 conf=conf)
    (work / "gca.pem").write_bytes(gca.pem())
    (work / "pin.txt").write_text(k.PIN + "\n", encoding="utf-8")
    saved = {v: os.environ.get(v) for v in ("DTI_PASSPHRASE", "DTI_UNIT_PASSPHRASE", "SOFTHSM2_CONF", "DTI_TOKEN_PIN")}
    os.environ["DTI_PASSPHRASE"] = os.environ["DTI_UNIT_PASSPHRASE"] = PASS
    os.environ["SOFTHSM2_CONF"] = str(conf)
    os.environ.pop("DTI_TOKEN_PIN", None)
    try:
        w = World(work)
        (work / "fw.dti.yaml").write_text(SMALL, encoding="utf-8")
        assert w.run("prov", "authority", "init", "--code", "TP", "--name", "Sở Thông tin và Truyền thông Thử") == 0
        assert w.run("prov", "framework", "import", work / "fw.dti.yaml") == 0
        for d in ("H1", "H2"):
            assert w.run("prov", "enroll", "issue", "--framework", "small-2024", "--unit-code", d, "--unit-name",
                         f"UBND huyện {d}", "--group", "huyen", "--can-issue", "--out", work / f"{d}.dtienroll") == 0
            assert w.run(d, "enroll", "accept", work / f"{d}.dtienroll") == 0
        for district, code in (("H1", "X1"), ("H1", "X2"), ("H2", "Y1")):
            assert w.run(district, "enroll", "issue", "--framework", "small-2024", "--unit-code", code, "--unit-name",
                         f"UBND xã {code}", "--group", "xa", "--out", work / f"{code}.dtienroll") == 0
            assert w.run(code, "enroll", "accept", work / f"{code}.dtienroll") == 0
            assert w.run(code, "entry", "set", "1.1", "40") == 0
        token = ["--token-lib", k.SOFTHSM, "--token-pin-file", work / "pin.txt"]
        assert w.run("X1", "package", "export", "--out", work / "X1.dtipkg", "--token", "--token-label", "X1TOKEN",
                     *token) == 0
        assert w.run("X2", "package", "export", "--out", work / "X2.dtipkg") == 0
        assert w.run("Y1", "package", "export", "--out", work / "Y1.dtipkg", "--token", "--token-label", "Y1TOKEN",
                     *token) == 0
        assert w.run("H1", "package", "import", work / "X1.dtipkg", work / "X2.dtipkg") == 0
        assert w.run("H2", "package", "import", work / "Y1.dtipkg") == 0
        assert w.run("H1", "bundle", "export", "--out", work / "H1.dtibundle") == 0
        assert w.run("H2", "bundle", "export", "--out", work / "H2.dtibundle") == 0
        yield w
    finally:
        for name, value in saved.items():
            os.environ.pop(name, None) if value is None else os.environ.__setitem__(name, value)


def stored(data: Path) -> dict[str, dict | None]:
    """unit code -> the token_signature stored with its submission (None: none)."""
    with sqlite3.connect(data / "dti.sqlite3") as db:
        rows = db.execute("select unit_code, data_json from submission").fetchall()
    return {code: json.loads(raw).get("token_signature") for code, raw in rows}


def count(data: Path, table: str) -> int:
    with sqlite3.connect(data / "dti.sqlite3") as db:
        return db.execute(f"select count(*) from {table}").fetchone()[0]


def test_each_communes_token_signature_is_reported_and_stored(world: World, capsys: pytest.CaptureFixture[str],
                                                              tmp_path: Path) -> None:
    data = world.province(tmp_path)
    capsys.readouterr()
    assert world.run(data, "package", "import", world.work / "H1.dtibundle") == 0
    lines = capsys.readouterr().out.splitlines()
    x1 = next(line for line in lines if ": X1 revision 1:" in line)
    x2 = next(line for line in lines if ": X2 revision 1:" in line)
    assert x1.endswith("imported; token signature by Nguyễn Văn Thử (UBND xã X1): valid"), x1
    assert x2.endswith("imported") and "token" not in x2, x2
    found = stored(data)
    assert found["X2"] is None
    assert found["X1"]["valid"] and found["X1"]["trusted"] and found["X1"]["names_unit"]
    assert found["X1"]["signer"] == "Nguyễn Văn Thử" and found["X1"]["organisation"] == "UBND xã X1"
    # again: nothing to do, and the commune's line still says who signed
    assert world.run(data, "package", "import", world.work / "H1.dtibundle") == 0
    again = capsys.readouterr().out
    assert "X1 revision 1: already imported, unchanged; token signature by Nguyễn Văn Thử (UBND xã X1): valid" in again

    # dti status: a line of its own under the unit's; --json adds "token"
    assert world.run(data, "status") == 0
    text = capsys.readouterr().out.splitlines()
    at = next(i for i, line in enumerate(text) if line.startswith("X1 "))
    assert text[at + 1].split() == ["token:", "Nguyễn", "Văn", "Thử", "✓"]
    assert not any("token" in line for line in text if line.startswith("X2 ")) and "token" not in text[at + 2]
    assert world.run(data, "status", lang="vi") == 0
    assert "ký số token: Nguyễn Văn Thử ✓" in capsys.readouterr().out
    assert world.run(data, "status", "--json") == 0
    units = {u["unit_code"]: u for u in json.loads(capsys.readouterr().out)["units"]}
    assert units["X1"]["token"] == {"signer": "Nguyễn Văn Thử", "valid": True, "trusted": True, "names_unit": True}
    assert units["X2"]["token"] is None and units["H1"]["token"] is None
    assert {"unit_code", "unit_name", "group", "district", "state", "revision", "submitted_at", "late"} <= set(units["X1"])


def test_a_dry_run_reports_and_stores_nothing(world: World, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    data = world.province(tmp_path)
    capsys.readouterr()
    assert world.run(data, "package", "import", "--dry-run", world.work / "H1.dtibundle") == 0
    out = capsys.readouterr().out
    assert "X1 revision 1: valid, would be imported; token signature by Nguyễn Văn Thử (UBND xã X1): valid" in out
    assert count(data, "submission") == 0


def test_required_refuses_the_whole_bundle_and_names_the_commune(world: World, capsys: pytest.CaptureFixture[str],
                                                                  tmp_path: Path) -> None:
    data = world.province(tmp_path)
    assert world.run(data, "config", "set", "require-token-signature", "yes") == 0
    audit = count(data, "audit")
    capsys.readouterr()
    assert world.run(data, "package", "import", world.work / "H1.dtibundle") != 0
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    assert ("H1.dtibundle: commune X2: a token signature is required here (require-token-signature) and the package "
            "has none") in err, err
    assert count(data, "submission") == 0 and count(data, "audit") == audit   # X1's valid one not stored either
    assert not [p for p in (data / "received").rglob("*") if p.is_file()]   # no skeleton or package kept
    assert world.run(data, "package", "import", world.work / "H1.dtibundle", lang="vi") != 0
    assert "H1.dtibundle: xã X2: nơi này yêu cầu chữ ký token (require-token-signature) nhưng gói không có" in \
        capsys.readouterr().err
    # every commune of H2's bundle carries a valid one: imported, and stored
    assert world.run(data, "package", "import", world.work / "H2.dtibundle") == 0
    assert "Y1 revision 1: imported; token signature by Lê Thị Y (UBND xã Y1): valid" in capsys.readouterr().out
    assert stored(data)["Y1"]["valid"]


def test_an_untrusted_token_signature(world: World, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """The province never added the CA's root: reported as not valid and stored so; refused when required."""
    data = world.province(tmp_path, trust_gca=False)
    capsys.readouterr()
    assert world.run(data, "package", "import", world.work / "H2.dtibundle") == 0
    line = next(line for line in capsys.readouterr().out.splitlines() if ": Y1 revision 1:" in line)
    assert "imported; token signature by Lê Thị Y (UBND xã Y1): not valid: " in line, line
    found = stored(data)["Y1"]
    assert not found["valid"] and found["reason_en"] and found["reason_vi"]
    assert world.run(data, "status") == 0
    text = capsys.readouterr().out
    assert f"token: Lê Thị Y ✗ {found['reason_en']}" in text
    assert world.run(data, "status", "--json") == 0
    units = {u["unit_code"]: u for u in json.loads(capsys.readouterr().out)["units"]}
    assert units["Y1"]["token"] == {"signer": "Lê Thị Y", "valid": False, "trusted": False, "names_unit": True}

    other = world.province(tmp_path / "required", trust_gca=False)
    assert world.run(other, "config", "set", "require-token-signature", "yes") == 0
    capsys.readouterr()
    assert world.run(other, "package", "import", world.work / "H2.dtibundle") != 0
    err = capsys.readouterr().err
    assert "H2.dtibundle: commune Y1: a valid token signature is required here and this one is not: " in err, err
    assert count(other, "submission") == 0


def test_a_stored_finding_is_read_safely() -> None:
    """Whatever a row holds (damaged, hand-written, hostile text), status never fails on it and prints no control
    character of it."""
    from app.services.token_signature import marker, stored, summary

    assert stored(None) is None and stored("") is None and stored("{") is None
    assert stored('{"token_signature": [1, 2]}') is None and stored('["token_signature"]') is None
    assert stored('{"values": {}}') is None
    assert stored("[" * 100_000 + '"token_signature"' + "]" * 100_000) is None
    odd = stored(json.dumps({"token_signature": {"signer": "A\x1b[31mB\nC", "valid": "yes", "names_unit": 1,
                                                 "reason_en": 5}}))
    assert odd is not None and not odd["valid"] and not odd["names_unit"] and odd["reason_en"] == ""
    shown = marker(odd, vi=False)
    assert "\x1b" not in shown and "\n" not in shown and shown.startswith("token: A\\x1b[31mB\\nC ✗")
    assert summary(odd) == {"signer": "A\\x1b[31mB\\nC", "valid": False, "trusted": False, "names_unit": False}


def test_the_appraisal_page_shows_who_token_signed(world: World, qtbot, tmp_path: Path) -> None:
    """The aggregator's appraisal page (where a unit's submission is read) says who signed it with a token."""
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtWidgets import QApplication

    from app.ui.aggregator.appraisal_page import token_text
    from app.ui.aggregator.window import AggregatorWindow
    from app.ui.context import AppContext
    from app.ui.ops import Runner
    from app.ui.settings import AppSettings
    from app.ui.translations import DictTranslator, i18n_dir, read_ts

    data = world.province(tmp_path)
    assert world.run(data, "package", "import", world.work / "H1.dtibundle") == 0
    ctx = AppContext("vi", AppSettings(tmp_path / "dti.ini"), Runner(synchronous=True))
    window = AggregatorWindow(ctx, data)
    window.show()
    try:
        qtbot.waitUntil(lambda: window.snapshot is not None)
        page = window.appraisal_page
        window.open_unit("X1")
        assert page.unit_code == "X1"
        assert page.token_line.isVisible()
        assert page.token_line.text() == "Ký số token: Nguyễn Văn Thử (UBND xã X1) — hợp lệ, chuỗi tin cậy"
        window.resize(1366, 768)
        window.grab().save(str(tmp_path / "tham-dinh-ky-token.png"))
        window.open_unit("X2")
        assert page.unit_code == "X2" and not page.token_line.isVisible()
    finally:
        window.close()
        ctx.runner.shutdown()
        QApplication.processEvents()

    bad = {"signer": "Lê Thị Y", "organisation": "", "valid": False, "names_unit": False,
           "reason_en": "the signer is not certified by a trusted authority",
           "reason_vi": "người ký không được tổ chức tin cậy chứng thực"}
    assert token_text(bad, "vi") == ("Ký số token: Lê Thị Y — không hợp lệ: người ký không được tổ chức tin cậy chứng "
                                     "thực; chứng thư không ghi tên đơn vị này")
    translator = DictTranslator(read_ts(i18n_dir() / "dti_en.ts")[0])
    QCoreApplication.installTranslator(translator)
    try:
        assert token_text(bad, "en") == ("Token signature: Lê Thị Y — not valid: the signer is not certified by a "
                                         "trusted authority; the certificate does not name this unit")
        good = dict(bad, valid=True, names_unit=True, organisation="UBND xã Y1")
        assert token_text(good, "en") == "Token signature: Lê Thị Y (UBND xã Y1) — valid, trusted chain"
    finally:
        QCoreApplication.removeTranslator(translator)
