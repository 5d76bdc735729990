"""app.services.package_crypto: whom a unit encrypts for, and an encrypted package read in place (no decrypted
copy); scratch folders older versions decrypted into are removed."""

from __future__ import annotations

import pytest

from app.errors import UserError
from app.packages import envelope
from app.packages.source import Source
from app.services import package_crypto
from app.services.trust_service import identity
from app.services.workspace import Workspace
from tests.services.chainkit import PASS, build_chain


@pytest.fixture(scope="module")
def chain(tmp_path_factory):
    return build_chain(tmp_path_factory)


@pytest.mark.parametrize(("unit", "authority", "role"), [("X1", "H1", "issuing"), ("H1", "prov", "root"),
                                                         ("Q1", "TQ", "root")])
def test_a_unit_encrypts_for_the_ca_that_enrolled_it(chain, unit, authority, role):
    with Workspace(chain.data(unit), write=False) as ws:
        cert = package_crypto.recipient(ws)
    with Workspace(chain.data(authority), write=False) as ws:
        assert getattr(identity(ws), role)[0] == cert


def test_plain_files_and_garbage_are_not_encrypted(chain, tmp_path):
    assert not package_crypto.is_encrypted([chain.pkg("X1-r1")])
    junk = tmp_path / "junk.dtipkg"
    junk.write_bytes(b"\x30\x80")
    assert not package_crypto.is_encrypted([junk])
    assert not package_crypto.is_encrypted([tmp_path / "absent.dtipkg"])


def test_an_encrypted_package_is_read_in_place_with_no_copy(chain, tmp_path):
    x1 = chain.copy("X1", tmp_path / "X1")
    h1 = chain.copy("H1", tmp_path / "H1")
    plain = chain.pkg("X1-r2")
    with Workspace(x1, write=False) as ws:
        cert = package_crypto.recipient(ws)
    sealed = tmp_path / "X1-r2.dtipkg"
    with open(sealed, "wb") as out:
        sealing = envelope.Sealing(out, cert)
        sealing.write(plain.read_bytes())
        sealing.finish()
    with Workspace(h1) as ws:
        before = sorted(p.relative_to(h1) for p in h1.rglob("*"))
        decryption = package_crypto.decryption_for(ws, [sealed], package_crypto.once(lambda: PASS))
        assert decryption is not None and decryption.envelope.file == "X1-r2.dtipkg"
        with Source.of_file(sealed) as raw, decryption.source(raw) as src:
            assert src.read_at(0, src.size) == plain.read_bytes()
        assert package_crypto.decryption_for(ws, [plain], None) is None     # a plain package needs no passphrase
        with pytest.raises(UserError, match="no passphrase"):
            package_crypto.decryption_for(ws, [sealed], None)
        assert sorted(p.relative_to(h1) for p in h1.rglob("*")) == before   # nothing decrypted to the disk


def test_stale_scratch_folders_are_removed_by_the_next_import(chain, tmp_path):
    h1 = chain.copy("H1", tmp_path / "H1")
    stale = h1 / f"{package_crypto.SCRATCH_PREFIX}killed"
    stale.mkdir()
    (stale / "X1-r9.dtipkg").write_bytes(b"plaintext left by a killed import")
    from app.services.package_import import import_paths

    with Workspace(h1) as ws:
        import_paths(ws, [chain.pkg("X2-r1")])
    assert not stale.exists()


def test_the_passphrase_is_asked_once_and_only_when_needed():
    asked = []
    ask = package_crypto.once(lambda: asked.append(1) or PASS)
    assert asked == []
    assert ask() == PASS and ask() == PASS and asked == [1]
