"""index programme requirements by competency

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-21 18:10:00

Progress joins assessments to the programmes requiring their competency; the primary
key starts with programme_id, so without this index PostgreSQL scans every pair.
"""

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_index(
        op.f("ix_programme_competency_competency_id"),
        "programme_competency",
        ["competency_id"],
        unique=False,
    )


def downgrade() -> None:
    """Revert this revision."""
    op.drop_index(op.f("ix_programme_competency_competency_id"), table_name="programme_competency")
