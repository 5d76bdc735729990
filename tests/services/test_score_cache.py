"""Stored score summaries (app.services.score_cache): whatever state the cache is in (empty, whole, stale
after an appraisal or a new best measure, tampered), `dti rank` gives exactly what scoring every unit from its
entries gives, and the writing commands leave the cache whole."""

from __future__ import annotations

import json
import sqlite3
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.models import db
from app.services import aggregate, score_cache
from app.services.workspace import Workspace
from benchmarks.world import rank_store

UNITS = 48   # 12 per group of hy-2023, whose best-in-group rules make every score depend on the group


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("score-cache") / "data"
    assert rank_store(data, UNITS, refresh=False) == UNITS
    return data


def published(ws: Workspace, summary: bool) -> str:
    fw, rankings = aggregate.rank_summary(ws) if summary else aggregate.rank(ws)
    return json.dumps(aggregate.ranking_data(fw, rankings), default=str, ensure_ascii=False, sort_keys=True)


def cached_rows(data: Path) -> int:
    con = sqlite3.connect(data / db.DB_NAME)
    try:
        return con.execute("SELECT count(*) FROM score_cache").fetchone()[0]
    finally:
        con.close()


def test_empty_then_refreshed_cache_ranks_exactly_as_scoring_from_entries(store: Path):
    with Workspace(store) as ws:
        ws_rows = cached_rows(store)
        full = published(ws, summary=False)
        assert published(ws, summary=True) == full          # nothing stored yet: every unit scored from entries
        assert score_cache.refresh(ws) == UNITS - ws_rows
        assert cached_rows(store) == UNITS
        assert score_cache.refresh(ws) == 0                  # nothing changed since: nothing rewritten
        assert published(ws, summary=True) == full


def test_an_appraisal_rescores_that_unit_and_the_ranking_follows(store: Path):
    with Workspace(store) as ws:
        score_cache.refresh(ws)
        before = published(ws, summary=True)
        group = json.loads(before)["groups"][-1]
        last = group["units"][-1]["unit_code"]
        fw, _ = aggregate.authority_framework(ws)
        leaf = next(leaf for leaf in fw.leaves(group["code"]) if leaf.max[group["code"]] > 0)
        aggregate.appraise_set(ws, last, leaf.code, "0", "thiếu minh chứng")
        after = published(ws, summary=True)
        assert after == published(ws, summary=False)
        assert after != before
        assert score_cache.refresh(ws) == 0                  # appraise_set already brought the cache up to date
        aggregate.appraise_clear(ws, last, leaf.code)
        assert published(ws, summary=True) == before


def _execute(data: Path, sql: str, *params) -> None:
    con = sqlite3.connect(data / db.DB_NAME)
    try:
        con.execute(sql, params)
        con.commit()
    finally:
        con.close()


def test_changes_made_behind_the_caches_back_are_never_ranked_stale(store: Path):
    """A row whose inputs changed (an appraisal written without a refresh, a better measure in the group,
    a tampered key) is not used: the unit is scored from its entries."""
    with Workspace(store) as ws:
        score_cache.refresh(ws)
        fw, _ = aggregate.authority_framework(ws)
    first = json.loads(_published_readonly(store))["groups"][0]["units"][0]["unit_code"]
    code = next(leaf.code for leaf in fw.leaves() if leaf.max)
    _execute(store, "INSERT INTO appraisal (round_id, unit_code, code, points, comment, explanation_requested, "
                    "appraiser, source, set_at) VALUES (?, ?, ?, '0', NULL, 0, 'x', 'local', '2024-01-01T00:00:00Z')",
             fw.id, first, code)
    try:
        assert _published_readonly(store) == _published_readonly(store, summary=False)
    finally:
        _execute(store, "DELETE FROM appraisal WHERE unit_code = ? AND code = ?", first, code)
    _execute(store, "UPDATE score_cache SET summary_json = replace(summary_json, '\"total\":\"', '\"total\":\"9')")
    _execute(store, "UPDATE score_cache SET inputs_sha256 = 'x' WHERE submission_id % 2 = 0")
    with Workspace(store, write=False) as ws:
        mixed = published(ws, summary=True)
    # odd rows keep their (tampered) totals: the cache is believed like the rest of the store when its inputs
    # match; even rows are scored again. A refresh cannot repair a row whose key still matches, so rebuild:
    assert mixed != _published_readonly(store, summary=False)
    _execute(store, "DELETE FROM score_cache")
    with Workspace(store) as ws:
        assert score_cache.refresh(ws) == UNITS
    assert _published_readonly(store) == _published_readonly(store, summary=False)


def _published_readonly(data: Path, summary: bool = True) -> str:
    with Workspace(data, write=False) as ws:
        return published(ws, summary)


def test_a_new_best_measure_in_the_group_invalidates_the_group(store: Path, tmp_path: Path):
    """A unit whose measure beats the group's best changes every best-in-group score of its group."""
    import shutil

    from app.scoring.rules import BestInGroupRule

    data = tmp_path / "copy"
    shutil.copytree(store, data)
    with Workspace(data) as ws:
        score_cache.refresh(ws)
        fw, _ = aggregate.authority_framework(ws)
    con = sqlite3.connect(data / db.DB_NAME)
    try:
        sid, manifest, data_json = con.execute("SELECT id, manifest_json, data_json FROM submission "
                                               "ORDER BY id").fetchone()
    finally:
        con.close()
    group = json.loads(manifest)["unit"]["group"]
    leaf = next(leaf for leaf in fw.leaves(group) if isinstance(leaf.rule, BestInGroupRule))
    body = json.loads(data_json)
    body["values"]["values"][leaf.code] = {"n": "999999"}   # a count far above any other unit's
    _execute(data, "UPDATE submission SET data_json = ? WHERE id = ?", json.dumps(body), sid)
    _execute(data, "DELETE FROM score_cache WHERE submission_id = ?", sid)   # as an import of a new revision
    assert _published_readonly(data) == _published_readonly(data, summary=False)
    with Workspace(data) as ws:
        rewritten = score_cache.refresh(ws)
    members = sum(1 for g in json.loads(_published_readonly(data))["groups"] if g["code"] == group
                  for _ in g["units"])
    assert rewritten == members                             # the whole group, and only it
    assert _published_readonly(data) == _published_readonly(data, summary=False)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.integers(0, UNITS - 1), st.integers(0, 40), st.sampled_from(["0", "0.5", "1", "2,5"])),
                max_size=12),
       st.booleans())
def test_any_appraisals_rank_the_same_from_summaries_and_from_entries(store: Path, marks, refresh_first):
    with Workspace(store) as ws:
        fw, _ = aggregate.authority_framework(ws)
        units = sorted({u["unit_code"]: g["code"] for g in json.loads(published(ws, True))["groups"]
                        for u in g["units"]}.items())
    _execute(store, "DELETE FROM appraisal")
    for n, leaf_n, points in marks:
        unit, group = units[n % len(units)]
        leaves = [leaf for leaf in fw.leaves(group)]
        leaf = leaves[leaf_n % len(leaves)]
        value = min(Decimal(points.replace(",", ".")), leaf.max[group])
        _execute(store, "INSERT OR REPLACE INTO appraisal (round_id, unit_code, code, points, comment, "
                        "explanation_requested, appraiser, source, set_at) "
                        "VALUES (?, ?, ?, ?, NULL, 0, 'x', 'local', '2024-01-01T00:00:00Z')",
                 fw.id, unit, leaf.code, str(value))
    if refresh_first:
        with Workspace(store) as ws:
            score_cache.refresh(ws)
    try:
        assert _published_readonly(store) == _published_readonly(store, summary=False)
    finally:
        _execute(store, "DELETE FROM appraisal")


def test_measures_of_another_engine_revision_are_not_reused(store: Path, monkeypatch):
    """A group's best is computed from the stored measures, which no summary key covers: after a change of
    the engine's revision they are computed again, not reused."""
    from app.services import score_cache as sc

    with Workspace(store) as ws:
        sc.refresh(ws)
        monkeypatch.setattr(sc, "SCORING_REVISION", sc.SCORING_REVISION + 1)
        assert sc.refresh(ws) == UNITS                       # every row rewritten, measures included
        fw, sha = aggregate.authority_framework(ws)
        with ws.store.session() as session:
            units = sc._latest(session, fw, sha)
        assert all(u.measures is not None for u in units)
        monkeypatch.undo()
        with ws.store.session() as session:
            units = sc._latest(session, fw, sha)
        assert all(u.measures is None for u in units)        # written by "another" revision: not believed
        assert published(ws, summary=True) == published(ws, summary=False)
        assert sc.refresh(ws) == UNITS
