"""The demo network: determinism, shape, profiles, ``--staff N``, refusal and the CLI."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from dateutil.relativedelta import relativedelta
from sqlalchemy import select

from certify.cli import main
from certify.demo import DemoSummary, Profile, Progress, generate
from certify.demo.plans import HOLDING
from certify.errors import CertifyError
from certify.model import (
    Assessment,
    Attendance,
    Competency,
    CoordinatorScope,
    Module,
    Person,
    PersonRole,
    Programme,
    Role,
    SessionTrainer,
    Site,
    SiteKind,
    TrainingSession,
)
from certify.store.db import Database
from certify.store.schema import upgrade

#: Seed of the tests' demo networks.
SEED = 7
#: Reference date of the tests' demo networks.
AS_OF = date(2026, 11, 20)
#: Tables compared row by row between two generations.
DUMPED = (
    Person,
    PersonRole,
    CoordinatorScope,
    TrainingSession,
    SessionTrainer,
    Attendance,
    Assessment,
)


def dump(database: Database) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of the generated tables, in primary-key order."""
    rows = {}
    with database.reading() as session:
        for model in DUMPED:
            table = model.__table__
            query = select(table).order_by(*table.primary_key.columns)
            rows[table.name] = [tuple(row) for row in session.execute(query)]
    return rows


def sqlite_database(path: Path) -> Database:
    """A migrated, empty SQLite database at ``path``."""
    database = Database(f"sqlite:///{path}")
    upgrade(database)
    return database


@pytest.fixture
def demo(database: Database) -> DemoSummary:
    """The default (~200 staff) demo network in the backend's database."""
    return generate(database, seed=SEED, as_of=AS_OF)


def test_same_seed_gives_identical_rows(
    database: Database, demo: DemoSummary, tmp_path: Path
) -> None:
    """Same seed and date: the same rows, ids included (also across backends)."""
    other = sqlite_database(tmp_path / "again.db")
    again = generate(other, seed=SEED, as_of=AS_OF)
    assert again == demo
    assert dump(other) == dump(database)
    other.dispose()


def test_another_seed_gives_other_people(tmp_path: Path) -> None:
    """A different seed draws different people."""
    first, second = sqlite_database(tmp_path / "a.db"), sqlite_database(tmp_path / "b.db")
    generate(first, seed=SEED, as_of=AS_OF)
    generate(second, seed=SEED + 1, as_of=AS_OF)
    assert dump(first)["person"] != dump(second)["person"]
    for database in (first, second):
        database.dispose()


def test_network_shape(database: Database, demo: DemoSummary) -> None:
    """Staff everywhere, every role, non-Latin-1 names, unique ASCII e-mails, coordinators."""
    with database.reading() as session:
        sites = session.scalars(select(Site)).all()
        people = session.scalars(select(Person)).all()
        roles = session.execute(select(PersonRole.person_id, PersonRole.role)).all()
        scopes = session.scalars(select(CoordinatorScope)).all()
    assert len(people) == demo.staff == 200
    assert {s.kind for s in sites} == set(SiteKind)
    assert sum(s.kind is SiteKind.CITE for s in sites) == 20
    site_roles = defaultdict(set)
    by_id = {p.id: p for p in people}
    for person_id, role in roles:
        if by_id[person_id].active_until is None:
            site_roles[by_id[person_id].site_id].add(role)
    for site in sites:
        assert {Role.RECEPTION, Role.COUNSELLOR} <= site_roles[site.id], site.code
        if site.kind is SiteKind.CITE:
            assert {Role.COORDINATOR, Role.TRAINER} <= site_roles[site.id], site.code
    assert {role for _, role in roles} == set(Role)
    assert any(not _latin1(f"{p.given_name} {p.family_name}") for p in people)
    assert len({p.email for p in people}) == len(people)
    assert all(p.email.isascii() and p.email.endswith(".cdm-demo.org") for p in people)
    assert any(p.active_until is not None and p.active_until < AS_OF for p in people)
    assert any(p.active_from > AS_OF - relativedelta(months=6) for p in people)
    kinds = {(s.site_id is not None, s.region_id is not None) for s in scopes}
    assert kinds == {(True, False), (False, True), (False, False)}


def _latin1(text: str) -> bool:
    """Whether ``text`` can be written in Latin-1."""
    try:
        text.encode("latin-1")
    except UnicodeEncodeError:
        return False
    return True


def test_sessions_and_assessments_shape(database: Database, demo: DemoSummary) -> None:
    """Sessions of 6-14 with outside trainers; assessments spread over levels and years."""
    with database.reading() as session:
        sessions = session.scalars(select(TrainingSession)).all()
        attendance = session.execute(
            select(Attendance.session_id, Attendance.person_id, Attendance.hours_present)
        ).all()
        trainers = session.execute(select(SessionTrainer.session_id, SessionTrainer.person_id))
        trainers_of = defaultdict(set)
        for session_id, person_id in trainers:
            trainers_of[session_id].add(person_id)
        hours = dict(session.execute(select(Module.id, Module.hours)).all())
        assessments = session.scalars(select(Assessment)).all()
        competencies = session.scalars(select(Competency.id)).all()
    participants = defaultdict(set)
    for session_id, person_id, _ in attendance:
        participants[session_id].add(person_id)
    for training in sessions:
        assert trainers_of[training.id]
        assert not trainers_of[training.id] & participants[training.id]
        if training.starts_on < AS_OF:
            assert training.ends_on < AS_OF
            assert 6 <= len(participants[training.id]) <= 14
        else:
            assert not participants[training.id]
    assert any(s.starts_on > AS_OF for s in sessions)
    module_of = {s.id: s.module_id for s in sessions}
    shares = [h / hours[module_of[s]] for s, _, h in attendance]
    assert any(0 < share < Decimal("0.8") for share in shares)
    assert any(share == 0 for share in shares)
    levels = defaultdict(set)
    for assessment in assessments:
        levels[assessment.competency_id].add(assessment.level)
        assert assessment.assessor_id != assessment.person_id
        assert assessment.assessed_on < AS_OF
    assert all(len(levels[c]) >= 3 for c in competencies)
    days = sorted(a.assessed_on for a in assessments)
    three_years = AS_OF - relativedelta(years=3)
    assert days[0] <= three_years
    assert any(three_years <= d < three_years + relativedelta(months=9) for d in days)
    assert days[-1] >= AS_OF - relativedelta(months=1)
    corrections = [a for a in assessments if a.supersedes_id is not None]
    assert corrections and all(a.correction_reason for a in corrections)
    assert any(a.session_id is None for a in assessments)


@dataclass
class Facts:
    """What the test's own eligibility check reads from the database."""

    #: Programme code -> (competency id -> minimum level, module ids, prerequisites).
    programmes: dict[str, tuple[dict[int, int], list[int], dict[str, int]]]
    #: Module id -> (hours, refresh months).
    modules: dict[int, tuple[Decimal, int | None]]
    #: Person id -> (active from, active until).
    people: dict[int, tuple[date, date | None]]
    #: (person id, competency id) -> [(day, id, level)] of assessments still standing.
    levels: dict[tuple[int, int], list[tuple[date, int, int]]]
    #: Person id -> [(module id, last day, hours present)].
    attended: dict[int, list[tuple[int, date, Decimal]]]
    #: (person id, programme code) -> generated progress.
    progress: dict[tuple[int, str], Progress]


def load_facts(database: Database, demo: DemoSummary) -> Facts:
    """Read programmes, modules, staff, assessments and attendance."""
    with database.reading() as session:
        programmes = {}
        for programme in session.scalars(select(Programme)):
            programmes[programme.code] = (
                {r.competency_id: r.min_level for r in programme.competency_requirements},
                [r.module_id for r in programme.module_requirements],
                {r.prerequisite.code: r.min_held_months for r in programme.prerequisites},
            )
        modules = {m.id: (m.hours, m.refresh_months) for m in session.scalars(select(Module))}
        people = {p.id: (p.active_from, p.active_until) for p in session.scalars(select(Person))}
        assessments = session.scalars(select(Assessment)).all()
        attendance = session.execute(
            select(
                Attendance.person_id,
                TrainingSession.module_id,
                TrainingSession.ends_on,
                Attendance.hours_present,
            ).join(TrainingSession)
        ).all()
    superseded = {a.supersedes_id for a in assessments}
    levels = defaultdict(list)
    for a in assessments:
        if a.id not in superseded:
            levels[a.person_id, a.competency_id].append((a.assessed_on, a.id, a.level))
    attended = defaultdict(list)
    for person_id, module_id, ends_on, hours in attendance:
        attended[person_id].append((module_id, ends_on, hours))
    progress = {(p.person_id, p.programme): p for p in demo.progress}
    return Facts(programmes, modules, people, levels, attended, progress)


def unmet(facts: Facts, person: int, code: str, day: date) -> list[str]:
    """The requirements of ``code`` that ``person`` does not meet on ``day``."""
    competencies, modules, prerequisites = facts.programmes[code]
    missing = []
    start, end = facts.people[person]
    if not start <= day <= (end or day):
        missing.append("active")
    for competency, minimum in competencies.items():
        known = [x for x in facts.levels[person, competency] if x[0] <= day]
        latest = max(known, default=None)
        if latest is None or latest[2] < minimum or latest[0] + relativedelta(months=36) <= day:
            missing.append(f"competency {competency}")
    for module in modules:
        hours, refresh = facts.modules[module]
        if not any(
            m == module
            and ends <= day
            and present * 100 >= hours * 80
            and (refresh is None or ends + relativedelta(months=refresh) > day)
            for m, ends, present in facts.attended[person]
        ):
            missing.append(f"module {module}")
    for prerequisite, held in prerequisites.items():
        earlier = facts.progress.get((person, prerequisite))
        issued = earlier.last_worked_on if earlier else None
        certified = earlier is not None and earlier.profile in HOLDING and issued is not None
        if not (
            certified
            and issued + relativedelta(months=held) <= day
            and day <= issued + relativedelta(months=36)
        ):
            missing.append(f"prerequisite {prerequisite}")
    return missing


def test_profiles_match_the_data(database: Database, demo: DemoSummary) -> None:
    """Every programme has every profile, and each profile holds against the stored rows."""
    counts = demo.profile_counts()
    assert set(counts) == {"CERT-ACC", "CERT-CONS", "CERT-ACP", "CERT-FORM"}
    assert all(set(c) == set(Profile) for c in counts.values())
    facts = load_facts(database, demo)
    for item in demo.progress:
        person, code = item.person_id, item.programme
        if item.profile in HOLDING:
            done = item.last_worked_on
            assert done is not None
            assert unmet(facts, person, code, done) == [], item
            assert unmet(facts, person, code, AS_OF) or item.profile is Profile.CERTIFIED, item
            renewal_opens = done + relativedelta(months=30)
            valid_until = done + relativedelta(months=36)
            if item.profile is Profile.CERTIFIED:
                assert renewal_opens > AS_OF, item
            elif item.profile is Profile.EXPIRING:
                assert renewal_opens <= AS_OF <= valid_until, item
            else:
                assert valid_until < AS_OF, item
        elif item.profile is Profile.CLOSE:
            assert 1 <= len(item.gaps) <= 2, item
            assert len(unmet(facts, person, code, AS_OF)) == len(item.gaps), item
        else:
            assert len(unmet(facts, person, code, AS_OF)) >= 3, item


def test_staff_option_gives_exactly_n(database: Database) -> None:
    """``--staff N`` generates exactly N staff, spread over every site."""
    summary = generate(database, seed=SEED, as_of=AS_OF, staff=300)
    with database.reading() as session:
        people = session.scalars(select(Person.site_id)).all()
        sites = session.scalars(select(Site.id)).all()
    assert summary.staff == len(people) == 300
    assert set(people) == set(sites)


def test_refuses_a_database_with_staff(database: Database, demo: DemoSummary) -> None:
    """A second load is refused with the database named, and changes nothing."""
    before = dump(database)
    with pytest.raises(
        CertifyError, match=f"{re.escape(database.display_url)} already has 200 staff"
    ):
        generate(database, seed=SEED + 1, as_of=AS_OF)
    assert dump(database) == before


def test_too_few_staff_is_refused(database: Database) -> None:
    """Fewer staff than the network's core positions is an error, not a broken network."""
    with pytest.raises(CertifyError, match="at least"):
        generate(database, seed=SEED, as_of=AS_OF, staff=10)


def test_hook_runs_in_the_same_transaction(database: Database) -> None:
    """Work done by ``then`` sees the network, and its failure rolls everything back."""
    seen = []

    def then(session: Any, summary: DemoSummary) -> None:
        """Count the staff, then fail."""
        seen.append(len(session.scalars(select(Person.id)).all()))
        raise CertifyError("stop")

    with pytest.raises(CertifyError, match="stop"):
        generate(database, seed=SEED, as_of=AS_OF, then=then)
    assert seen == [200]
    with database.reading() as session:
        assert session.scalars(select(Person)).first() is None


def test_cli_end_to_end(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """``certify demo`` loads and summarises; ``info`` counts the rows; a rerun is refused;
    the standings snapshot is of the demo's day, and a new day recomputes it."""
    path = str(tmp_path / "demo.db")
    assert (
        main(["--lang", "en", "--db", path, "demo", "--seed", "11", "--as-of", "2026-11-20"]) == 0
    )
    out = capsys.readouterr().out
    assert "28 sites, 200 staff" in out and "seed 11, as of 2026-11-20" in out
    assert main(["--db", path, "info"]) == 0
    assert "person                           200" in capsys.readouterr().out
    assert main(["--db", path, "demo"]) == 1
    assert "compte déjà 200 personne(s) du personnel" in capsys.readouterr().err
    assert main(["--db", path, "db", "refresh", "--as-of", "2026-11-20"]) == 0
    assert "situations du 20 novembre 2026\u00a0: déjà à jour, 0 personne," in (
        capsys.readouterr().out
    )
    assert main(["--lang", "en", "--db", path, "db", "refresh", "--as-of", "2026-11-21"]) == 0
    assert "standings of 21 November 2026: whole network computed again, 197 persons" in (
        capsys.readouterr().out
    )


def test_new_rows_get_ids_after_the_demo(database: Database, demo: DemoSummary) -> None:
    """Ids assigned in Python leave the id sequences past them (PostgreSQL setval)."""
    with database.transaction() as session:
        first = session.scalars(select(Person)).first()
        assert first is not None
        newcomer = Person(
            given_name="Łukasz",
            family_name="Wróbel",
            email="lukasz.wrobel@new.cdm-demo.org",
            site_id=first.site_id,
            active_from=AS_OF,
        )
        training = TrainingSession(
            module_id=session.scalars(select(Module.id)).first(),
            site_id=first.site_id,
            starts_on=AS_OF,
            ends_on=AS_OF,
        )
        session.add_all([newcomer, training])
        session.flush()
        assert newcomer.id == demo.staff + 1
        assert training.id == demo.sessions + 1
