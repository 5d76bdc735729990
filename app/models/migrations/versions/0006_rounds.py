"""Rounds (đợt đánh giá) as first-class: every row of round data names its round (issue 18).

Revision ID: 0006
Revises: 0005

A round's id is its framework's id (DESIGN §6). An earlier store knew one framework per unit, so it becomes a
store with the rounds its rows name, nothing lost:
- every framework its own unit, its enrollments, its submissions and its work files name becomes a round
  (origin "migrated"), with the framework hash most of them use;
- entries, attachments and exports belong to the own unit's framework;
- an appraisal (and a conflict) belongs to the round of its unit: the framework of the unit's newest
  submission, else of its enrollment, else the own unit's (feedback received at a unit);
- the round lock (setting `round.<framework>.<year>` = final) becomes the round's state;
- each enrolled unit keeps its group in its enrollment's round, the own unit in its own;
- the current round: the own unit's, else the framework most enrollments (then submissions) name.

SQLite cannot change a unique constraint in place: the tables whose keys change are rebuilt (create, copy,
drop, rename). score_cache is derived data (0005) and starts empty again, as it did then.
"""

from collections import Counter

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def _rounds(bind) -> tuple[dict[str, str], str | None, dict | None]:
    """(framework id -> sha256, the current round, the own unit row)"""
    own = bind.execute(sa.text("SELECT id, code, framework_id, framework_sha256, group_code FROM unit "
                               "WHERE own = 1 ORDER BY id LIMIT 1")).mappings().first()
    counts: dict[str, Counter] = {}
    order: list[str] = []

    def count(fid: str, sha: str, n: int) -> None:
        if fid not in counts:
            counts[fid] = Counter()
            order.append(fid)
        counts[fid][sha] += n

    if own is not None:
        count(own["framework_id"], own["framework_sha256"], 1_000_000_000)   # the own unit's hash wins
    by_table = {}
    for table in ("enrollment", "submission", "appraisal_work"):
        rows = bind.execute(sa.text(f"SELECT framework_id, framework_sha256, count(*) FROM {table} "
                                    "GROUP BY framework_id, framework_sha256 ORDER BY min(id)")).all()
        by_table[table] = rows
        for fid, sha, n in rows:
            count(fid, sha, n)
    shas = {fid: counts[fid].most_common(1)[0][0] for fid in order}
    current = own["framework_id"] if own is not None else None
    for table in ("enrollment", "submission"):
        if current is None and by_table[table]:
            per: Counter = Counter()
            for fid, _sha, n in by_table[table]:
                per[fid] += n
            current = per.most_common(1)[0][0]
    if current is None and shas:
        current = next(iter(shas))
    return shas, current, (dict(own) if own is not None else None)


def _rebuild(name: str, columns: list, constraints: list, indexes: list[tuple[str, list[str]]], select: str,
             bind) -> None:
    """Replace table `name` by one with `columns` and `constraints`, filled by `select` (SQL giving the columns in
    order)."""
    temp = f"{name}__0006"
    op.create_table(temp, *columns, *constraints)
    names = ", ".join(c.name for c in columns)
    bind.execute(sa.text(f"INSERT INTO {temp} ({names}) {select}"))
    op.drop_table(name)
    op.rename_table(temp, name)
    for index, cols in indexes:
        op.create_index(index, name, cols)


def upgrade() -> None:
    bind = op.get_bind()
    op.create_table("round",
                    sa.Column("id", sa.String(80), primary_key=True),
                    sa.Column("framework_sha256", sa.String(64), nullable=False),
                    sa.Column("deadline", sa.String(10), nullable=True),
                    sa.Column("state", sa.String(10), nullable=False),
                    sa.Column("origin", sa.String(10), nullable=False),
                    sa.Column("issuer", sa.String(40), nullable=True),
                    sa.Column("opened_at", sa.String(32), nullable=False))
    op.create_table("round_unit",
                    sa.Column("round_id", sa.String(80), sa.ForeignKey("round.id"), primary_key=True),
                    sa.Column("unit_code", sa.String(40), primary_key=True),
                    sa.Column("group_code", sa.String(40), nullable=False))
    with op.batch_alter_table("enrollment") as batch:
        batch.add_column(sa.Column("predecessors", sa.Text(), nullable=True))

    shas, current, own = _rounds(bind)
    now = bind.execute(sa.text("SELECT coalesce(max(at), '2000-01-01T00:00:00Z') FROM audit")).scalar()
    finals = {key for (key,) in bind.execute(sa.text("SELECT key FROM setting WHERE key LIKE 'round.%' "
                                                     "AND value = 'final'"))}
    for fid, sha in shas.items():
        final = any(key.startswith(f"round.{fid}.") and key[len(f"round.{fid}."):].isdigit() for key in finals)
        bind.execute(sa.text("INSERT INTO round (id, framework_sha256, deadline, state, origin, issuer, opened_at) "
                             "VALUES (:id, :sha, NULL, :state, 'migrated', NULL, :at)"),
                     {"id": fid, "sha": sha, "state": "final" if final else "open", "at": now})
    bind.execute(sa.text("DELETE FROM setting WHERE key LIKE 'round.%'"))
    if current is not None:
        bind.execute(sa.text("INSERT INTO setting (key, value) VALUES ('current_round', :v)"), {"v": current})
    bind.execute(sa.text("INSERT INTO round_unit (round_id, unit_code, group_code) "
                         "SELECT framework_id, unit_code, group_code FROM enrollment"))
    if own is not None:
        bind.execute(sa.text("INSERT OR IGNORE INTO round_unit (round_id, unit_code, group_code) "
                             "VALUES (:r, :u, :g)"), {"r": own["framework_id"], "u": own["code"], "g": own["group_code"]})

    own_round = own["framework_id"] if own is not None else current
    # a unit's round: its newest submission's framework, else its enrollment's, else the own unit's
    unit_round = ("coalesce((SELECT s.framework_id FROM submission s WHERE s.unit_code = {t}.unit_code "
                  "ORDER BY s.revision DESC, s.id DESC LIMIT 1), "
                  "(SELECT e.framework_id FROM enrollment e WHERE e.unit_code = {t}.unit_code), :own)")
    bind.execute(sa.text("CREATE TEMP TABLE _round_own (id TEXT)"))
    bind.execute(sa.text("INSERT INTO _round_own VALUES (:own)"), {"own": own_round})
    own_sql = "(SELECT id FROM _round_own)"
    entry_round = "coalesce((SELECT u.framework_id FROM unit u WHERE u.id = {t}.unit_id), " + own_sql + ")"

    op.drop_table("score_cache")
    _rebuild("entry", [
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("unit_id", sa.Integer(), sa.ForeignKey("unit.id", ondelete="CASCADE"), nullable=False),
        sa.Column("round_id", sa.String(80), sa.ForeignKey("round.id"), nullable=False),
        sa.Column("code", sa.String(40), nullable=False),
        sa.Column("value_json", sa.Text(), nullable=True),
        sa.Column("explanation", sa.Text(), nullable=True),
        sa.Column("updated_at", sa.String(32), nullable=False)],
        [sa.UniqueConstraint("unit_id", "round_id", "code")],
        [("ix_entry_unit_id", ["unit_id"]), ("ix_entry_round_id", ["round_id"])],
        "SELECT id, unit_id, " + entry_round.format(t="entry") + ", code, value_json, explanation, updated_at FROM entry",
        bind)
    _rebuild("attachment", [
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("unit_id", sa.Integer(), sa.ForeignKey("unit.id", ondelete="CASCADE"), nullable=False),
        sa.Column("round_id", sa.String(80), sa.ForeignKey("round.id"), nullable=False),
        sa.Column("code", sa.String(40), nullable=False),
        sa.Column("sha256", sa.String(64), sa.ForeignKey("evidence_file.sha256"), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("added_at", sa.String(32), nullable=False)],
        [sa.UniqueConstraint("unit_id", "round_id", "code", "sha256")],
        [("ix_attachment_unit_id", ["unit_id"]), ("ix_attachment_round_id", ["round_id"])],
        "SELECT id, unit_id, " + entry_round.format(t="attachment") + ", code, sha256, name, added_at FROM attachment",
        bind)
    _rebuild("export", [
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("unit_code", sa.String(40), nullable=False),
        sa.Column("round_id", sa.String(80), sa.ForeignKey("round.id"), nullable=False),
        sa.Column("round_year", sa.Integer(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("manifest_sha256", sa.String(64), nullable=False),
        sa.Column("file_name", sa.Text(), nullable=False),
        sa.Column("created_at", sa.String(32), nullable=False)],
        [], [("ix_export_round_id", ["round_id"])],
        "SELECT id, unit_code, " + own_sql + ", round_year, revision, manifest_sha256, file_name, created_at FROM export",
        bind)
    _rebuild("submission", [
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("unit_code", sa.String(40), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("manifest_sha256", sa.String(64), nullable=False),
        sa.Column("package_sha256", sa.String(64), nullable=False),
        sa.Column("archived_name", sa.Text(), nullable=False),
        sa.Column("framework_id", sa.String(80), nullable=False),
        sa.Column("framework_sha256", sa.String(64), nullable=False),
        sa.Column("manifest_json", sa.Text(), nullable=False),
        sa.Column("data_json", sa.Text(), nullable=False),
        sa.Column("via", sa.String(40), nullable=True),
        sa.Column("imported_at", sa.String(32), nullable=False)],
        [sa.UniqueConstraint("unit_code", "framework_id", "revision")],
        [("ix_submission_unit_code", ["unit_code"])],
        "SELECT id, unit_code, revision, manifest_sha256, package_sha256, archived_name, framework_id, "
        "framework_sha256, manifest_json, data_json, via, imported_at FROM submission", bind)
    appraisal_round = unit_round.format(t="appraisal").replace(":own", own_sql)
    _rebuild("appraisal", [
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("round_id", sa.String(80), sa.ForeignKey("round.id"), nullable=False),
        sa.Column("unit_code", sa.String(40), nullable=False),
        sa.Column("code", sa.String(40), nullable=False),
        sa.Column("points", sa.String(32), nullable=True),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("explanation_requested", sa.Boolean(), nullable=False),
        sa.Column("appraiser", sa.Text(), nullable=False),
        sa.Column("source", sa.String(80), nullable=False),
        sa.Column("set_at", sa.String(32), nullable=False)],
        [sa.UniqueConstraint("round_id", "unit_code", "code")],
        [("ix_appraisal_unit_code", ["unit_code"]), ("ix_appraisal_round_id", ["round_id"])],
        "SELECT id, " + appraisal_round + ", unit_code, code, points, comment, explanation_requested, appraiser, "
        "source, set_at FROM appraisal", bind)
    conflict_round = unit_round.format(t="appraisal_conflict").replace(":own", own_sql)
    _rebuild("appraisal_conflict", [
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("round_id", sa.String(80), sa.ForeignKey("round.id"), nullable=False),
        sa.Column("unit_code", sa.String(40), nullable=False),
        sa.Column("code", sa.String(40), nullable=False),
        sa.Column("points", sa.String(32), nullable=True),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("explanation_requested", sa.Boolean(), nullable=False),
        sa.Column("appraiser", sa.Text(), nullable=False),
        sa.Column("source", sa.String(80), nullable=False),
        sa.Column("set_at", sa.String(32), nullable=False),
        sa.Column("current_points", sa.String(32), nullable=True),
        sa.Column("current_appraiser", sa.Text(), nullable=False),
        sa.Column("current_source", sa.String(80), nullable=False),
        sa.Column("detected_at", sa.String(32), nullable=False),
        sa.Column("resolved_at", sa.String(32), nullable=True),
        sa.Column("resolution", sa.String(20), nullable=True)],
        [], [("ix_appraisal_conflict_unit_code", ["unit_code"]), ("ix_appraisal_conflict_round_id", ["round_id"])],
        "SELECT id, " + conflict_round + ", unit_code, code, points, comment, explanation_requested, appraiser, "
        "source, set_at, current_points, current_appraiser, current_source, detected_at, resolved_at, resolution "
        "FROM appraisal_conflict", bind)
    bind.execute(sa.text("DROP TABLE _round_own"))
    op.create_table("score_cache",
                    sa.Column("submission_id", sa.Integer(), sa.ForeignKey("submission.id", ondelete="CASCADE"),
                              primary_key=True),
                    sa.Column("framework_sha256", sa.String(64), nullable=False),
                    sa.Column("unit_name", sa.Text(), nullable=False),
                    sa.Column("group_code", sa.String(40), nullable=False),
                    sa.Column("measures_json", sa.Text(), nullable=False),
                    sa.Column("inputs_sha256", sa.String(64), nullable=False),
                    sa.Column("summary_json", sa.Text(), nullable=False))


def downgrade() -> None:
    raise NotImplementedError("a store with rounds is not turned back into one without: restore the backup "
                              "made before the upgrade (backups/)")
