"""Recording assessments and attendance: all or nothing, audited, corrections kept."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from certify.access.permissions import PermissionDenied
from certify.errors import CertifyError
from certify.model import Assessment, AssessmentMethod, Attendance, AuditEvent
from certify.services.assessments import (
    NewAssessment,
    correct_assessment,
    history,
    record_assessments,
)
from certify.services.attendance import record_attendance
from certify.store.audit import verify_chain
from certify.store.db import Database
from tests.network import SESSION_ID, SmallNetwork, build_small_network

TRAINER, COUNSELLOR, RELAIS_STAFF, LIEGE_STAFF = 4, 5, 6, 7


@pytest.fixture
def network(database: Database) -> SmallNetwork:
    """The small network of tests/network.py."""
    return build_small_network(database)


def grid(level: int = 2, **changes: object) -> list[NewAssessment]:
    """Two participants × two competencies, as a trainer's grid would send them."""
    entries = [
        NewAssessment(
            person,
            competency,
            level,
            date(2026, 3, 3),
            AssessmentMethod.OBSERVATION,
            "Observé en situation d'accueil",
            SESSION_ID,
        )
        for person in (COUNSELLOR, RELAIS_STAFF)
        for competency in (1, 2)
    ]
    return [NewAssessment(**{**e.__dict__, **changes}) for e in entries]


def count(database: Database, model: type) -> int:
    """Rows of a table."""
    with database.reading() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def test_grid_is_recorded_and_audited(network: SmallNetwork) -> None:
    """Four cells: four assessments, four audit events, the chain intact."""
    with network.database.transaction() as session:
        assert record_assessments(session, network.actor(TRAINER), grid()) == 4
    assert count(network.database, Assessment) == 4
    with network.database.reading() as session:
        actions = session.scalars(select(AuditEvent.action)).all()
        assert actions == ["assessment.recorded"] * 4
        assert verify_chain(session).checked == 4


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"level": 7}, "level 7 is not on the scale"),
        ({"assessed_on": date(2999, 1, 1)}, "in the future"),
        ({"competency_id": 99}, "unknown competency id 99"),
    ],
)
def test_one_bad_cell_writes_nothing(
    network: SmallNetwork, changes: dict[str, object], message: str
) -> None:
    """A bad cell anywhere refuses the whole grid with a message naming it."""
    entries = grid()
    entries[-1] = NewAssessment(**{**entries[-1].__dict__, **changes})
    with pytest.raises(CertifyError, match=message), network.database.transaction() as session:
        record_assessments(session, network.actor(TRAINER), entries)
    assert count(network.database, Assessment) == 0
    assert count(network.database, AuditEvent) == 0


def test_outsider_cannot_assess(network: SmallNetwork) -> None:
    """A trainer of another site is refused and nothing is written."""
    with pytest.raises(PermissionDenied), network.database.transaction() as session:
        record_assessments(session, network.actor(9), grid())
    assert count(network.database, Assessment) == 0


def test_correction_supersedes_and_keeps_history(network: SmallNetwork) -> None:
    """A correction is a new row; the old one stays, marked as corrected, with the reason."""
    with network.database.transaction() as session:
        record_assessments(session, network.actor(TRAINER), grid()[:1])
        first = session.scalar(select(Assessment.id))
    with network.database.transaction() as session:
        corrected = correct_assessment(
            session, network.actor(3), first, 3, "niveau mal saisi (3 et non 2)"
        )
    with network.database.reading() as session:
        lines = history(session, network.actor(COUNSELLOR), COUNSELLOR, competency_id=1)
    assert [(line.id, line.level, line.superseded_by) for line in lines] == [
        (corrected.id, 3, None),
        (first, 2, corrected.id),
    ]
    newest = next(line for line in lines if line.id == corrected.id)
    assert newest.correction_reason == "niveau mal saisi (3 et non 2)"
    assert newest.assessor_name == "Łukasz Wróbel"
    with (
        pytest.raises(CertifyError, match=f"already corrected by assessment {corrected.id}"),
        network.database.transaction() as session,
    ):
        correct_assessment(session, network.actor(3), first, 1, "encore")
    with (
        pytest.raises(CertifyError, match="needs a reason"),
        network.database.transaction() as session,
    ):
        correct_assessment(session, network.actor(3), corrected.id, 1, "  ")


def test_attendance_in_one_transaction(network: SmallNetwork) -> None:
    """Hours of every participant saved together; a bad value saves none of them."""
    database = network.database
    with (
        pytest.raises(CertifyError, match="15 h is outside 0–14"),
        database.transaction() as session,
    ):
        record_attendance(
            session,
            network.actor(TRAINER),
            SESSION_ID,
            {COUNSELLOR: Decimal(14), RELAIS_STAFF: Decimal(15)},
        )
    with database.transaction() as session:
        changed = record_attendance(
            session,
            network.actor(TRAINER),
            SESSION_ID,
            {COUNSELLOR: Decimal(14), RELAIS_STAFF: Decimal("10.5")},
        )
    assert changed == 2
    with database.reading() as session:
        hours = {
            p: h for p, h in session.execute(select(Attendance.person_id, Attendance.hours_present))
        }
        assert hours == {COUNSELLOR: Decimal(14), RELAIS_STAFF: Decimal("10.5")}
    with database.transaction() as session:
        assert (
            record_attendance(
                session, network.actor(TRAINER), SESSION_ID, {COUNSELLOR: Decimal(14)}
            )
            == 0
        )


def test_staff_cannot_record_attendance(network: SmallNetwork) -> None:
    """A participant cannot write their own hours."""
    with pytest.raises(PermissionDenied), network.database.transaction() as session:
        record_attendance(session, network.actor(COUNSELLOR), SESSION_ID, {COUNSELLOR: Decimal(14)})
