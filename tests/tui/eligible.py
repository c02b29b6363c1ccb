"""Filling the issuing queue of a test (demo staff made eligible), and holding a batch."""

from __future__ import annotations

import asyncio
import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import exists, select

from certify.access.permissions import Actor
from certify.model import (
    Assessment,
    AssessmentMethod,
    Attendance,
    Certificate,
    Competency,
    Person,
    PersonRole,
    Programme,
    Role,
    Site,
    TrainingSession,
)
from certify.services.issuance import BatchReport
from certify.store.audit import Change, record
from certify.store.db import Database
from tests.tui.helpers import TODAY
from tui.backend import Backend

#: The programme the people are made eligible for.
PROGRAMME = "CERT-ACC"
#: When their evidence is dated: a month before the demo's day.
EVIDENCE_DAY = TODAY - timedelta(days=30)


def make_eligible(url: str, count: int, site: str | None = None) -> list[int]:
    """Give ``count`` active staff (of ``site``, if given) not holding CERT-ACC its evidence.

    Every competency at its minimum level, every module attended in full; return their ids.
    """
    database = Database(url)
    with database.transaction() as session:
        programme = session.scalars(select(Programme).where(Programme.code == PROGRAMME)).one()
        certified = exists().where(
            Certificate.person_id == Person.id,
            Certificate.programme_id == programme.id,
            Certificate.valid_until >= TODAY,
        )
        query = (
            select(Person)
            .join(Site, Site.id == Person.site_id)
            .where(~certified, Person.active_from <= EVIDENCE_DAY, Person.active_until.is_(None))
            .order_by(Person.id)
        )
        if site is not None:
            query = query.where(Site.code == site)
        people = list(session.scalars(query.limit(count)))
        assert len(people) == count, f"only {len(people)} people to make eligible"
        assessor = session.scalars(
            select(Person)
            .join(PersonRole, PersonRole.person_id == Person.id)
            .where(PersonRole.role == Role.TRAINER, Person.id.not_in([p.id for p in people]))
            .order_by(Person.id)
        ).first()
        assert assessor is not None
        for requirement in programme.competency_requirements:
            competency = session.get(Competency, requirement.competency_id)
            assert competency is not None
            session.add_all(
                Assessment(
                    person_id=person.id,
                    competency_id=competency.id,
                    framework_id=competency.framework_id,
                    level=requirement.min_level,
                    assessed_on=EVIDENCE_DAY,
                    assessor_id=assessor.id,
                    method=AssessmentMethod.OBSERVATION,
                    recorded_at=datetime.now(UTC),
                )
                for person in people
            )
        for requirement in programme.module_requirements:
            training = TrainingSession(
                module_id=requirement.module_id,
                site_id=people[0].site_id,
                starts_on=EVIDENCE_DAY,
                ends_on=EVIDENCE_DAY,
            )
            session.add(training)
            session.flush()
            session.add_all(
                Attendance(
                    session_id=training.id,
                    person_id=person.id,
                    hours_present=requirement.module.hours,
                )
                for person in people
            )
        ids = [person.id for person in people]
        # Like every real change, an audit event: the standings snapshot knows it is stale.
        record(session, None, Change("test.made_eligible", "person", f"{len(ids)} people"))
    database.dispose()
    return ids


class HeldInSecondBatch:
    """Wraps ``Backend.issue_batch``: the second batch waits, before issuing, to be let go."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """Install the wrapper."""
        #: Set once the second batch has started (the first one is issued).
        self.second_started = threading.Event()
        #: Set by the test to let the second batch go on.
        self.go_on = threading.Event()
        #: Batches started so far.
        self.calls = 0
        issue = Backend.issue_batch

        def held(
            backend: Backend, actor: Actor, programme_id: int, people: list[int]
        ) -> BatchReport:
            """Issue (the second batch after the test lets it)."""
            self.calls += 1
            if self.calls == 2:
                self.second_started.set()
                assert self.go_on.wait(20)
            return issue(backend, actor, programme_id, people)

        monkeypatch.setattr(Backend, "issue_batch", held)

    async def in_second(self) -> None:
        """Wait (without blocking the app) until the second batch has started."""
        assert await asyncio.to_thread(self.second_started.wait, 20)
