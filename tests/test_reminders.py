"""Expiry reminders: what is due, sent once by a real SMTP server, refusals and outages
retried, opt-out, dry run, and who may turn a person's reminders off."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from alembic import command
from sqlalchemy import inspect, select, text
from sqlalchemy.exc import IntegrityError

from certify.access.permissions import PermissionDenied
from certify.cli import main
from certify.errors import CertifyError
from certify.model import (
    AuditEvent,
    CertificateState,
    CoordinatorScope,
    Person,
    Role,
)
from certify.rules.reminder_messages import NBSP
from certify.rules.reminders import DEFAULT_THRESHOLDS, Due, due, parse_thresholds
from certify.rules.written_dates import written_date
from certify.services.reminders import set_reminders
from certify.store.audit import verify_chain
from certify.store.db import Database
from certify.store.run_lock import one_run_at_a_time
from certify.store.schema import alembic_config, current_revision, upgrade
from tests.factories import MiniNetwork
from tests.network import SmallNetwork, build_small_network

#: The day of the runs: Alice's certificate ends 30 days later, on 19 June 2027.
AS_OF = date(2027, 5, 20)
ALICE_UNTIL = date(2027, 6, 19)


@dataclass
class Recorder:
    """An aiosmtpd handler keeping what it received, refusing what it is told to."""

    #: Messages accepted: (envelope recipients, parsed message).
    received: list[tuple[list[str], EmailMessage]] = field(default_factory=list)
    #: Addresses refused at RCPT with a 550.
    refuse_rcpt: set[str] = field(default_factory=set)
    #: Refuse every DATA with a 554.
    refuse_data: bool = False
    #: Refuse every MAIL FROM with a 451 (a server busy, a temporary refusal).
    refuse_mail: bool = False

    async def handle_MAIL(
        self, server: Any, session: Any, envelope: Any, address: str, mail_options: Any
    ) -> str:
        """Accept or refuse the sender."""
        if self.refuse_mail:
            return "451 4.3.0 try again later"
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: Any
    ) -> str:
        """Accept or refuse one recipient."""
        if address in self.refuse_rcpt:
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        """Keep the message, or refuse it."""
        if self.refuse_data:
            return "554 5.7.1 message refused"
        parsed = message_from_bytes(envelope.content, policy=policy.default)
        assert isinstance(parsed, EmailMessage)
        self.received.append((list(envelope.rcpt_tos), parsed))
        return "250 Message accepted"

    def to(self, address: str) -> list[EmailMessage]:
        """Messages received for ``address``."""
        return [message for rcpts, message in self.received if address in rcpts]


def free_port() -> int:
    """A TCP port nothing listens on (now)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp(monkeypatch: pytest.MonkeyPatch) -> Iterator[Recorder]:
    """A real SMTP server on 127.0.0.1, and the environment pointing certify at it."""
    handler = Recorder()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    point_at(monkeypatch, controller.port)
    yield handler
    controller.stop()


def point_at(monkeypatch: pytest.MonkeyPatch, port: int) -> None:
    """Send through 127.0.0.1:``port``, without STARTTLS (the test server has none)."""
    monkeypatch.setenv("CERTIFY_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("CERTIFY_SMTP_PORT", str(port))
    monkeypatch.setenv("CERTIFY_SMTP_STARTTLS", "off")
    monkeypatch.setenv("CERTIFY_SMTP_FROM", "certify@cdm.example")
    monkeypatch.delenv("CERTIFY_SMTP_USER", raising=False)
    monkeypatch.delenv("CERTIFY_SMTP_PASSWORD", raising=False)


@dataclass(frozen=True)
class People:
    """The e-mails of the network's people who matter here."""

    alice: str
    bruno: str
    coordinator: str
    sqy_coordinator: str
    alice_id: int


@pytest.fixture
def people(database: Database) -> People:
    """Alice (PARIS, CERT-ACC until 19 June 2027), Bruno (PARIS-N, CERT-CONS until 1 June
    2027), Jean Martin coordinating PARIS (his own site, no scope row), Zoé coordinating SQY
    only, and certificates no reminder is due for."""
    with database.transaction() as session:
        net = MiniNetwork.build(session)
        alice = net.person("Alice", "Durand")
        net.certify(alice, "CERT-ACC", valid_from=date(2024, 6, 20), valid_until=ALICE_UNTIL)
        bruno = net.person("Bruno", "Lefèvre", site="PARIS-N")
        net.certify(bruno, "CERT-CONS", valid_from=date(2024, 6, 2), valid_until=date(2027, 6, 1))
        zoe = net.person("Zoé", "Nguyen", site="SQY", roles=(Role.COORDINATOR,))
        session.add(CoordinatorScope(person_id=zoe.id, site_id=net.sites["SQY"].id))
        # Nothing due: renewed, revoked, superseded, left the network, expired long ago.
        renewed = net.person("Chloé", "Renouvelée")
        net.certify(renewed, "CERT-ACC", valid_from=date(2024, 5, 1), valid_until=date(2027, 6, 1))
        net.certify(renewed, "CERT-ACC", valid_from=date(2027, 5, 1), valid_until=date(2030, 5, 1))
        revoked = net.person("Denis", "Révoqué")
        net.certify(
            revoked,
            "CERT-ACC",
            valid_from=date(2024, 6, 1),
            valid_until=date(2027, 6, 1),
            state=CertificateState.REVOKED,
            revoked_on=date(2025, 1, 1),
        )
        superseded = net.person("Emma", "Remplacée")
        net.certify(
            superseded,
            "CERT-ACC",
            valid_from=date(2024, 6, 1),
            valid_until=date(2027, 6, 1),
            state=CertificateState.SUPERSEDED,
        )
        gone = net.person("Farid", "Parti", active_until=date(2027, 1, 1))
        net.certify(gone, "CERT-ACC", valid_from=date(2024, 6, 1), valid_until=date(2027, 6, 1))
        old = net.person("Gaëlle", "Ancienne")
        net.certify(old, "CERT-ACC", valid_from=date(2024, 1, 1), valid_until=date(2027, 3, 1))
        return People(alice.email, bruno.email, net.assessor.email, zoe.email, alice.id)


def remind(database: Database, *options: str) -> int:
    """Run ``certify remind`` on ``database`` as of :data:`AS_OF` (unless told otherwise)."""
    day = [] if "--as-of" in options else ["--as-of", AS_OF.isoformat()]
    return main(["--db", database.engine.url.render_as_string(False), "remind", *day, *options])


def reminder_rows(database: Database) -> set[tuple[str, int, str, bool]]:
    """Every reminder recorded: (serial's holder e-mail, threshold, kind, passed over)."""
    with database.reading() as session:
        rows = session.execute(
            text(
                "SELECT p.email, r.threshold_days, r.recipient_kind, r.skipped "
                "FROM expiry_reminder r JOIN certificate c ON c.id = r.certificate_id "
                "JOIN person p ON p.id = c.person_id"
            )
        ).all()
    return {(email, days, kind, bool(skipped)) for email, days, kind, skipped in rows}


def sent_events(database: Database) -> list[AuditEvent]:
    """The audit events of e-mails sent."""
    with database.reading() as session:
        return list(session.scalars(select(AuditEvent).where(AuditEvent.action == "reminder.sent")))


def test_the_rule_sends_the_most_urgent_threshold_once() -> None:
    """One reminder for the most urgent threshold reached; the others are passed over; a
    threshold recorded never goes again; an expiry over 30 days old is history."""
    assert due(91, DEFAULT_THRESHOLDS, ()) is None
    assert due(90, DEFAULT_THRESHOLDS, ()) == Due(90)
    assert due(45, DEFAULT_THRESHOLDS, {90}) == Due(60)
    assert due(5, DEFAULT_THRESHOLDS, {90}) == Due(7, (60, 30))
    assert due(3, DEFAULT_THRESHOLDS, {90, 60, 30, 7}) is None
    assert due(0, DEFAULT_THRESHOLDS, {90, 60, 30, 7}) == Due(0)
    assert due(-30, DEFAULT_THRESHOLDS, {90, 60, 30, 7}) == Due(0)
    assert due(-31, DEFAULT_THRESHOLDS, ()) is None
    assert parse_thresholds("7, 90,0,30") == (90, 30, 7, 0)
    for wrong in ("", "90,,30", "90;30", "-7", "30,30", "4000", "un"):
        with pytest.raises(CertifyError, match="reminder threshold"):
            parse_thresholds(wrong)


def test_days_are_written_out() -> None:
    """« 19 juin 2027 », « 1er juillet 2027 », « 19 June 2027 »."""
    assert written_date(date(2027, 6, 19), "fr") == "19 juin 2027"
    assert written_date(date(2027, 7, 1), "fr") == "1er juillet 2027"
    assert written_date(date(2027, 8, 15), "fr") == "15 août 2027"
    assert written_date(date(2027, 6, 19), "en") == "19 June 2027"


def test_holders_and_coordinators_are_reminded_once(
    database: Database, people: People, smtp: Recorder, capsys: pytest.CaptureFixture[str]
) -> None:
    """The holder gets their reminder in French, the coordinator of their site one digest
    listing everyone due; a second run sends nothing; each e-mail is audited by ids."""
    assert remind(database) == 0
    [alice_mail] = smtp.to(people.alice)
    assert alice_mail["Subject"] == (
        f"Votre certificat CERT-ACC arrive à échéance{NBSP}: il expire dans 30{NBSP}jours"
    )
    assert alice_mail["From"] == "certify@cdm.example"
    body = alice_mail.get_content()
    assert "Bonjour Alice," in body
    assert f"«{NBSP}Chargé·e d'accueil de 1er niveau{NBSP}» (CERT-ACC)" in body
    assert f"valable jusqu'au 19 juin 2027{NBSP}: il expire dans 30{NBSP}jours." in body
    assert f"Que faire{NBSP}?" in body
    for mark in ":;?!":
        assert f" {mark}" not in body  # French typography: never a plain space before
    [bruno_mail] = smtp.to(people.bruno)
    assert "1er juin 2027" in bruno_mail.get_content()
    assert f"12{NBSP}jours" in bruno_mail.get_content()
    [digest] = smtp.to(people.coordinator)
    assert digest["Subject"] == f"Certificats arrivant à échéance dans votre périmètre{NBSP}: 2"
    lines = [line for line in digest.get_content().splitlines() if line.startswith("- ")]
    assert len(lines) == 2
    assert lines[0].startswith(f"- Bruno Lefèvre (PARIS-N){NBSP}: CERT-CONS")  # soonest first
    assert "Alice Durand (PARIS)" in lines[1] and "19 juin 2027" in lines[1]
    assert smtp.to(people.sqy_coordinator) == []
    assert len(smtp.received) == 3  # nothing for the certificates renewed, revoked…
    alice = {row for row in reminder_rows(database) if row[0] == people.alice}
    assert alice == {
        (people.alice, 30, "holder", False),
        (people.alice, 90, "holder", True),
        (people.alice, 60, "holder", True),
        (people.alice, 30, "coordinators", False),
        (people.alice, 90, "coordinators", True),
        (people.alice, 60, "coordinators", True),
    }
    events = sent_events(database)
    assert len(events) == 3
    payloads = " ".join(str(event.details) for event in events)
    assert "@" not in payloads and "Alice" not in payloads and "Durand" not in payloads
    with database.reading() as session:
        assert verify_chain(session).intact
    assert f"envoyé à {people.alice} (titulaire)\u00a0: CDM-" in capsys.readouterr().out

    assert remind(database) == 0
    assert len(smtp.received) == 3
    assert "aucun rappel à envoyer le " in capsys.readouterr().out
    assert remind(database, "--as-of", "2027-05-25") == 0  # Bruno at 7 days
    assert len(smtp.received) == 5
    assert [m["Subject"] for m in smtp.to(people.bruno)][-1].endswith(f"7{NBSP}jours")


def test_thresholds_passed_since_the_last_run_never_go_later(
    database: Database, people: People, smtp: Recorder
) -> None:
    """Run at 45 days: the 60-day reminder (90 passed over); at 5 days: the 7-day one (30
    passed over); at 3 days: nothing; on the last day: the one on expiry."""
    counts = []
    for day in ("2027-05-05", "2027-06-14", "2027-06-16", "2027-06-19"):
        assert remind(database, "--as-of", day, "--thresholds", "90,60,30,7,0") == 0
        counts.append(len(smtp.to(people.alice)))
    assert counts == [1, 2, 2, 3]
    subjects = [mail["Subject"] for mail in smtp.to(people.alice)]
    assert subjects[0].endswith(f"45{NBSP}jours") and subjects[1].endswith(f"5{NBSP}jours")
    assert subjects[2] == "Votre certificat CERT-ACC arrive à échéance"
    assert "dernier jour de validité" in smtp.to(people.alice)[2].get_content()
    holder = {
        (days, skipped)
        for e, days, kind, skipped in reminder_rows(database)
        if e == people.alice and kind == "holder"
    }
    assert holder == {(90, True), (60, False), (30, True), (7, False), (0, False)}


@pytest.mark.parametrize("refused", ["MAIL", "RCPT", "DATA"])
def test_a_refusing_server_marks_nothing_and_the_next_run_sends(
    database: Database,
    people: People,
    smtp: Recorder,
    refused: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A 451 at MAIL, a 550 at RCPT (Alice's address) or a 554 at DATA: nothing of that
    e-mail is marked sent, the run says which failed and exits non-zero; the next run,
    accepted, sends it."""
    if refused == "RCPT":
        smtp.refuse_rcpt.add(people.alice)
    smtp.refuse_data = refused == "DATA"
    smtp.refuse_mail = refused == "MAIL"
    assert remind(database) != 0
    error = capsys.readouterr().err
    assert f"non envoyé à {people.alice}" in error
    assert {"MAIL": "451", "RCPT": "550", "DATA": "554"}[refused] in error
    assert not any(row[0] == people.alice and row[2] == "holder" for row in reminder_rows(database))
    if refused != "RCPT":
        assert reminder_rows(database) == set() and sent_events(database) == []
    smtp.refuse_rcpt.clear()
    smtp.refuse_data = smtp.refuse_mail = False
    assert remind(database) == 0
    assert len(smtp.to(people.alice)) == 1
    assert (people.alice, 30, "holder", False) in reminder_rows(database)


def test_a_server_down_marks_nothing_and_the_next_run_sends(
    database: Database,
    people: People,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Nothing listens: one plain line, exit 1, nothing recorded; then a server is up."""
    point_at(monkeypatch, free_port())
    assert remind(database) == 1
    error = capsys.readouterr().err
    assert error.startswith("certify\u00a0: erreur\u00a0: serveur d'envoi injoignable (127.0.0.1:")
    assert "Traceback" not in error
    assert reminder_rows(database) == set() and sent_events(database) == []
    handler = Recorder()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        point_at(monkeypatch, controller.port)
        assert remind(database) == 0
    finally:
        controller.stop()
    assert len(handler.to(people.alice)) == 1
    assert len(sent_events(database)) == 3


def test_starttls_the_server_lacks_marks_nothing(
    database: Database, people: People, smtp: Recorder, monkeypatch: pytest.MonkeyPatch
) -> None:
    """STARTTLS is on by default: a server without it is refused, nothing sent in clear."""
    monkeypatch.delenv("CERTIFY_SMTP_STARTTLS")
    assert remind(database) == 1
    assert smtp.received == [] and reminder_rows(database) == set()


def test_a_person_who_opted_out_gets_nothing_but_stays_in_the_digest(
    database: Database, people: People, smtp: Recorder
) -> None:
    """Alice turned hers off: no e-mail to her; her coordinator's digest still lists her,
    saying so (renewing is also the coordinator's business)."""
    url = database.engine.url.render_as_string(False)
    assert main(["--db", url, "person", "reminders", people.alice, "--off"]) == 0
    assert remind(database) == 0
    assert smtp.to(people.alice) == []
    [digest] = smtp.to(people.coordinator)
    [line] = [line for line in digest.get_content().splitlines() if "Alice" in line]
    assert "rappels désactivés à sa demande" in line
    assert not any(row[0] == people.alice and row[2] == "holder" for row in reminder_rows(database))
    assert main(["--db", url, "person", "reminders", people.alice, "--on"]) == 0
    assert remind(database) == 0
    assert len(smtp.to(people.alice)) == 1  # back on: the threshold due now


def test_a_dry_run_lists_and_sends_nothing(
    database: Database, people: People, smtp: Recorder, capsys: pytest.CaptureFixture[str]
) -> None:
    """``--dry-run`` names each recipient, serial and threshold; nothing is sent or kept."""
    assert remind(database, "--dry-run") == 0
    out = capsys.readouterr().out
    assert f"enverrait à {people.alice} (titulaire)\u00a0: CDM-2024-" in out
    assert "à J-30 (seuils passés\u00a0: J-90, J-60)" in out
    assert "essai à blanc\u00a0: 3 e-mails seraient envoyés, rien n'est envoyé ni enregistré" in out
    assert (
        main(["--lang", "en", "--db", database.url, "remind", "--dry-run", "--as-of", str(AS_OF)])
        == 0
    )
    out = capsys.readouterr().out
    assert f"would send to {people.alice} (holder): CDM-2024-" in out
    assert "at 30 d (passing over 90, 60 d)" in out
    assert f"would send to {people.coordinator} (coordinator digest)" in out
    assert "3 e-mails would be sent" in out
    assert smtp.received == [] and reminder_rows(database) == set() and sent_events(database) == []


def test_settings_and_thresholds_are_refused_plainly(
    database: Database,
    people: People,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """No host, or unreadable thresholds: one line in the user's language, exit 1."""
    monkeypatch.delenv("CERTIFY_SMTP_HOST", raising=False)
    assert remind(database) == 1
    assert capsys.readouterr().err.startswith(
        "certify\u00a0: erreur\u00a0: aucun serveur d'envoi\u00a0: donnez CERTIFY_SMTP_HOST"
    )
    url = database.engine.url.render_as_string(False)
    assert main(["--lang", "en", "--db", url, "remind", "--dry-run", "--thresholds", "90,x"]) == 1
    assert "unreadable reminder thresholds: '90,x'" in capsys.readouterr().err


#: Who may turn whose reminders off in the small network (tests/network.py): (actor, person).
ADMIN, NETWORK_COORD, SITE_COORD, TRAINER, COUNSELLOR = 1, 2, 3, 4, 5
RELAIS_STAFF, LIEGE_STAFF, REGION_COORD, LIEGE_TRAINER = 6, 7, 8, 9
ALLOWED = {
    (ADMIN, COUNSELLOR),
    (ADMIN, LIEGE_STAFF),
    (NETWORK_COORD, LIEGE_STAFF),
    (SITE_COORD, COUNSELLOR),
    (SITE_COORD, RELAIS_STAFF),
    (REGION_COORD, COUNSELLOR),
    *((person, person) for person in range(1, 10)),
}
REFUSED = {
    (SITE_COORD, LIEGE_STAFF),
    (REGION_COORD, LIEGE_STAFF),
    (TRAINER, COUNSELLOR),
    (LIEGE_TRAINER, LIEGE_STAFF),
    (COUNSELLOR, RELAIS_STAFF),
    (RELAIS_STAFF, COUNSELLOR),
    (LIEGE_STAFF, COUNSELLOR),
}


@pytest.fixture
def small(database: Database) -> SmallNetwork:
    """The small network of tests/network.py."""
    return build_small_network(database)


@pytest.mark.parametrize(("actor_id", "person_id"), sorted(ALLOWED | REFUSED))
def test_who_may_turn_reminders_off(small: SmallNetwork, actor_id: int, person_id: int) -> None:
    """The person themself, an admin, a coordinator whose scope covers them; nobody else
    (a trainer of their site neither); each change audited."""
    actor = small.actor(actor_id)
    if (actor_id, person_id) in REFUSED:
        with (
            small.database.transaction() as session,
            pytest.raises(PermissionDenied, match="turn a person's expiry reminders on or off"),
        ):
            set_reminders(session, actor, person_id, on=False)
        return
    with small.database.transaction() as session:
        assert set_reminders(session, actor, person_id, on=False) is True
        assert set_reminders(session, actor, person_id, on=False) is False
    with small.database.reading() as session:
        assert session.get(Person, person_id).reminders_off is True  # type: ignore[union-attr]
        event = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "person.reminders_changed")
        ).one()
        assert event.actor_id == actor_id and event.entity_key == str(person_id)


def test_the_command_line_names_the_person_and_refuses_in_one_line(
    small: SmallNetwork, capsys: pytest.CaptureFixture[str]
) -> None:
    """``certify person reminders PERSON --off`` by e-mail, as the system or ``--as``."""
    url = small.database.engine.url.render_as_string(False)
    assert main(["--db", url, "person", "reminders", "p5@cdm.example", "--off"]) == 0
    assert "rappels d'échéance de Ayşe Yılmaz <p5@cdm.example>\u00a0: désactivés" in (
        capsys.readouterr().out
    )
    assert (
        main(["--db", url, "person", "reminders", "p5@cdm.example", "--on", "--as", "user4"]) == 1
    )
    assert "ne peut pas activer ou désactiver" in capsys.readouterr().err
    assert main(["--db", url, "person", "reminders", "5", "--on", "--as", "user5"]) == 0


def test_migration_0011_upgrades_and_downgrades(empty_database: Database) -> None:
    """0010 → 0011 adds the reminders table and the opt-out (off for everyone before);
    downgrading removes both and keeps the people."""
    upgrade(empty_database, "0010")
    with empty_database.engine.begin() as connection:
        connection.execute(
            text("INSERT INTO region (id, name, country) VALUES (1, 'Bretagne', 'FR')")
        )
        connection.execute(
            text(
                "INSERT INTO site (id, code, name, kind, region_id, city) VALUES "
                "(1, 'ARMOR', 'Armor', 'cite_des_metiers', 1, 'Ploufragan')"
            )
        )
        connection.execute(
            text(
                "INSERT INTO person (id, given_name, family_name, email, site_id, active_from) "
                "VALUES (1, 'Łukasz', 'Wróbel', 'l@example.org', 1, '2024-01-02')"
            )
        )
    upgrade(empty_database, "0011")
    with empty_database.reading() as session:
        assert session.execute(text("SELECT reminders_off FROM person")).scalar_one() in (False, 0)
        assert session.execute(text("SELECT count(*) FROM expiry_reminder")).scalar_one() == 0
    config = alembic_config()
    with empty_database.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0010")
    assert current_revision(empty_database) == "0010"
    with empty_database.reading() as session:
        columns = session.execute(text("SELECT * FROM person")).keys()
        assert "reminders_off" not in columns
        assert session.execute(text("SELECT given_name FROM person")).scalar_one() == "Łukasz"
    with empty_database.engine.connect() as connection:
        assert "expiry_reminder" not in inspect(connection).get_table_names()


def test_migration_0012_gives_everyone_french_and_downgrades(empty_database: Database) -> None:
    """0011 → 0012 adds each person's language, French for everyone before, fr or en only;
    downgrading removes it and keeps the people."""
    upgrade(empty_database, "0011")
    with empty_database.engine.begin() as connection:
        connection.execute(
            text("INSERT INTO region (id, name, country) VALUES (1, 'Bretagne', 'FR')")
        )
        connection.execute(
            text(
                "INSERT INTO site (id, code, name, kind, region_id, city) VALUES "
                "(1, 'ARMOR', 'Armor', 'cite_des_metiers', 1, 'Ploufragan')"
            )
        )
        connection.execute(
            text(
                "INSERT INTO person (id, given_name, family_name, email, site_id, active_from) "
                "VALUES (1, 'Łukasz', 'Wróbel', 'l@example.org', 1, '2024-01-02')"
            )
        )
    upgrade(empty_database, "0012")
    with empty_database.reading() as session:
        assert session.execute(text("SELECT lang FROM person")).scalar_one() == "fr"
    with empty_database.engine.begin() as connection:
        connection.execute(text("UPDATE person SET lang = 'en'"))
    with pytest.raises(IntegrityError), empty_database.engine.begin() as connection:
        connection.execute(text("UPDATE person SET lang = 'de'"))
    config = alembic_config()
    with empty_database.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0011")
    assert current_revision(empty_database) == "0011"
    with empty_database.reading() as session:
        columns = session.execute(text("SELECT * FROM person")).keys()
        assert "lang" not in columns
        assert session.execute(text("SELECT given_name FROM person")).scalar_one() == "Łukasz"


def test_an_english_speaking_holder_is_reminded_in_english(
    database: Database, people: People, smtp: Recorder
) -> None:
    """Alice reads English: her reminder is in English, days written the English way; Bruno
    stays French, and the coordinator's digest is French (accounts have no language)."""
    with database.transaction() as session:
        session.get_one(Person, people.alice_id).lang = "en"
    assert remind(database) == 0
    [alice_mail] = smtp.to(people.alice)
    assert alice_mail["Subject"] == (
        "Your CERT-ACC certificate is nearing expiry: it expires in 30 days"
    )
    body = alice_mail.get_content()
    assert body.startswith("Hello Alice,")
    assert "is valid until 19 June 2027: it expires in 30 days." in body
    assert "juin" not in body and "Bonjour" not in body
    [bruno_mail] = smtp.to(people.bruno)
    assert bruno_mail.get_content().startswith("Bonjour Bruno,")
    [digest] = smtp.to(people.coordinator)
    assert digest["Subject"] == f"Certificats arrivant à échéance dans votre périmètre{NBSP}: 2"
    assert "Alice Durand (PARIS)" in digest.get_content()
    assert "19 juin 2027" in digest.get_content()


def test_every_coordinator_in_scope_gets_a_digest_and_a_refused_one_is_sent_again(
    database: Database, people: People, smtp: Recorder
) -> None:
    """A network coordinator and a region coordinator read PARIS too; one digest refused:
    the holders' reminders stay sent, the digests' certificates stay unmarked, and the next
    run sends every digest again (a repeat rather than a miss); then nothing more."""
    with database.transaction() as session:
        net_sites = session.execute(text("SELECT region_id FROM site WHERE code = 'PARIS'"))
        region_id = net_sites.scalar_one()
        paris_site = session.execute(text("SELECT id FROM site WHERE code = 'PARIS'")).scalar_one()
        for given, email, site_id, region in (
            ("Nadia", "nadia@cdm.example", None, None),
            ("Rémi", "remi@cdm.example", None, region_id),
        ):
            person = Person(
                given_name=given,
                family_name="Coord",
                email=email,
                site_id=paris_site,
                active_from=date(2020, 1, 1),
            )
            session.add(person)
            session.flush()
            session.execute(
                text("INSERT INTO person_role (person_id, role) VALUES (:p, 'coordinator')"),
                {"p": person.id},
            )
            session.add(CoordinatorScope(person_id=person.id, site_id=site_id, region_id=region))
    smtp.refuse_rcpt.add("nadia@cdm.example")
    assert remind(database) == 5
    assert len(smtp.to("remi@cdm.example")) == 1 and len(smtp.to(people.coordinator)) == 1
    assert smtp.to(people.sqy_coordinator) == []  # SQY only: PARIS is not hers
    kinds = {kind for _, _, kind, _ in reminder_rows(database)}
    assert kinds == {"holder"}
    smtp.refuse_rcpt.clear()
    assert remind(database) == 0
    assert len(smtp.to("nadia@cdm.example")) == 1
    assert len(smtp.to(people.coordinator)) == 2 and len(smtp.to(people.alice)) == 1
    assert {kind for _, _, kind, _ in reminder_rows(database)} == {"holder", "coordinators"}
    received = len(smtp.received)
    assert remind(database) == 0
    assert len(smtp.received) == received


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
def test_credentials_come_from_the_environment(
    database: Database,
    people: People,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """CERTIFY_SMTP_USER and CERTIFY_SMTP_PASSWORD log in to a server requiring it; the
    user alone is refused in one line, nothing sent."""
    logins: list[tuple[bytes, bytes]] = []

    def authenticator(
        server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any
    ) -> AuthResult:
        """Accept certify / the right password only."""
        assert isinstance(auth_data, LoginPassword)
        logins.append((auth_data.login, auth_data.password))
        return AuthResult(success=auth_data.password == b"right password")

    handler = Recorder()
    controller = Controller(
        handler,
        hostname="127.0.0.1",
        port=free_port(),
        authenticator=authenticator,
        auth_require_tls=False,
        auth_required=True,
    )
    controller.start()
    try:
        point_at(monkeypatch, controller.port)
        monkeypatch.setenv("CERTIFY_SMTP_USER", "certify")
        monkeypatch.setenv("CERTIFY_SMTP_PASSWORD", "right password")
        assert remind(database) == 0
        assert len(handler.to(people.alice)) == 1
        assert logins[-1] == (b"certify", b"right password")
        monkeypatch.delenv("CERTIFY_SMTP_PASSWORD")
        assert remind(database) == 1
        assert "CERTIFY_SMTP_USER et CERTIFY_SMTP_PASSWORD vont ensemble" in capsys.readouterr().err
    finally:
        controller.stop()


def test_a_second_run_while_one_works_does_nothing(
    database: Database, people: People, smtp: Recorder, capsys: pytest.CaptureFixture[str]
) -> None:
    """Two runs at once (a slow server, cron starting the next): the second is refused in
    one line and sends nothing; once the first is over, a run works."""
    with one_run_at_a_time(database, "remind"):
        assert remind(database) == 1
        assert "certify remind tourne déjà sur cette base" in capsys.readouterr().err
        assert smtp.received == []
    assert remind(database) == 0
    assert len(smtp.to(people.alice)) == 1
