"""Test data: a realistic miniature network, then a few lines per test.

::

    with database.transaction() as session:
        net = MiniNetwork.build(session)
        alice = net.person("Alice", "Durand")
        net.assess(alice, "ETH-01", 2, on=date(2025, 3, 2))
        net.attend(alice, "M01", ended=date(2025, 2, 1))
        net.certify(alice, "CERT-ACC", valid_from=date(2025, 3, 2))

The network (codes are the keys of the ``sites``, ``competencies``, ``modules`` and
``programmes`` dictionaries):

- region Île-de-France; sites ``PARIS`` (Cité des métiers), ``PARIS-N`` (centre associé
  of PARIS) and ``SQY`` (another Cité des métiers);
- framework RCM v1, scale 0 Non acquis, 1 En cours d'acquisition, 2 Acquis, 3 Expert;
  proficient from 2; assessments count 36 months;
- competencies ETH-01, ETH-02, ETH-03 (domain ETH), ACC-01 (ACC), CON-01 (CON);
- modules M01 (14 h, never refreshed), M02 (14 h, refresh 36 months), M04 (3.5 h,
  refresh 24 months), M05 (21 h, refresh 48 months); 80 % attendance each;
- programmes CERT-ACC (ETH-01, ETH-02, ETH-03, ACC-01 at level 2; M01, M02, M04; valid
  36 months, window 6) and CERT-CONS (CON-01 at 2, ETH-01 at 3; M05; prerequisite
  CERT-ACC held 24 months; valid 36 months, window 3);
- ``assessor``: Jean Martin, trainer and coordinator at PARIS.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from itertools import count

from sqlalchemy import select
from sqlalchemy.orm import Session

from certify.model import (
    Assessment,
    AssessmentMethod,
    Attendance,
    Certificate,
    CertificateState,
    Competency,
    Domain,
    Framework,
    Module,
    Person,
    PersonRole,
    Programme,
    ProgrammeCompetency,
    ProgrammeModule,
    ProgrammePrerequisite,
    Region,
    Role,
    ScaleLevel,
    Site,
    SiteKind,
    TrainingSession,
)
from certify.rules.dates import add_months
from certify.services.status_entries import draw_status_index

#: Default first day of activity of the persons created.
ACTIVE_FROM = date(2020, 1, 1)

#: The framework's scale: level, French and English labels.
SCALE = [
    (0, "Non acquis", "Not acquired"),
    (1, "En cours d'acquisition", "In progress"),
    (2, "Acquis", "Acquired"),
    (3, "Expert", "Expert"),
]
#: Domains: code, French and English labels.
DOMAINS = [
    ("ETH", "Éthique, posture et principes de la Charte", "Ethics, stance and Charter"),
    ("ACC", "Accueil et premier niveau d'information", "Reception and first-level information"),
    ("CON", "Conseil personnalisé", "Personalised guidance"),
]
#: Competencies (the domain is the code's prefix): code, French and English labels.
COMPETENCIES = [
    ("ETH-01", "Appliquer les principes de la Charte", "Apply the Charter principles"),
    ("ETH-02", "Adopter une posture non prescriptive", "Non-prescriptive stance"),
    ("ETH-03", "Garantir la confidentialité", "Ensure confidentiality"),
    ("ACC-01", "Accueillir sans rendez-vous", "Walk-in reception"),
    ("CON-01", "Conduire un entretien de conseil", "Conduct a guidance interview"),
]
#: Modules: code, French and English titles, hours, refresh months.
MODULES = [
    ("M01", "Travailler en Cité des métiers", "Working in a Cité des métiers", "14", None),
    ("M02", "Accueil de 1er niveau", "First-level reception", "14", 36),
    ("M04", "Confidentialité et RGPD", "Confidentiality and GDPR", "3.5", 24),
    ("M05", "Conduite de l'entretien de conseil", "Conducting the guidance interview", "21", 48),
]


@dataclass
class MiniNetwork:
    """The miniature network of one test, and helpers that add rows to it."""

    #: The session rows are added to (flushed, so ids are known).
    session: Session
    #: The framework, scale 0–3, threshold 2.
    framework: Framework
    #: Sites by code.
    sites: dict[str, Site]
    #: Competencies by code.
    competencies: dict[str, Competency]
    #: Modules by code.
    modules: dict[str, Module]
    #: Programmes by code.
    programmes: dict[str, Programme]
    #: The trainer who assesses by default (Jean Martin, PARIS).
    assessor: Person = field(init=False)
    #: Training sessions already created, by module, site and last day.
    training_sessions: dict[tuple[str, str, date], TrainingSession] = field(default_factory=dict)
    #: Numbers for unique e-mails and serials.
    numbers: count[int] = field(default_factory=lambda: count(1))

    @classmethod
    def build(cls, session: Session) -> MiniNetwork:
        """Create the network described in the module docstring."""
        framework = Framework(
            code="RCM",
            version=1,
            title_fr="Référentiel des Cités des métiers",
            title_en="Cités des métiers framework",
            proficiency_threshold=2,
            assessment_validity_months=36,
        )
        framework.levels = [ScaleLevel(level=n, label_fr=fr, label_en=en) for n, fr, en in SCALE]
        domains = {
            code: Domain(framework=framework, code=code, label_fr=fr, label_en=en, position=n)
            for n, (code, fr, en) in enumerate(DOMAINS)
        }
        competencies = {
            code: Competency(
                framework=framework,
                domain=domains[code[:3]],
                code=code,
                label_fr=fr,
                label_en=en,
                position=n,
            )
            for n, (code, fr, en) in enumerate(COMPETENCIES)
        }
        modules = {
            code: Module(
                code=code, title_fr=fr, title_en=en, hours=Decimal(hours), refresh_months=refresh
            )
            for code, fr, en, hours, refresh in MODULES
        }
        session.add_all([*competencies.values(), *modules.values()])
        session.flush()
        network = cls(session, framework, {}, competencies, modules, {})
        paris = network.site("PARIS", "Cité des métiers de Paris-La Villette")
        network.site("PARIS-N", "Paris Nord (centre associé)", parent="PARIS")
        network.site("SQY", "Cité des métiers de Saint-Quentin-en-Yvelines")
        network.assessor = Person(
            given_name="Jean",
            family_name="Martin",
            email="jean.martin@example.org",
            site=paris,
            active_from=ACTIVE_FROM,
            roles=[PersonRole(role=Role.TRAINER), PersonRole(role=Role.COORDINATOR)],
        )
        session.add(network.assessor)
        session.flush()
        network.programme(
            "CERT-ACC",
            "Chargé·e d'accueil de 1er niveau",
            "First-level reception officer",
            levels={"ETH-01": 2, "ETH-02": 2, "ETH-03": 2, "ACC-01": 2},
            modules=("M01", "M02", "M04"),
            window_months=6,
        )
        network.programme(
            "CERT-CONS",
            "Conseiller·ère – niveau conseil",
            "Guidance counsellor – level 2",
            levels={"CON-01": 2, "ETH-01": 3},
            modules=("M05",),
            prerequisites={"CERT-ACC": 24},
            window_months=3,
        )
        return network

    def site(
        self,
        code: str,
        name: str,
        *,
        region: str = "Île-de-France",
        parent: str | None = None,
        country: str = "FR",
    ) -> Site:
        """Add a site: a Cité des métiers, or a centre associé of ``parent``.

        The region is created the first time its name is used.
        """
        found = self.session.scalar(
            select(Region).where(Region.name == region, Region.country == country)
        )
        site = Site(
            code=code,
            name=name,
            kind=SiteKind.CENTRE if parent else SiteKind.CITE,
            parent=self.sites[parent] if parent else None,
            region=found or Region(name=region, country=country),
        )
        self.session.add(site)
        self.session.flush()
        self.sites[code] = site
        return site

    def programme(
        self,
        code: str,
        title_fr: str,
        title_en: str,
        *,
        levels: dict[str, int],
        modules: tuple[str, ...] = (),
        prerequisites: dict[str, int] | None = None,
        validity_months: int = 36,
        window_months: int = 6,
    ) -> Programme:
        """Add a programme requiring ``levels``, ``modules`` and ``prerequisites``.

        ``levels`` maps competency codes to minimum levels; ``prerequisites`` maps
        programme codes to the minimum months held.
        """
        programme = Programme(
            code=code,
            title_fr=title_fr,
            title_en=title_en,
            framework=self.framework,
            validity_months=validity_months,
            recert_window_months=window_months,
        )
        programme.competency_requirements = [
            ProgrammeCompetency(
                competency_id=self.competencies[competency].id,
                framework_id=self.framework.id,
                min_level=level,
            )
            for competency, level in levels.items()
        ]
        programme.module_requirements = [
            ProgrammeModule(module_id=self.modules[module].id) for module in modules
        ]
        programme.prerequisites = [
            ProgrammePrerequisite(prerequisite_id=self.programmes[other].id, min_held_months=months)
            for other, months in (prerequisites or {}).items()
        ]
        self.session.add(programme)
        self.session.flush()
        self.programmes[code] = programme
        return programme

    def person(
        self,
        given_name: str = "Alice",
        family_name: str = "Durand",
        *,
        site: str = "PARIS",
        active_from: date = ACTIVE_FROM,
        active_until: date | None = None,
        roles: tuple[Role, ...] = (Role.COUNSELLOR,),
    ) -> Person:
        """Add a staff member (a unique e-mail is made from the names)."""
        person = Person(
            given_name=given_name,
            family_name=family_name,
            email=f"{given_name}.{family_name}.{next(self.numbers)}@example.org".lower(),
            site=self.sites[site],
            active_from=active_from,
            active_until=active_until,
            roles=[PersonRole(role=role) for role in roles],
        )
        self.session.add(person)
        self.session.flush()
        return person

    def assess(
        self,
        person: Person,
        competency: str,
        level: int,
        *,
        on: date,
        assessor: Person | None = None,
        method: AssessmentMethod = AssessmentMethod.OBSERVATION,
        supersedes: Assessment | None = None,
        recorded_at: datetime | None = None,
    ) -> Assessment:
        """Add an assessment (a correction of ``supersedes`` when given)."""
        assessment = Assessment(
            person_id=person.id,
            competency_id=self.competencies[competency].id,
            framework_id=self.framework.id,
            level=level,
            assessed_on=on,
            assessor_id=(assessor or self.assessor).id,
            method=method,
            supersedes_id=supersedes.id if supersedes else None,
            correction_reason="correction" if supersedes else None,
            recorded_at=recorded_at or datetime.now(UTC),
        )
        self.session.add(assessment)
        self.session.flush()
        return assessment

    def training(
        self, module: str, *, ended: date, site: str = "PARIS", days: int = 1
    ) -> TrainingSession:
        """The session of ``module`` at ``site`` ending on ``ended`` (created once)."""
        key = (module, site, ended)
        if key not in self.training_sessions:
            training = TrainingSession(
                module=self.modules[module],
                site=self.sites[site],
                starts_on=date.fromordinal(ended.toordinal() - days + 1),
                ends_on=ended,
            )
            self.session.add(training)
            self.session.flush()
            self.training_sessions[key] = training
        return self.training_sessions[key]

    def attend(
        self,
        person: Person,
        module: str,
        *,
        ended: date,
        hours: Decimal | str | None = None,
        site: str = "PARIS",
    ) -> TrainingSession:
        """Record ``hours`` (default: all the module's hours) in a session ending ``ended``."""
        training = self.training(module, ended=ended, site=site)
        present = Decimal(hours) if hours is not None else self.modules[module].hours
        self.session.add(Attendance(session=training, person_id=person.id, hours_present=present))
        self.session.flush()
        return training

    def certify(
        self,
        person: Person,
        programme: str,
        *,
        valid_from: date,
        valid_until: date | None = None,
        state: CertificateState = CertificateState.ISSUED,
        revoked_on: date | None = None,
    ) -> Certificate:
        """Add a certificate; ``valid_until`` defaults to ``valid_from`` + the validity."""
        number = next(self.numbers)
        certificate = Certificate(
            serial=f"CDM-{valid_from.year}-{number:06d}",
            status_index=draw_status_index(self.session),
            person_id=person.id,
            programme_id=self.programmes[programme].id,
            issued_on=valid_from,
            valid_from=valid_from,
            valid_until=valid_until
            or add_months(valid_from, self.programmes[programme].validity_months),
            state=state,
            revoked_on=revoked_on,
            revocation_reason="révoqué pour le test" if revoked_on else None,
            snapshot={},
        )
        self.session.add(certificate)
        self.session.flush()
        return certificate

    def qualify(
        self, person: Person, programme: str, *, on: date, level: int | None = None
    ) -> None:
        """Meet every competency and module requirement of ``programme`` on ``on``.

        Competencies are assessed at their minimum level (or ``level``); every module is
        attended in full in a session ending ``on``. Prerequisites are left alone.
        """
        required = self.programmes[programme]
        competency_codes = {c.id: code for code, c in self.competencies.items()}
        module_codes = {m.id: code for code, m in self.modules.items()}
        for requirement in required.competency_requirements:
            minimum = requirement.min_level if level is None else level
            self.assess(person, competency_codes[requirement.competency_id], minimum, on=on)
        for module in required.module_requirements:
            self.attend(person, module_codes[module.module_id], ended=on)
