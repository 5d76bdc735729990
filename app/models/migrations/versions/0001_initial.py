"""Initial schema: settings, units, entries, evidence, attachments, trust roots, audit log.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table("setting",
                    sa.Column("key", sa.String(64), primary_key=True),
                    sa.Column("value", sa.Text(), nullable=False))
    op.create_table("unit",
                    sa.Column("id", sa.Integer(), primary_key=True),
                    sa.Column("code", sa.String(40), nullable=False, unique=True),
                    sa.Column("name", sa.Text(), nullable=False),
                    sa.Column("group_code", sa.String(40), nullable=False),
                    sa.Column("framework_id", sa.String(80), nullable=False),
                    sa.Column("framework_sha256", sa.String(64), nullable=False),
                    sa.Column("own", sa.Boolean(), nullable=False),
                    sa.Column("created_at", sa.String(32), nullable=False))
    op.create_table("entry",
                    sa.Column("id", sa.Integer(), primary_key=True),
                    sa.Column("unit_id", sa.Integer(), sa.ForeignKey("unit.id", ondelete="CASCADE"), nullable=False),
                    sa.Column("code", sa.String(40), nullable=False),
                    sa.Column("value_json", sa.Text(), nullable=True),
                    sa.Column("explanation", sa.Text(), nullable=True),
                    sa.Column("updated_at", sa.String(32), nullable=False),
                    sa.UniqueConstraint("unit_id", "code"))
    op.create_index("ix_entry_unit_id", "entry", ["unit_id"])
    op.create_table("evidence_file",
                    sa.Column("sha256", sa.String(64), primary_key=True),
                    sa.Column("size", sa.Integer(), nullable=False),
                    sa.Column("ext", sa.String(8), nullable=False),
                    sa.Column("kind", sa.String(16), nullable=False),
                    sa.Column("pages", sa.Integer(), nullable=True),
                    sa.Column("inspection_json", sa.Text(), nullable=False),
                    sa.Column("original_sha256", sa.String(64), nullable=True),
                    sa.Column("stored_at", sa.String(32), nullable=False))
    op.create_table("attachment",
                    sa.Column("id", sa.Integer(), primary_key=True),
                    sa.Column("unit_id", sa.Integer(), sa.ForeignKey("unit.id", ondelete="CASCADE"), nullable=False),
                    sa.Column("code", sa.String(40), nullable=False),
                    sa.Column("sha256", sa.String(64), sa.ForeignKey("evidence_file.sha256"), nullable=False),
                    sa.Column("name", sa.Text(), nullable=False),
                    sa.Column("added_at", sa.String(32), nullable=False),
                    sa.UniqueConstraint("unit_id", "code", "sha256"))
    op.create_index("ix_attachment_unit_id", "attachment", ["unit_id"])
    op.create_table("trust_root",
                    sa.Column("sha256", sa.String(64), primary_key=True),
                    sa.Column("subject", sa.Text(), nullable=False),
                    sa.Column("der", sa.LargeBinary(), nullable=False),
                    sa.Column("added_at", sa.String(32), nullable=False))
    op.create_table("audit",
                    sa.Column("id", sa.Integer(), primary_key=True),
                    sa.Column("at", sa.String(32), nullable=False),
                    sa.Column("actor", sa.Text(), nullable=False),
                    sa.Column("unit_code", sa.String(40), nullable=True),
                    sa.Column("action", sa.String(40), nullable=False),
                    sa.Column("code", sa.String(40), nullable=True),
                    sa.Column("old", sa.Text(), nullable=True),
                    sa.Column("new", sa.Text(), nullable=True),
                    sa.Column("reason", sa.Text(), nullable=True),
                    sa.Column("prev_hash", sa.String(64), nullable=False),
                    sa.Column("hash", sa.String(64), nullable=False))
    # The audit log is append-only for the application too; the hash chain catches edits made outside it.
    op.execute("CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit "
               "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END")
    op.execute("CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit "
               "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END")


def downgrade() -> None:
    for table in ("audit", "trust_root", "attachment", "evidence_file", "entry", "unit", "setting"):
        op.drop_table(table)
