"""certificate PDF hash

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-21 17:16:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Apply this revision."""
    with op.batch_alter_table("certificate", schema=None) as batch_op:
        batch_op.add_column(sa.Column("pdf_sha256", sa.String(length=64), nullable=True))


def downgrade() -> None:
    """Revert this revision."""
    with op.batch_alter_table("certificate", schema=None) as batch_op:
        batch_op.drop_column("pdf_sha256")
