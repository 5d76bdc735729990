"""Appraisal: appraised points, comments and explanation requests per unit and indicator.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table("appraisal",
                    sa.Column("id", sa.Integer(), primary_key=True),
                    sa.Column("unit_code", sa.String(40), nullable=False),
                    sa.Column("code", sa.String(40), nullable=False),
                    sa.Column("points", sa.String(32), nullable=True),
                    sa.Column("comment", sa.Text(), nullable=True),
                    sa.Column("explanation_requested", sa.Boolean(), nullable=False),
                    sa.Column("appraiser", sa.Text(), nullable=False),
                    sa.Column("source", sa.String(40), nullable=False),
                    sa.Column("set_at", sa.String(32), nullable=False),
                    sa.UniqueConstraint("unit_code", "code"))
    op.create_index("ix_appraisal_unit_code", "appraisal", ["unit_code"])


def downgrade() -> None:
    op.drop_table("appraisal")
