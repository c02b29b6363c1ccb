"""The UI's only door to the database: one method per service call, each in its own session.

Screens call these from thread workers only (never on the UI thread). Reads run in
``Database.reading()``; writes in ``Database.transaction()``, all or nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from certify import assessments, attendance, bootstrap, catalogue, training
from certify.accounts import authenticate
from certify.assessments import HistoryLine, NewAssessment
from certify.catalogue import CompetencyChoice, ModuleChoice, SiteChoice
from certify.db import Database
from certify.permissions import Actor
from certify.training import GridCell, SessionDetail, SessionDraft, SessionSummary, StaffHit


@dataclass(frozen=True)
class SessionView:
    """A session as its screen shows it: details and the levels already recorded."""

    #: Module, site, dates, participants, competencies and scale.
    detail: SessionDetail
    #: (person id, competency id) → the standing assessment made in this session.
    levels: dict[tuple[int, int], GridCell]


@dataclass(frozen=True)
class PersonHistory:
    """A person and their assessments, with the competencies those are on."""

    #: Name, e-mail and site.
    person: StaffHit
    #: Assessments, newest first (corrected ones too).
    lines: list[HistoryLine]
    #: Competency code → the competency and its scale.
    competencies: dict[str, CompetencyChoice]


@dataclass(frozen=True)
class Choices:
    """What a session form offers: modules and the sites the actor may use."""

    #: Every training module.
    modules: list[ModuleChoice]
    #: Sites where the actor may hold sessions.
    sites: list[SiteChoice]


class Backend:
    """certify's services on one database, as of one day."""

    def __init__(self, database: Database, today: date) -> None:
        """Serve ``database``; ``today`` dates new records and splits upcoming from past."""
        #: The database every call opens a session on.
        self.database = database
        #: The day the app considers today.
        self.today = today

    def is_empty(self) -> bool:
        """Whether the network has no staff yet (the welcome screen is shown)."""
        with self.database.reading() as session:
            return bootstrap.is_empty(session)

    def load_demo(self) -> None:
        """Fill the empty database with the demo network as of today."""
        # Imported when asked for: the demo generator is not needed to start the app.
        from certify.demo import DEFAULT_SEED, DEFAULT_STAFF, certification

        certification.load_demo(
            self.database, seed=DEFAULT_SEED, as_of=self.today, staff=DEFAULT_STAFF
        )

    def start_network(self, draft: bootstrap.FirstAdmin) -> Actor:
        """Create the first site and administrator; return the administrator."""
        with self.database.transaction() as session:
            return bootstrap.start_network(session, draft, self.today)

    def sign_in(self, username: str, password: str) -> Actor:
        """The actor of a correct user name and password."""
        with self.database.reading() as session:
            return authenticate(session, username, password)

    def sessions(
        self,
        actor: Actor,
        upcoming: bool | None,
        module_id: int | None = None,
        site_id: int | None = None,
    ) -> list[SessionSummary]:
        """The actor's sessions, newest first, filtered."""
        with self.database.reading() as session:
            return training.list_sessions(
                session,
                actor,
                upcoming=upcoming,
                today=self.today,
                module_id=module_id,
                site_id=site_id,
            )

    def choices(self, actor: Actor) -> Choices:
        """Modules, and the sites where the actor may hold sessions."""
        with self.database.reading() as session:
            return Choices(catalogue.modules(session), catalogue.session_sites(session, actor))

    def session(self, actor: Actor, session_id: int) -> SessionView:
        """One session with the levels already recorded in it."""
        with self.database.reading() as session:
            return SessionView(
                training.session_detail(session, actor, session_id),
                training.grid_levels(session, actor, session_id),
            )

    def save_session(self, actor: Actor, draft: SessionDraft) -> int:
        """Create or change a session; return its id."""
        with self.database.transaction() as session:
            return training.save_session(session, actor, draft)

    def search_staff(self, actor: Actor, text: str, site_id: int | None = None) -> list[StaffHit]:
        """Staff the actor may see whose name or e-mail contains ``text``."""
        with self.database.reading() as session:
            return training.search_staff(session, actor, text, site_id)

    def search_competencies(self, text: str) -> list[CompetencyChoice]:
        """Competencies whose code or label contains ``text``."""
        with self.database.reading() as session:
            return catalogue.search_competencies(session, text)

    def record_attendance(self, actor: Actor, session_id: int, hours: dict[int, Decimal]) -> int:
        """Set participants' hours present in one transaction; return how many changed."""
        with self.database.transaction() as session:
            return attendance.record_attendance(session, actor, session_id, hours)

    def record_assessments(self, actor: Actor, entries: list[NewAssessment]) -> int:
        """Record every entry in one transaction (all or nothing); return the count."""
        with self.database.transaction() as session:
            return assessments.record_assessments(session, actor, entries)

    def history(self, actor: Actor, person_id: int) -> PersonHistory:
        """Who the person is and their assessments, newest first."""
        with self.database.reading() as session:
            person = training.person_card(session, actor, person_id)
            lines = assessments.history(session, actor, person_id)
            codes = {line.competency_code for line in lines}
            return PersonHistory(person, lines, catalogue.competencies_by_code(session, codes))

    def correct(self, actor: Actor, assessment_id: int, level: int, reason: str) -> None:
        """Supersede an assessment with a corrected level, keeping the old one."""
        with self.database.transaction() as session:
            assessments.correct_assessment(session, actor, assessment_id, level, reason)
