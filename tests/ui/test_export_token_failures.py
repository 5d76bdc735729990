"""Issue 19 in the desktop application: a token found when the export dialog opened, then pulled out (or locked)
before the officer presses "Xuất": one Vietnamese line in the dialog, nothing written, no revision taken.

The token is a SoftHSM2 token through the real PKCS#11 module. "Pulled out" is real (SOFTHSM2_CONF pointed at an
empty token folder: the module re-reads it, as app.trust.token re-initialises on every use); a token that a real
module reports removed or locked at the login is the real module wrapped at that boundary
(tests.trust.test_token_failures.install)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QLabel, QLineEdit

from app.services.workspace import Workspace
from tests.trust import tokenkit as k
from tests.trust.test_token_failures import Fault, install
from tests.ui.test_issue17_unit_export import UNIT_PASS, _open_dialog, enrolled, enrollment_file  # noqa: F401


@pytest.fixture(scope="module")
def token_conf(tmp_path_factory) -> Path:
    k.need_softhsm()
    base = tmp_path_factory.mktemp("ui-token-fail")
    gca = k.make_ca()
    return k.make_token(base / "hsm", "GIAMDOC", [k.issue(gca)], extra_certs=(gca.cert,))


def _exports(data: Path) -> list[tuple]:
    with sqlite3.connect(data / "dti.sqlite3") as db:
        return db.execute("select revision, manifest_sha256 from export order by id").fetchall()


def _dialog(qtbot, open_window, data: Path, usb: Path, conf: Path, monkeypatch):
    """The export dialog with the token detected when it opened (the option and its holder shown)."""
    monkeypatch.setenv("SOFTHSM2_CONF", str(conf))
    monkeypatch.delenv("DTI_TOKEN_PIN", raising=False)
    with Workspace(data) as ws:
        ws.set_setting("token-lib", k.SOFTHSM)
    window = open_window(data)
    dialog = _open_dialog(window, usb)
    qtbot.mouseClick(dialog.go_on_button, Qt.MouseButton.LeftButton)
    box = dialog.findChild(QCheckBox, "token")
    assert box.isVisible() and dialog.findChild(QLabel, "tokenHolder").text() == "Nguyễn Văn Thử"
    return dialog


def _export_refused(qtbot, dialog, usb: Path, data: Path) -> str:
    """Ticks the token, types the passphrase and the PIN, presses Xuất: refused in one line, nothing written."""
    before = _exports(data)
    qtbot.mouseClick(dialog.findChild(QCheckBox, "token"), Qt.MouseButton.LeftButton)
    qtbot.keyClicks(dialog.passphrase, UNIT_PASS)
    pin = dialog.findChild(QLineEdit, "tokenPin")
    qtbot.keyClicks(pin, k.PIN)
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    assert dialog.outcome is None
    line = dialog.status.text()
    assert "\n" not in line and "Chưa ghi tệp nào" in line and k.PIN not in line, line
    assert list(usb.iterdir()) == []
    assert _exports(data) == before                       # no revision reserved
    assert dialog.export_button.isEnabled() and dialog.focusWidget() is pin   # the officer may plug it in and retry
    return line


def test_token_pulled_out_after_the_dialog_opened(qtbot, open_window, enrolled: Path,  # noqa: F811
                                                  token_conf: Path, monkeypatch, tmp_path: Path):
    usb = tmp_path / "USB"
    usb.mkdir()
    dialog = _dialog(qtbot, open_window, enrolled, usb, token_conf, monkeypatch)
    (tmp_path / "empty").mkdir()
    gone = tmp_path / "softhsm2.conf"
    gone.write_text(f"directories.tokendir = {tmp_path / 'empty'}\nobjectstore.backend = file\nlog.level = ERROR\n",
                    encoding="utf-8")
    monkeypatch.setenv("SOFTHSM2_CONF", str(gone))      # the token is pulled out
    line = _export_refused(qtbot, dialog, usb, enrolled)
    assert line == "Chưa xuất được: không có token nào mang nhãn 'GIAMDOC' đang được cắm. Chưa ghi tệp nào."
    # plugged in again: the same dialog exports (nothing of the refusal stuck)
    monkeypatch.setenv("SOFTHSM2_CONF", str(token_conf))
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    assert dialog.outcome is not None and dialog.outcome.token_signer == "Nguyễn Văn Thử", dialog.status.text()
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)


def test_token_removed_at_the_login(qtbot, open_window, enrolled: Path, token_conf: Path,  # noqa: F811
                                    monkeypatch, tmp_path: Path):
    import pkcs11.exceptions as x

    usb = tmp_path / "USB"
    usb.mkdir()
    fault = install(monkeypatch, Fault())
    dialog = _dialog(qtbot, open_window, enrolled, usb, token_conf, monkeypatch)
    fault.login = x.DeviceRemoved
    line = _export_refused(qtbot, dialog, usb, enrolled)
    assert line == ("Chưa xuất được: token 'GIAMDOC' chưa được cắm (hoặc đã bị rút ra): hãy cắm token rồi thử lại. "
                    "Chưa ghi tệp nào.")
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)


def test_locked_token(qtbot, open_window, enrolled: Path, token_conf: Path,  # noqa: F811
                      monkeypatch, tmp_path: Path):
    import pkcs11.exceptions as x

    usb = tmp_path / "USB"
    usb.mkdir()
    fault = install(monkeypatch, Fault())
    dialog = _dialog(qtbot, open_window, enrolled, usb, token_conf, monkeypatch)
    fault.login = x.PinLocked
    line = _export_refused(qtbot, dialog, usb, enrolled)
    assert line == ("Chưa xuất được: token 'GIAMDOC' đã bị khóa do nhập sai PIN nhiều lần: hãy liên hệ nhà cung cấp "
                    "chứng thư để mở khóa. Chưa ghi tệp nào.")
    assert fault.logins == 1
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
