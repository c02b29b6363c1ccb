"""The UI's only door to the database: one method per service call, each in its own session.

Screens call these from thread workers only (never on the UI thread). Reads run in
``Database.reading()``; writes in ``Database.transaction()``, all or nothing.
"""

from __future__ import annotations

import io
import os
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from certify.access.certificate_powers import certificate_changes
from certify.access.narrowing import DashboardFilters
from certify.access.permissions import Action, Actor
from certify.exchange import view_export
from certify.parsing import find_person
from certify.rules.explanation import ProgrammeRef
from certify.services import assessments, attendance, bootstrap, issuance, training
from certify.services.accounts import dummy_hash
from certify.services.assessments import GridMark, NewAssessment
from certify.services.issuance import BatchReport
from certify.services.sign_in import CLIENT_ENV, sign_in
from certify.services.training import (
    GridCell,
    SessionDetail,
    SessionDraft,
    SessionSummary,
    StaffHit,
)
from certify.store import standings_cache
from certify.store.db import Database
from certify.store.paging import Page
from certify.store.standings_cache import Refresh
from certify.views import assessment_history, catalogue, watchlists
from certify.views.assessment_history import HistoryLine
from certify.views.audit_log import AuditFilters, AuditPage, audit_log
from certify.views.catalogue import CompetencyChoice, ModuleChoice, SiteChoice
from certify.views.certificate_lines import CertificateLine, my_certificates
from certify.views.certificate_records import find_certificates
from certify.views.dashboard import Dashboard, FilterChoices, dashboard, filter_choices
from certify.views.heatmap import Heatmap, competency_heatmap
from certify.views.my_progress import my_progress
from certify.views.person_overview import PersonOverview, person_overview
from certify.views.personal_data import (
    may_export_personal_data,
    personal_data,
    personal_data_json,
)
from certify.views.references import programme_refs
from certify.views.reminder_lines import DueLine, SentLine, due_reminders, sent_reminders
from certify.views.staff_directory import StaffLine, StaffQuery, staff_lines, staff_page
from certify.views.standing import Standing
from certify.views.watchlists import ExpiringLine, QueueLine

if TYPE_CHECKING:  # imports and reports load their engines on first use (start-up time)
    from sqlalchemy.orm import Session

    from certificates.checks import IssuerKeys, Verification
    from certify.exchange import ImportReport, Kind
    from certify.exchange.templates import ColumnGuide
    from certify.exchange.validate import Progress
    from certify.rules.wording import Lang, Wording


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
    #: Assessments, newest first (corrected ones too), each with how it stands today.
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
        #: The issuer's key passphrase typed this sign-in (in memory only; see ``unlock_keys``).
        self.key_passphrase: str | None = None
        #: The issuer's key ring once read (and its keys once decrypted), until sign-out.
        self._issuer_keys: IssuerKeys | None = None

    def is_empty(self) -> bool:
        """Whether the network has no staff yet (the welcome screen is shown)."""
        with self.database.reading() as session:
            return bootstrap.is_empty(session)

    def load_demo(self) -> list[Wording]:
        """Fill the empty database with the demo network as of today, then run the demo's
        extras (as ``certify demo`` does: the demo issuer); return the lines they said."""
        # Imported when asked for: the demo generator is not needed to start the app.
        from certify.cli.demo import run_demo_extras
        from certify.demo import DEFAULT_SEED, DEFAULT_STAFF, certification

        certification.load_demo(
            self.database, seed=DEFAULT_SEED, as_of=self.today, staff=DEFAULT_STAFF
        )
        said: list[Wording] = []
        run_demo_extras(self.database, self.today, said.append)
        return said

    def start_network(self, draft: bootstrap.FirstAdmin) -> Actor:
        """Create the first site and administrator; return the administrator."""
        with self.database.transaction() as session:
            return bootstrap.start_network(session, draft, self.today)

    def prepare_sign_in(self) -> None:
        """Make the unknown user's hash now, so that the first attempt costs what any does."""
        dummy_hash()

    def sign_in(self, username: str, password: str) -> Actor:
        """The actor of a correct user name and password (the key passphrase is asked anew)."""
        self.forget_key_passphrase()
        with self.database.transaction() as session:
            attempt = sign_in(
                session,
                username,
                password,
                client=os.environ.get(CLIENT_ENV),
                now=datetime.now(UTC),
            )
        return attempt.outcome()

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
            return training.search_staff(session, actor, text, self.today, site_id)

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
            return assessments.record_assessments(session, actor, entries, self.today)

    def record_grid(self, actor: Actor, session_id: int, marks: list[GridMark]) -> int:
        """Record a session grid's marks in one transaction, dated by the grid's rule."""
        with self.database.transaction() as session:
            return assessments.record_grid(session, actor, session_id, marks, self.today)

    def history(self, actor: Actor, person_id: int) -> PersonHistory:
        """Who the person is and their assessments, newest first."""
        with self.database.reading() as session:
            person = training.person_card(session, actor, person_id)
            lines = assessment_history.history(session, actor, person_id, self.today)
            codes = {line.competency_code for line in lines}
            return PersonHistory(person, lines, catalogue.competencies_by_code(session, codes))

    def correct(self, actor: Actor, assessment_id: int, level: int, reason: str) -> None:
        """Supersede an assessment with a corrected level, keeping the old one."""
        with self.database.transaction() as session:
            assessments.correct_assessment(session, actor, assessment_id, level, reason)

    # --- Watchlists and the competency heat map ---

    def expiring(
        self,
        actor: Actor,
        within_days: int,
        filters: DashboardFilters,
        offset: int = 0,
        limit: int | None = None,
    ) -> Page[ExpiringLine]:
        """One page of the certifications ending within ``within_days`` days, soonest first."""
        with self.database.reading() as session:
            return watchlists.expiring(
                session, actor, self.today, within_days, filters, offset=offset, limit=limit
            )

    def expiring_csv(self, actor: Actor, within_days: int, filters: DashboardFilters) -> bytes:
        """The whole expiring list (every page) as a CSV file for French Excel."""
        return view_export.view_csv(
            view_export.EXPIRING_COLUMNS, self.expiring(actor, within_days, filters).items
        )

    def eligible_queue(
        self, actor: Actor, filters: DashboardFilters, offset: int = 0, limit: int | None = None
    ) -> Page[QueueLine]:
        """One page of the people a certificate may be issued to today."""
        self.refresh_standings()
        with self.database.reading() as session:
            return watchlists.eligible_queue(
                session, actor, self.today, filters, offset=offset, limit=limit
            )

    def eligible_queue_csv(self, actor: Actor, filters: DashboardFilters) -> bytes:
        """The whole issuing queue (every page) as a CSV file for French Excel."""
        return view_export.view_csv(
            view_export.QUEUE_COLUMNS, self.eligible_queue(actor, filters).items
        )

    def issue_batch(self, actor: Actor, programme_id: int, person_ids: list[int]) -> BatchReport:
        """Issue the programme's certificate today to each person, signed, in one transaction."""
        with self.database.transaction() as session:
            report = issuance.issue_batch(session, actor, programme_id, person_ids, self.today)
            self._sign_issued(session, report.issued)
            return report

    def heatmap(
        self,
        actor: Actor,
        site_id: int,
        programme_id: int | None,
        offset: int = 0,
        limit: int | None = None,
    ) -> Heatmap:
        """One page of a site's staff × competencies heat map (the programme's, if given)."""
        with self.database.reading() as session:
            return competency_heatmap(
                session, actor, site_id, self.today, programme_id, offset=offset, limit=limit
            )

    def heatmap_csv(self, actor: Actor, site_id: int, programme_id: int | None) -> bytes:
        """A site's whole heat map (every page) as a CSV file for French Excel."""
        heatmap = self.heatmap(actor, site_id, programme_id)
        return view_export.view_csv(
            view_export.heatmap_columns(heatmap.columns), heatmap.rows.items
        )

    def due_reminders(
        self, actor: Actor, offset: int = 0, limit: int | None = None
    ) -> Page[DueLine]:
        """One page of the next expiry reminder of each certificate of the actor's scope."""
        with self.database.reading() as session:
            return due_reminders(session, actor, self.today, offset=offset, limit=limit)

    def sent_reminders(
        self, actor: Actor, offset: int = 0, limit: int | None = None
    ) -> Page[SentLine]:
        """One page of the expiry reminders sent in the actor's scope, most recent first."""
        with self.database.reading() as session:
            return sent_reminders(session, actor, offset=offset, limit=limit)

    def audit_log(
        self, actor: Actor, filters: AuditFilters, person: str, before: int | None, limit: int
    ) -> AuditPage:
        """One page of the audit events the actor may read, newest first, below ``before``;
        ``person`` (e-mail, id or name; empty: anyone) narrows them to events about them."""
        with self.database.reading() as session:
            if person.strip():
                filters = replace(filters, person_id=find_person(session, person).id)
            return audit_log(session, actor, filters, limit=limit, before=before)

    def programmes(self) -> list[ProgrammeRef]:
        """Every programme, by code."""
        with self.database.reading() as session:
            return programme_refs(session)

    # --- Dashboard and staff list ---

    def dashboard(self, actor: Actor, filters: DashboardFilters) -> Dashboard:
        """Sites × programmes of the actor's view counted per status, with programme totals."""
        self.refresh_standings()
        with self.database.reading() as session:
            return dashboard(session, actor, self.today, filters)

    def refresh_standings(self) -> Refresh:
        """Bring the standings cache to today: the persons touched since, or everyone on
        a new day (seconds on a big network, once a day; then the dashboard answers at once)."""
        with self.database.transaction() as session:
            return standings_cache.refresh(session, self.today)

    def filter_choices(self, actor: Actor) -> FilterChoices:
        """The regions, sites, programmes and employers the actor may filter on."""
        with self.database.reading() as session:
            return filter_choices(session, actor)

    def staff_page(self, actor: Actor, query: StaffQuery) -> Page[StaffLine]:
        """One page of the staff of the actor's view, with their status per programme."""
        with self.database.reading() as session:
            return staff_page(session, actor, self.today, query)

    def dashboard_csv(self, actor: Actor, filters: DashboardFilters) -> bytes:
        """The dashboard of ``filters`` as CSV for French Excel, programme totals last."""
        with self.database.reading() as session:
            return view_export.dashboard_csv(dashboard(session, actor, self.today, filters))

    def staff_csv(self, actor: Actor, query: StaffQuery) -> bytes:
        """The whole staff list of ``query`` (every page) as CSV for French Excel."""
        with self.database.reading() as session:
            lines = staff_lines(session, actor, self.today, query)
            columns = view_export.staff_columns(programme_refs(session))
        return view_export.view_csv(columns, lines)

    # --- Imports and PDF reports ---

    def importable_kinds(self, actor: Actor) -> list[Kind]:
        """The kinds of file the actor may import (reference data: administrators only)."""
        from certify.access.permissions import PermissionDenied
        from certify.exchange import KINDS, authorize_import

        allowed = []
        for kind in KINDS:
            try:
                authorize_import(actor, kind)
            except PermissionDenied:
                continue
            allowed.append(kind)
        return allowed

    def import_kind(self, kind_name: str) -> Kind:
        """The kind of file named ``kind_name``."""
        from certify.exchange import find_kind

        return find_kind(kind_name)

    def enter_row(self, actor: Actor, kind_name: str, values: dict[str, str]) -> ImportReport:
        """Create one row typed in a form, checked as an import of it is; never an update."""
        from certify.exchange import find_kind
        from certify.exchange.entry import enter_row

        return enter_row(self.database, actor, find_kind(kind_name), values, today=self.today)

    def import_columns(self, kind_name: str, lang: Lang) -> list[ColumnGuide]:
        """The columns of a kind of file, each with what its cells hold."""
        from certify.exchange import find_kind
        from certify.exchange.templates import column_guide

        return column_guide(find_kind(kind_name), lang)

    def import_template(self, kind_name: str, lang: Lang) -> bytes:
        """An empty CSV file of a kind (its header row in ``lang``) to fill in."""
        from certify.exchange import find_kind
        from certify.exchange.templates import template

        return template(find_kind(kind_name), "csv", lang)

    def check_import(
        self, actor: Actor, kind_name: str, path: Path, progress: Progress | None = None
    ) -> ImportReport:
        """Check a whole file as ``certify import --dry-run`` does; nothing is written."""
        from certify.exchange import find_kind, import_file

        return import_file(
            self.database,
            actor,
            find_kind(kind_name),
            path,
            today=self.today,
            dry_run=True,
            progress=progress,
        )

    def import_file(
        self, actor: Actor, kind_name: str, path: Path, progress: Progress | None = None
    ) -> ImportReport:
        """Import a file, checked outside the write lock then written: all rows or none."""
        from certify.exchange import find_kind, import_file

        return import_file(
            self.database, actor, find_kind(kind_name), path, today=self.today, progress=progress
        )

    def report_scope_name(self, actor: Actor, filters: DashboardFilters) -> Wording:
        """How a report for the dashboard's filters names what it covers (refused if hidden)."""
        from certify.access.narrowing import report_scope

        with self.database.reading() as session:
            return report_scope(session, actor, filters).name

    def progress_report(
        self, actor: Actor, filters: DashboardFilters, as_of: date, lang: Lang
    ) -> bytes:
        """The progress report PDF (``certify report progress``) for the dashboard's filters."""
        from certificates.progress_report import progress_report
        from certify.access.narrowing import report_scope
        from certify.views.progress_counts import progress_counts

        with self.database.reading() as session:
            scope = report_scope(session, actor, filters)
            counts = progress_counts(session, scope.scope, as_of)
        return progress_report(counts, scope.name, lang)

    def qualiopi_report(
        self, actor: Actor, filters: DashboardFilters, start: date, end: date, lang: Lang
    ) -> bytes:
        """The Qualiopi evidence PDF (``certify report qualiopi``) for the filters and period."""
        from certificates.qualiopi_report import qualiopi_report
        from certify.access.narrowing import report_scope
        from certify.views.qualiopi_evidence import qualiopi_evidence

        with self.database.reading() as session:
            scope = report_scope(session, actor, filters)
            people = qualiopi_evidence(session, scope.scope, start, end)
        return qualiopi_report(people, scope.name, start, end, lang)

    # --- One person's progress, certificates and their verification ---

    @property
    def issuer_keys(self) -> IssuerKeys:
        """The issuer's key ring (``$CERTIFY_KEYS_DIR``), unlocked by the passphrase typed
        this sign-in, else ``$CERTIFY_KEY_PASSPHRASE``; read once."""
        from certificates.checks import IssuerKeys

        if self._issuer_keys is None:
            self._issuer_keys = IssuerKeys(passphrase=self.key_passphrase)
        return self._issuer_keys

    def my_progress(self, actor: Actor) -> list[Standing]:
        """The signed-in person's standing on every programme, explained."""
        with self.database.reading() as session:
            return my_progress(session, actor, self.today)

    def my_certificates(self, actor: Actor) -> list[CertificateLine]:
        """The signed-in person's certificates, newest first."""
        with self.database.reading() as session:
            return my_certificates(session, actor, self.today)

    def personal_data(self, actor: Actor, person_id: int, lang: Lang, *, pdf: bool) -> bytes:
        """Everything certify holds about the person (GDPR right of access): a JSON file, or
        the same as a PDF to read."""
        from certificates.personal_data_report import personal_data_pdf

        with self.database.reading() as session:
            if pdf:
                return personal_data_pdf(personal_data(session, actor, person_id, lang=lang), lang)
            return personal_data_json(session, actor, person_id, lang)

    def may_export_personal_data(self, actor: Actor, person_id: int) -> bool:
        """Whether the actor may export the person's data."""
        with self.database.reading() as session:
            return may_export_personal_data(session, actor, person_id)

    def person_overview(self, actor: Actor, person_id: int) -> PersonOverview:
        """Who the person is, their standings, certificates and latest assessments."""
        with self.database.reading() as session:
            return person_overview(session, actor, person_id, self.today)

    def certificate_changes(self, actor: Actor, person_id: int) -> frozenset[Action]:
        """Which of revoke and reissue the actor may do on the person's certificates."""
        with self.database.reading() as session:
            return certificate_changes(session, actor, person_id)

    def certificate_checks(self, actor: Actor, person_id: int) -> Verification:
        """The person's certificates as a verifier would judge them today (or why not)."""
        from certificates.checks import verify_certificates

        with self.database.reading() as session:
            return verify_certificates(
                session, actor, person_id, lambda: self.issuer_keys, self.today
            )

    def certificate_pdf(self, actor: Actor, certificate_id: int, lang: Lang) -> bytes:
        """The certificate's PDF of record in ``lang`` (stored on its first download)."""
        from certificates.checks import certificate_pdf

        with self.database.transaction() as session:
            return certificate_pdf(session, actor, certificate_id, self.issuer_keys, lang)

    def certificates_zip(self, actor: Actor, serials: list[str], lang: Lang) -> bytes:
        """The PDFs of record of ``serials`` in one ZIP file, each named by its serial."""
        import zipfile

        from certificates.checks import certificate_pdf

        archive = io.BytesIO()
        with (
            self.database.transaction() as session,
            zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as files,
        ):
            for certificate in find_certificates(session, serials):
                pdf = certificate_pdf(session, actor, certificate.id, self.issuer_keys, lang)
                files.writestr(f"{certificate.serial}.pdf", pdf)
        return archive.getvalue()

    def revoke_certificate(self, actor: Actor, serial: str, reason: str) -> None:
        """Revoke a standing certificate from today, with the reason recorded."""
        with self.database.transaction() as session:
            issuance.revoke_certificate(session, actor, serial, self.today, reason)

    def reissue_certificate(self, actor: Actor, serial: str, reason: str) -> str:
        """Replace a standing certificate by a new one (today's names); its serial."""
        with self.database.transaction() as session:
            new = issuance.reissue_certificate(session, actor, serial, reason, self.today)
            self._sign_issued(session, [new.serial])
            return new.serial

    @property
    def has_key_ring(self) -> bool:
        """Whether an issuer's key ring is here (``$CERTIFY_KEYS_DIR``): issuing signs then."""
        from certificates.keys import INDEX_FILE, keys_directory

        return (keys_directory() / INDEX_FILE).exists()

    def _sign_issued(self, session: Session, serials: list[str]) -> None:
        """Sign the certificates just issued with the unlocked ring (unsigned with none here)."""
        if not serials or not self.has_key_ring:
            return
        from certificates.signing import sign_certificates, signing_now

        certificates = find_certificates(session, serials)
        sign_certificates(session, certificates, self.issuer_keys.signer(), signing_now())

    # --- The issuer's key passphrase, asked once per sign-in ---

    def unlock_keys(self, passphrase: str | None = None) -> None:
        """Decrypt the issuer's active key with ``passphrase`` (kept for this sign-in), else
        with the one kept or ``$CERTIFY_KEY_PASSPHRASE``.

        Raises ``KeyRingMissing`` (no ring here), ``PassphraseMissing`` (none known yet) or
        ``WrongPassphrase``.
        """
        from certificates.checks import IssuerKeys

        keys = self.issuer_keys if passphrase is None else IssuerKeys(passphrase=passphrase)
        keys.signer()
        if passphrase is not None:
            self.key_passphrase, self._issuer_keys = passphrase, keys

    def forget_key_passphrase(self) -> None:
        """Forget the typed passphrase and the decrypted keys (signing out or in)."""
        self.key_passphrase, self._issuer_keys = None, None
