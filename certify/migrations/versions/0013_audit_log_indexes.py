"""audit log indexes

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-04 21:30:00

``certify audit log`` reads the newest events of some actions, or about some entities (a
person's: their assessments, certificates, attendances, account), a page at a time: an
index on the action then the id, and one on the entity's kind and key, find them without
reading the whole trail.
"""

from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_index("ix_audit_event_action_id", "audit_event", ["action", "id"])
    op.create_index("ix_audit_event_entity", "audit_event", ["entity_type", "entity_key"])


def downgrade() -> None:
    """Revert this revision."""
    op.drop_index("ix_audit_event_entity", table_name="audit_event")
    op.drop_index("ix_audit_event_action_id", table_name="audit_event")
