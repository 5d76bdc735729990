"""Trust and hand-off: own credentials, chain certificates, enrollments, CRLs, received submissions, exports.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table("credential",
                    sa.Column("id", sa.Integer(), primary_key=True),
                    sa.Column("role", sa.String(16), nullable=False),
                    sa.Column("unit_code", sa.String(40), nullable=False),
                    sa.Column("cert_der", sa.LargeBinary(), nullable=False),
                    sa.Column("key_pem", sa.LargeBinary(), nullable=False),
                    sa.Column("created_at", sa.String(32), nullable=False))
    op.create_table("chain_cert",
                    sa.Column("sha256", sa.String(64), primary_key=True),
                    sa.Column("role", sa.String(16), nullable=False),
                    sa.Column("subject", sa.Text(), nullable=False),
                    sa.Column("der", sa.LargeBinary(), nullable=False),
                    sa.Column("added_at", sa.String(32), nullable=False))
    op.create_table("enrollment",
                    sa.Column("id", sa.Integer(), primary_key=True),
                    sa.Column("unit_code", sa.String(40), nullable=False, unique=True),
                    sa.Column("unit_name", sa.Text(), nullable=False),
                    sa.Column("group_code", sa.String(40), nullable=False),
                    sa.Column("parent_code", sa.String(40), nullable=False),
                    sa.Column("framework_id", sa.String(80), nullable=False),
                    sa.Column("framework_sha256", sa.String(64), nullable=False),
                    sa.Column("cert_serial", sa.String(64), nullable=False),
                    sa.Column("cert_der", sa.LargeBinary(), nullable=False),
                    sa.Column("issuing_serial", sa.String(64), nullable=True),
                    sa.Column("can_issue", sa.Boolean(), nullable=False),
                    sa.Column("issued_at", sa.String(32), nullable=False),
                    sa.Column("revoked_at", sa.String(32), nullable=True))
    op.create_table("crl",
                    sa.Column("id", sa.Integer(), primary_key=True),
                    sa.Column("issuer_sha256", sa.String(64), nullable=False),
                    sa.Column("number", sa.Integer(), nullable=False),
                    sa.Column("der", sa.LargeBinary(), nullable=False),
                    sa.Column("imported_at", sa.String(32), nullable=False))
    op.create_index("ix_crl_issuer_sha256", "crl", ["issuer_sha256"])
    op.create_table("submission",
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
                    sa.Column("imported_at", sa.String(32), nullable=False),
                    sa.UniqueConstraint("unit_code", "revision"))
    op.create_index("ix_submission_unit_code", "submission", ["unit_code"])
    op.create_table("export",
                    sa.Column("id", sa.Integer(), primary_key=True),
                    sa.Column("unit_code", sa.String(40), nullable=False),
                    sa.Column("round_year", sa.Integer(), nullable=False),
                    sa.Column("revision", sa.Integer(), nullable=False),
                    sa.Column("manifest_sha256", sa.String(64), nullable=False),
                    sa.Column("file_name", sa.Text(), nullable=False),
                    sa.Column("created_at", sa.String(32), nullable=False))


def downgrade() -> None:
    for table in ("export", "submission", "crl", "enrollment", "chain_cert", "credential"):
        op.drop_table(table)
