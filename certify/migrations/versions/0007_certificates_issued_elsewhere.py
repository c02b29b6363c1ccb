"""certificates issued elsewhere

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03 06:30:00

Certificates recorded by an import were issued outside certify: a flag says so (certify
never signs nor delivers them as its own), with the administrator's reason. Certificates
imported before this revision are those whose snapshot says ``imported``.
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Apply this revision."""
    with op.batch_alter_table("certificate") as batch:
        batch.add_column(
            sa.Column("issued_elsewhere", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch.add_column(sa.Column("import_reason", sa.String(length=500), nullable=True))
    certificate = sa.table(
        "certificate",
        sa.column("id", sa.Integer()),
        sa.column("snapshot", sa.JSON()),
        sa.column("issued_elsewhere", sa.Boolean()),
    )
    connection = op.get_bind()
    imported = [
        row.id
        for row in connection.execute(sa.select(certificate.c.id, certificate.c.snapshot))
        if isinstance(row.snapshot, dict) and row.snapshot.get("imported") is True
    ]
    if imported:
        connection.execute(
            certificate.update().where(certificate.c.id.in_(imported)).values(issued_elsewhere=True)
        )


def downgrade() -> None:
    """Revert this revision."""
    with op.batch_alter_table("certificate") as batch:
        batch.drop_column("import_reason")
        batch.drop_column("issued_elsewhere")
