"""X.509 certificates of the assessment (DESIGN §5): the province's root CA, a district's issuing CA
(path length 0), and units' signing certificates (CA:FALSE, digitalSignature + nonRepudiation, the unit
code in the subject)."""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.types import PrivateKeyTypes, PublicKeyTypes
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

ROOT_YEARS = 10
CA_YEARS = 5
UNIT_YEARS = 3


def common_name_of(name: str) -> str:
    """The unit's name as a certificate's common name carries it: X.509 allows 64 and cryptography counts UTF-8
    bytes, so a Vietnamese name (2–3 bytes a letter) is cut at the last whole character within 64 bytes. The
    certificate is only a label: the whole name lives in the enrollment records."""
    cut = name.encode("utf-8")[:64].decode("utf-8", "ignore")
    return cut.rstrip() or name[:1]


def _name(code: str, name: str, role: str) -> x509.Name:
    # The unit code travels in the serialNumber attribute: stable, machine-readable, beside a readable CN.
    return x509.Name([
        x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, "DTI"),
        x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, role),
        x509.NameAttribute(NameOID.SERIAL_NUMBER, code),
        x509.NameAttribute(NameOID.COMMON_NAME, common_name_of(name)),
    ])


def _builder(subject: x509.Name, issuer: x509.Name, public_key: PublicKeyTypes, now: datetime,
             not_after: datetime) -> x509.CertificateBuilder:
    return (x509.CertificateBuilder().subject_name(subject).issuer_name(issuer).public_key(public_key)
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(minutes=5))  # tolerate small clock differences between PCs
            .not_valid_after(not_after)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False))


def make_root(code: str, name: str, key: PrivateKeyTypes, now: datetime) -> x509.Certificate:
    subject = _name(code, name, "root")
    return (_builder(subject, subject, key.public_key(), now, now + timedelta(days=365 * ROOT_YEARS))
            .add_extension(x509.BasicConstraints(ca=True, path_length=1), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=False, content_commitment=False, key_encipherment=False,
                                         data_encipherment=False, key_agreement=False, key_cert_sign=True,
                                         crl_sign=True, encipher_only=False, decipher_only=False), critical=True)
            .sign(key, hashes.SHA256()))


def _issued(issuer_cert: x509.Certificate, public_key: PublicKeyTypes, subject: x509.Name, now: datetime,
            years: int) -> x509.CertificateBuilder:
    not_after = min(now + timedelta(days=365 * years), issuer_cert.not_valid_after_utc)
    aki = x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(
        issuer_cert.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value)
    return _builder(subject, issuer_cert.subject, public_key, now, not_after).add_extension(aki, critical=False)


def issue_issuing_ca(issuer_cert: x509.Certificate, issuer_key: PrivateKeyTypes, code: str, name: str,
                     public_key: PublicKeyTypes, now: datetime) -> x509.Certificate:
    """A district's CA: it may enroll communes (path length 0: communes cannot issue further)."""
    return (_issued(issuer_cert, public_key, _name(code, name, "issuing"), now, CA_YEARS)
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=False, content_commitment=False, key_encipherment=False,
                                         data_encipherment=False, key_agreement=False, key_cert_sign=True,
                                         crl_sign=True, encipher_only=False, decipher_only=False), critical=True)
            .sign(issuer_key, hashes.SHA256()))


def issue_signing(issuer_cert: x509.Certificate, issuer_key: PrivateKeyTypes, code: str, name: str,
                  public_key: PublicKeyTypes, now: datetime) -> x509.Certificate:
    """A unit's signing certificate: everything the unit signs (packages, bundles, feedback)."""
    return (_issued(issuer_cert, public_key, _name(code, name, "unit"), now, UNIT_YEARS)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=True, key_encipherment=False,
                                         data_encipherment=False, key_agreement=False, key_cert_sign=False,
                                         crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION,
                                                  ExtendedKeyUsageOID.CODE_SIGNING]), critical=False)
            .sign(issuer_key, hashes.SHA256()))


def unit_code_of(cert: x509.Certificate) -> str | None:
    values = cert.subject.get_attributes_for_oid(NameOID.SERIAL_NUMBER)
    return str(values[0].value) if values else None


def role_of(cert: x509.Certificate) -> str | None:
    values = cert.subject.get_attributes_for_oid(NameOID.ORGANIZATIONAL_UNIT_NAME)
    return str(values[0].value) if values else None


def common_name(cert: x509.Certificate) -> str:
    values = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    return str(values[0].value) if values else cert.subject.rfc4514_string()


def der(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.DER)


def pem(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.PEM)


def load(data: bytes) -> x509.Certificate:
    return x509.load_pem_x509_certificate(data) if data.lstrip().startswith(b"-----") else x509.load_der_x509_certificate(data)


def fingerprint(cert: x509.Certificate) -> str:
    """SHA-256 of the DER certificate, hex, as printed on the enrollment sheet."""
    return hashlib.sha256(der(cert)).hexdigest()


def grouped(fingerprint_hex: str) -> str:
    """A fingerprint as the enrollment sheet prints it: upper case, groups of four (85E4 603C ...)."""
    text = fingerprint_hex.replace(":", "").upper()
    return " ".join(text[i:i + 4] for i in range(0, len(text), 4))
