"""pseudonymised leavers

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-07 18:20:00

A person pseudonymised after leaving says since when (``person.pseudonymised_on``); the
signed credential of their certificates goes (their own PDF carries it), so it may be
missing, while the signed token, which a verifier finds by serial and verification code,
stays.
"""

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Apply this revision."""
    with op.batch_alter_table("person") as batch:
        batch.add_column(sa.Column("pseudonymised_on", sa.Date(), nullable=True))
    with op.batch_alter_table("certificate_signature") as batch:
        batch.alter_column("credential", existing_type=sa.Text(), nullable=True)


def downgrade() -> None:
    """Revert this revision (refused once a credential was erased: it cannot come back)."""
    erased = op.get_bind().scalar(
        sa.text("SELECT count(*) FROM certificate_signature WHERE credential IS NULL")
    )
    if erased:
        raise RuntimeError(f"{erased} credentials were erased with their holder: no way back")
    with op.batch_alter_table("certificate_signature") as batch:
        batch.alter_column("credential", existing_type=sa.Text(), nullable=False)
    with op.batch_alter_table("person") as batch:
        batch.drop_column("pseudonymised_on")
