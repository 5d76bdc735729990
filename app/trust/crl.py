"""Certificate revocation lists: an issuer (the province's root or a district's issuing CA) revokes a
unit's certificates; the CRL travels as a file that installations import (`dti crl import`)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta

from cryptography import x509
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.types import PrivateKeyTypes

from app.errors import UserError

NEXT_UPDATE_DAYS = 30
MAX_NUMBER = (1 << 63) - 1   # a store's INTEGER column


def make_crl(issuer_cert: x509.Certificate, issuer_key: PrivateKeyTypes, revoked: Iterable[tuple[int, datetime]],
             now: datetime, number: int) -> bytes:
    builder = (x509.CertificateRevocationListBuilder().issuer_name(issuer_cert.subject)
               .last_update(now).next_update(now + timedelta(days=NEXT_UPDATE_DAYS))
               .add_extension(x509.CRLNumber(number), critical=False))
    for serial, when in revoked:
        builder = builder.add_revoked_certificate(
            x509.RevokedCertificateBuilder().serial_number(serial).revocation_date(when).build())
    return builder.sign(issuer_key, hashes.SHA256()).public_bytes(serialization.Encoding.DER)


def load_crl(data: bytes, issuers: Iterable[x509.Certificate], name: str) -> tuple[x509.CertificateRevocationList,
                                                                                   x509.Certificate]:
    """Parse a CRL and check it is signed by one of the known issuers and numbered within what a store keeps;
    returns (crl, issuer). Every part read later is parsed now (cryptography parses some lazily)."""
    try:
        crl = (x509.load_pem_x509_crl(data) if data.lstrip().startswith(b"-----")
               else x509.load_der_x509_crl(data))
        _ = (crl.issuer, crl.extensions, list(crl))
    except (ValueError, TypeError, UnsupportedAlgorithm):
        raise UserError(f"{name} is not a certificate revocation list (CRL)",
                        f"{name} không phải danh sách thu hồi chứng thư (CRL)") from None
    issuer = signed_by(crl, issuers)
    if issuer is None:
        raise UserError(f"{name}: the CRL is not signed by an issuer this installation trusts",
                        f"{name}: danh sách thu hồi không do cơ quan cấp chứng thư mà máy này tin cậy ký")
    number_of(crl, name)
    return crl, issuer


def number_of(crl: x509.CertificateRevocationList, name: str) -> int:
    """The CRL's number (0 without one); a number a store cannot keep (SQLite's INTEGER is 64-bit signed) is a
    refusal: this program numbers its CRLs 1, 2, 3 ..."""
    try:
        number = crl.extensions.get_extension_for_class(x509.CRLNumber).value.crl_number
    except x509.ExtensionNotFound:
        return 0
    if not 0 <= number <= MAX_NUMBER:
        raise UserError(f"{name}: the CRL number is out of range (0 to {MAX_NUMBER})",
                        f"{name}: số thứ tự của danh sách thu hồi nằm ngoài khoảng cho phép (0 đến {MAX_NUMBER})")
    return number


def signed_by(crl: x509.CertificateRevocationList, issuers: Iterable[x509.Certificate]) -> x509.Certificate | None:
    """The certificate among `issuers` whose key signed `crl` (its name alone proves nothing)."""
    for issuer in issuers:
        if issuer.subject != crl.issuer:
            continue
        try:
            if crl.is_signature_valid(issuer.public_key()):  # type: ignore[arg-type]
                return issuer
        except (InvalidSignature, TypeError, ValueError, UnsupportedAlgorithm):
            pass
    return None


def lists(cert: x509.Certificate, issuer: x509.Certificate, crls: Sequence[x509.CertificateRevocationList]) -> bool:
    """Whether a CRL signed by `issuer` lists `cert` as revoked; a CRL that does not verify counts for nothing."""
    return any(crl.get_revoked_certificate_by_serial_number(cert.serial_number) is not None
               for crl in crls if signed_by(crl, (issuer,)) is not None)
