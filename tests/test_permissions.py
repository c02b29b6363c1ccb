"""The permission matrix: every action × every role, allowed and refused."""

from __future__ import annotations

import pytest

from certify.access.permissions import (
    CERTIFICATE_ACTIONS,
    NEVER_FOR_ONESELF,
    Action,
    PermissionDenied,
    Reason,
    audit_scope,
    authorize_admin,
    authorize_people,
    authorize_person,
    authorize_session,
    authorize_site,
    may_ever,
    visible_scope,
)
from certify.exchange import authorize_import, find_kind
from certify.model import Attendance
from certify.rules.scope import Scope
from certify.store.db import Database
from tests.network import SESSION_ID, SmallNetwork, build_small_network

ADMIN, NETWORK_COORD, SITE_COORD, TRAINER, COUNSELLOR = 1, 2, 3, 4, 5
RELAIS_STAFF, LIEGE_STAFF, REGION_COORD, LIEGE_TRAINER = 6, 7, 8, 9

PERSON_ACTIONS = [
    Action.VIEW_PERSON,
    Action.RECORD_ASSESSMENT,
    Action.CORRECT_ASSESSMENT,
    Action.RECORD_ATTENDANCE,
    Action.ISSUE_CERTIFICATE,
    Action.OVERRIDE_ELIGIBILITY,
    Action.REVOKE_CERTIFICATE,
    Action.REISSUE_CERTIFICATE,
]
ALL = set(PERSON_ACTIONS)
VIEW_AND_ASSESS = {
    Action.VIEW_PERSON,
    Action.RECORD_ASSESSMENT,
    Action.CORRECT_ASSESSMENT,
    Action.RECORD_ATTENDANCE,
}
#: What anyone may do on their own records: look at them (separation of duties).
OWN = {Action.VIEW_PERSON}

#: (actor, target person) → actions allowed on that person's records; the rest are refused.
PERSON_MATRIX: dict[tuple[int, int], set[Action]] = {
    (ADMIN, COUNSELLOR): ALL,
    (ADMIN, LIEGE_STAFF): ALL,
    (NETWORK_COORD, COUNSELLOR): ALL,
    (NETWORK_COORD, LIEGE_STAFF): ALL,
    (SITE_COORD, COUNSELLOR): ALL,
    (SITE_COORD, RELAIS_STAFF): ALL,
    (SITE_COORD, LIEGE_STAFF): set(),
    (REGION_COORD, COUNSELLOR): ALL,
    (REGION_COORD, LIEGE_STAFF): set(),
    (TRAINER, COUNSELLOR): VIEW_AND_ASSESS,
    (TRAINER, RELAIS_STAFF): VIEW_AND_ASSESS,
    (TRAINER, LIEGE_STAFF): set(),
    (LIEGE_TRAINER, LIEGE_STAFF): VIEW_AND_ASSESS,
    (LIEGE_TRAINER, COUNSELLOR): set(),
    (COUNSELLOR, COUNSELLOR): OWN,
    (ADMIN, ADMIN): OWN,
    (NETWORK_COORD, NETWORK_COORD): OWN,
    (SITE_COORD, SITE_COORD): OWN,
    (REGION_COORD, REGION_COORD): OWN,
    (TRAINER, TRAINER): OWN,
    (LIEGE_TRAINER, LIEGE_TRAINER): OWN,
    (COUNSELLOR, LIEGE_STAFF): set(),
    (RELAIS_STAFF, COUNSELLOR): set(),
}


@pytest.fixture
def network(database: Database) -> SmallNetwork:
    """The small network of tests/network.py."""
    return build_small_network(database)


@pytest.mark.parametrize(("actor_id", "person_id"), list(PERSON_MATRIX))
def test_person_actions(network: SmallNetwork, actor_id: int, person_id: int) -> None:
    """Each role may act on exactly the people of its scope, and no further."""
    actor = network.actor(actor_id)
    allowed = PERSON_MATRIX[actor_id, person_id]
    with network.database.reading() as session:
        for action in PERSON_ACTIONS:
            if action in allowed:
                authorize_person(session, actor, action, person_id)
            else:
                with pytest.raises(PermissionDenied, match=action.value):
                    authorize_person(session, actor, action, person_id)


@pytest.mark.parametrize("actor_id", [ADMIN, NETWORK_COORD, SITE_COORD, TRAINER])
def test_nobody_acts_for_themselves(network: SmallNetwork, actor_id: int) -> None:
    """Issuing, overriding, revoking, reissuing and attendance for oneself are refused
    whatever the role, with the reason, one person or a batch."""
    actor = network.actor(actor_id)
    with network.database.reading() as session:
        for action in sorted(
            NEVER_FOR_ONESELF - {Action.RECORD_ASSESSMENT, Action.CORRECT_ASSESSMENT}
        ):
            with pytest.raises(PermissionDenied, match="nobody does this for themselves") as no:
                authorize_person(session, actor, action, actor_id)
            assert no.value.why is Reason.NOT_FOR_ONESELF
            assert no.value.in_("fr") == (
                f"{actor.username} ne peut pas {action.french} (personne {actor_id})\u00a0: "
                "personne ne le fait pour soi-même"
            )
        for action in CERTIFICATE_ACTIONS:
            with pytest.raises(PermissionDenied, match="nobody does this for themselves"):
                authorize_people(session, actor, action, [COUNSELLOR, actor_id])


def test_session_membership_grants_nothing(network: SmallNetwork) -> None:
    """A Liège person on a PARIS trainer's session stays outside the trainer's scope."""
    with network.database.transaction() as session:
        session.add(Attendance(session_id=SESSION_ID, person_id=LIEGE_STAFF))
    with network.database.reading() as session:
        for action in VIEW_AND_ASSESS:
            with pytest.raises(PermissionDenied, match="outside your scope"):
                authorize_person(session, network.actor(TRAINER), action, LIEGE_STAFF)


@pytest.mark.parametrize("actor_id", [ADMIN, SITE_COORD, TRAINER])
def test_nobody_assesses_themselves(network: SmallNetwork, actor_id: int) -> None:
    """Self-assessment is refused whatever the role, with the reason."""
    actor = network.actor(actor_id)
    with network.database.reading() as session:
        for action in (Action.RECORD_ASSESSMENT, Action.CORRECT_ASSESSMENT):
            with pytest.raises(PermissionDenied, match="nobody assesses themselves") as refusal:
                authorize_person(session, actor, action, actor_id)
            assert refusal.value.why is Reason.NOBODY_ASSESSES_THEMSELVES
            assert refusal.value.in_("fr") == (
                f"{actor.username} ne peut pas {action.french} (personne {actor_id})\u00a0: "
                "personne ne s'évalue soi-même"
            )


@pytest.mark.parametrize(
    ("actor_id", "allowed"),
    [
        (ADMIN, True),
        (NETWORK_COORD, True),
        (SITE_COORD, True),
        (REGION_COORD, True),
        (TRAINER, True),
        (LIEGE_TRAINER, False),
        (COUNSELLOR, False),
    ],
)
def test_session_actions(network: SmallNetwork, actor_id: int, allowed: bool) -> None:
    """Attendance and session edits: the session's trainer and its site's coordinators."""
    actor = network.actor(actor_id)
    with network.database.reading() as session:
        for action in (Action.RECORD_ATTENDANCE, Action.MANAGE_SESSION):
            if allowed:
                authorize_session(session, actor, action, SESSION_ID)
            else:
                with pytest.raises(PermissionDenied, match=f"session {SESSION_ID}"):
                    authorize_session(session, actor, action, SESSION_ID)


@pytest.mark.parametrize(
    ("actor_id", "site_id", "allowed"),
    [
        (TRAINER, 1, True),
        (TRAINER, 3, True),
        (TRAINER, 2, False),
        (COUNSELLOR, 1, False),
        (SITE_COORD, 3, True),
        (SITE_COORD, 4, False),
        (REGION_COORD, 4, True),
    ],
)
def test_creating_sessions(
    network: SmallNetwork, actor_id: int, site_id: int, allowed: bool
) -> None:
    """Trainers create sessions at their site and its centres; coordinators in scope."""
    actor = network.actor(actor_id)
    with network.database.reading() as session:
        if allowed:
            authorize_site(session, actor, Action.MANAGE_SESSION, site_id)
        else:
            with pytest.raises(PermissionDenied):
                authorize_site(session, actor, Action.MANAGE_SESSION, site_id)


@pytest.mark.parametrize(
    ("actor_id", "scope"),
    [
        (ADMIN, Scope.network()),
        (NETWORK_COORD, Scope.network()),
        (SITE_COORD, Scope.sites(1)),
        (REGION_COORD, Scope.regions(1)),
        (TRAINER, None),
        (COUNSELLOR, None),
    ],
)
def test_progress_scope(network: SmallNetwork, actor_id: int, scope: Scope | None) -> None:
    """Coordinators see progress of their scope only; trainers and staff see none."""
    actor = network.actor(actor_id)
    if scope is None:
        with pytest.raises(PermissionDenied, match="coordinators only"):
            visible_scope(actor)
    else:
        assert visible_scope(actor) == scope


@pytest.mark.parametrize("actor_id", [NETWORK_COORD, SITE_COORD, TRAINER, COUNSELLOR])
def test_administration_is_for_admins(network: SmallNetwork, actor_id: int) -> None:
    """Accounts, roles and the audit check belong to admins."""
    actor = network.actor(actor_id)
    for action in (Action.MANAGE_ACCOUNTS, Action.VERIFY_AUDIT):
        with pytest.raises(PermissionDenied, match="administrators only"):
            authorize_admin(actor, action)
    authorize_admin(network.actor(ADMIN), Action.MANAGE_ACCOUNTS)


def _allowed_somewhere(network: SmallNetwork, actor_id: int, action: Action) -> bool:
    """Whether the rules let the actor do ``action`` on anybody of the network (or at all,
    for what is not done on a person)."""
    actor = network.actor(actor_id)
    checks = {
        Action.MANAGE_ACCOUNTS: lambda _session: authorize_admin(actor, action),
        Action.PSEUDONYMISE_PERSON: lambda _session: authorize_admin(actor, action),
        Action.IMPORT_REFERENCE_DATA: lambda _session: authorize_import(actor, find_kind("sites")),
        Action.VIEW_PROGRESS: lambda _session: visible_scope(actor),
        Action.READ_AUDIT: lambda _session: audit_scope(actor),
    }
    with network.database.reading() as session:
        if action in checks:
            attempts = [lambda: checks[action](session)]
        else:
            attempts = [
                lambda person_id=person_id: authorize_person(session, actor, action, person_id)
                for person_id in range(ADMIN, LIEGE_TRAINER + 1)
            ]
        for attempt in attempts:
            try:
                attempt()
            except PermissionDenied:
                continue
            return True
    return False


@pytest.mark.parametrize(
    "action",
    [
        *PERSON_ACTIONS,
        Action.SET_REMINDERS,
        Action.EXPORT_PERSONAL_DATA,
        Action.MANAGE_ACCOUNTS,
        Action.PSEUDONYMISE_PERSON,
        Action.IMPORT_REFERENCE_DATA,
        Action.VIEW_PROGRESS,
        Action.READ_AUDIT,
    ],
)
def test_what_is_offered_is_what_the_rules_allow_somewhere(
    network: SmallNetwork, action: Action
) -> None:
    """Each role is offered an action (the help, the keys) exactly when the rules allow it
    on someone: a counsellor is never offered to revoke, a trainer never the dashboard."""
    for actor_id in range(ADMIN, LIEGE_TRAINER + 1):
        offered = may_ever(network.actor(actor_id), action)
        assert offered == _allowed_somewhere(network, actor_id, action), (actor_id, action)
