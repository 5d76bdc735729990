"""Private keys: ECDSA P-256, kept only encrypted (PKCS#8 with the passphrase), like a token PIN.

The unit's first passphrase is printed on its enrollment sheet in groups of four (app.reports.enrollment_sheet)
and typed from it: a generated one uses only characters that cannot be mistaken for one another, and a
passphrase is tried as typed, then without its white space (the gaps of the sheet, a non-breaking space from
a paste, a trailing newline). Nothing else is relaxed: upper and lower case differ.
"""

from __future__ import annotations

import secrets

from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.types import PrivateKeyTypes

from app.errors import UserError
from app.trust import kdf

MIN_PASSPHRASE = 8
# Lower case and digits without the look-alikes of a printed sheet or a copy by hand: 0/o, 1/l/i,
# 2/z, 5/s, 6/b, 9/g/q, u/v. 21 symbols, 20 of them (five groups of four) carry 87 bits.
PASSPHRASE_ALPHABET = "acdefhjkmnprtuwxy3478"
GENERATED_LENGTH = 20


class WrongPassphrase(UserError):
    """A passphrase that does not open the key, with what to check: capitals, and whose sheet it is."""

    def __init__(self, unit: str | None = None) -> None:
        whose_en = f"of unit {unit} (on {unit}'s enrollment sheet" if unit else "of this unit (on its enrollment sheet"
        whose_vi = (f"của đơn vị {unit} (ghi trên phiếu cấp tài khoản của {unit}" if unit
                    else "của đơn vị này (ghi trên phiếu cấp tài khoản của đơn vị")
        super().__init__(
            f"wrong passphrase: upper and lower case differ (check the capitals and Caps Lock); it must be the passphrase "
            f"{whose_en}, or the one it was changed to)",
            f"sai mật khẩu: mật khẩu phân biệt chữ hoa, chữ thường (kiểm tra cả phím Caps Lock); phải là "
            f"mật khẩu {whose_vi}, hoặc mật khẩu đã đổi sau đó)")
        self.unit = unit


def check_passphrase_strength(passphrase: str) -> None:
    if len(passphrase) < MIN_PASSPHRASE:
        raise UserError(f"the passphrase must have at least {MIN_PASSPHRASE} characters",
                        f"mật khẩu phải có ít nhất {MIN_PASSPHRASE} ký tự")


def generate_passphrase(length: int = GENERATED_LENGTH) -> str:
    """A random passphrase for the enrollment sheet: PASSPHRASE_ALPHABET only, no white space."""
    return "".join(secrets.choice(PASSPHRASE_ALPHABET) for _ in range(length))


def typed_forms(passphrase: str) -> list[str]:
    """The forms a typed passphrase is tried in: as typed, without white space at its ends, without any white
    space (Unicode: spaces, non-breaking spaces, tabs, newlines)."""
    forms = [passphrase]
    for form in (passphrase.strip(), "".join(passphrase.split())):
        if form and form not in forms:
            forms.append(form)
    return forms


def new_key() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


def encrypt_key(key: PrivateKeyTypes, passphrase: str) -> bytes:
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.BestAvailableEncryption(passphrase.encode("utf-8")))


def decrypt_key(pem: bytes, passphrase: str, unit: str | None = None) -> PrivateKeyTypes:
    """The key, opened with the passphrase in one of its `typed_forms`; WrongPassphrase (naming `unit` when
    given) otherwise. A key asking for more key-derivation work than kdf allows is refused (kdf.KeyRefused)
    before any form is tried."""
    kdf.check(pem)
    for form in typed_forms(passphrase):
        try:
            return serialization.load_pem_private_key(pem, form.encode("utf-8"))
        except (ValueError, TypeError, UnsupportedAlgorithm):   # a key from a file may use any cipher
            continue
    raise WrongPassphrase(unit)


def reencrypt(pem: bytes, old: str, new: str, unit: str | None = None) -> bytes:
    check_passphrase_strength(new)
    return encrypt_key(decrypt_key(pem, old, unit), new)
