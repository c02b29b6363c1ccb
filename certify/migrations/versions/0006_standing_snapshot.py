"""standing snapshot

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-21 19:45:00

The standing of every active person × programme on one day, refreshed from the audit
trail, so that the dashboard and the issuing queue of a big network answer at once.
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "standing_snapshot",
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("programme_id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("valid_until", sa.Date(), nullable=True),
        sa.Column("missing", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
            name=op.f("fk_standing_snapshot_person_id_person"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["programme_id"],
            ["programme.id"],
            name=op.f("fk_standing_snapshot_programme_id_programme"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["site_id"],
            ["site.id"],
            name=op.f("fk_standing_snapshot_site_id_site"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("person_id", "programme_id", name=op.f("pk_standing_snapshot")),
    )
    op.create_index(
        "ix_standing_snapshot_site_programme",
        "standing_snapshot",
        ["site_id", "programme_id"],
    )
    state = op.create_table(
        "standing_snapshot_state",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("as_of", sa.Date(), nullable=True),
        sa.Column("last_event_id", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_standing_snapshot_state")),
    )
    op.bulk_insert(state, [{"id": 1, "as_of": None, "last_event_id": 0}])


def downgrade() -> None:
    """Revert this revision."""
    op.drop_table("standing_snapshot_state")
    op.drop_index("ix_standing_snapshot_site_programme", table_name="standing_snapshot")
    op.drop_table("standing_snapshot")
