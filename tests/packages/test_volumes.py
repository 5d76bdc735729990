"""Split packages (DESIGN §6): numbered volumes of at most N MB, reassembled or verified in place; a missing
volume is named, a foreign or damaged one refused."""

from __future__ import annotations

import random

import pytest

from app.packages import EntrySource, PackageRefused, assemble_volumes, verify_package, volume_name, write_package
from app.packages.volumes import HEAD, MB, read_header
from tests.packages.conftest import evidence_file, manifest


@pytest.fixture
def split(tmp_path, pki):
    entries = [EntrySource("data/values.json", b'{"1.1": 5}')]
    for i in range(3):
        name, path = evidence_file(tmp_path, 1_200_000, seed=10 + i)
        entries.append(EntrySource(name, path))
    out = tmp_path / "out" / "X1-r3.dtipkg"
    volumes = write_package(out, manifest(), entries, pki.commune, split_mb=1)
    whole = write_package(tmp_path / "whole" / "X1-r3.dtipkg", manifest(), entries, pki.commune)[0]
    return out, volumes, whole


def test_split_names_sizes_and_reassembly(split, pki, tmp_path):
    out, volumes, whole = split
    assert [v.name for v in volumes] == [f"X1-r3.dtipkg.{i:03d}-of-004" for i in range(1, 5)]
    assert not out.exists()
    assert all(v.stat().st_size <= 1 * MB for v in volumes)
    assert sorted(p.name for p in out.parent.iterdir()) == [v.name for v in volumes]
    # the slices concatenated are the unsplit package byte for byte
    body = b"".join(v.read_bytes()[read_header(v).header_size:] for v in volumes)
    assert body == whole.read_bytes()
    shuffled = volumes[:]
    random.Random(1).shuffle(shuffled)
    verified = verify_package(shuffled, pki.anchors())
    assert verified.path.name == "X1-r3.dtipkg"
    name = next(n for n in verified.entries if n.startswith("evidence/"))
    from app.packages import copy_entry

    copy_entry(verified, name, tmp_path / "copied.pdf")
    assembled = assemble_volumes(shuffled, tmp_path / "in" / "X1-r3.dtipkg")
    assert assembled.read_bytes() == whole.read_bytes()
    verify_package(assembled, pki.anchors())


def test_missing_volume_is_named(split, pki, tmp_path):
    _, volumes, _ = split
    for missing in ([volumes[2]], [volumes[0], volumes[3]]):
        rest = [v for v in volumes if v not in missing]
        with pytest.raises(PackageRefused) as e:
            verify_package(rest, pki.anchors())
        assert e.value.code == "volume_missing"
        for m in missing:
            assert m.name in str(e.value) and m.name in e.value.message_vi
        with pytest.raises(PackageRefused) as e:
            assemble_volumes(rest, tmp_path / "in" / "X1-r3.dtipkg")
        assert e.value.code == "volume_missing"
    with pytest.raises(PackageRefused) as e:
        verify_package(volumes[0], pki.anchors())   # one volume alone
    assert e.value.code == "volume_missing"
    assert not (tmp_path / "in" / "X1-r3.dtipkg").exists()


def test_renamed_volumes_are_still_recognised(split, pki, tmp_path):
    _, volumes, _ = split
    renamed = []
    for i, v in enumerate(reversed(volumes)):
        target = tmp_path / f"attachment({i}).bin"
        target.write_bytes(v.read_bytes())
        renamed.append(target)
    verify_package(renamed, pki.anchors())
    with pytest.raises(PackageRefused) as e:
        verify_package(renamed[1:], pki.anchors())
    assert e.value.code == "volume_missing" and volume_name("X1-r3.dtipkg", 4, 4) in str(e.value)


def test_foreign_volume_is_refused(split, pki, tmp_path):
    _, volumes, _ = split
    other = write_package(tmp_path / "other" / "X1-r3.dtipkg", manifest(revision=4),
                          [EntrySource("data/values.json", b"{}" + b" " * 2_500_000)], pki.commune, split_mb=1)
    mixed = [volumes[0], other[1], volumes[2], volumes[3]]
    with pytest.raises(PackageRefused) as e:
        verify_package(mixed, pki.anchors())
    assert e.value.code == "volume_foreign" and other[1].name in str(e.value)
    plain = write_package(tmp_path / "plain" / "X2.dtipkg", manifest(), [], pki.commune)[0]
    with pytest.raises(PackageRefused) as e:
        verify_package([*volumes, plain], pki.anchors())
    assert e.value.code == "volume_foreign"


def test_damaged_or_cut_volume_is_refused(split, pki, tmp_path):
    _, volumes, _ = split
    data = bytearray(volumes[1].read_bytes())
    data[HEAD.size + 500] ^= 0x10
    damaged = tmp_path / volumes[1].name
    damaged.write_bytes(bytes(data))
    with pytest.raises(PackageRefused) as e:
        verify_package([volumes[0], damaged, volumes[2], volumes[3]], pki.anchors())
    assert e.value.code == "volume_damaged" and damaged.name in str(e.value)
    with pytest.raises(PackageRefused) as e:
        assemble_volumes([volumes[0], damaged, volumes[2], volumes[3]], tmp_path / "in" / "X.dtipkg")
    assert e.value.code == "volume_damaged"
    assert not (tmp_path / "in" / "X.dtipkg").exists() and list((tmp_path / "in").iterdir()) == []
    damaged.write_bytes(volumes[1].read_bytes()[:-100])
    assert read_header(damaged).index == 2   # still recognised (a service groups volumes by their headers)
    with pytest.raises(PackageRefused) as e:
        verify_package([volumes[0], damaged, volumes[2], volumes[3]], pki.anchors())
    assert e.value.code == "volume_damaged"
    damaged.write_bytes(b"DTIVOL\r\n\x00")
    with pytest.raises(PackageRefused) as e:
        verify_package([volumes[0], damaged, volumes[2], volumes[3]], pki.anchors())
    assert e.value.code == "volume_header"


def test_a_new_split_export_replaces_the_old_volumes(split, pki, tmp_path):
    out, _, _ = split
    new = write_package(out, manifest(revision=4), [EntrySource("data/values.json", b"{}")], pki.commune, split_mb=1)
    assert [v.name for v in new] == ["X1-r3.dtipkg.001-of-001"]
    assert sorted(p.name for p in out.parent.iterdir()) == ["X1-r3.dtipkg.001-of-001"]
    assert verify_package(new, pki.anchors()).manifest["revision"] == 4


def test_split_size_must_be_sensible(tmp_path, pki):
    with pytest.raises(ValueError):
        write_package(tmp_path / "X1.dtipkg", manifest(), [], pki.commune, split_mb=0)
    assert list(tmp_path.iterdir()) == []
