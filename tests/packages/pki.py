"""A test PKI made with cryptography, shaped like DESIGN §5: a province root CA, a district issuing CA
(path length 0), unit signing certificates (CA:FALSE, digitalSignature + nonRepudiation, unit code in the
subject), plus an expired one, a revoked one with the issuer's CRL, a foreign root and a certificate that
may not sign documents."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID

from app.packages import Signer, TrustAnchors

NOW = datetime.now(UTC).replace(microsecond=0)


def _name(common: str, unit: str | None = None) -> x509.Name:
    attrs = [x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"), x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Tỉnh Hưng Yên"),
             x509.NameAttribute(NameOID.COMMON_NAME, common)]
    if unit:
        attrs.append(x509.NameAttribute(NameOID.SERIAL_NUMBER, unit))
    return x509.Name(attrs)


def _key(kind: str = "ec"):
    return rsa.generate_private_key(65537, 2048) if kind == "rsa" else ec.generate_private_key(ec.SECP256R1())


def _cert(subject: x509.Name, key, issuer: x509.Name, issuer_key, *, ca: bool, path_length: int | None = None,
          not_before: datetime | None = None, not_after: datetime | None = None, serial: int | None = None,
          signing: bool = True) -> x509.Certificate:
    nb = not_before or NOW - timedelta(days=2000)
    na = not_after or NOW + timedelta(days=3650)
    builder = (x509.CertificateBuilder().subject_name(subject).issuer_name(issuer).public_key(key.public_key())
               .serial_number(serial or x509.random_serial_number()).not_valid_before(nb).not_valid_after(na)
               .add_extension(x509.BasicConstraints(ca=ca, path_length=path_length if ca else None), critical=True)
               .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
               .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()), critical=False))
    if ca:
        usage = dict(digital_signature=False, content_commitment=False, key_cert_sign=True, crl_sign=True)
    elif signing:
        usage = dict(digital_signature=True, content_commitment=True, key_cert_sign=False, crl_sign=False)
    else:
        usage = dict(digital_signature=False, content_commitment=False, key_cert_sign=False, crl_sign=False)
    builder = builder.add_extension(x509.KeyUsage(key_encipherment=not (ca or signing), data_encipherment=False, key_agreement=False,
                                                  encipher_only=False, decipher_only=False, **usage), critical=True)
    return builder.sign(issuer_key, hashes.SHA256())


@dataclass
class PKI:
    root: x509.Certificate
    root_key: object
    district_ca: x509.Certificate
    district_ca_key: object
    district: Signer          # the district's own signing certificate, issued by the root
    commune: Signer           # a commune enrolled by the district (commune -> district CA -> root)
    rsa_unit: Signer          # an RSA signing certificate issued by the root
    expired: Signer
    revoked: Signer
    no_signing: Signer        # key usage without digitalSignature / nonRepudiation
    foreign: Signer           # chains to another province's root
    foreign_root: x509.Certificate
    crl: x509.CertificateRevocationList   # the district CA's CRL revoking `revoked`

    def anchors(self, crls: bool = True) -> TrustAnchors:
        return TrustAnchors(roots=(self.root,), crls=(self.crl,) if crls else ())

    def root_pem(self) -> bytes:
        return self.root.public_bytes(serialization.Encoding.PEM)


def make_pki() -> PKI:
    root_key = _key()
    root_name = _name("DTI Root CA - Sở TT&TT Hưng Yên")
    root = _cert(root_name, root_key, root_name, root_key, ca=True, path_length=1)
    dca_key = _key()
    dca_name = _name("DTI Issuing CA - UBND huyện Văn Lâm")
    dca = _cert(dca_name, dca_key, root_name, root_key, ca=True, path_length=0)

    def unit(code: str, issuer_name, issuer_key, chain, kind: str = "ec", **kw) -> Signer:
        key = _key(kind)
        cert = _cert(_name(f"UBND {code}", unit=code), key, issuer_name, issuer_key, ca=False, **kw)
        return Signer(cert=cert, key=key, chain=chain)

    district = unit("H1", root_name, root_key, (root,))
    commune = unit("X1", dca_name, dca_key, (dca, root))
    rsa_unit = unit("S1", root_name, root_key, (root,), kind="rsa")
    expired = unit("X9", dca_name, dca_key, (dca, root), not_before=NOW - timedelta(days=400), not_after=NOW - timedelta(days=10))
    revoked = unit("X7", dca_name, dca_key, (dca, root))
    no_signing = unit("X5", dca_name, dca_key, (dca, root), signing=False)
    other_key = _key()
    other_name = _name("DTI Root CA - tỉnh khác")
    other_root = _cert(other_name, other_key, other_name, other_key, ca=True, path_length=1)
    foreign = unit("Z1", other_name, other_key, (other_root,))
    crl = (x509.CertificateRevocationListBuilder().issuer_name(dca_name).last_update(NOW - timedelta(days=1))
           .next_update(NOW + timedelta(days=30))
           .add_revoked_certificate(x509.RevokedCertificateBuilder().serial_number(revoked.cert.serial_number)
                                    .revocation_date(NOW - timedelta(hours=1)).build())
           .sign(dca_key, hashes.SHA256()))
    return PKI(root=root, root_key=root_key, district_ca=dca, district_ca_key=dca_key, district=district, commune=commune,
               rsa_unit=rsa_unit, expired=expired, revoked=revoked, no_signing=no_signing, foreign=foreign,
               foreign_root=other_root, crl=crl)
