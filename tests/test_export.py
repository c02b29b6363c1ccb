"""Exports: files French Excel opens, limited to the user's scope, that import back exactly."""

from __future__ import annotations

import shutil
import string
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.orm import Session

from certify.access.permissions import Actor, PermissionDenied, load_actor
from certify.cli import main
from certify.exchange import export_kind, find_kind
from certify.model import (
    AssessmentMethod,
    Certificate,
    CertificateState,
    CoordinatorScope,
    Domain,
    Organisation,
    Person,
    Role,
    Site,
    UserAccount,
)
from certify.store.db import Database
from certify.store.schema import upgrade
from tests.exchange_helpers import copy_all, dump, natural, second_database
from tests.factories import MiniNetwork

#: Entities compared after a round trip (employers named by nobody are not exported).
COMPARED = [
    "region",
    "site",
    "person",
    "framework",
    "domain",
    "competency",
    "module",
    "programme",
    "session",
    "attendance",
    "assessment",
    "certificate",
]


def fill(session: Session) -> None:
    """A network with a bit of everything: employers, leavers, corrections, revocations of
    certificates issued elsewhere."""
    net = MiniNetwork.build(session)
    net.site(
        "ALES", "Point relais d'Alès\u00a0; «\u00a0gare\u00a0»", parent="SQY", region="Occitanie"
    )
    net.framework.domains.append(
        Domain(code="VIDE", label_fr="Domaine sans compétence", label_en="Empty domain", position=9)
    )
    alice = net.person("Alice", "Durand", roles=(Role.COUNSELLOR, Role.TRAINER))
    alice.employer = Organisation(name="France Travail")
    bob = net.person("Bob", "N'Guessan", site="ALES", active_until=date(2025, 6, 30), roles=())
    old = net.assess(alice, "ETH-01", 1, on=date(2019, 3, 12))
    net.assess(alice, "ETH-01", 2, on=date(2019, 3, 12), supersedes=old)
    net.assess(bob, "CON-01", 3, on=date(2024, 1, 5), method=AssessmentMethod.PORTFOLIO)
    net.attend(alice, "M04", ended=date(2024, 2, 1), hours="3.25")
    net.attend(bob, "M04", ended=date(2024, 2, 1), hours="0", site="SQY")
    net.training("M05", ended=date(2024, 5, 3), site="SQY", days=3).trainers.append(alice)
    first = net.certify(alice, "CERT-ACC", valid_from=date(2020, 1, 6))
    first.state = CertificateState.SUPERSEDED
    second = net.certify(alice, "CERT-ACC", valid_from=date(2020, 1, 6))
    second.supersedes_id = first.id
    net.certify(
        bob,
        "CERT-ACC",
        valid_from=date(2021, 5, 1),
        state=CertificateState.REVOKED,
        revoked_on=date(2022, 1, 1),
    )
    session.flush()
    for certificate in session.scalars(select(Certificate)):  # only those round-trip
        certificate.serial = certificate.serial.replace("CDM", "LYON")
        certificate.issued_elsewhere = True
        certificate.import_reason = "Registre papier de Lyon"
    session.flush()


@pytest.fixture
def network(database: Database) -> Database:
    """The filled network."""
    with database.transaction() as session:
        fill(session)
    return database


def test_csv_opens_in_french_excel(network: Database) -> None:
    """UTF-8 with a BOM, ``;``, French headers, dates DD/MM/YYYY, decimal commas."""
    with network.reading() as session:
        export = export_kind(session, Actor.system(), find_kind("sessions"), "csv")
    text = export.data.decode("utf-8")
    lines = text.split("\r\n")
    assert text.startswith("\ufeffModule;Site;Début;Fin;Formateurs;Participant;Heures de présence")
    assert "M04;PARIS;01/02/2024;01/02/2024;;alice.durand.1@example.org;3,25" in lines
    assert "M05;SQY;01/05/2024;03/05/2024;alice.durand.1@example.org;;" in lines
    assert export.rows == 3


@pytest.mark.parametrize("format", ["csv", "xlsx", "yaml"])
def test_round_trip_into_a_fresh_database(network: Database, tmp_path: Path, format: str) -> None:
    """Every kind exported, then imported into an empty database: the same rows."""
    with second_database(network, tmp_path) as fresh:
        copy_all(network, fresh, tmp_path, format)
        assert natural(fresh, COMPARED) == natural(network, COMPARED)
        before = dump(fresh)
        copy_all(network, fresh, tmp_path, format)  # once more: nothing written, not even audit
        assert dump(fresh) == before


def test_coordinators_export_their_scope_only(network: Database) -> None:
    """A coordinator of SQY exports SQY's and its centres' staff; others may not export."""
    with network.transaction() as session:
        jean = session.scalar(select(Person).where(Person.email == "jean.martin@example.org"))
        sqy = session.scalar(select(Site.id).where(Site.code == "SQY"))
        session.add(UserAccount(username="jean", person_id=jean.id, password_hash="-"))
        session.add(CoordinatorScope(person_id=jean.id, site_id=sqy))
    with network.reading() as session:
        actor = load_actor(session, jean.id, "jean")
        staff = export_kind(session, actor, find_kind("staff"), "yaml").data.decode()
        assert "bob" in staff and "alice" not in staff
        counsellor = Actor("c", None, frozenset({Role.COUNSELLOR}))
        with pytest.raises(PermissionDenied):
            export_kind(session, counsellor, find_kind("sites"))


def test_cli_export_to_file_and_stdout(
    network: Database, tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    """``certify export``: the format follows the file's extension; stdout gets CSV."""
    out = tmp_path / "référentiel.xlsx"
    assert main(["--db", network.url, "export", "referentiel", "--out", str(out)]) == 0
    assert out.read_bytes()[:2] == b"PK"
    assert main(["--db", network.url, "export", "sites"]) == 0
    assert capsysbinary.readouterr().out.startswith("\ufeffCode;Nom;Type".encode())


#: Text people type in names and notes: accents, quotes, separators, a formula sign.
TYPED = (
    st.text(
        alphabet=string.ascii_letters + string.digits + " éèêëàâçîïôœùûüÿÉÈÇŒ'’-;,.\"«»=:/()",
        min_size=1,
        max_size=24,
    )
    .map(str.strip)
    .filter(bool)
)
STAFF = st.lists(
    st.tuples(
        TYPED,
        TYPED,
        st.sampled_from(["PARIS", "PARIS-N", "SQY"]),
        st.none() | TYPED,
        st.frozensets(st.sampled_from(list(Role))),
        st.dates(date(2000, 1, 1), date(2030, 12, 31)),
        st.none() | st.integers(0, 3000),
    ),
    min_size=1,
    max_size=6,
)
ASSESSMENTS = st.lists(
    st.tuples(
        st.integers(0, 5),
        st.sampled_from(["ETH-01", "ETH-02", "ACC-01", "CON-01"]),
        st.integers(0, 3),
        st.dates(date(2000, 1, 1), date(2025, 12, 31)),
        st.sampled_from(list(AssessmentMethod)),
        st.text(alphabet=string.ascii_letters + " é;\n\"'", max_size=40).map(str.strip),
    ),
    max_size=8,
    unique_by=lambda a: (a[0], a[1], a[2], a[3]),
)


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty SQLite database at the newest schema, copied for each example."""
    path = tmp_path_factory.mktemp("template") / "empty.db"
    database = Database(f"sqlite:///{path}")
    upgrade(database)
    database.dispose()
    return path


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(staff=STAFF, assessments=ASSESSMENTS, format=st.sampled_from(["csv", "xlsx", "yaml"]))
def test_random_staff_and_assessments_round_trip(
    template: Path,
    tmp_path_factory: pytest.TempPathFactory,
    staff: list,
    assessments: list,
    format: str,
) -> None:
    """Random staff and assessments, exported then imported into a fresh database: the same."""
    folder = tmp_path_factory.mktemp("example")
    shutil.copyfile(template, folder / "a.db")
    shutil.copyfile(template, folder / "b.db")
    source, target = (
        Database(f"sqlite:///{folder / 'a.db'}"),
        Database(f"sqlite:///{folder / 'b.db'}"),
    )
    with source.transaction() as session:
        net = MiniNetwork.build(session)
        people = []
        for number, (given, family, site, employer, roles, since, days) in enumerate(staff):
            person = net.person(given, family, site=site, active_from=since, roles=tuple(roles))
            person.email = f"p{number}@example.org"
            if days is not None:
                person.active_until = date.fromordinal(since.toordinal() + days)
            if employer is not None:
                person.employer = session.scalar(
                    select(Organisation).where(Organisation.name == employer)
                ) or Organisation(name=employer)
            people.append(person)
        session.flush()
        for who, competency, level, day, method, evidence in assessments:
            assessment = net.assess(
                people[who % len(people)], competency, level, on=day, method=method
            )
            assessment.evidence = evidence
    copy_all(source, target, folder, format)
    compared = ["person", "assessment", "site", "competency"]
    assert natural(target, compared) == natural(source, compared)
    source.dispose()
    target.dispose()
