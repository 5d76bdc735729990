"""Property: whatever entries (0 bytes to a few MB) and whatever JSON manifest values (Vietnamese text in NFC
and NFD, numbers, nesting), write → verify → copy gives back exactly what was given."""

from __future__ import annotations

import hashlib
import random
import tempfile
import unicodedata
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.packages import EntrySource, copy_entry, read_entry, verify_package, write_package

WORDS = ("Chỉ số chuyển đổi số", "Nhận thức số", "Hạ tầng số", "UBND xã Tân Hưng", "Biên bản họp", "Quyết định",
         "dịch vụ công trực tuyến", "Đạt", "Không đạt", "người dân", "kỹ năng số", "Ủy ban", "Ngữ", "ỹ", "Ở")
LETTERS = "aăâdđeêioôơuưyàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵĐÂĂÊÔƠƯ \"\\/\n\t{}[]:,"


def _forms(text: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.tuples(text, st.sampled_from(["NFC", "NFD", None])).map(lambda t: unicodedata.normalize(t[1], t[0]) if t[1] else t[0])


TEXT = _forms(st.one_of(st.sampled_from(WORDS), st.text(alphabet=LETTERS, max_size=20),
                        st.text(st.characters(exclude_categories=("Cs",)), max_size=10)))
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-(10**30), 10**30),
                    st.floats(allow_nan=False, allow_infinity=False), TEXT)
JSON = st.recursive(SCALARS, lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(TEXT, inner, max_size=4)),
                    max_leaves=20)
SIZES = st.one_of(st.integers(0, 100), st.integers(0, 70_000), st.integers(1_000_000, 3_000_000))


@st.composite
def packages(draw):
    fields = draw(st.dictionaries(TEXT.filter(lambda k: k not in ("entries", "format", "created_at")), JSON, max_size=6))
    manifest = {**fields, "format": "dti-package/1", "created_at": draw(st.sampled_from(
        ["2024-05-06T07:08:09+07:00", "2023-12-31T23:59:59Z", "hôm nay"]))}
    specs = draw(st.lists(st.tuples(st.sampled_from(["data", "evidence", "report"]), SIZES, st.integers(0, 2**32)),
                          max_size=5))
    return manifest, specs


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(packages())
def test_write_verify_copy_round_trip(pki, spec):
    manifest, specs = spec
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp)
        contents: dict[str, bytes] = {}
        entries = []
        for i, (kind, size, seed) in enumerate(specs):
            data = random.Random(seed).randbytes(size)
            if kind == "evidence":
                name = f"evidence/{hashlib.sha256(data).hexdigest()}.{['pdf', 'jpg', 'png'][seed % 3]}"
            else:
                name = f"{kind}/part-{i}.{'json' if kind == 'data' else 'pdf'}"
            if name in contents:
                continue
            contents[name] = data
            if seed % 2:
                src = d / f"src{i}"
                src.write_bytes(data)
                entries.append(EntrySource(name, src))
            else:
                entries.append(EntrySource(name, data))
        [out] = write_package(d / "out" / "X1.dtipkg", manifest, entries, pki.commune)
        verified = verify_package(out, pki.anchors())
        assert {k: v for k, v in verified.manifest.items() if k != "entries"} == manifest
        assert {n: (i.size, i.sha256) for n, i in verified.entries.items()} == {
            n: (len(b), hashlib.sha256(b).hexdigest()) for n, b in contents.items()}
        for name, data in contents.items():
            copy_entry(verified, name, d / "copy")
            assert (d / "copy").read_bytes() == data
            if len(data) < 100_000:
                assert read_entry(verified, name, 100_000) == data
        again = write_package(d / "again" / "X1.dtipkg", manifest, list(reversed(entries)), pki.commune)[0]
        assert again.read_bytes() == out.read_bytes()
