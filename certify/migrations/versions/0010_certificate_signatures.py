"""certificates signed once, when issued

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03 12:30:00

Each certificate's signed credential and QR token are stored when it is issued; its PDFs
are rendered from them. Certificates issued before have none: ``certify certificate
sign`` signs them (their PDFs already delivered stay as they are).
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "certificate_signature",
        sa.Column("certificate_id", sa.Integer(), nullable=False),
        sa.Column("signed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("key_id", sa.String(length=300), nullable=False),
        sa.Column("credential", sa.Text(), nullable=False),
        sa.Column("token", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["certificate_id"],
            ["certificate.id"],
            name=op.f("fk_certificate_signature_certificate_id_certificate"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("certificate_id", name=op.f("pk_certificate_signature")),
    )


def downgrade() -> None:
    """Revert this revision."""
    op.drop_table("certificate_signature")
