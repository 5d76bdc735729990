"""Private keys: ECDSA P-256, kept only encrypted (PKCS#8 with the passphrase), like a token PIN."""

from __future__ import annotations

from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.types import PrivateKeyTypes

from app.errors import UserError

MIN_PASSPHRASE = 8


class WrongPassphrase(UserError):
    def __init__(self) -> None:
        super().__init__("wrong passphrase", "sai mật khẩu (passphrase)")


def check_passphrase_strength(passphrase: str) -> None:
    if len(passphrase) < MIN_PASSPHRASE:
        raise UserError(f"the passphrase must have at least {MIN_PASSPHRASE} characters",
                        f"mật khẩu phải có ít nhất {MIN_PASSPHRASE} ký tự")


def new_key() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


def encrypt_key(key: PrivateKeyTypes, passphrase: str) -> bytes:
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.BestAvailableEncryption(passphrase.encode("utf-8")))


def decrypt_key(pem: bytes, passphrase: str) -> PrivateKeyTypes:
    try:
        return serialization.load_pem_private_key(pem, passphrase.encode("utf-8"))
    except (ValueError, TypeError, UnsupportedAlgorithm):   # a key from a file may use any cipher
        raise WrongPassphrase() from None


def reencrypt(pem: bytes, old: str, new: str) -> bytes:
    check_passphrase_strength(new)
    return encrypt_key(decrypt_key(pem, old), new)
