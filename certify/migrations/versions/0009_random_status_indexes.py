"""random status indexes

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03 12:00:00

Each certificate's entry in the issuer's status list becomes a column of its own, unique,
drawn at random for new certificates (the W3C specification's advice). Certificates issued
before this revision keep their id as index: that is what their signed credentials carry.

SQLite cannot make an added column NOT NULL without a default, and rebuilding the table
instead would delete every stored PDF (foreign keys are on during upgrades, and deleting a
certificate cascades to its documents); so there the column is added with a default of 0
that certify never relies on (every insert gives an index), and no rebuild happens.
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Apply this revision."""
    sqlite = op.get_bind().dialect.name == "sqlite"
    column = sa.Column(
        "status_index",
        sa.Integer(),
        nullable=not sqlite,
        server_default=sa.text("0") if sqlite else None,
    )
    op.add_column("certificate", column)
    certificate = sa.table(
        "certificate", sa.column("id", sa.Integer()), sa.column("status_index", sa.Integer())
    )
    op.execute(certificate.update().values(status_index=certificate.c.id))
    if not sqlite:
        op.alter_column("certificate", "status_index", existing_type=sa.Integer(), nullable=False)
    op.create_index("uq_certificate_status_index", "certificate", ["status_index"], unique=True)


def downgrade() -> None:
    """Revert this revision."""
    op.drop_index("uq_certificate_status_index", table_name="certificate")
    op.drop_column("certificate", "status_index")  # never a rebuild (see above)
