"""Passphrases as officers copy them from the printed enrollment sheet (issue 17, item 5, service side).

(a) a generated passphrase has no look-alike characters and falls into full groups of four, and stays strong;
(b) a passphrase is accepted typed with or without the sheet's grouping (spaces, non-breaking spaces, a
    trailing newline), and nothing else is relaxed (capitals count);
(c) a wrong passphrase says what to check: capitals, and whose sheet it is (the unit code when known);
(d) the key-derivation work an encrypted key asks for is bounded before any passphrase is tried: a hostile
    enrollment file cannot hang `dti enroll accept`.
"""

from __future__ import annotations

import math
import os
import subprocess
import sys
from pathlib import Path

import pytest
from asn1crypto import core
from cryptography.hazmat.primitives import padding, serialization
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

import app
from app.cli.main import main
from app.trust import keys
from tests.services.chainkit import FW, PASS, Chain, build_chain
from tests.services.test_enrollment_hostile import Forge, refused, state

NEVER = set("0Oo1lIi|")                          # zero and oh, one and ell and eye: none of them
LOOK_ALIKES = ("2z", "5s", "6b", "9gq", "uv", "8B")   # read alike on paper or copied by hand: one of each at most


@pytest.fixture(scope="module")
def ch(tmp_path_factory: pytest.TempPathFactory) -> Chain:
    return build_chain(tmp_path_factory)


@pytest.fixture(scope="module")
def forge(ch: Chain, tmp_path_factory: pytest.TempPathFactory) -> Forge:
    return Forge(ch, tmp_path_factory.mktemp("forged-keys"))


@pytest.fixture
def fresh(tmp_path: Path) -> Path:
    from app.services.workspace import Workspace

    data = tmp_path / "fresh"
    Workspace(data, lang="en").close()
    return data


@pytest.fixture(params=["accept", "dry-run"])
def mode(request: pytest.FixtureRequest) -> str:
    return request.param


def grouped(passphrase: str, sep: str = " ") -> str:
    """As the sheet prints it: groups of four."""
    return sep.join(passphrase[i:i + 4] for i in range(0, len(passphrase), 4))


def dti(data: Path, passfile: Path, *args: object, lang: str = "en") -> int:
    return main(["--data-dir", str(data), "--lang", lang, "--passphrase-file", str(passfile), *map(str, args)])


# -- (a) generated passphrases -------------------------------------------------------------------------------------


def test_the_alphabet_has_no_look_alikes_and_no_white_space():
    alphabet = set(keys.PASSPHRASE_ALPHABET)
    assert len(alphabet) == len(keys.PASSPHRASE_ALPHABET)
    assert not alphabet & NEVER, sorted(alphabet & NEVER)
    for group in LOOK_ALIKES:
        assert len(alphabet & set(group)) <= 1, group
    assert all(ch.isascii() and (ch.islower() or ch.isdigit()) for ch in alphabet)   # one case: nothing to mix up


def test_a_generated_passphrase_is_full_groups_of_four_and_strong():
    bits = keys.GENERATED_LENGTH * math.log2(len(keys.PASSPHRASE_ALPHABET))
    assert bits >= 80, bits
    seen = set()
    for _ in range(200):
        passphrase = keys.generate_passphrase()
        assert len(passphrase) == keys.GENERATED_LENGTH and len(passphrase) % 4 == 0
        assert set(passphrase) <= set(keys.PASSPHRASE_ALPHABET)
        keys.check_passphrase_strength(passphrase)
        seen.add(passphrase)
    assert len(seen) == 200


def test_enroll_issue_generates_one_and_the_sheet_groups_it(ch, tmp_path):
    """`enroll issue` without --unit-passphrase-file: the generated passphrase opens the unit's key."""
    import zipfile

    from app.services.enrollment import issue
    from app.services.workspace import Workspace
    from app.trust import credentials

    h1 = ch.copy("H1", tmp_path / "H1")
    with Workspace(h1, lang="en") as ws:
        result = issue(ws, framework_ref=FW, unit_code="X5", unit_name="UBND xã Năm", group="xa",
                       out=tmp_path / "X5.dtienroll", can_issue=False, passphrase=PASS, unit_passphrase=None)
    assert result.generated and set(result.passphrase) <= set(keys.PASSPHRASE_ALPHABET)
    with zipfile.ZipFile(result.out) as z:
        creds = credentials.parse(z.read("data/credentials.json"), "X5")
    keys.decrypt_key(creds.signing_key, grouped(result.passphrase))


# -- (b) typed with or without the grouping --------------------------------------------------------------------------

SECRET = "acde fhjk mnpr tuwx y347".replace(" ", "")


@pytest.fixture(scope="module")
def pem() -> bytes:
    return keys.encrypt_key(keys.new_key(), SECRET)


@pytest.mark.parametrize("typed", [
    SECRET, grouped(SECRET), grouped(SECRET, "\u00a0"), grouped(SECRET, "\u202f"), SECRET + "\n", SECRET + "\r\n",
    grouped(SECRET) + "\n", "  " + grouped(SECRET, "  ") + " ", grouped(SECRET, "\t"), grouped(SECRET, "\u3000"),
], ids=["as-is", "spaces", "nbsp", "narrow-nbsp", "newline", "crlf", "spaces-newline", "double", "tab", "ideographic"])
def test_the_grouping_may_be_typed(pem, typed):
    keys.decrypt_key(pem, typed)


@pytest.mark.parametrize("typed", [SECRET.upper(), grouped(SECRET.upper()), SECRET[:-1], SECRET + "x",
                                   "\u200b".join(grouped(SECRET).split())],
                         ids=["capitals", "capitals-grouped", "short", "longer", "zero-width"])
def test_nothing_else_is_relaxed(pem, typed):
    with pytest.raises(keys.WrongPassphrase):
        keys.decrypt_key(pem, typed)


def test_a_passphrase_chosen_with_spaces_still_needs_them():
    """The key was encrypted with the spaces: typed without them it is another passphrase."""
    spaced = keys.encrypt_key(keys.new_key(), "mùa thu vàng 2024")
    keys.decrypt_key(spaced, "mùa thu vàng 2024")
    keys.decrypt_key(spaced, "mùa thu vàng 2024\n")
    with pytest.raises(keys.WrongPassphrase):
        keys.decrypt_key(spaced, "mùathuvàng2024")


def test_enroll_accept_and_signing_take_the_grouped_passphrase(ch, fresh, tmp_path, capsys):
    """The passphrase file as the officer typed it from the sheet (non-breaking spaces from a copy): the file
    is accepted, and the unit then signs a package and changes its passphrase with it typed the same way."""
    typed = tmp_path / "typed.txt"
    typed.write_text(grouped(PASS, "\u00a0") + "\n", encoding="utf-8")
    assert dti(fresh, typed, "enroll", "accept", ch.base / "enroll" / "X2.dtienroll") == 0, capsys.readouterr().err
    assert dti(fresh, typed, "entry", "set", "1.1", "40") == 0
    assert dti(fresh, typed, "package", "export", "--out", tmp_path / "X2.dtipkg") == 0, capsys.readouterr().err
    new = tmp_path / "new.txt"
    new.write_text("mat-khau-moi-2024\n", encoding="utf-8")
    assert main(["--data-dir", str(fresh), "--passphrase-file", str(typed), "passphrase", "change",
                 "--new-passphrase-file", str(new)]) == 0, capsys.readouterr().err


def test_the_first_run_wizard_takes_the_grouped_passphrase(ch, tmp_path):
    from app.services import first_run as fr
    from app.services.enrollment import issue
    from app.services.workspace import Workspace

    h1 = ch.copy("H1", tmp_path / "H1")
    with Workspace(h1, lang="en") as ws:
        result = issue(ws, framework_ref=FW, unit_code="X6", unit_name="UBND xã Sáu", group="xa",
                       out=tmp_path / "X6.dtienroll", can_issue=False, passphrase=PASS, unit_passphrase=None)
    flow = fr.FirstRunFlow(tmp_path / "unit")
    flow.choose(fr.ENROLL)
    flow.submit_enrollment_file(result.out)
    assert flow.submit_passphrase(grouped(result.passphrase, "\u00a0") + "\n").unit_code == "X6"


# -- (c) what a wrong passphrase says --------------------------------------------------------------------------------


def test_a_wrong_passphrase_names_the_unit_and_capitals_in_both_languages(ch, fresh, tmp_path, capsys):
    wrong = tmp_path / "wrong.txt"
    wrong.write_text(PASS.upper() + "\n", encoding="utf-8")
    before = state(fresh)
    for lang, words in (("en", ("wrong passphrase", "upper and lower case differ", "Caps Lock",
                                "enrollment sheet", "unit X2")),
                        ("vi", ("sai mật khẩu", "phân biệt chữ hoa, chữ thường", "Caps Lock", "phiếu cấp tài khoản",
                                "đơn vị X2"))):
        capsys.readouterr()
        assert dti(fresh, wrong, "enroll", "accept", ch.base / "enroll" / "X2.dtienroll", lang=lang) == 1
        err = capsys.readouterr().err.strip()
        assert len(err.splitlines()) == 1 and all(w in err for w in words), err
    assert state(fresh) == before


def test_a_wrong_old_passphrase_at_change_names_the_installations_unit(ch, tmp_path, capsys):
    x1 = ch.copy("X1", tmp_path / "X1")
    wrong, new = tmp_path / "wrong.txt", tmp_path / "new.txt"
    wrong.write_text("not-the-passphrase\n", encoding="utf-8")
    new.write_text("mat-khau-moi-2024\n", encoding="utf-8")
    before = state(x1)
    capsys.readouterr()
    assert dti(x1, wrong, "passphrase", "change", "--new-passphrase-file", new) == 1
    err = capsys.readouterr().err
    assert "wrong passphrase" in err and "unit X1" in err and "upper and lower case" in err, err
    assert state(x1) == before


def test_without_a_unit_the_refusal_still_says_what_to_check(pem):
    with pytest.raises(keys.WrongPassphrase) as refusal:
        keys.decrypt_key(pem, "sai-mat-khau")
    assert "upper and lower case" in str(refusal.value) and "this unit" in str(refusal.value)
    assert "chữ hoa, chữ thường" in refusal.value.message_vi


# -- (d) the key-derivation work a key asks for ------------------------------------------------------------------------

_PBES2, _PBKDF2, _SCRYPT = "1.2.840.113549.1.5.13", "1.2.840.113549.1.5.12", "1.3.6.1.4.1.11591.4.11"


def _seq(*items: bytes) -> bytes:
    return core.Sequence(contents=b"".join(items)).dump()


def _oid(dotted: str) -> bytes:
    return core.ObjectIdentifier(dotted).dump()


def pkcs8(secret: str, *, kdf_oid: str = _PBKDF2, iterations: int = 2048, n: int = 1 << 14, r: int = 8, p: int = 1,
          scheme: str = _PBES2, derive: bool = True) -> bytes:
    """An encrypted PKCS#8 key (PBES2, AES-256-CBC) with the key derivation given. `derive=False` skips the
    derivation (random ciphertext: what a hostile file may carry, and a test need not wait for)."""
    import hashlib

    plain = keys.new_key().private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                                         serialization.NoEncryption())
    salt, iv = os.urandom(16), os.urandom(16)
    if kdf_oid == _SCRYPT:
        params = _seq(core.OctetString(salt).dump(), *(core.Integer(v).dump() for v in (n, r, p)))
        derived = hashlib.scrypt(secret.encode(), salt=salt, n=n, r=r, p=p, dklen=32, maxmem=1 << 30) if derive else None
    else:
        params = _seq(core.OctetString(salt).dump(), core.Integer(iterations).dump(),
                      _seq(_oid("1.2.840.113549.2.9"), core.Null().dump()))
        derived = hashlib.pbkdf2_hmac("sha256", secret.encode(), salt, iterations, 32) if derive else None
    if derived is None:
        ciphertext = os.urandom(160)
    else:
        padder = padding.PKCS7(128).padder()
        encryptor = Cipher(algorithms.AES(derived), modes.CBC(iv)).encryptor()
        ciphertext = encryptor.update(padder.update(plain) + padder.finalize()) + encryptor.finalize()
    algorithm = _seq(_oid(scheme), _seq(_seq(_oid(kdf_oid), params),
                                        _seq(_oid("2.16.840.1.101.3.4.1.42"), core.OctetString(iv).dump())))
    der = _seq(algorithm, core.OctetString(ciphertext).dump())
    from asn1crypto import pem as asn1_pem

    return asn1_pem.armor("ENCRYPTED PRIVATE KEY", der)


def test_keys_within_the_bounds_open(pem):
    for key in (pkcs8(SECRET, iterations=100_000), pkcs8(SECRET, kdf_oid=_SCRYPT, n=1 << 14, r=8, p=1), pem):
        keys.decrypt_key(key, grouped(SECRET))


HOSTILE = {   # case: (key, reason)
    "pbkdf2-over-the-bound": (dict(iterations=1_000_001), "iteration count of 1000001"),
    "pbkdf2-2^31": (dict(iterations=(1 << 31) - 1), "iteration count of 2147483647"),
    "pbkdf2-huge-integer": (dict(iterations=1 << 4000), "a 4001-bit number"),
    "pbkdf2-zero": (dict(iterations=0), "malformed"),
    "scrypt-over-the-bound": (dict(kdf_oid=_SCRYPT, n=1 << 18, r=8, p=1), "scrypt cost N·r·p of 2097152"),
    "scrypt-2^40": (dict(kdf_oid=_SCRYPT, n=1 << 40, r=8, p=1), "scrypt cost"),
    "scrypt-parallel": (dict(kdf_oid=_SCRYPT, n=1 << 14, r=8, p=1 << 20), "scrypt cost"),
    "unknown-kdf": (dict(kdf_oid="1.2.3.4"), "a key derivation this program does not read"),
    "unknown-scheme": (dict(scheme="1.2.3.4"), "encrypted in a way this program does not read"),
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_a_key_asking_too_much_is_refused_before_the_passphrase(case):
    from app.trust.kdf import KeyRefused

    options, reason = HOSTILE[case]
    with pytest.raises(KeyRefused) as refusal:
        keys.decrypt_key(pkcs8(SECRET, derive=False, **options), SECRET)
    assert reason in str(refusal.value) and "\n" not in str(refusal.value)
    assert refusal.value.message_vi != str(refusal.value)


@pytest.mark.parametrize("damage", [lambda d: d[:-5], lambda d: d + b"\x00", lambda d: d[:40],
                                    lambda d: b"\x30\x84\xff\xff\xff\xff" + d[2:]], ids=["cut", "trailing", "40", "length"])
def test_a_malformed_key_is_refused(damage):
    import base64

    from app.trust.kdf import KeyRefused

    text = pkcs8(SECRET).decode("ascii")
    body = base64.b64decode("".join(text.splitlines()[1:-1]))
    bad = ("-----BEGIN ENCRYPTED PRIVATE KEY-----\n" + base64.b64encode(damage(body)).decode("ascii")
           + "\n-----END ENCRYPTED PRIVATE KEY-----\n").encode("ascii")
    with pytest.raises(KeyRefused, match="malformed"):
        keys.decrypt_key(bad, SECRET)


ENROLL_CASES = ("pbkdf2-over-the-bound", "scrypt-over-the-bound", "unknown-kdf", "unknown-scheme", "pbkdf2-huge-integer")


@pytest.mark.parametrize("case", ENROLL_CASES)
def test_an_enrollment_file_with_such_a_key_is_refused(ch, fresh, forge, capsys, mode, case):
    """Refused as a malformed credentials field, with or without the passphrase given, before anything is
    stored; the first-run wizard refuses it with the same line."""
    options, reason = HOSTILE[case]
    hostile = pkcs8(PASS, derive=False, **options).decode("ascii")
    file = forge(credentials=lambda c: c["signing"].update(key=hostile))
    refused(ch, fresh, file, capsys, mode, "data/credentials.json: 'signing.key': the private key", reason)


def test_enroll_accept_does_not_hang_on_two_billion_iterations(ch, forge, tmp_path):
    """The real command in a process of its own: a refusal within seconds, not minutes of PBKDF2."""
    hostile = pkcs8(PASS, derive=False, iterations=(1 << 31) - 1).decode("ascii")
    file = forge(credentials=lambda c: c["signing"].update(key=hostile))
    data = tmp_path / "fresh"
    checkout = Path(app.__file__).resolve().parent.parent
    try:
        done = subprocess.run([sys.executable, "-m", "app", "--data-dir", str(data), "--lang", "en", "--passphrase-file",
                               str(ch.passfile), "enroll", "accept", str(file)], cwd=checkout, capture_output=True,
                              text=True, timeout=60, env={**os.environ, "PYTHONPATH": str(checkout)})
    except subprocess.TimeoutExpired:
        pytest.fail("enroll accept was still deriving the key after 60 s")
    assert done.returncode == 1 and "iteration count of 2147483647" in done.stderr, done.stderr
    assert not (data / "dti.sqlite3").exists() or state(data)["rows"].get("credential") == []
