"""Certificates, keys and CRLs of DESIGN §5."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from cryptography import x509
from cryptography.x509.oid import ExtensionOID

from app.errors import UserError
from app.trust import certs, crl, keys

NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def pki():
    root_key = keys.new_key()
    root = certs.make_root("TP", "Sở Thông tin và Truyền thông Thử", root_key, NOW)
    ca_key = keys.new_key()
    ca = certs.issue_issuing_ca(root, root_key, "H1", "UBND huyện Thử", ca_key.public_key(), NOW)
    unit_key = keys.new_key()
    unit = certs.issue_signing(ca, ca_key, "X1", "UBND xã Một", unit_key.public_key(), NOW)
    return {"root": root, "root_key": root_key, "ca": ca, "ca_key": ca_key, "unit": unit, "unit_key": unit_key}


def test_root_is_a_ca_that_signs_certificates(pki):
    bc = pki["root"].extensions.get_extension_for_oid(ExtensionOID.BASIC_CONSTRAINTS).value
    ku = pki["root"].extensions.get_extension_for_oid(ExtensionOID.KEY_USAGE).value
    assert bc.ca and ku.key_cert_sign and ku.crl_sign
    assert certs.unit_code_of(pki["root"]) == "TP"


def test_district_ca_has_path_length_zero(pki):
    bc = pki["ca"].extensions.get_extension_for_oid(ExtensionOID.BASIC_CONSTRAINTS).value
    assert bc.ca and bc.path_length == 0
    pki["ca"].verify_directly_issued_by(pki["root"])


def test_unit_certificate_is_not_a_ca_and_signs_documents(pki):
    cert = pki["unit"]
    bc = cert.extensions.get_extension_for_oid(ExtensionOID.BASIC_CONSTRAINTS).value
    ku = cert.extensions.get_extension_for_oid(ExtensionOID.KEY_USAGE).value
    assert not bc.ca and ku.digital_signature and ku.content_commitment and not ku.key_cert_sign
    assert certs.unit_code_of(cert) == "X1" and certs.common_name(cert) == "UBND xã Một"
    cert.verify_directly_issued_by(pki["ca"])
    assert cert.not_valid_after_utc <= pki["ca"].not_valid_after_utc


def test_keys_are_only_kept_encrypted(pki):
    pem = keys.encrypt_key(pki["unit_key"], "mat-khau-dai-1")
    assert b"ENCRYPTED PRIVATE KEY" in pem
    assert keys.decrypt_key(pem, "mat-khau-dai-1").public_key() == pki["unit_key"].public_key()
    with pytest.raises(keys.WrongPassphrase):
        keys.decrypt_key(pem, "sai-mat-khau")
    again = keys.reencrypt(pem, "mat-khau-dai-1", "mat-khau-moi-2")
    assert keys.decrypt_key(again, "mat-khau-moi-2").public_key() == pki["unit_key"].public_key()
    with pytest.raises(UserError, match="at least"):
        keys.reencrypt(pem, "mat-khau-dai-1", "short")


def test_crl_lists_revoked_serials_and_is_checked_against_its_issuer(pki):
    der = crl.make_crl(pki["ca"], pki["ca_key"], [(pki["unit"].serial_number, NOW)], NOW, 1)
    revocation, issuer = crl.load_crl(der, [pki["root"], pki["ca"]], "H1.crl")
    assert issuer == pki["ca"]
    assert revocation.get_revoked_certificate_by_serial_number(pki["unit"].serial_number) is not None
    assert revocation.extensions.get_extension_for_class(x509.CRLNumber).value.crl_number == 1
    with pytest.raises(UserError, match="not signed by an issuer"):
        crl.load_crl(der, [pki["root"]], "H1.crl")
    with pytest.raises(UserError, match="not a certificate revocation list"):
        crl.load_crl(b"garbage", [pki["ca"]], "x.crl")


def test_fingerprint_is_sha256_of_der(pki):
    import hashlib

    assert certs.fingerprint(pki["root"]) == hashlib.sha256(certs.der(pki["root"])).hexdigest()
    assert certs.load(certs.pem(pki["root"])) == pki["root"]


@pytest.mark.parametrize("name", ["Văn phòng Đoàn Đại biểu quốc hội và Hội đồng nhân dân tỉnh",
                                  "Ủy ban nhân dân xã Nguyễn Trãi Hoàng Hoa Thám Phạm Ngũ Lão (sáp nhập năm 2025)",
                                  "UBND xã Một"])
def test_a_real_long_vietnamese_name_fits_the_common_name(pki, name):
    """X.509's 64 is counted in UTF-8 bytes: 81 characters of Vietnamese failed with an internal error (issue 18)."""
    root, root_key = pki["root"], pki["root_key"]
    key = keys.new_key()
    cert = certs.issue_signing(root, root_key, "VP-DBQH", name, key.public_key(), datetime.now(UTC))
    cn = certs.common_name(cert)
    assert len(cn.encode("utf-8")) <= 64 and name.startswith(cn) and cn == certs.common_name_of(name)
    if len(name.encode("utf-8")) <= 64:
        assert cn == name
