"""A received package kept as its skeleton (app.packages.skeleton): reassembled from the evidence store it is
the original byte for byte, split packages included; anything missing or altered is named, never passed on."""

from __future__ import annotations

import hashlib
import io
import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.packages import EntrySource, verify_package, write_package
from app.packages import skeleton as S
from app.packages.source import Segment
from tests.packages.conftest import evidence_file, manifest


def _skeleton_of(package: list[Path], pki, out: Path) -> tuple[Path, str]:
    verified = verify_package(package if len(package) > 1 else package[0], pki.anchors())
    with open(out, "wb") as f:
        digest = S.write_skeleton(verified.segments, S.holes_of(verified.entries), f)
    return out, digest


def _store(tmp_path: Path, sample: list[EntrySource]) -> dict[str, Path]:
    return {e.name: Path(e.source) for e in sample if e.name.startswith("evidence/")}


def _bytes(path: Path, store: dict[str, Path]) -> bytes:
    return b"".join(bytes(c) for c in S.reassemble(path, lambda name: store[name]))


def test_a_skeleton_reassembles_to_the_package_without_holding_its_evidence(tmp_path, pki, sample):
    [pkg] = write_package(tmp_path / "X1.dtipkg", manifest(), sample, pki.commune)
    skel, digest = _skeleton_of([pkg], pki, tmp_path / "X1.dtiskel")
    original = pkg.read_bytes()
    assert digest == hashlib.sha256(original).hexdigest()
    store = _store(tmp_path, sample)
    assert _bytes(skel, store) == original
    evidence = sum(p.stat().st_size for p in store.values())
    assert skel.stat().st_size < len(original) - evidence + 4096
    assert S.read_header(skel)[:2] == (len(original), digest)


def test_the_skeleton_of_a_split_package_is_the_whole_package(tmp_path, pki, sample):
    name, path = evidence_file(tmp_path, 1_500_000, seed=3)
    sample = [*sample, EntrySource(name, path)]
    volumes = write_package(tmp_path / "X1.dtipkg", manifest(), sample, pki.commune, split_mb=1)
    assert len(volumes) == 2
    [whole] = write_package(tmp_path / "whole" / "X1.dtipkg", manifest(), sample, pki.commune)
    skel, digest = _skeleton_of(volumes, pki, tmp_path / "X1.dtiskel")
    # the volumes' package is the unsplit file, byte for byte (the writer is deterministic)
    assert _bytes(skel, _store(tmp_path, sample)) == whole.read_bytes()
    assert digest == hashlib.sha256(whole.read_bytes()).hexdigest()


@pytest.mark.parametrize("damage", ["missing", "altered", "longer", "literal", "header", "magic", "truncated"])
def test_damage_is_named_and_no_package_is_passed_on(tmp_path, pki, sample, damage):
    [pkg] = write_package(tmp_path / "X1.dtipkg", manifest(), sample, pki.commune)
    skel, _ = _skeleton_of([pkg], pki, tmp_path / "X1.dtiskel")
    store = {n: tmp_path / "store" / Path(n).name for n in _store(tmp_path, sample)}
    (tmp_path / "store").mkdir()
    for name, source in _store(tmp_path, sample).items():
        store[name].write_bytes(source.read_bytes())
    victim = sorted(store)[0]
    raw = bytearray(skel.read_bytes())
    if damage == "missing":
        store[victim].unlink()
    elif damage == "altered":
        data = bytearray(store[victim].read_bytes())
        data[len(data) // 2] ^= 1
        store[victim].write_bytes(bytes(data))
    elif damage == "longer":
        store[victim].write_bytes(store[victim].read_bytes() + b"x")
    elif damage == "literal":
        raw[-10] ^= 1                                  # a byte of the central directory
        skel.write_bytes(bytes(raw))
    elif damage == "header":
        start = raw.index(b'"size":') + len(b'"size":')
        raw[start] = ord("9") if raw[start] != ord("9") else ord("8")
        skel.write_bytes(bytes(raw))
    elif damage == "magic":
        skel.write_bytes(b"PK" + bytes(raw[2:]))
    elif damage == "truncated":
        skel.write_bytes(bytes(raw[:-100]))
    with pytest.raises(S.SkeletonDamaged) as caught:
        _bytes(skel, store)
    assert "\n" not in str(caught.value) and str(caught.value)
    vi = caught.value.message_vi                                   # the GUI's line, in Vietnamese
    assert "\n" not in vi and vi != str(caught.value) and vi.split(": ")[0] == str(caught.value).split(": ")[0]


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_any_layout_of_holes_round_trips(tmp_path_factory, data):
    """Holes anywhere (adjacent, at either end, empty) in any bytes: the skeleton keeps exactly the rest."""
    work = tmp_path_factory.mktemp("skel")
    pieces = data.draw(st.lists(st.tuples(st.booleans(), st.binary(max_size=3000)), max_size=8))
    package, holes, store, pos = bytearray(), [], {}, 0
    for i, (is_hole, chunk) in enumerate(pieces):
        if is_hole:
            name = f"evidence/{hashlib.sha256(chunk).hexdigest()}.pdf"
            holes.append((pos, len(chunk), name))
            path = work / f"{i}.bin"
            path.write_bytes(chunk)
            store[name] = path
        package += chunk
        pos += len(chunk)
    source = work / "pkg.bin"
    source.write_bytes(bytes(package))
    out = io.BytesIO()
    digest = S.write_skeleton([Segment(source, 0, len(package))], holes, out)
    assert digest == hashlib.sha256(package).hexdigest()
    skel = work / "pkg.dtiskel"
    skel.write_bytes(out.getvalue())
    assert _bytes(skel, store) == bytes(package)
    literal = len(package) - sum(size for _, size, _ in holes)
    assert len(out.getvalue()) == S.read_header(skel)[3] + literal


def test_a_hole_that_is_not_evidence_is_a_programming_error(tmp_path):
    source = tmp_path / "p.bin"
    source.write_bytes(os.urandom(100))
    with pytest.raises(ValueError):
        S.write_skeleton([Segment(source, 0, 100)], [(0, 10, "data/values.json")], io.BytesIO())
    with pytest.raises(ValueError):
        S.write_skeleton([Segment(source, 0, 100)], [(95, 10, "evidence/" + "0" * 64 + ".pdf")], io.BytesIO())
