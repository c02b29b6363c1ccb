"""The database itself rejects rows that break the domain's rules."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from certify.errors import DatabaseRefused
from certify.model import (
    Assessment,
    AssessmentMethod,
    Competency,
    Domain,
    Framework,
    Module,
    Person,
    Programme,
    Region,
    ScaleLevel,
    Site,
    SiteKind,
    TrainingSession,
)
from certify.store.db import Database


@pytest.fixture
def network(database: Database) -> Database:
    """A site, two people, a module and a framework with a 0–3 scale and one competency."""
    with database.transaction() as session:
        region = Region(id=1, name="Occitanie", country="FR")
        site = Site(
            id=1,
            code="NIMES",
            name="Cité des métiers de Nîmes",
            kind=SiteKind.CITE,
            region=region,
            city="Nîmes",
        )
        framework = Framework(
            id=1,
            code="RCM",
            version=1,
            title_fr="Référentiel",
            title_en="Framework",
            proficiency_threshold=2,
        )
        framework.levels = [
            ScaleLevel(level=n, label_fr=f"N{n}", label_en=f"L{n}") for n in range(4)
        ]
        domain = Domain(
            id=1, framework=framework, code="ETH", label_fr="Éthique", label_en="Ethics"
        )
        session.add_all(
            [
                site,
                Competency(
                    id=1,
                    framework=framework,
                    domain=domain,
                    code="ETH-01",
                    label_fr="Charte",
                    label_en="Charter",
                ),
                Person(
                    id=1,
                    given_name="Ayşe",
                    family_name="Yılmaz",
                    email="ayse@example.org",
                    site=site,
                    active_from=date(2024, 1, 1),
                ),
                Person(
                    id=2,
                    given_name="Nguyễn Thị",
                    family_name="Hương",
                    email="huong@example.org",
                    site=site,
                    active_from=date(2024, 1, 1),
                ),
            ]
        )
    return database


def assessment(**overrides: object) -> Assessment:
    """A valid assessment of person 1 by person 2, changed by ``overrides``."""
    values: dict[str, object] = dict(
        person_id=1,
        competency_id=1,
        framework_id=1,
        level=2,
        assessed_on=date(2026, 3, 2),
        assessor_id=2,
        method=AssessmentMethod.OBSERVATION,
    )
    values.update(overrides)
    return Assessment(**values)


def rejected(database: Database, build: Callable[[Session], object]) -> None:
    """Assert that writing what ``build`` adds is refused by the database (one plain line)."""
    with pytest.raises(DatabaseRefused), database.transaction() as session:
        session.add(build(session))
        session.flush()


def test_valid_assessment_is_accepted(network: Database) -> None:
    """The baseline row is fine, so the rejections below are about what they change."""
    with network.transaction() as session:
        session.add(assessment())


@pytest.mark.parametrize(
    "change",
    [
        pytest.param({"level": 4}, id="level above the scale"),
        pytest.param({"level": -1}, id="level below the scale"),
        pytest.param({"person_id": 99}, id="unknown person"),
        pytest.param({"assessor_id": 1}, id="self-assessment"),
        pytest.param({"competency_id": 42}, id="unknown competency"),
    ],
)
def test_bad_assessments_are_rejected(network: Database, change: dict[str, object]) -> None:
    """Levels outside the scale, unknown people or competencies, self-assessment."""
    rejected(network, lambda _: assessment(**change))


def test_correction_needs_a_reason_and_supersedes_once(network: Database) -> None:
    """A correction names what it supersedes with a reason; one correction per assessment."""
    with network.transaction() as session:
        original = assessment()
        session.add(original)
        session.flush()
        original_id = original.id
    rejected(network, lambda _: assessment(supersedes_id=original_id))
    with network.transaction() as session:
        session.add(assessment(level=3, supersedes_id=original_id, correction_reason="typo"))
    rejected(
        network,
        lambda _: assessment(level=1, supersedes_id=original_id, correction_reason="again"),
    )


def test_duplicate_competency_code_in_framework(network: Database) -> None:
    """Competency codes are unique within a framework."""
    rejected(
        network,
        lambda _: Competency(
            framework_id=1, domain_id=1, code="ETH-01", label_fr="Doublon", label_en="Duplicate"
        ),
    )


def test_same_code_allowed_in_another_framework_version(network: Database) -> None:
    """Version 2 of a framework may reuse its codes."""
    with network.transaction() as session:
        framework = Framework(
            id=2, code="RCM", version=2, title_fr="v2", title_en="v2", proficiency_threshold=2
        )
        domain = Domain(id=2, framework=framework, code="ETH", label_fr="É", label_en="E")
        session.add(
            Competency(
                id=2,
                framework=framework,
                domain=domain,
                code="ETH-01",
                label_fr="Charte",
                label_en="Charter",
            )
        )


@pytest.mark.parametrize(
    "build",
    [
        pytest.param(
            lambda _: Site(code="RELAIS", name="Point relais", region_id=1, kind=SiteKind.RELAIS),
            id="relais without main site",
        ),
        pytest.param(
            lambda _: Site(code="TWO", name="Cité", region_id=1, parent_id=1, kind=SiteKind.CITE),
            id="cité attached to another",
        ),
        pytest.param(
            lambda _: Person(
                given_name="A",
                family_name="B",
                email="ayse@example.org",
                site_id=1,
                active_from=date(2024, 1, 1),
            ),
            id="duplicate e-mail",
        ),
        pytest.param(
            lambda _: Person(
                given_name="A",
                family_name="B",
                email="a@example.org",
                site_id=1,
                active_from=date(2024, 1, 1),
                active_until=date(2023, 1, 1),
            ),
            id="left before joining",
        ),
        pytest.param(
            lambda _: Module(
                code="M99", title_fr="M", title_en="M", hours=Decimal(0), refresh_months=None
            ),
            id="module without hours",
        ),
        pytest.param(
            lambda _: TrainingSession(
                module_id=1, site_id=1, starts_on=date(2026, 5, 2), ends_on=date(2026, 5, 1)
            ),
            id="session ending before it starts",
        ),
        pytest.param(
            lambda _: Programme(
                code="P",
                title_fr="P",
                title_en="P",
                framework_id=1,
                validity_months=12,
                recert_window_months=12,
            ),
            id="renewal window as long as validity",
        ),
    ],
)
def test_other_rules_are_enforced(network: Database, build: Callable[[Session], object]) -> None:
    """Site hierarchy, unique e-mails, ordered dates, positive hours, sane windows."""
    rejected(network, build)


def test_unknown_method_is_rejected_by_the_database(network: Database) -> None:
    """The CHECK constraint holds even for a write that bypasses the ORM."""
    statement = text(
        "INSERT INTO assessment (person_id, competency_id, framework_id, level, assessed_on,"
        " assessor_id, method, evidence, recorded_at) VALUES (1, 1, 1, 2, '2026-03-02', 2,"
        " 'gossip', '', '2026-03-02 10:00:00+00')"
    )
    with pytest.raises(DatabaseRefused), network.transaction() as session:
        session.execute(statement)
