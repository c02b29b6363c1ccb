"""``certify audit log``: filters, paging, scope, formats and errors, on the small network.

Events (ids in order), with when they happened (UTC) and who did what to whom:
1 admin 1 changes person 5's roles (10/01/2026); 2 admin 1 sends person 7 a reminder
(10/02); 3 coordinator 3 records person 6's attendance (10/03); 4 coordinator 2 changes
user7's password (31/03 22:30 UTC, 01/04 00:30 in Paris); 5 coordinator 3 turns person 7's
reminders off (15/04); 6 the system locks user5's sign-in (01/05); 7 admin 1 changes person
3's roles (02/05); 8 trainer 4 assesses person 5 (03/05).
"""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from sqlalchemy import inspect, select, update

from certify.cli import main
from certify.model import AssessmentMethod, AuditEvent, Person, UserAccount
from certify.rules.audit_actions import ACTION_LABELS, action_label
from certify.services.assessments import NewAssessment, record_assessments
from certify.store.audit import Change, record
from certify.store.db import Database
from certify.store.schema import alembic_config, current_revision, upgrade
from tests.network import build_small_network

#: When each event happened (UTC), by id.
WHEN = {
    1: datetime(2026, 1, 10, 10, 0, tzinfo=UTC),
    2: datetime(2026, 2, 10, 10, 0, tzinfo=UTC),
    3: datetime(2026, 3, 10, 10, 0, tzinfo=UTC),
    4: datetime(2026, 3, 31, 22, 30, tzinfo=UTC),
    5: datetime(2026, 4, 15, 10, 0, tzinfo=UTC),
    6: datetime(2026, 5, 1, 10, 0, tzinfo=UTC),
    7: datetime(2026, 5, 2, 10, 0, tzinfo=UTC),
    8: datetime(2026, 5, 3, 10, 0, tzinfo=UTC),
}
ALL = [8, 7, 6, 5, 4, 3, 2, 1]


@pytest.fixture
def url(database: Database) -> str:
    """The small network with the eight events of this module's docstring."""
    network = build_small_network(database)
    with database.reading() as session:
        account = {
            name: key for name, key in session.execute(select(UserAccount.username, UserAccount.id))
        }
    writes: list[tuple[int | None, Change]] = [
        (1, Change("person.roles_changed", "person", 5, after={"roles": ["counsellor"]})),
        (1, Change("reminder.sent", "person", 7, extra={"recipient_kind": "holder"})),
        (3, Change("attendance.recorded", "attendance", "1/6", after={"hours": 7})),
        (2, Change("account.password_changed", "user_account", account["user7"])),
        (3, Change("person.reminders_changed", "person", 7, after={"reminders_off": True})),
        (
            None,
            Change(
                "sign_in.locked",
                "account",
                account["user5"],
                after={"failures": 10},
                extra={"username": "user5"},
            ),
        ),
        (1, Change("person.roles_changed", "person", 3, after={"roles": ["coordinator"]})),
    ]
    with database.transaction() as session:
        first = session.scalar(select(AuditEvent.id).order_by(AuditEvent.id.desc()))
        assert first is None  # the network is built without events: ids start at 1
    for actor_id, change in writes:
        with database.transaction() as session:
            record(session, actor_id, change)
    trainer = network.actor(4)
    with database.transaction() as session:
        entry = NewAssessment(5, 1, 2, date(2026, 5, 3), AssessmentMethod.OBSERVATION)
        record_assessments(session, trainer, [entry], date(2026, 5, 3))
        for event_id, moment in WHEN.items():
            session.execute(
                update(AuditEvent).where(AuditEvent.id == event_id).values(occurred_at=moment)
            )
    return database.url


def run(capsys: pytest.CaptureFixture[str], url: str, *args: str) -> tuple[int, str, str]:
    """``certify audit log`` on ``url``: exit code, standard output and error."""
    code = main(["--db", url, "audit", "log", *args])
    out, err = capsys.readouterr()
    return code, out, err


def events(capsys: pytest.CaptureFixture[str], url: str, *args: str) -> list[dict[str, Any]]:
    """The events ``audit log --format json`` lists."""
    code, out, err = run(capsys, url, "--format", "json", *args)
    assert code == 0, err
    return json.loads(out)["events"]


def ids(capsys: pytest.CaptureFixture[str], url: str, *args: str) -> list[int]:
    """The ids of the events listed, in order."""
    return [event["id"] for event in events(capsys, url, *args)]


def test_an_admin_reads_everything_newest_first(
    url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """The system (an admin) and admin 1 read every event, the newest first."""
    assert ids(capsys, url) == ALL
    assert ids(capsys, url, "--as", "user1") == ALL


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("--person", "p7@cdm.example"), [5, 4, 2]),
        (("--person", "5"), [8, 6, 1]),
        (("--person", "6"), [3]),
        (("--actor", "user3"), [5, 3]),
        (("--actor", "system"), [6]),
        (("--action", "person.roles_changed"), [7, 1]),
        (("--action", "reminder.sent", "sign_in.locked"), [6, 2]),
        (("--since", "01/04/2026"), [8, 7, 6, 5, 4]),
        (("--until", "31/03/2026"), [3, 2, 1]),
        (("--since", "2026-02-01", "--until", "2026-04-30"), [5, 4, 3, 2]),
        (("--person", "7", "--actor", "user3"), [5]),
    ],
)
def test_each_filter_narrows(
    url: str, capsys: pytest.CaptureFixture[str], args: tuple[str, ...], expected: list[int]
) -> None:
    """Person (through the entity: a person, an attendance, an account, an assessment),
    actor, actions and period (Paris days: 31/03 22:30 UTC is 01/04) narrow the log."""
    assert ids(capsys, url, *args) == expected


def test_pages_give_every_event_once(url: str, capsys: pytest.CaptureFixture[str]) -> None:
    """By key (--before the last of a page) and by number, pages of 3 hold each event once."""
    seen: list[int] = []
    before: list[str] = []
    for _ in range(len(ALL)):  # a pager that never ends stops here
        _, out, _ = run(capsys, url, "--format", "json", "--limit", "3", *before)
        page = json.loads(out)
        seen += [event["id"] for event in page["events"]]
        if page["next_before"] is None:
            break
        before = ["--before", str(page["next_before"])]
    assert seen == ALL
    numbered = [ids(capsys, url, "--limit", "3", "--page", str(k)) for k in (1, 2, 3, 4)]
    assert numbered == [[8, 7, 6], [5, 4, 3], [2, 1], []]


@pytest.mark.parametrize(
    ("user", "expected"),
    [
        # site coordinator of NIMES: its people (3, 5, 6) and their own actions (5)
        ("user3", [8, 7, 6, 5, 3, 1]),
        # region coordinator of Occitanie: NIMES and its centre, not LIEGE's person 7
        ("user8", [8, 7, 6, 3, 1]),
        # network coordinator: everyone
        ("user2", ALL),
    ],
)
def test_a_coordinator_reads_their_scope_and_their_own_actions(
    url: str, capsys: pytest.CaptureFixture[str], user: str, expected: list[int]
) -> None:
    """Events about people outside the scope are hidden, unless the coordinator did them."""
    assert ids(capsys, url, "--as", user) == expected


def test_a_coordinator_reads_about_themself_and_not_beyond(
    url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Coordinator 3 on themself sees event 7; on person 7 only their own action."""
    assert ids(capsys, url, "--as", "user3", "--person", "3") == [7]
    assert ids(capsys, url, "--as", "user3", "--person", "7") == [5]
    assert ids(capsys, url, "--as", "user8", "--person", "7") == []


@pytest.mark.parametrize("user", ["user4", "user5", "user9"])
@pytest.mark.parametrize("person", [[], ["--person", "{self}"]])
def test_trainers_and_staff_are_refused(
    url: str, capsys: pytest.CaptureFixture[str], user: str, person: list[str]
) -> None:
    """Trainers and staff read none of it, not even about themselves: one clear line."""
    args = [a.format(self=user.removeprefix("user")) for a in person]
    code, out, err = run(capsys, url, "--as", user, *args)
    assert code == 1 and out == ""
    assert err == (
        f"certify\u00a0: erreur\u00a0: {user} ne peut pas lire la piste d'audit (certify)\u00a0: "
        "réservé aux administrateurs et aux coordinateurs\n"
    )
    code, _, err = run(capsys, url, "--as", user, "--lang", "en")
    assert code == 1
    assert err.endswith(
        "may not read the audit trail (certify): administrators and coordinators only\n"
    )


def test_text_is_a_french_table_in_paris_time_then_english(
    url: str, capsys: pytest.CaptureFixture[str], database: Database
) -> None:
    """dd/mm/yyyy HH:MM in Paris, the action's label, the person's name as it is now."""
    with database.transaction() as session:
        session.execute(update(Person).where(Person.id == 7).values(family_name="Lambert-Roy"))
    code, out, _ = run(capsys, url, "--action", "account.password_changed")
    assert code == 0
    heading, line = out.splitlines()
    assert heading.split() == ["n°", "date", "acteur", "action", "personne", "détails"]
    assert re.match(r"4 +01/04/2026 00:30 +user2 +mot de passe changé +Margaux Lambert-Roy", line)
    code, out, _ = run(capsys, url, "--action", "account.password_changed", "--lang", "en")
    assert "2026-04-01 00:30" in out and "password changed" in out
    _, out, _ = run(capsys, url, "--limit", "2")
    assert out.splitlines()[-1] == "suite\u00a0: --before 7"


def test_csv_and_json_are_complete(url: str, capsys: pytest.CaptureFixture[str]) -> None:
    """Every event, every field: ISO times with their offset, the whole payload."""
    code, out, _ = run(capsys, url, "--format", "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [int(row["id"]) for row in rows] == ALL
    by_id = {int(row["id"]): row for row in rows}
    assert by_id[4]["occurred_at"] == "2026-04-01T00:30:00+02:00"
    assert by_id[4]["person"] == "Margaux Lambert" and by_id[4]["actor"] == "user2"
    assert by_id[6]["actor"] == "system" and by_id[6]["person_id"] == "5"
    assert json.loads(by_id[5]["details"]) == {"after": {"reminders_off": True}}
    assert by_id[8]["label"] == "évaluation enregistrée"
    [event] = events(capsys, url, "--action", "attendance.recorded", "--lang", "en")
    assert event["occurred_at"] == "2026-03-10T11:00:00+01:00"
    assert event["label"] == "attendance recorded" and event["person"] == "Kofi Mensah"
    assert event["details"] == {"after": {"hours": 7}} and event["summary"] == "hours: 7"


@pytest.mark.parametrize(
    ("args", "french", "english"),
    [
        (("--since", "31/02/2026"), "--since '31/02/2026' n'est pas une date valide", "--since"),
        (("--person", "nobody@example.org"), "aucun membre du personnel", "no staff member"),
        (("--actor", "nobody"), "aucun compte ne s'appelle 'nobody'", "no account is named"),
        (("--limit", "0"), "--limit doit être un nombre entier positif", "positive whole"),
    ],
)
def test_bad_input_is_one_clear_line_in_both_languages(
    url: str,
    capsys: pytest.CaptureFixture[str],
    args: tuple[str, ...],
    french: str,
    english: str,
) -> None:
    """A bad date, an unknown person or actor, a page of nothing: exit 1, one line."""
    code, out, err = run(capsys, url, *args)
    assert code == 1 and out == ""
    assert err.startswith(f"certify\u00a0: erreur\u00a0: {french}") and err.count("\n") == 1
    code, _, err = run(capsys, url, *args, "--lang", "en")
    assert code == 1 and english in err and err.count("\n") == 1


def test_every_action_the_services_write_has_a_label() -> None:
    """Each ``"entity.action"`` the services audit is worded in both languages."""
    services = Path(__file__).parents[1] / "certify" / "services"
    written = {
        name
        for path in services.glob("*.py")
        for name in re.findall(r'"([a-z_]+\.[a-z_]+)"', path.read_text(encoding="utf-8"))
    }
    assert written and written <= set(ACTION_LABELS)
    assert action_label("person.imported").fr == "person importé"
    assert action_label("something.else").en == "something.else"


def test_migration_0013_adds_the_indexes_and_downgrades(empty_database: Database) -> None:
    """0012 → 0013 adds the action and entity indexes of the audit trail; 0012 again drops
    them."""
    upgrade(empty_database, "0013")

    def indexes() -> set[str]:
        with empty_database.engine.connect() as connection:
            return {str(i["name"]) for i in inspect(connection).get_indexes("audit_event")}

    added = {"ix_audit_event_action_id", "ix_audit_event_entity"}
    assert added <= indexes()
    config = alembic_config()
    with empty_database.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0012")
    assert current_revision(empty_database) == "0012"
    assert not added & indexes()
