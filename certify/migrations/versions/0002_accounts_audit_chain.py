"""accounts, coordinator scopes, serial counter, hash-chained audit

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-21 17:05:00

Existing audit events are chained in id order before their hash columns become
required, so an upgraded database verifies like a new one.
"""

from datetime import UTC

import sqlalchemy as sa
from alembic import op

from certify.store.audit import GENESIS, event_hash

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def chain_existing_events() -> str:
    """Hash the events already there, in order; return the newest hash."""
    events = sa.table(
        "audit_event",
        sa.column("id", sa.Integer),
        sa.column("occurred_at", sa.DateTime(timezone=True)),
        sa.column("actor_id", sa.Integer),
        sa.column("action", sa.String),
        sa.column("entity_type", sa.String),
        sa.column("entity_key", sa.String),
        sa.column("details", sa.JSON),
        sa.column("prev_hash", sa.String),
        sa.column("hash", sa.String),
    )
    connection = op.get_bind()
    previous = GENESIS
    rows = connection.execute(sa.select(events).order_by(events.c.id)).mappings().all()
    for row in rows:
        occurred_at = row["occurred_at"]
        if occurred_at.tzinfo is None:
            occurred_at = occurred_at.replace(tzinfo=UTC)
        digest = event_hash(
            previous,
            occurred_at,
            row["actor_id"],
            row["action"],
            row["entity_type"],
            row["entity_key"],
            row["details"],
        )
        connection.execute(
            events.update().where(events.c.id == row["id"]).values(prev_hash=previous, hash=digest)
        )
        previous = digest
    return previous


def upgrade() -> None:
    """Apply this revision."""
    audit_head = op.create_table(
        "audit_head",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("last_hash", sa.String(length=64), nullable=False),
        sa.CheckConstraint("id = 1", name=op.f("ck_audit_head_single_row")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_head")),
    )
    op.create_table(
        "serial_counter",
        sa.Column("year", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("last_number", sa.Integer(), nullable=False),
        sa.CheckConstraint("last_number >= 0", name=op.f("ck_serial_counter_non_negative")),
        sa.PrimaryKeyConstraint("year", name=op.f("pk_serial_counter")),
    )
    op.create_table(
        "coordinator_scope",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=True),
        sa.Column("region_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "site_id IS NULL OR region_id IS NULL", name=op.f("ck_coordinator_scope_one_kind")
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
            name=op.f("fk_coordinator_scope_person_id_person"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["region_id"], ["region.id"], name=op.f("fk_coordinator_scope_region_id_region")
        ),
        sa.ForeignKeyConstraint(
            ["site_id"], ["site.id"], name=op.f("fk_coordinator_scope_site_id_site")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_coordinator_scope")),
    )
    op.create_index(
        op.f("ix_coordinator_scope_person_id"), "coordinator_scope", ["person_id"], unique=False
    )
    op.create_table(
        "user_account",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=80), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("password_hash", sa.String(length=200), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_user_account_person_id_person")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_user_account")),
        sa.UniqueConstraint("person_id", name=op.f("uq_user_account_person_id")),
        sa.UniqueConstraint("username", name=op.f("uq_user_account_username")),
    )
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.add_column(sa.Column("prev_hash", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("hash", sa.String(length=64), nullable=True))
    last_hash = chain_existing_events()
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.alter_column("prev_hash", existing_type=sa.String(length=64), nullable=False)
        batch_op.alter_column("hash", existing_type=sa.String(length=64), nullable=False)
    op.bulk_insert(audit_head, [{"id": 1, "last_hash": last_hash}])


def downgrade() -> None:
    """Revert this revision."""
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.drop_column("hash")
        batch_op.drop_column("prev_hash")
    op.drop_table("user_account")
    op.drop_index(op.f("ix_coordinator_scope_person_id"), table_name="coordinator_scope")
    op.drop_table("coordinator_scope")
    op.drop_table("serial_counter")
    op.drop_table("audit_head")
