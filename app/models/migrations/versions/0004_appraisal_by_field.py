"""Appraisal by field: work files issued to / received by departments, and appraisal conflicts.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table("appraisal_conflict",
                    sa.Column("id", sa.Integer(), primary_key=True),
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
                    sa.Column("resolution", sa.String(20), nullable=True))
    op.create_index("ix_appraisal_conflict_unit_code", "appraisal_conflict", ["unit_code"])
    op.create_table("appraisal_work",
                    sa.Column("id", sa.Integer(), primary_key=True),
                    sa.Column("work_id", sa.String(64), nullable=False),
                    sa.Column("role", sa.String(10), nullable=False),
                    sa.Column("department", sa.Text(), nullable=False),
                    sa.Column("framework_id", sa.String(80), nullable=False),
                    sa.Column("framework_sha256", sa.String(64), nullable=False),
                    sa.Column("counterpart", sa.String(40), nullable=False),
                    sa.Column("created_at", sa.String(32), nullable=False),
                    sa.Column("body_json", sa.Text(), nullable=False),
                    sa.Column("returned_at", sa.String(32), nullable=True),
                    sa.UniqueConstraint("work_id", "role"))
    with op.batch_alter_table("appraisal") as batch:   # "dept:<unit code>" can be longer than 40
        batch.alter_column("source", type_=sa.String(80), existing_type=sa.String(40), existing_nullable=False)


def downgrade() -> None:
    op.drop_table("appraisal_work")
    op.drop_table("appraisal_conflict")
