"""personal values out of the audit chain

Revision ID: 0015
Revises: 0013
Create Date: 2026-12-04 23:30:00

Audit events named people by e-mail and held their names, e-mails, user names and free
text inside the hashed payload, so erasing anyone would have broken the chain. Existing
events now name people and accounts by id; their personal values move to
``audit_personal``, the hash covering only a salted digest of them. The old chain is
checked first (a broken one is not rewritten: the upgrade stops), each event keeps its
old hash inside its new one (``legacy_hash``), so a checkpoint signed before the upgrade
still verifies, and a ``chain.migrated`` event records the old chain's count and head.
"""

import re
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from alembic import op

from certify.errors import CertifyError
from certify.model.base import JsonDocument, UTCDateTime
from certify.store.audit import GENESIS, event_hash
from certify.store.audit_personal import digest, merge, new_salt, split

revision = "0015"
down_revision = "0013"
branch_labels = None
depends_on = None

#: An e-mail address inside a key or a value.
EMAIL = re.compile(r"[^\s/@,]+@[^\s/@,]+")
#: Events rewritten per statement.
BATCH = 5000

EVENTS = sa.table(
    "audit_event",
    sa.column("id", sa.Integer),
    sa.column("occurred_at", UTCDateTime),
    sa.column("actor_id", sa.Integer),
    sa.column("action", sa.String),
    sa.column("entity_type", sa.String),
    sa.column("entity_key", sa.String),
    sa.column("details", JsonDocument),
    sa.column("personal_digest", sa.String),
    sa.column("legacy_hash", sa.String),
    sa.column("prev_hash", sa.String),
    sa.column("hash", sa.String),
)
PERSONAL = sa.table(
    "audit_personal",
    sa.column("event_id", sa.Integer),
    sa.column("person_id", sa.Integer),
    sa.column("salt", sa.String),
    sa.column("values", JsonDocument),
)


class BrokenChain(CertifyError):
    """The chain to migrate does not verify: rewriting it would hide the break."""

    def __init__(self, event_id: int | None) -> None:
        """Name where it breaks."""
        where = "à sa tête" if event_id is None else f"à l'événement n°\u00a0{event_id}"
        there = "at its head" if event_id is None else f"at event {event_id}"
        super().__init__(
            f"mise à jour refusée\u00a0: la piste d'audit est rompue {where}, la réécrire "
            "cacherait la rupture (voir\u00a0: certify audit verify)\u00a0; la base n'a pas "
            "été modifiée",
            f"upgrade refused: the audit trail is broken {there}, rewriting it would hide "
            "the break (see: certify audit verify); the database was left unchanged",
        )


class People:
    """Who the old events named, read once: people by e-mail, accounts by user name, and
    the person each assessment and certificate is about."""

    def __init__(self, connection: sa.Connection) -> None:
        """Read the lookups through ``connection``."""
        rows = connection.execute(sa.text("SELECT id, email FROM person"))
        self.by_email = {email.lower(): person_id for person_id, email in rows}
        rows = connection.execute(sa.text("SELECT id, username, person_id FROM user_account"))
        self.accounts = {name.lower(): (account, person) for account, name, person in rows}
        rows = connection.execute(sa.text("SELECT id, person_id FROM assessment"))
        self.assessments = {str(key): person_id for key, person_id in rows}
        rows = connection.execute(sa.text("SELECT serial, person_id FROM certificate"))
        self.certificates = {serial: person_id for serial, person_id in rows}

    def emails_to_ids(self, text: str) -> str | None:
        """``text`` with each e-mail replaced by its person's id; ``None`` if one is unknown."""
        unknown = False

        def replace(found: re.Match[str]) -> str:
            nonlocal unknown
            person_id = self.by_email.get(found.group().lower())
            unknown = unknown or person_id is None
            return str(person_id)

        replaced = EMAIL.sub(replace, text)
        return None if unknown else replaced

    def value(self, value: Any) -> tuple[Any, bool]:
        """A hashed value with e-mails as ids, and whether all of them were known."""
        if isinstance(value, str) and EMAIL.search(value):
            replaced = self.emails_to_ids(value)
            if replaced is None:
                return value, False
            return (int(replaced) if replaced.isdigit() else replaced), True
        if isinstance(value, list):
            pairs = [self.value(item) for item in value]
            return [v for v, _ in pairs], all(ok for _, ok in pairs)
        if isinstance(value, dict):
            pairs = {k: self.value(v) for k, v in value.items()}
            return {k: v for k, (v, _) in pairs.items()}, all(ok for _, ok in pairs.values())
        return value, True


def new_key(
    people: People, action: str, kind: str, key: str
) -> tuple[str, dict[str, Any], int | None]:
    """An old event's entity key by ids, the personal values it held, and whom it names."""
    if action.startswith("sign_in."):
        typed = "username" if kind == "account" else "client"
        account = people.accounts.get(key.lower()) if kind == "account" else None
        return (
            ("-", {typed: key}, None)
            if account is None
            else (str(account[0]), {typed: key}, account[1])
        )
    if kind in ("user_account", "account"):
        account = people.accounts.get(key.lower())
        if account is None:
            return "-", {"username": key}, None
        return str(account[0]), {"username": key}, account[1]
    if kind == "person" and not key.isdigit():
        person_id = people.by_email.get(key.lower())
        return (
            ("-", {"entity_key": key}, None)
            if person_id is None
            else (str(person_id), {}, person_id)
        )
    if EMAIL.search(key):
        replaced = people.emails_to_ids(key)
        return ("-", {"entity_key": key}, None) if replaced is None else (replaced, {}, None)
    return key, {}, None


def subject(
    people: People, kind: str, key: str, details: Mapping[str, Any], named: int | None
) -> int | None:
    """The person an event's personal values are about, as :meth:`Change.subject` finds it."""
    if named is not None:
        return named
    if kind == "person" and key.isdigit():
        return int(key)
    if kind == "assessment":
        return people.assessments.get(key)
    if kind == "certificate":
        return people.certificates.get(key)
    if kind == "attendance" and key.rpartition("/")[2].isdigit():
        return int(key.rpartition("/")[2])
    for section in ("after", "before"):
        values = details.get(section)
        if isinstance(values, dict) and isinstance(values.get("person_id"), int):
            return values["person_id"]
    return None


def rewritten(people: People, row: Mapping[str, Any]) -> tuple[str, dict, dict, int | None]:
    """An old event's key, hashed details and personal values, and whom those are about."""
    key, personal, named = new_key(people, row["action"], row["entity_type"], row["entity_key"])
    kept, moved = split(row["details"] or {})
    personal |= moved
    details: dict[str, Any] = {}
    for name, value in kept.items():
        value, known = people.value(value)
        if known:
            details[name] = value
        else:  # an e-mail naming nobody now: the whole value leaves the chain
            personal[name] = merge(kept, personal)[name]
    return key, details, personal, subject(people, row["entity_type"], key, details, named)


def read_events(connection: sa.Connection) -> list[Mapping[str, Any]]:
    """Every event in chain order, after checking the old chain and its head."""
    rows = connection.execute(sa.select(EVENTS).order_by(EVENTS.c.id)).mappings().all()
    previous = GENESIS
    for row in rows:
        expected = event_hash(
            previous,
            row["occurred_at"],
            row["actor_id"],
            row["action"],
            row["entity_type"],
            row["entity_key"],
            row["details"],
        )
        if row["prev_hash"] != previous or row["hash"] != expected:
            raise BrokenChain(row["id"])
        previous = row["hash"]
    head = connection.execute(sa.text("SELECT last_hash FROM audit_head WHERE id = 1")).scalar()
    if head != previous:
        raise BrokenChain(None)
    return rows


def migrate_events(connection: sa.Connection) -> None:
    """Move every event's personal values out and chain the events again."""
    rows = read_events(connection)
    if not rows:
        return
    people = People(connection)
    previous, updates, personal_rows = GENESIS, [], []
    for row in rows:
        key, details, personal, person_id = rewritten(people, row)
        salt = new_salt() if personal else None
        personal_digest = None if salt is None else digest(salt, personal)
        hashed = event_hash(
            previous,
            row["occurred_at"],
            row["actor_id"],
            row["action"],
            row["entity_type"],
            key,
            details,
            personal_digest,
            row["hash"],
        )
        updates.append(
            {
                "b_id": row["id"],
                "b_entity_key": key,
                "b_details": details,
                "b_personal_digest": personal_digest,
                "b_legacy_hash": row["hash"],
                "b_prev_hash": previous,
                "b_hash": hashed,
            }
        )
        if salt is not None:
            personal_rows.append(
                {"event_id": row["id"], "person_id": person_id, "salt": salt, "values": personal}
            )
        previous = hashed
    update_events(connection, updates)
    in_batches(connection, PERSONAL.insert(), personal_rows)
    record_migration(connection, previous, len(rows), rows[-1]["hash"], len(personal_rows))


def in_batches(
    connection: sa.Connection, statement: sa.Executable, rows: list[dict[str, Any]]
) -> None:
    """Run ``statement`` for ``rows``, :data:`BATCH` rows at a time."""
    for start in range(0, len(rows), BATCH):
        connection.execute(statement, rows[start : start + BATCH])


def update_events(connection: sa.Connection, updates: list[dict[str, Any]]) -> None:
    """Set, on each event ``b_id``, the columns its ``b_<column>`` values name."""
    if not updates:
        return
    columns = [key.removeprefix("b_") for key in updates[0] if key != "b_id"]
    statement = (
        EVENTS.update()
        .where(EVENTS.c.id == sa.bindparam("b_id"))
        .values({column: sa.bindparam(f"b_{column}") for column in columns})
    )
    in_batches(connection, statement, updates)


def record_migration(
    connection: sa.Connection, previous: str, count: int, old_head: str, moved: int
) -> None:
    """Append the ``chain.migrated`` event (the old chain's count and head) and move the head."""
    occurred_at = datetime.now(UTC)
    details = {"legacy_count": count, "legacy_head": old_head, "events_with_personal_values": moved}
    hashed = event_hash(
        previous, occurred_at, None, "chain.migrated", "audit_chain", revision, details
    )
    connection.execute(
        EVENTS.insert().values(
            occurred_at=occurred_at,
            actor_id=None,
            action="chain.migrated",
            entity_type="audit_chain",
            entity_key=revision,
            details=details,
            prev_hash=previous,
            hash=hashed,
        )
    )
    connection.execute(
        sa.text("UPDATE audit_head SET last_hash = :hash WHERE id = 1"), {"hash": hashed}
    )


def upgrade() -> None:
    """Apply this revision."""
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.add_column(sa.Column("personal_digest", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("legacy_hash", sa.String(length=64), nullable=True))
    op.create_table(
        "audit_personal",
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("salt", sa.String(length=32), nullable=False),
        sa.Column("values", JsonDocument, nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["audit_event.id"],
            name=op.f("fk_audit_personal_event_id_audit_event"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("event_id", name=op.f("pk_audit_personal")),
    )
    op.create_index(
        op.f("ix_audit_personal_person_id"), "audit_personal", ["person_id"], unique=False
    )
    migrate_events(op.get_bind())


def chain_back(connection: sa.Connection) -> None:
    """Put the personal values back into each event's details and chain them the old way
    (people and accounts stay named by id; erased values stay erased)."""
    rows = connection.execute(
        sa.select(EVENTS, PERSONAL.c["values"])
        .outerjoin(PERSONAL, PERSONAL.c.event_id == EVENTS.c.id)
        .order_by(EVENTS.c.id)
    ).mappings()
    previous, updates = GENESIS, []
    for row in rows:
        details = merge(row["details"] or {}, row["values"])
        hashed = event_hash(
            previous,
            row["occurred_at"],
            row["actor_id"],
            row["action"],
            row["entity_type"],
            row["entity_key"],
            details,
        )
        updates.append(
            {"b_id": row["id"], "b_details": details, "b_prev_hash": previous, "b_hash": hashed}
        )
        previous = hashed
    update_events(connection, updates)
    connection.execute(
        sa.text("UPDATE audit_head SET last_hash = :hash WHERE id = 1"), {"hash": previous}
    )


def downgrade() -> None:
    """Revert this revision: personal values back in the chain, hashed the old way."""
    chain_back(op.get_bind())
    op.drop_index(op.f("ix_audit_personal_person_id"), table_name="audit_personal")
    op.drop_table("audit_personal")
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.drop_column("legacy_hash")
        batch_op.drop_column("personal_digest")
