"""Issue 19: "a locked token, a wrong PIN, a removed token each give one line and change nothing".

SoftHSM2 never locks a PIN and cannot be pulled out, so these tests make its real PKCS#11 code path fail the way a
real token does: `pkcs11.lib` is wrapped (`install`) so that the real module, slots, tokens and sessions
answer as usual except at one boundary (the login, the token's flags, the objects, a signature), where the
error a real token's module returns is raised (CKR_PIN_LOCKED, CKR_DEVICE_REMOVED, CKR_TOKEN_NOT_PRESENT, ...). A token
removed between detection and export is a real one: SOFTHSM2_CONF pointed at an empty token folder (the module
re-reads it on every use, as app.trust.token re-initialises to see tokens plugged in or removed).
Everything goes through `dti package export --token` (app.cli.main.main, in this process).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from app.cli.main import main
from tests.conftest import SMALL
from tests.trust import tokenkit as k

PASS = "token-fail-passphrase-1"


# -- a real token that fails where a real token can ------------------------------------------------------------
@dataclass
class Fault:
    """Where the wrapped module fails: `login` raised by token.open(user_pin=...), `objects` by a session's
    get_objects, `sign` by a private key's sign; `flags` added to the token's flags. Counts what was tried."""

    login: type[Exception] | None = None
    objects: type[Exception] | None = None
    sign: type[Exception] | None = None
    flags: int = 0
    logins: int = 0
    signatures: int = 0


class _Wrapped:
    """The real object, every attribute and item passed through."""

    def __init__(self, real: Any, fault: Fault):
        self._real, self._fault = real, fault

    def __getattr__(self, name: str) -> Any:
        return getattr(self._real, name)

    def __getitem__(self, key: Any) -> Any:
        return self._real[key]


class _Lib(_Wrapped):
    def get_slots(self, *args: Any, **kwargs: Any) -> list[Any]:
        return [_Slot(s, self._fault) for s in self._real.get_slots(*args, **kwargs)]


class _Slot(_Wrapped):
    def get_token(self) -> Any:
        return _Token(self._real.get_token(), self._fault)


class _Token(_Wrapped):
    @property
    def flags(self) -> int:
        return self._real.flags | self._fault.flags

    def open(self, *args: Any, **kwargs: Any) -> Any:
        if kwargs.get("user_pin") is not None:
            self._fault.logins += 1
            if self._fault.login is not None:
                raise self._fault.login()
        return _Session(self._real.open(*args, **kwargs), self._fault)


class _Session(_Wrapped):
    def __enter__(self) -> _Session:
        self._real.__enter__()
        return self

    def __exit__(self, *exc: Any) -> Any:
        return self._real.__exit__(*exc)

    def get_objects(self, *args: Any, **kwargs: Any) -> Any:
        from pkcs11 import Attribute, ObjectClass

        if self._fault.objects is not None:
            raise self._fault.objects()
        for obj in self._real.get_objects(*args, **kwargs):
            yield _Key(obj, self._fault) if obj[Attribute.CLASS] == ObjectClass.PRIVATE_KEY else obj


class _Key(_Wrapped):
    def sign(self, *args: Any, **kwargs: Any) -> Any:
        self._fault.signatures += 1
        if self._fault.sign is not None:
            raise self._fault.sign()
        return self._real.sign(*args, **kwargs)


def install(monkeypatch: pytest.MonkeyPatch, fault: Fault) -> Fault:
    """`pkcs11.lib` (what app.trust.token opens a module with) wrapped to fail as `fault` says."""
    import pkcs11

    real = pkcs11.lib
    monkeypatch.setattr(pkcs11, "lib", lambda so: _Lib(real(so), fault))
    return fault


@dataclass(frozen=True)
class Unit:
    base: Path
    conf: Path

    @property
    def data(self) -> Path:
        return self.base / "x1"

    def run(self, *args: object, lang: str = "en") -> int:
        return main(["--data-dir", str(self.data), "--lang", lang, "--passphrase-file", str(self.base / "pass.txt"),
                     *map(str, args)])

    def exports(self) -> list[tuple]:
        """The export revisions of the store: reserved or written, every row."""
        with sqlite3.connect(self.data / "dti.sqlite3") as db:
            return db.execute("select revision, manifest_sha256, file_name from export order by id").fetchall()

    def audit(self) -> int:
        with sqlite3.connect(self.data / "dti.sqlite3") as db:
            return db.execute("select count(*) from audit").fetchone()[0]


@pytest.fixture(scope="module")
def unit(tmp_path_factory: pytest.TempPathFactory) -> Unit:
    k.need_softhsm()
    base = tmp_path_factory.mktemp("token-fail")
    gca = k.make_ca()
    conf = k.make_token(base / "hsm", "GIAMDOC", [k.issue(gca)], extra_certs=(gca.cert,))
    (base / "pass.txt").write_text(PASS + "\n", encoding="utf-8")
    (base / "pin.txt").write_text(k.PIN + "\n", encoding="utf-8")
    (base / "fw.dti.yaml").write_text(SMALL, encoding="utf-8")
    u = Unit(base, conf)
    prov = ["--data-dir", str(base / "prov"), "--passphrase-file", str(base / "pass.txt")]
    assert main([*prov, "authority", "init", "--code", "TP", "--name", "Sở Thử"]) == 0
    assert main([*prov, "framework", "import", str(base / "fw.dti.yaml")]) == 0
    assert main([*prov, "enroll", "issue", "--framework", "small-2024", "--unit-code", "X1", "--unit-name", "UBND xã Một",
                 "--group", "xa", "--unit-passphrase-file", str(base / "pass.txt"),
                 "--out", str(base / "x1.dtienroll")]) == 0
    assert u.run("enroll", "accept", base / "x1.dtienroll") == 0
    assert u.run("entry", "set", "1.1", "50") == 0
    return u


@pytest.fixture
def env(unit: Unit, monkeypatch: pytest.MonkeyPatch) -> Unit:
    monkeypatch.setenv("SOFTHSM2_CONF", str(unit.conf))
    monkeypatch.delenv("DTI_TOKEN_PIN", raising=False)
    return unit


def refused(u: Unit, capsys: pytest.CaptureFixture[str], lang: str = "en") -> str:
    """`dti package export --token` refused: exit non-zero, one line on stderr, nothing on stdout, no file
    written, no export revision reserved or written, nothing audited. Returns the line."""
    out = u.base / "refused.dtipkg"
    files = sorted(p.name for p in u.base.iterdir())
    exports, audit = u.exports(), u.audit()
    capsys.readouterr()
    rc = u.run("package", "export", "--out", out, "--token", "--token-label", "GIAMDOC", "--token-lib", k.SOFTHSM,
               "--token-pin-file", u.base / "pin.txt", lang=lang)
    got = capsys.readouterr()
    line = got.err.strip()
    assert rc != 0 and len(line.splitlines()) == 1 and not got.out, got
    assert "Traceback" not in line and "internal error" not in line and "lỗi chương trình" not in line, line
    assert not out.exists() and sorted(p.name for p in u.base.iterdir()) == files
    assert u.exports() == exports and u.audit() == audit
    assert k.PIN not in line
    return line


def test_the_fault_wrapper_leaves_a_working_token_working(env: Unit, capsys: pytest.CaptureFixture[str],
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """The wrapper alone changes nothing: the same export through it signs, with two signers."""
    import zipfile

    from app.packages.cosign import signer_count

    install(monkeypatch, Fault())
    out = env.base / "fine.dtipkg"
    before = len(env.exports())
    assert env.run("package", "export", "--out", out, "--token", "--token-label", "GIAMDOC", "--token-lib", k.SOFTHSM,
                   "--token-pin-file", env.base / "pin.txt") == 0, capsys.readouterr()
    with zipfile.ZipFile(out) as z:
        assert signer_count(z.read("manifest.p7s")) == 2
    assert len(env.exports()) == before + 1
    out.unlink()


def test_locked_pin_at_login(env: Unit, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    import pkcs11.exceptions as x

    fault = install(monkeypatch, Fault(login=x.PinLocked))
    line = refused(env, capsys)
    assert fault.logins == 1
    assert line == "dti: token 'GIAMDOC' is locked after too many wrong PINs: ask the CA to unlock it"
    line = refused(env, capsys, lang="vi")
    assert line == ("dti: token 'GIAMDOC' đã bị khóa do nhập sai PIN nhiều lần: hãy liên hệ nhà cung cấp chứng thư "
                    "để mở khóa")


def test_a_token_that_says_it_is_locked_is_not_tried(env: Unit, capsys: pytest.CaptureFixture[str],
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """CKF_USER_PIN_LOCKED in the token's flags: refused before the PIN is sent (nothing to gain, a count to lose)."""
    from pkcs11 import TokenFlag

    fault = install(monkeypatch, Fault(flags=TokenFlag.USER_PIN_LOCKED))
    line = refused(env, capsys)
    assert "token 'GIAMDOC' is locked after too many wrong PINs" in line
    assert fault.logins == 0


@pytest.mark.parametrize("error", ["DeviceRemoved", "TokenNotPresent", "SessionClosed", "SessionHandleInvalid"])
def test_removed_at_login(env: Unit, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
                          error: str) -> None:
    import pkcs11.exceptions as x

    install(monkeypatch, Fault(login=getattr(x, error)))
    line = refused(env, capsys)
    assert line == "dti: token 'GIAMDOC' is not plugged in (or was removed): plug it in and try again"
    assert refused(env, capsys, lang="vi") == "dti: token 'GIAMDOC' chưa được cắm (hoặc đã bị rút ra): hãy cắm token rồi thử lại"


def test_a_token_that_stops_answering(env: Unit, capsys: pytest.CaptureFixture[str],
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """CKR_DEVICE_ERROR: what some modules answer for a token pulled out at the login."""
    import pkcs11.exceptions as x

    install(monkeypatch, Fault(login=x.DeviceError))
    assert refused(env, capsys) == ("dti: token 'GIAMDOC' stopped answering (pulled out, or a problem of its driver): "
                                    "plug it in again and try again")
    assert refused(env, capsys, lang="vi") == ("dti: token 'GIAMDOC' không phản hồi (đã bị rút ra, hoặc trình điều khiển "
                                               "gặp lỗi): hãy cắm lại token rồi thử lại")


def test_removed_while_listing(env: Unit, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """The token pulled out while its certificates are read (before the login)."""
    import pkcs11.exceptions as x

    install(monkeypatch, Fault(objects=x.DeviceRemoved))
    assert "is not plugged in (or was removed)" in refused(env, capsys)


def test_removed_between_detection_and_export(env: Unit, capsys: pytest.CaptureFixture[str],
                                              monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Really gone: the module, re-initialised, sees no token any more."""
    capsys.readouterr()
    assert main(["token", "list", "--lib", k.SOFTHSM]) == 0
    assert "GIAMDOC" in capsys.readouterr().out
    (tmp_path / "empty").mkdir()
    conf = tmp_path / "softhsm2.conf"
    conf.write_text(f"directories.tokendir = {tmp_path / 'empty'}\nobjectstore.backend = file\nlog.level = ERROR\n",
                    encoding="utf-8")
    monkeypatch.setenv("SOFTHSM2_CONF", str(conf))
    assert refused(env, capsys) == "dti: no token labelled 'GIAMDOC' is plugged in"
    assert refused(env, capsys, lang="vi") == "dti: không có token nào mang nhãn 'GIAMDOC' đang được cắm"


@pytest.mark.parametrize("error", ["DeviceRemoved", "PinLocked"])
def test_failure_during_the_signature_is_one_line(env: Unit, capsys: pytest.CaptureFixture[str],
                                                  monkeypatch: pytest.MonkeyPatch, error: str) -> None:
    """Pulled out after the login, while the report and the manifest are signed: one line, no file, and the revision
    the export had reserved is taken back (nothing reached a file under it): the export table as before."""
    import pkcs11.exceptions as x

    fault = install(monkeypatch, Fault(sign=getattr(x, error)))
    out = env.base / "mid.dtipkg"
    files = sorted(p.name for p in env.base.iterdir())
    before = env.exports()
    capsys.readouterr()
    rc = env.run("package", "export", "--out", out, "--token", "--token-label", "GIAMDOC", "--token-lib", k.SOFTHSM,
                 "--token-pin-file", env.base / "pin.txt")
    got = capsys.readouterr()
    line = got.err.strip()
    assert rc != 0 and len(line.splitlines()) == 1 and not got.out, got
    assert fault.signatures >= 1
    want = "is not plugged in (or was removed)" if error == "DeviceRemoved" else "is locked after too many wrong PINs"
    assert want in line and "internal error" not in line, line
    assert not out.exists() and sorted(p.name for p in env.base.iterdir()) == files
    assert env.exports() == before       # no revision written, none left reserved
