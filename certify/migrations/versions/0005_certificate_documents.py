"""certificate documents of record

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-21 18:30:00

Each certificate PDF is stored, per language, the first time it is delivered; later
downloads return the stored bytes instead of rendering again.
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "certificate_document",
        sa.Column("certificate_id", sa.Integer(), nullable=False),
        sa.Column("lang", sa.String(length=2), nullable=False),
        sa.Column("pdf", sa.LargeBinary(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("rendered_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("lang IN ('fr', 'en')", name=op.f("ck_certificate_document_lang_known")),
        sa.ForeignKeyConstraint(
            ["certificate_id"],
            ["certificate.id"],
            name=op.f("fk_certificate_document_certificate_id_certificate"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("certificate_id", "lang", name=op.f("pk_certificate_document")),
    )


def downgrade() -> None:
    """Revert this revision."""
    op.drop_table("certificate_document")
