"""app.services.package_crypto: whom a unit encrypts for, and the scratch copy an import reads (never left behind,
also when the import is refused)."""

from __future__ import annotations

import pytest

from app.errors import UserError
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


def test_the_scratch_copy_is_removed_also_on_failure(chain, tmp_path):
    x1 = chain.copy("X1", tmp_path / "X1")
    h1 = chain.copy("H1", tmp_path / "H1")
    plain = chain.pkg("X1-r2")
    with Workspace(x1, write=False) as ws:
        cert = package_crypto.recipient(ws)
    sealed = package_crypto.seal(plain, tmp_path / "X1-r2.dtipkg", cert)[0]
    with Workspace(h1) as ws:
        with package_crypto.opened(ws, [sealed], package_crypto.once(lambda: PASS)) as opened:
            assert opened[0].name == "X1-r2.dtipkg" and opened[0].read_bytes() == plain.read_bytes()
            scratch = opened[0].parent
            assert scratch.parent == h1
        assert not scratch.exists()
        with pytest.raises(RuntimeError), package_crypto.opened(ws, [sealed], lambda: PASS) as opened:
            scratch = opened[0].parent
            raise RuntimeError("refused later")
        assert not scratch.exists()
        with pytest.raises(UserError, match="no passphrase"), package_crypto.opened(ws, [sealed], None):
            pass


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
