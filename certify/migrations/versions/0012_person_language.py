"""a person's language

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-04 21:20:00

Each person gets the language they are written to in, ``fr`` or ``en`` (their expiry
reminders); everyone recorded before is French.
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Apply this revision."""
    with op.batch_alter_table("person") as batch:
        batch.add_column(
            sa.Column("lang", sa.String(length=2), server_default="fr", nullable=False)
        )
        batch.create_check_constraint(op.f("ck_person_lang_known"), "lang IN ('fr', 'en')")


def downgrade() -> None:
    """Revert this revision."""
    with op.batch_alter_table("person") as batch:
        batch.drop_constraint(op.f("ck_person_lang_known"), type_="check")
        batch.drop_column("lang")
