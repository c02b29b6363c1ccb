"""Trainer services: session lists, editing sessions, staff search, the grid's levels."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from certify.access.permissions import PermissionDenied
from certify.errors import CertifyError
from certify.model import Assessment, AssessmentMethod
from certify.services.assessments import NewAssessment, correct_assessment, record_assessments
from certify.services.training import (
    SessionDraft,
    grid_levels,
    list_sessions,
    save_session,
    search_staff,
    session_detail,
)
from certify.store.db import Database
from tests.network import SESSION_ID, SmallNetwork, build_small_network

#: The day the tests look from: the March 2026 session is over.
TODAY = date(2026, 6, 1)

TRAINER, COUNSELLOR, RELAIS_STAFF, LIEGE_STAFF, LIEGE_TRAINER = 4, 5, 6, 7, 9


@pytest.fixture
def network(database: Database) -> SmallNetwork:
    """The small network of tests/network.py."""
    return build_small_network(database)


def draft(**changes: object) -> SessionDraft:
    """A new M01 session at NIMES trained by person 4, changed by ``changes``."""
    values: dict[str, object] = dict(
        id=None,
        module_id=1,
        site_id=1,
        starts_on=date(2026, 12, 7),
        ends_on=date(2026, 12, 8),
        trainer_ids=frozenset({TRAINER}),
        participant_ids=frozenset({COUNSELLOR, RELAIS_STAFF}),
    )
    values.update(changes)
    return SessionDraft(**values)  # type: ignore[arg-type]


def test_trainers_see_their_sessions_only(network: SmallNetwork) -> None:
    """The NIMES trainer sees session 1 (past, 2 participants); the Liège trainer none."""
    with network.database.reading() as session:
        [line] = list_sessions(session, network.actor(TRAINER), today=TODAY)
        assert (line.id, line.module_code, line.site_code, line.participants) == (
            SESSION_ID,
            "M01",
            "NIMES",
            2,
        )
        assert list_sessions(session, network.actor(LIEGE_TRAINER), today=TODAY) == []
        assert list_sessions(session, network.actor(TRAINER), upcoming=True, today=TODAY) == []
        assert len(list_sessions(session, network.actor(3), today=TODAY)) == 1


def test_create_and_edit_a_session(network: SmallNetwork) -> None:
    """A trainer creates a session at their site, then drops a participant."""
    with network.database.transaction() as session:
        new_id = save_session(session, network.actor(TRAINER), draft())
    with network.database.transaction() as session:
        save_session(
            session,
            network.actor(TRAINER),
            draft(id=new_id, participant_ids=frozenset({COUNSELLOR})),
        )
    with network.database.reading() as session:
        detail = session_detail(session, network.actor(TRAINER), new_id)
    assert [p.name for p in detail.participants] == ["Ayşe Yılmaz"]
    assert detail.trainers == [(TRAINER, "Nguyễn Thị Hương")]
    assert [c.code for c in detail.competencies] == []
    assert detail.summary.starts_on == date(2026, 12, 7)


@pytest.mark.parametrize(
    ("changes", "error", "message"),
    [
        ({"participant_ids": frozenset({LIEGE_STAFF})}, CertifyError, "not staff of NIMES"),
        (
            {"participant_ids": frozenset({TRAINER})},
            CertifyError,
            "^Nguyễn Thị Hương cannot both train and take part$",
        ),
        (
            {"ends_on": date(2026, 12, 1)},
            CertifyError,
            r"ends on 1 December 2026, before it starts \(on 7 December 2026\)",
        ),
        ({"trainer_ids": frozenset()}, CertifyError, "at least one trainer"),
        ({"site_id": 2}, PermissionDenied, "site 2"),
    ],
)
def test_bad_sessions_are_refused(
    network: SmallNetwork, changes: dict[str, object], error: type[Exception], message: str
) -> None:
    """Outsiders, trainer-participants, reversed dates and other sites are refused."""
    with pytest.raises(error, match=message), network.database.transaction() as session:
        save_session(session, network.actor(TRAINER), draft(**changes))


def test_staff_search_stays_in_scope(network: SmallNetwork) -> None:
    """A trainer finds people of their site (and its centres) only, by any part of the name."""
    with network.database.reading() as session:
        found = search_staff(session, network.actor(TRAINER), "a", TODAY)
        assert LIEGE_STAFF not in {hit.id for hit in found}
        assert {
            hit.id for hit in search_staff(session, network.actor(TRAINER), "mensah", TODAY)
        } == {RELAIS_STAFF}
        assert [hit.id for hit in search_staff(session, network.actor(1), "lambert", TODAY)] == [
            LIEGE_STAFF
        ]
        assert search_staff(session, network.actor(COUNSELLOR), "a", TODAY) != []


def test_grid_shows_existing_levels(network: SmallNetwork) -> None:
    """Levels recorded in the session come back for the grid, the newest per cell."""
    entries = [
        NewAssessment(COUNSELLOR, 1, level, date(2026, 3, 3), AssessmentMethod.QUIZ, "", SESSION_ID)
        for level in (1, 3)
    ]
    with network.database.transaction() as session:
        record_assessments(session, network.actor(TRAINER), entries, TODAY)
    with network.database.reading() as session:
        cells = grid_levels(session, network.actor(TRAINER), SESSION_ID)
        with pytest.raises(PermissionDenied):
            grid_levels(session, network.actor(LIEGE_TRAINER), SESSION_ID)
    assert {key: cell.level for key, cell in cells.items()} == {(COUNSELLOR, 1): 3}


def test_removing_a_participant_drops_their_attendance_and_keeps_their_assessments(
    network: SmallNetwork,
) -> None:
    """Each participant's standing assessments of the session are counted (a corrected one
    not); removed, their attendance goes and their assessments stay."""
    entries = [
        NewAssessment(COUNSELLOR, 1, level, date(2026, 3, 3), AssessmentMethod.QUIZ, "", SESSION_ID)
        for level in (1, 3)
    ]
    trainer = network.actor(TRAINER)
    with network.database.transaction() as session:
        record_assessments(session, trainer, entries, TODAY)
        first = session.scalars(
            select(Assessment.id).where(Assessment.session_id == SESSION_ID).order_by(Assessment.id)
        ).first()
        assert first is not None
        correct_assessment(session, trainer, first, 2, "niveau mal saisi")
    with network.database.reading() as session:
        detail = session_detail(session, trainer, SESSION_ID)
    assert {p.person_id: p.assessments for p in detail.participants} == {
        COUNSELLOR: 2,
        RELAIS_STAFF: 0,
    }
    kept = draft(
        id=SESSION_ID,
        module_id=detail.module_id,
        site_id=detail.site_id,
        starts_on=detail.summary.starts_on,
        ends_on=detail.summary.ends_on,
        participant_ids=frozenset({RELAIS_STAFF}),
    )
    with network.database.transaction() as session:
        save_session(session, trainer, kept)
    with network.database.reading() as session:
        detail = session_detail(session, trainer, SESSION_ID)
        count = session.scalar(
            select(func.count()).where(
                Assessment.session_id == SESSION_ID, Assessment.person_id == COUNSELLOR
            )
        )
    assert [p.person_id for p in detail.participants] == [RELAIS_STAFF]
    assert count == 3
