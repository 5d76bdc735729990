"""Issue 19 item 2 in the desktop application: the export dialog offers signing with the official's USB token
when one with a signing certificate is plugged in (a SoftHSM2 token through the real PKCS#11 module), asks its
PIN in the dialog, and the package's manifest.p7s then carries two signers."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QCheckBox, QComboBox, QLabel, QLineEdit

from app.packages.cosign import signer_count
from app.services.workspace import Workspace
from tests.trust import tokenkit as k
from tests.ui.test_issue17_unit_export import UNIT_PASS, _open_dialog, enrolled, enrollment_file  # noqa: F401

OPTION = "Ký bằng token (chữ ký số của thủ trưởng)"


@pytest.fixture(scope="module")
def tokens(tmp_path_factory) -> dict[str, Path]:
    """One SOFTHSM2_CONF with GIAMDOC (one official, the test CA beside it); another with HAI (two officials)."""
    k.need_softhsm()
    base = tmp_path_factory.mktemp("ui-token")
    gca = k.make_ca()
    one = k.make_token(base / "one", "GIAMDOC", [k.issue(gca)], extra_certs=(gca.cert,))
    two = k.make_token(base / "two", "HAI", [k.issue(gca, cn="Trần Thị Một"), k.issue(gca, cn="Lê Văn Hai")],
                       extra_certs=(gca.cert,))
    return {"one": one, "two": two}


def _with_token(monkeypatch, enrolled_dir: Path, conf: Path) -> None:
    monkeypatch.setenv("SOFTHSM2_CONF", str(conf))
    with Workspace(enrolled_dir) as ws:
        ws.set_setting("token-lib", k.SOFTHSM)


def _dialog_with_token(qtbot, open_window, enrolled_dir: Path, usb: Path):
    window = open_window(enrolled_dir)
    dialog = _open_dialog(window, usb)
    qtbot.mouseClick(dialog.go_on_button, Qt.MouseButton.LeftButton)
    return window, dialog


def test_the_option_shows_the_holder_and_a_wrong_pin_writes_nothing(qtbot, open_window, enrolled: Path,  # noqa: F811
                                                                     tokens, monkeypatch, tmp_path: Path):
    _with_token(monkeypatch, enrolled, tokens["one"])
    usb = tmp_path / "USB"
    usb.mkdir()
    window, dialog = _dialog_with_token(qtbot, open_window, enrolled, usb)
    box = dialog.findChild(QCheckBox, "token")
    assert box is not None and box.isVisible() and box.text() == OPTION and not box.isChecked()
    holder = dialog.findChild(QLabel, "tokenHolder")
    assert holder.isVisible() and holder.text() == "Nguyễn Văn Thử"
    assert not dialog.findChild(QComboBox, "tokenCert").isVisible()
    pin = dialog.findChild(QLineEdit, "tokenPin")
    assert not pin.isVisible()
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton)
    assert box.isChecked() and pin.isVisible() and pin.echoMode() == QLineEdit.EchoMode.Password

    # 1366×768: the main window with the dialog over it, as the officer sees it
    window.resize(1366, 768)
    dialog.adjustSize()
    shot = window.grab()
    painter = QPainter(shot)
    painter.drawPixmap(QPoint(max(0, (1366 - dialog.width()) // 2), max(0, (768 - dialog.height()) // 2)), dialog.grab())
    painter.end()
    assert shot.width() == 1366 and shot.height() == 768
    assert shot.save(str(tmp_path / "export-token-1366x768.png"))

    qtbot.keyClicks(dialog.passphrase, UNIT_PASS)
    qtbot.keyClicks(pin, "000000")
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    assert dialog.outcome is None
    line = dialog.status.text()
    assert "mã PIN của token 'GIAMDOC' không đúng" in line and "Chưa ghi tệp nào" in line and "\n" not in line
    assert "000000" not in line
    assert list(usb.iterdir()) == []
    assert dialog.export_button.isEnabled() and dialog.focusWidget() is pin
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)


def test_the_right_pin_signs_with_two_signers(qtbot, open_window, enrolled: Path, tokens,  # noqa: F811
                                              monkeypatch, tmp_path: Path):
    _with_token(monkeypatch, enrolled, tokens["one"])
    usb = tmp_path / "USB"
    usb.mkdir()
    _window, dialog = _dialog_with_token(qtbot, open_window, enrolled, usb)
    qtbot.mouseClick(dialog.findChild(QCheckBox, "token"), Qt.MouseButton.LeftButton)
    qtbot.keyClicks(dialog.passphrase, UNIT_PASS)
    pin = dialog.findChild(QLineEdit, "tokenPin")
    qtbot.keyClicks(pin, k.PIN)
    qtbot.keyClick(pin, Qt.Key.Key_Return)
    assert dialog.outcome is not None and dialog.outcome.verified, dialog.status.text()
    assert dialog.outcome.token_signer == "Nguyễn Văn Thử"
    written = dialog.outcome.files[0][0]
    assert [p.name for p in usb.iterdir()] == [written.name]
    with zipfile.ZipFile(written) as z:
        assert signer_count(z.read("manifest.p7s")) == 2
    assert "đã được ký bằng token của Nguyễn Văn Thử" in dialog.result_label.text()
    assert pin.text() == ""
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)


def test_several_certificates_give_a_choice(qtbot, open_window, enrolled: Path, tokens,  # noqa: F811
                                            monkeypatch, tmp_path: Path):
    _with_token(monkeypatch, enrolled, tokens["two"])
    usb = tmp_path / "USB"
    usb.mkdir()
    _window, dialog = _dialog_with_token(qtbot, open_window, enrolled, usb)
    combo = dialog.findChild(QComboBox, "tokenCert")
    assert combo.isVisible() and not dialog.findChild(QLabel, "tokenHolder").isVisible()
    shown = [combo.itemText(i) for i in range(combo.count())]
    assert len(shown) == 2 and any("Lê Văn Hai" in s for s in shown) and any("Trần Thị Một" in s for s in shown)
    combo.setCurrentIndex(next(i for i, s in enumerate(shown) if "Lê Văn Hai" in s))
    qtbot.mouseClick(dialog.findChild(QCheckBox, "token"), Qt.MouseButton.LeftButton)
    qtbot.keyClicks(dialog.passphrase, UNIT_PASS)
    qtbot.keyClicks(dialog.findChild(QLineEdit, "tokenPin"), k.PIN)
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    assert dialog.outcome is not None and dialog.outcome.token_signer == "Lê Văn Hai", dialog.status.text()
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)


def test_no_token_shows_nothing_new(qtbot, open_window, enrolled: Path, monkeypatch, tmp_path: Path):  # noqa: F811
    k.need_softhsm()
    (tmp_path / "empty").mkdir()
    conf = tmp_path / "softhsm2.conf"    # the module is there, no token is plugged in
    conf.write_text(f"directories.tokendir = {tmp_path / 'empty'}\nobjectstore.backend = file\nlog.level = ERROR\n",
                    encoding="utf-8")
    _with_token(monkeypatch, enrolled, conf)
    usb = tmp_path / "USB"
    usb.mkdir()
    _window, dialog = _dialog_with_token(qtbot, open_window, enrolled, usb)
    assert not dialog.findChild(QCheckBox, "token").isVisible()
    assert not dialog.findChild(QLineEdit, "tokenPin").isVisible()
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
