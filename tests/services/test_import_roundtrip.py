"""Export at a commune → import at its district, as a property: whatever a unit enters (values, info,
explanations in NFC or NFD, evidence PDFs with Vietnamese names) arrives unchanged in the district's store,
the evidence bytes are the originals, and the archived package is the exported file, byte for byte, read-only."""

from __future__ import annotations

import hashlib
import itertools
import json
import shutil
import stat
import unicodedata
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.services.chainkit import PASS, Chain, build_chain, submissions
from tests.strategies import titles

MAXIMA = {"1.1": 60, "1.2": 40, "2.1": 100}          # the SMALL framework, group xa
NAMES = ("Biên bản họp", "Quyết định thành lập Ban chỉ đạo", "Kế hoạch chuyển đổi số", "Báo cáo tổng kết năm",
         "Ảnh chụp màn hình Cổng dịch vụ công", "Danh sách công chức được bồi dưỡng kỹ năng số")


@pytest.fixture(scope="module")
def ch(tmp_path_factory: pytest.TempPathFactory) -> Chain:
    return build_chain(tmp_path_factory)


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory):
    base = tmp_path_factory.mktemp("roundtrip")
    counter = itertools.count()
    return lambda: base / f"ex{next(counter)}"


def _nf(text: str, nfd: bool) -> str:
    return unicodedata.normalize("NFD" if nfd else "NFC", text)


points = st.sampled_from(sorted(MAXIMA)).flatmap(
    lambda code: st.tuples(st.just(code), st.integers(0, MAXIMA[code] * 100).map(lambda n: Decimal(n) / 100)))
explanation = st.tuples(st.one_of(titles(8), st.text(min_size=0, max_size=60)), st.booleans()).map(
    lambda t: _nf(t[0], t[1]))
evidence = st.lists(st.tuples(st.sampled_from(NAMES), st.booleans(), st.integers(1, 3), st.integers(0, 10**6)),
                    min_size=0, max_size=3)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(values=st.lists(points, max_size=4), comma=st.booleans(), staff=st.one_of(st.none(), st.integers(0, 10**6)),
       explanations=st.dictionaries(st.sampled_from([*MAXIMA, "TT.1"]), explanation, max_size=4), files=evidence)
def test_export_then_import_keeps_everything(ch, scratch, values, comma, staff, explanations, files):
    from app.entries.values import decode, encode
    from app.services.evidence_service import add_evidence, evidence_path
    from app.services.package_export import export_package
    from app.services.package_import import import_paths
    from app.services.received_store import received_package
    from app.services.workspace import Workspace
    from tests.evidence import corpus as c

    work = scratch()
    unit, district = ch.copy("X2", work / "X2"), ch.copy("H1", work / "H1")
    originals: dict[str, tuple[str, bytes]] = {}     # sha256 -> (NFC name, bytes)
    with Workspace(unit, lang="en") as ws:
        if not comma:   # typed the English way, which the unit has asked for (app.entries.numbers)
            ws.set_setting("number_format", "en")
        for code, number in values:
            text = str(number)
            ws.set_entry(code, text.replace(".", ",") if comma else text)
        if staff is not None:
            ws.set_entry("TT.1", str(staff))
        for code, text in explanations.items():
            ws.set_explanation(code, text)
        for index, (name, nfd, pages, seed) in enumerate(files):
            folder = work / f"in{index}"
            folder.mkdir()
            path = folder / _nf(f"{name} {seed}.pdf", nfd)
            data = c.reportlab_pdf(pages=pages, text=f"Trang {seed} {name}")
            path.write_bytes(data)
            add_evidence(ws, "1.1", [path])
            originals[hashlib.sha256(data).hexdigest()] = (_nf(f"{name} {seed}.pdf", False), data)
        state = ws.state()
        result = export_package(ws, work / "out" / "X2.dtipkg", PASS)
    (package,) = result.paths

    with Workspace(district, lang="en") as ws:
        (outcome,) = import_paths(ws, [package])
    assert (outcome.status, outcome.unit, outcome.revision) == ("imported", "X2", result.revision), outcome.reason_en

    ((code, revision, archived_name, via, data_json),) = submissions(district)
    assert (code, revision, via) == ("X2", result.revision, None)
    stored = json.loads(data_json)
    got = stored["values"]
    # values and info: the unit's canonical form, and the numbers entered
    assert got["values"] == {k: json.loads(encode(v)) for k, v in state.values.items()}
    assert got["info"] == {k: json.loads(encode(v)) for k, v in state.info.items()}
    for code_, number in dict(values).items():
        assert decode(json.dumps(got["values"][code_])) == number
    if staff is not None:
        assert decode(json.dumps(got["info"]["TT.1"])) == staff
    # explanations: NFC as the unit's store keeps them (stripped; an empty one is no explanation)
    assert got["explanations"] == state.explanations
    wanted = {k: unicodedata.normalize("NFC", t).strip() for k, t in explanations.items()}
    assert got["explanations"] == {k: t for k, t in wanted.items() if t}
    assert all(unicodedata.is_normalized("NFC", t) for t in got["explanations"].values())
    # evidence: the original bytes in the district's content-addressed store, under their NFC names
    listed = {item["sha256"]: item for item in stored["evidence"]}
    assert set(listed) == set(originals)
    for sha, (name, data) in originals.items():
        assert listed[sha]["name"] == name and listed[sha]["size"] == len(data)
        kept = evidence_path(district, sha, "pdf").read_bytes()
        assert hashlib.sha256(kept).hexdigest() == sha and kept == data
    # the archive: a read-only skeleton without the evidence, which reassembles to the exported file itself
    archived = district / archived_name
    with Workspace(district, lang="en") as ws, ws.store.session() as session:
        from sqlalchemy import select

        from app.models.tables import Submission

        row = session.scalars(select(Submission).where(Submission.archived_name == archived_name)).one()
        kept = b"".join(bytes(chunk) for chunk in received_package(ws, row)())
    assert kept == package.read_bytes()
    assert archived.stat().st_size < package.stat().st_size - sum(len(d) for _, d in originals.values()) + 4096
    assert not archived.stat().st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)
    shutil.rmtree(work, ignore_errors=True)

