"""Score summaries per submission, for ranking without scoring every unit again (DESIGN §9).

Revision ID: 0005
Revises: 0004

Derived data only: an upgraded store starts with an empty cache, which the next import or appraisal fills
(and `dti rank` scores from the entries meanwhile).
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
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
    op.drop_table("score_cache")
