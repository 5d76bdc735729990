"""What a round asks (encrypted packages, a token signature) in the desktop application: the province ticks it when
it opens the round (Đợt đánh giá → Mở đợt đánh giá mới…), the unit is told when it accepts the round file, and its
export dialog ticks the token option (or says that no token is plugged in). The setup is built through the command
line; the real windows are then driven offscreen."""

from __future__ import annotations

import json
import os
import shutil
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QCheckBox, QLabel

from app.cli.main import main
from app.ui import export_flow as ef
from tests.cli.test_rounds import NEXT
from tests.conftest import SMALL
from tests.ui.test_rounds_gui import PASS, FakeDialogs, World, opened, shot  # noqa: F401

TOKEN = ef.TokenChoice("/usr/lib/softhsm/libsofthsm2.so", "GIAMDOC", "1a2b", "Nguyễn Văn Thử", "UBND huyện Thử")


def build_world(work: Path) -> World:
    """A province TP holding 2024 and 2025, its unit S1 enrolled in 2024 ("prov-2024", "S1-2024": before 2025).
    Then the province opens 2025 asking both and writes r25.dtiround, which S1 accepts; it also opens 2025 asking
    nothing in "prov-plain" and writes r25-plain.dtiround."""
    for name, text in (("fw24.dti.yaml", SMALL), ("fw25.dti.yaml", NEXT)):
        (work / name).write_text(text, encoding="utf-8")

    def ok(data: str, *args: object) -> None:
        assert main(["--data-dir", str(work / data), "--lang", "en", *map(str, args)]) == 0, (data, args)

    ok("prov", "authority", "init", "--code", "TP", "--name", "Sở Khoa học và Công nghệ tỉnh Thử")
    ok("prov", "framework", "import", work / "fw24.dti.yaml")
    ok("prov", "enroll", "issue", "--framework", "small-2024", "--unit-code", "S1", "--unit-name", "UBND huyện Thử",
       "--group", "huyen", "--out", work / "S1.dtienroll")
    ok("S1", "enroll", "accept", work / "S1.dtienroll")
    ok("prov", "framework", "import", work / "fw25.dti.yaml")
    for name in ("prov-2024", "prov-plain", "S1-2024"):
        shutil.copytree(work / name.split("-")[0], work / name, ignore=shutil.ignore_patterns("dti.lock"))
    ok("prov", "round", "open", "small-2025", "--ask-encryption", "yes", "--ask-token-signature", "yes")
    ok("prov", "round", "export", "--out", work / "r25.dtiround")
    ok("prov-plain", "round", "open", "small-2025")
    ok("prov-plain", "round", "export", "--out", work / "r25-plain.dtiround")
    shutil.copytree(work / "S1-2024", work / "S1-plain", ignore=shutil.ignore_patterns("dti.lock"))
    ok("S1", "round", "accept", work / "r25.dtiround")
    ok("S1-plain", "round", "accept", work / "r25-plain.dtiround")
    return World(work)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    saved = {k: os.environ.get(k) for k in ("DTI_PASSPHRASE", "DTI_UNIT_PASSPHRASE", "DTI_ROUND")}
    os.environ["DTI_PASSPHRASE"] = os.environ["DTI_UNIT_PASSPHRASE"] = PASS
    os.environ.pop("DTI_ROUND", None)
    yield build_world(tmp_path_factory.mktemp("round-asks-gui"))
    for k, v in saved.items():
        os.environ.pop(k, None) if v is None else os.environ.__setitem__(k, v)


def test_the_province_asks_when_it_opens_the_round_and_the_file_carries_it(world, ctx, opened, tmp_path):  # noqa: F811
    from app.services.rounds import Asks, all_rounds
    from app.ui.aggregator.window import AggregatorWindow

    dialogs = FakeDialogs(tmp_path)
    window = opened(AggregatorWindow(ctx, world.copy("prov-2024", tmp_path), dialogs=dialogs))
    menu = window.round_menu
    menu.actions["open"].trigger()
    dialog = menu.open_dialog
    encryption = dialog.findChild(QCheckBox, "askEncryption")
    token = dialog.findChild(QCheckBox, "askTokenSignature")
    assert encryption.text() == "Yêu cầu mã hoá gói" and token.text() == "Yêu cầu chữ ký số token"
    assert encryption.isVisible() and token.isVisible()
    assert dialog.framework.currentData().startswith("small-2025@")      # the framework not yet a round
    assert not encryption.isChecked() and not token.isChecked()          # nothing asked unless ticked
    encryption.setChecked(True)
    token.setChecked(True)
    shot(dialog, tmp_path / "1-open-asking.png")
    dialog.open_button.click()
    text = dialog.result.text()
    assert "Đợt này yêu cầu đơn vị: mã hoá gói, chữ ký số token; tệp đợt đánh giá mang theo yêu cầu này." in text
    dialog.close_button.click()
    assert {r.id: r.asks for r in all_rounds(window.ws)} == {"small-2024": Asks(), "small-2025": Asks(True, True)}

    menu.actions["export"].trigger()
    out = tmp_path / "dot-danh-gia-small-2025.dtiround"
    assert menu.last_box.text().startswith("Đã ghi dot-danh-gia-small-2025.dtiround"), menu.last_box.text()
    menu.last_box.close()
    with zipfile.ZipFile(out) as z:
        assert json.loads(z.read("manifest.json"))["asks"] == {"encryption": True, "token_signature": True}

    # opening the dialog again: a round already held shows what it asks; untick and open again changes it
    menu.actions["open"].trigger()
    dialog = menu.open_dialog
    dialog.select_framework("small-2025")
    assert dialog.findChild(QCheckBox, "askEncryption").isChecked()
    assert dialog.findChild(QCheckBox, "askTokenSignature").isChecked()
    dialog.select_framework("small-2024")
    assert not dialog.findChild(QCheckBox, "askEncryption").isChecked()
    dialog.select_framework("small-2025")
    dialog.findChild(QCheckBox, "askEncryption").setChecked(False)
    dialog.open_button.click()
    assert "yêu cầu đơn vị: chữ ký số token;" in dialog.result.text()
    dialog.close_button.click()
    assert {r.id: r.asks for r in all_rounds(window.ws)}["small-2025"] == Asks(False, True)


@pytest.mark.parametrize("file, asked", [("r25.dtiround", True), ("r25-plain.dtiround", False)])
def test_the_unit_is_told_what_the_round_asks_when_it_accepts(world, ctx, opened, tmp_path, file, asked):  # noqa: F811
    from app.ui.main_window import MainWindow

    window = opened(MainWindow(ctx, world.copy("S1-2024", tmp_path)))
    window.file_actions.choose_open = lambda *_args: str(world.file(file))
    window.round_menu.actions["accept"].trigger()
    text = window.round_menu.last_box.text()
    assert text.startswith("Đã nhận đợt 2025")
    line = "Đợt này yêu cầu khi nộp gói: mã hoá gói, chữ ký số token."
    assert (line in text) == asked and ("yêu cầu" in text) == asked
    if asked:
        shot(window.round_menu.last_box, tmp_path / "2-accepted-asking.png")
    window.round_menu.last_box.close()


def _export_dialog(window, usb: Path):
    window.file_actions.export_dialog_options = {"drives": lambda: [usb]}
    window.file_actions.actions["export"].trigger()
    dialog = window.file_actions.export_dialog
    if dialog.go_on_button.isVisible():   # a new year starts empty: what is missing comes first
        dialog.go_on_button.click()
    return dialog


@pytest.mark.parametrize("tokens", [[], [TOKEN]], ids=["no-token", "token"])
@pytest.mark.parametrize("unit, asked", [("S1", True), ("S1-plain", False)])
def test_the_export_dialog_follows_a_token_signature_the_round_asks(world, ctx, opened, tmp_path, monkeypatch,  # noqa: F811
                                                                     unit, asked, tokens):
    from app.ui.main_window import MainWindow

    monkeypatch.setattr(ef, "token_choices", lambda _ws: list(tokens))
    usb = tmp_path / "USB"
    usb.mkdir()
    window = opened(MainWindow(ctx, world.copy(unit, tmp_path)))
    dialog = _export_dialog(window, usb)
    note = dialog.findChild(QLabel, "tokenAskNote")
    box = dialog.findChild(QCheckBox, "token")
    assert note.text() == "Đợt này yêu cầu ký bằng token, nhưng chưa thấy token nào cắm vào máy."
    assert note.isVisible() == (asked and not tokens)
    assert box.isVisible() == bool(tokens)
    assert box.isChecked() == (asked and bool(tokens))            # ticked for the officer, who may untick it
    if asked:
        shot(dialog, tmp_path / f"3-export-{'token' if tokens else 'no-token'}.png")
    dialog.reject()


def test_the_export_dialog_encrypts_by_default_in_a_round_that_asks(world, ctx, opened, tmp_path, monkeypatch):  # noqa: F811
    from app.ui.main_window import MainWindow

    monkeypatch.setattr(ef, "token_choices", lambda _ws: [])
    usb = tmp_path / "USB"
    usb.mkdir()
    window = opened(MainWindow(ctx, world.copy("S1", tmp_path)))
    dialog = _export_dialog(window, usb)
    checked = dialog.findChild(QCheckBox, "encrypt").isChecked()
    dialog.reject()
    assert checked
