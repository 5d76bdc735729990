"""The store: pragmas, migrations, fixture data directories per released schema, refusals, contention."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from app.errors import UserError
from app.models import db
from app.models.db import HEAD, KNOWN_REVISIONS, StoreInUse, StoreTooNew, backup, open_store, opened, stored_revision

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "datadirs"


def test_new_store_has_the_pragmas_of_design_8(tmp_path: Path):
    with opened(tmp_path) as store:
        con = store.engine.raw_connection()
        try:
            assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
            assert con.execute("PRAGMA synchronous").fetchone()[0] == 2      # FULL
            assert con.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        finally:
            con.close()
    assert stored_revision(tmp_path / db.DB_NAME) == HEAD


def test_known_revisions_match_the_alembic_scripts():
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(db.MIGRATIONS))
    script = ScriptDirectory.from_config(config)
    chain = [rev.revision for rev in reversed(list(script.walk_revisions()))]
    assert tuple(chain) == KNOWN_REVISIONS
    assert script.get_current_head() == HEAD


def test_models_match_the_migrations(tmp_path: Path):
    """Autogenerate finds nothing to do: every model change came with its migration."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from app.models.tables import Base

    with opened(tmp_path) as store, store.engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert diff == []


@pytest.mark.parametrize("revision", KNOWN_REVISIONS)
def test_every_released_schema_fixture_opens_and_keeps_its_data(tmp_path: Path, revision: str):
    """tests/fixtures/datadirs/<revision>/ is a data directory written by the release that introduced the
    schema; EXPECT.json says what it holds. Opening it with this version upgrades it and keeps everything."""
    import json

    source = FIXTURES / revision
    assert (source / db.DB_NAME).is_file(), f"no fixture data directory for released schema {revision}"
    expect = json.loads((source / "EXPECT.json").read_text(encoding="utf-8"))
    data = tmp_path / "data"
    shutil.copytree(source, data)
    from app.services.workspace import Workspace

    with Workspace(data, lang="en") as ws:
        state = ws.state()
        assert state.code == expect["unit"]
        assert state.values or state.info, "the fixture's entries survived the upgrade"
        assert ws.audit_check().broken_at is None
        ws.score(state)
        if "passphrase" in expect:   # the keys still open with the passphrase they were written with
            from app.services.trust_service import identity
            from app.trust import keys

            ident = identity(ws)
            assert ident.signing is not None
            keys.decrypt_key(ident.signing[1], expect["passphrase"])
    con = sqlite3.connect(data / db.DB_NAME)
    try:
        for table, count in expect["rows"].items():
            if table == "score_cache" and revision < "0006":   # derived data: 0006 rebuilt the table empty
                continue
            assert con.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == count, table
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        con.close()
    assert stored_revision(data / db.DB_NAME) == HEAD
    if revision != HEAD:
        assert list((data / "backups").glob("*.sqlite3")), "a backup was made before migrating"


@pytest.mark.parametrize("revision", KNOWN_REVISIONS)
def test_every_earlier_store_becomes_a_store_with_its_rounds(tmp_path: Path, revision: str):
    """Schema 0006 keys round data by round: a store written before holds exactly the round of its framework
    afterwards, current, with its entries and appraisals in it; a store of 0006 keeps each round's own."""
    import json

    from app.services import aggregate, rounds
    from app.services.workspace import Workspace

    source = FIXTURES / revision
    expect = json.loads((source / "EXPECT.json").read_text(encoding="utf-8"))
    data = tmp_path / "data"
    shutil.copytree(source, data)
    with Workspace(data, lang="en") as ws:
        held = rounds.all_rounds(ws)
        state = ws.state()
        current = expect.get("current_round", state.loaded.framework.id)
        assert [r.id for r in held if r.current] == [current]
        assert state.round_id == current
        for rid, want in expect.get("rounds", {}).items():
            with rounds.working_in(ws, rid):
                got = {u: {c: str(p) for c, p in marks.items()} for u, marks in aggregate.appraisals(ws).items()}
                assert got == want["appraised"], rid
                assert ws.state().values, f"the entries of {rid} are there"
    if revision < "0006":
        assert len(held) == 1


def test_a_store_from_a_newer_version_is_refused(tmp_path: Path):
    with opened(tmp_path):
        pass
    con = sqlite3.connect(tmp_path / db.DB_NAME)
    con.execute("UPDATE alembic_version SET version_num = '9999'")
    con.commit()
    con.close()
    before = (tmp_path / db.DB_NAME).read_bytes()
    with pytest.raises(StoreTooNew) as info:
        open_store(tmp_path)
    assert "newer version" in str(info.value) and "mới hơn" in info.value.message_vi
    assert (tmp_path / db.DB_NAME).read_bytes() == before


def test_a_file_that_is_not_a_store_is_refused(tmp_path: Path):
    (tmp_path / db.DB_NAME).write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(UserError):
        open_store(tmp_path)


def test_backup_uses_the_backup_api_and_sees_wal_content(tmp_path: Path):
    with opened(tmp_path) as store:
        with store.session.begin() as session:
            from app.models.tables import Setting

            session.add(Setting(key="officer", value="Nguyễn Văn An"))
        # the row may still be only in the WAL: a file copy could miss it, the backup API cannot
        target = backup(tmp_path / db.DB_NAME, tmp_path / "backups", "test")
    con = sqlite3.connect(target)
    assert con.execute("SELECT value FROM setting WHERE key='officer'").fetchone()[0] == "Nguyễn Văn An"
    con.close()


def test_second_writer_is_told_the_store_is_in_use(tmp_path: Path):
    with opened(tmp_path):
        with pytest.raises(StoreInUse) as info:
            open_store(tmp_path)
        assert "in use" in str(info.value) and "đang được" in info.value.message_vi
        reader = open_store(tmp_path, write=False)   # readers are not blocked
        reader.close()
    open_store(tmp_path).close()   # released on close


def test_two_processes_one_writer(tmp_path: Path):
    """A second process gets a clear refusal while the first holds the store, and the data stays whole."""
    holder = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        import sys, time
        from app.models.db import open_store
        store = open_store({str(tmp_path)!r})
        print("ready", flush=True)
        sys.stdin.readline()
        store.close()
    """)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "ready"
        from app.cli.main import main

        assert main(["--data-dir", str(tmp_path), "--lang", "en", "config", "set", "officer", "B"]) == 1
    finally:
        holder.stdin.write("\n")
        holder.stdin.flush()
        holder.wait(timeout=30)
    assert main(["--data-dir", str(tmp_path), "config", "set", "officer", "B"]) == 0
    con = sqlite3.connect(tmp_path / db.DB_NAME)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    con.close()
