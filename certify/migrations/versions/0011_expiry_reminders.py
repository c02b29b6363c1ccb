"""expiry reminders

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-04 20:40:00

``certify remind`` records each expiry reminder sent (or a threshold passed over), once
per certificate, threshold and kind of recipient; a person may ask for none of their own.
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Apply this revision."""
    with op.batch_alter_table("person") as batch:
        batch.add_column(
            sa.Column("reminders_off", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
    op.create_table(
        "expiry_reminder",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("certificate_id", sa.Integer(), nullable=False),
        sa.Column("threshold_days", sa.Integer(), nullable=False),
        sa.Column(
            "recipient_kind",
            sa.Enum(
                "holder",
                "coordinators",
                name="recipientkind",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("recipient_id", sa.Integer(), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("skipped", sa.Boolean(), nullable=False),
        sa.CheckConstraint(
            "threshold_days >= 0", name=op.f("ck_expiry_reminder_threshold_non_negative")
        ),
        sa.ForeignKeyConstraint(
            ["certificate_id"],
            ["certificate.id"],
            name=op.f("fk_expiry_reminder_certificate_id_certificate"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["recipient_id"],
            ["person.id"],
            name=op.f("fk_expiry_reminder_recipient_id_person"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_expiry_reminder")),
        sa.UniqueConstraint(
            "certificate_id",
            "threshold_days",
            "recipient_kind",
            name=op.f("uq_expiry_reminder_certificate_id_threshold_days_recipient_kind"),
        ),
    )


def downgrade() -> None:
    """Revert this revision."""
    op.drop_table("expiry_reminder")
    with op.batch_alter_table("person") as batch:
        batch.drop_column("reminders_off")
