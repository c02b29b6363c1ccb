"""Time ``certify audit log``'s first page on 100,000 events: unfiltered, by person, by
action, by period, for an admin and for a site coordinator.

Builds a scratch SQLite network (the small test network: 9 staff, two sites of a region,
one elsewhere) and bulk-inserts the events straight into ``audit_event``, about its people
(person, attendance and account events, keyed as the services key them) over two years:
the chain's hashes are not valid, which the log never reads.

Usage: ``python -m bench.bench_audit_log [--events 100000] [--runs 5]``.
Target: each first page well under 0.5 s (median and first run printed).
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert

from certify.access.permissions import Actor
from certify.model import AuditEvent
from certify.store.db import Database
from certify.store.schema import upgrade
from certify.views.audit_log import AuditFilters, audit_log
from tests.network import SESSION_ID, build_small_network

#: Actions drawn for the events, with the entity each is about.
ACTIONS = (
    ("person.roles_changed", "person"),
    ("person.reminders_changed", "person"),
    ("reminder.sent", "person"),
    ("attendance.recorded", "attendance"),
    ("account.password_changed", "user_account"),
)
#: One event in this many is a revocation (a rare action), one in this many about person 6.
RARE = 2000


def parse(argv: Sequence[str] | None) -> argparse.Namespace:
    """The bench's options."""
    parser = argparse.ArgumentParser(description="Time audit log pages on 100,000 events.")
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    return parser.parse_args(argv)


def fill(database: Database, events: int) -> None:
    """``events`` events about the network's people, two years of them, in bulk."""
    chance = random.Random(16)
    start = datetime(2025, 1, 1, tzinfo=UTC)
    step = timedelta(days=730) / events
    rows = []
    for n in range(events):
        action, entity = chance.choice(ACTIONS)
        if chance.randrange(RARE) == 0:
            action, entity = "certificate.revoked", "certificate"
        person = 6 if chance.randrange(RARE) == 0 else chance.choice((1, 2, 3, 4, 5, 7, 8, 9))
        key = {
            "person": str(person),
            "attendance": f"{SESSION_ID}/{person}",
            "user_account": f"user{person}",
            "certificate": f"CDM-2025-{n:06d}",
        }[entity]
        rows.append(
            {
                "occurred_at": start + n * step,
                "actor_id": chance.choice((None, 1, 2, 3, 8)),
                "action": action,
                "entity_type": entity,
                "entity_key": key,
                "details": {"after": {"n": n}},
                "prev_hash": "0" * 64,
                "hash": f"{n:064d}",
            }
        )
    with database.transaction() as session:
        for first in range(0, events, 10_000):
            session.execute(insert(AuditEvent), rows[first : first + 10_000])


def timed(query: Callable[[], object], runs: int) -> tuple[float, float]:
    """The first run's time and the median of ``runs`` runs, in seconds."""
    times = []
    for _ in range(runs):
        begin = time.perf_counter()
        query()
        times.append(time.perf_counter() - begin)
    return times[0], statistics.median(times)


def main(argv: Sequence[str] | None = None) -> int:
    """Build, fill, time, print."""
    options = parse(argv)
    with tempfile.TemporaryDirectory() as folder:
        database = Database(f"sqlite:///{Path(folder) / 'bench.db'}")
        upgrade(database)
        network = build_small_network(database)
        begin = time.perf_counter()
        fill(database, options.events)
        print(f"{options.events} events inserted in {time.perf_counter() - begin:.1f} s")
        admin, coordinator = Actor.system(), network.actor(3)
        cases = {
            "unfiltered": AuditFilters(),
            "by person": AuditFilters(person_id=7),
            "by person (rare)": AuditFilters(person_id=6),
            "by action (rare)": AuditFilters(actions=("certificate.revoked",)),
            "by action": AuditFilters(actions=("reminder.sent",)),
            "by period": AuditFilters(since=date(2025, 6, 1), until=date(2025, 6, 30)),
        }
        for who, actor in (("admin", admin), ("coordinator", coordinator)):
            for name, filters in cases.items():

                def page(actor: Actor = actor, filters: AuditFilters = filters) -> object:
                    with database.reading() as session:
                        return audit_log(session, actor, filters)

                first, median = timed(page, options.runs)
                print(
                    f"{who:<12} {name:<17} first {first * 1000:7.1f} ms"
                    f"  median of {options.runs} {median * 1000:7.1f} ms"
                )
        database.engine.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
