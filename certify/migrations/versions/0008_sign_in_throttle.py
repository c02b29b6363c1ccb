"""sign-in throttle

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03 06:30:00

Failed sign-ins in a row per user name and per client, and the locks they set, kept in
the database so that every ``certify serve`` process sees them.
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "sign_in_throttle",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("key", sa.String(length=80), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("last_failed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("failures >= 0", name=op.f("ck_sign_in_throttle_non_negative")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sign_in_throttle")),
        sa.UniqueConstraint("kind", "key", name=op.f("uq_sign_in_throttle_kind_key")),
    )


def downgrade() -> None:
    """Revert this revision."""
    op.drop_table("sign_in_throttle")
