"""Recording assessments and attendance: all or nothing, audited, corrections kept."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from certify.access.permissions import PermissionDenied
from certify.errors import CertifyError
from certify.model import Assessment, AssessmentMethod, Attendance, AuditEvent
from certify.rules.competencies import AssessmentStanding
from certify.services.assessments import (
    GridMark,
    NewAssessment,
    correct_assessment,
    record_assessments,
    record_grid,
)
from certify.services.attendance import record_attendance
from certify.store.audit import verify_chain
from certify.store.db import Database
from certify.views.assessment_history import history
from tests.network import SESSION_ID, SmallNetwork, build_small_network

TRAINER, COUNSELLOR, RELAIS_STAFF, LIEGE_STAFF = 4, 5, 6, 7
#: The day the tests record on: the session of 2 and 3 March 2026 is over.
TODAY = date(2026, 6, 1)


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
        assert record_assessments(session, network.actor(TRAINER), grid(), TODAY) == 4
    assert count(network.database, Assessment) == 4
    with network.database.reading() as session:
        actions = session.scalars(select(AuditEvent.action)).all()
        assert actions == ["assessment.recorded"] * 4
        assert verify_chain(session).checked == 4


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"level": 7}, "level 7 is not on the scale"),
        ({"assessed_on": date(2026, 6, 2)}, "in the future"),
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
        record_assessments(session, network.actor(TRAINER), entries, TODAY)
    assert count(network.database, Assessment) == 0
    assert count(network.database, AuditEvent) == 0


@pytest.mark.parametrize(
    ("today", "dated"),
    [
        (date(2026, 6, 1), date(2026, 3, 3)),
        (date(2026, 3, 2), date(2026, 3, 2)),
        (date(2026, 3, 3), date(2026, 3, 3)),
    ],
)
def test_a_grid_dates_its_marks_by_the_session(
    network: SmallNetwork, today: date, dated: date
) -> None:
    """Saved after the session: its last day; while it runs: today. Tied to the session."""
    marks = [
        GridMark(COUNSELLOR, 1, 2, AssessmentMethod.QUIZ, "quiz"),
        GridMark(RELAIS_STAFF, 2, 1, AssessmentMethod.QUIZ),
    ]
    with network.database.transaction() as session:
        assert record_grid(session, network.actor(TRAINER), SESSION_ID, marks, today) == 2
    with network.database.reading() as session:
        rows = session.execute(select(Assessment.assessed_on, Assessment.session_id)).all()
    assert rows == [(dated, SESSION_ID)] * 2


def test_an_assessment_of_today_is_accepted_not_of_tomorrow(network: SmallNetwork) -> None:
    """The day given as today is the last day an assessment may carry."""
    with network.database.transaction() as session:
        assert record_assessments(session, network.actor(TRAINER), grid()[:1], date(2026, 3, 3))
    with (
        pytest.raises(CertifyError, match="in the future"),
        network.database.transaction() as session,
    ):
        record_assessments(session, network.actor(TRAINER), grid()[:1], date(2026, 3, 2))


def test_outsider_cannot_assess(network: SmallNetwork) -> None:
    """A trainer of another site is refused and nothing is written."""
    with pytest.raises(PermissionDenied), network.database.transaction() as session:
        record_assessments(session, network.actor(9), grid(), TODAY)
    assert count(network.database, Assessment) == 0


def test_correction_supersedes_and_keeps_history(network: SmallNetwork) -> None:
    """A correction is a new row; the old one stays, marked as corrected, with the reason."""
    with network.database.transaction() as session:
        record_assessments(session, network.actor(TRAINER), grid()[:1], TODAY)
        first = session.scalar(select(Assessment.id))
    with network.database.transaction() as session:
        corrected = correct_assessment(
            session, network.actor(3), first, 3, "niveau mal saisi (3 et non 2)"
        )
    with network.database.reading() as session:
        lines = history(session, network.actor(COUNSELLOR), COUNSELLOR, TODAY, competency_id=1)
    assert [(line.id, line.level, line.superseded_by) for line in lines] == [
        (corrected.id, 3, None),
        (first, 2, corrected.id),
    ]
    assert [(line.state.standing, line.state.replaced_by) for line in lines] == [
        (AssessmentStanding.COUNTS, None),
        (AssessmentStanding.CORRECTED, corrected.id),
    ]
    newest = next(line for line in lines if line.id == corrected.id)
    assert (newest.supersedes_id, newest.correction_reason) == (
        first,
        "niveau mal saisi (3 et non 2)",
    )
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
        pytest.raises(CertifyError) as refused,
        database.transaction() as session,
    ):
        record_attendance(
            session,
            network.actor(TRAINER),
            SESSION_ID,
            {COUNSELLOR: Decimal(14), RELAIS_STAFF: Decimal("15.5")},
        )
    assert refused.value.in_("fr") == (
        "Kofi Mensah\u00a0: 15,5 h n'est pas entre 0 et 14 h, la durée du module"
    )
    assert (
        str(refused.value) == "Kofi Mensah: 15.5 h is not between 0 and 14 h, the module's length"
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
