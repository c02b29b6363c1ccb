"""Who may do what: the acting user, the actions, and the one place they are checked.

Every service calls :func:`authorize` itself; the UI hiding a button is not security.
"""

from __future__ import annotations

import enum
from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from certify.errors import CertifyError
from certify.model import (
    CoordinatorScope,
    Person,
    PersonRole,
    Role,
    SessionTrainer,
    Site,
    TrainingSession,
)
from certify.rules.scope import Scope
from certify.rules.wording import Wording


class Action(enum.StrEnum):
    """Everything a service can be asked to do."""

    VIEW_PERSON = "view a person's records"
    VIEW_PROGRESS = "view progress"
    MANAGE_SESSION = "create or edit a training session"
    RECORD_ATTENDANCE = "record attendance"
    RECORD_ASSESSMENT = "record an assessment"
    CORRECT_ASSESSMENT = "correct an assessment"
    ISSUE_CERTIFICATE = "issue a certificate"
    OVERRIDE_ELIGIBILITY = "issue a certificate without full eligibility"
    REVOKE_CERTIFICATE = "revoke a certificate"
    REISSUE_CERTIFICATE = "reissue a certificate"
    MANAGE_ACCOUNTS = "manage accounts and roles"
    IMPORT_DATA = "import data"
    IMPORT_REFERENCE_DATA = "import reference data (sites, framework, modules, programmes)"
    EXPORT_DATA = "export data"
    VERIFY_AUDIT = "verify the audit trail"
    READ_AUDIT = "read the audit trail"
    SIGN_CERTIFICATES = "sign the certificates issued unsigned"
    SET_REMINDERS = "turn a person's expiry reminders on or off"
    SEND_REMINDERS = "send the expiry reminders"
    MANAGE_KEYS = "create the issuer's keys"
    EXPORT_PERSONAL_DATA = "export a person's personal data"
    PSEUDONYMISE_PERSON = "pseudonymise a person who left"
    APPLY_RETENTION = "apply the retention periods"

    @property
    def french(self) -> str:
        """The action in French, as a refusal words it."""
        return _FRENCH_ACTIONS[self]

    @property
    def wording(self) -> Wording:
        """The action in French and English, as a refusal words it."""
        return Wording(self.french, self.value)


#: Each action in French, as a refusal words it.
_FRENCH_ACTIONS: dict[Action, str] = {
    Action.VIEW_PERSON: "voir le dossier d'une personne",
    Action.VIEW_PROGRESS: "voir la progression",
    Action.MANAGE_SESSION: "créer ou modifier une session de formation",
    Action.RECORD_ATTENDANCE: "enregistrer des présences",
    Action.RECORD_ASSESSMENT: "enregistrer une évaluation",
    Action.CORRECT_ASSESSMENT: "corriger une évaluation",
    Action.ISSUE_CERTIFICATE: "délivrer un certificat",
    Action.OVERRIDE_ELIGIBILITY: "délivrer un certificat sans éligibilité complète",
    Action.REVOKE_CERTIFICATE: "révoquer un certificat",
    Action.REISSUE_CERTIFICATE: "rééditer un certificat",
    Action.MANAGE_ACCOUNTS: "gérer les comptes et les rôles",
    Action.IMPORT_DATA: "importer des données",
    Action.IMPORT_REFERENCE_DATA: (
        "importer des données de référence (sites, référentiel, modules, programmes)"
    ),
    Action.EXPORT_DATA: "exporter des données",
    Action.VERIFY_AUDIT: "vérifier la piste d'audit",
    Action.READ_AUDIT: "lire la piste d'audit",
    Action.SIGN_CERTIFICATES: "signer les certificats délivrés sans signature",
    Action.SET_REMINDERS: "activer ou désactiver les rappels d'échéance d'une personne",
    Action.SEND_REMINDERS: "envoyer les rappels d'échéance",
    Action.MANAGE_KEYS: "créer les clés de l'émetteur",
    Action.EXPORT_PERSONAL_DATA: "exporter les données personnelles d'une personne",
    Action.PSEUDONYMISE_PERSON: "pseudonymiser une personne partie",
    Action.APPLY_RETENTION: "appliquer les durées de conservation",
}


class Reason(enum.StrEnum):
    """Why an action is refused."""

    NOBODY_ASSESSES_THEMSELVES = "nobody assesses themselves"
    NOT_FOR_ONESELF = "nobody does this for themselves"
    OUTSIDE_SCOPE = "outside your scope"
    ADMINS_ONLY = "administrators only"
    COORDINATORS_ONLY = "coordinators only"
    ADMINS_AND_COORDINATORS_ONLY = "administrators and coordinators only"
    NO_STAFF_MEMBER = "no staff member"

    @property
    def french(self) -> str:
        """The reason in French."""
        return _FRENCH_REASONS[self]

    @property
    def wording(self) -> Wording:
        """The reason in French and English."""
        return Wording(self.french, self.value)


#: Each reason for a refusal in French.
_FRENCH_REASONS: dict[Reason, str] = {
    Reason.NOBODY_ASSESSES_THEMSELVES: "personne ne s'évalue soi-même",
    Reason.NOT_FOR_ONESELF: "personne ne le fait pour soi-même",
    Reason.OUTSIDE_SCOPE: "hors de votre périmètre",
    Reason.ADMINS_ONLY: "réservé aux administrateurs",
    Reason.COORDINATORS_ONLY: "réservé aux coordinateurs",
    Reason.ADMINS_AND_COORDINATORS_ONLY: "réservé aux administrateurs et aux coordinateurs",
    Reason.NO_STAFF_MEMBER: "aucun membre du personnel",
}


#: Actions on a person's certificates, allowed to admins and the coordinators of the person.
CERTIFICATE_ACTIONS = frozenset(
    {
        Action.ISSUE_CERTIFICATE,
        Action.OVERRIDE_ELIGIBILITY,
        Action.REVOKE_CERTIFICATE,
        Action.REISSUE_CERTIFICATE,
    }
)


#: Actions nobody does on their own records, whatever their role (separation of duties).
NEVER_FOR_ONESELF = CERTIFICATE_ACTIONS | {
    Action.RECORD_ASSESSMENT,
    Action.CORRECT_ASSESSMENT,
    Action.RECORD_ATTENDANCE,
    Action.PSEUDONYMISE_PERSON,
}


class PermissionDenied(CertifyError):
    """The acting user may not do this action on this target (``why``: a :class:`Reason`)."""

    def __init__(
        self, actor: Actor, action: Action, target: str | Wording, why: Reason | None = None
    ) -> None:
        """Name the user, the action, the target (a name: the same in both languages) and why."""
        self.actor, self.action, self.why = actor, action, why
        self.target = Wording(target, target) if isinstance(target, str) else target
        super().__init__(
            f"{actor.username} ne peut pas {action.french} ({self.target.fr})"
            + (f"\u00a0: {why.french}" if why else ""),
            f"{actor.username} may not {action.value} ({self.target.en})"
            + (f": {why.value}" if why else ""),
        )


def _person_target(person_id: int) -> Wording:
    """A person, as a refusal names its target."""
    return Wording(f"personne {person_id}", f"person {person_id}")


@dataclass(frozen=True)
class Actor:
    """The signed-in user on whose behalf a service runs."""

    #: Sign-in name (``system`` for the command line without ``--as``).
    username: str
    #: The staff member behind the account (``None`` for the system).
    person_id: int | None
    #: Roles held.
    roles: frozenset[Role]
    #: The person's own site.
    site_id: int | None = None
    #: What a coordinator covers (``None`` for non-coordinators).
    coordinator_scope: Scope | None = None

    @classmethod
    def system(cls) -> Actor:
        """The command line run by whoever administers the database."""
        return cls(username="system", person_id=None, roles=frozenset({Role.ADMIN}))

    def has(self, role: Role) -> bool:
        """Whether the actor holds ``role``."""
        return role in self.roles

    @property
    def is_admin(self) -> bool:
        """Admins may do everything."""
        return Role.ADMIN in self.roles

    @property
    def oversees(self) -> bool:
        """Admins and coordinators: they see the network, or their part of it, as a whole."""
        return self.is_admin or self.coordinator_scope is not None

    @property
    def is_staff(self) -> bool:
        """Whether a staff member is behind the account, with records of their own."""
        return self.person_id is not None


def load_actor(session: Session, person_id: int, username: str) -> Actor:
    """Build the actor of a signed-in person: roles, site and coordinator scope."""
    person = session.get(Person, person_id)
    if person is None:
        raise CertifyError(
            f"le compte {username} n'est lié à aucun membre du personnel",
            f"account {username} is linked to no staff member",
        )
    roles = frozenset(
        session.scalars(select(PersonRole.role).where(PersonRole.person_id == person_id))
    )
    scope = None
    if Role.COORDINATOR in roles:
        rows = session.execute(
            select(CoordinatorScope.site_id, CoordinatorScope.region_id).where(
                CoordinatorScope.person_id == person_id
            )
        ).all()
        if any(site is None and region is None for site, region in rows):
            scope = Scope.network()
        else:
            scope = Scope(
                site_ids=frozenset(site for site, _ in rows if site is not None) or None,
                region_ids=frozenset(region for _, region in rows if region is not None) or None,
            )
            if scope.is_network:  # a coordinator with no scope row covers their own site
                scope = Scope.sites(person.site_id)
    return Actor(username, person_id, roles, person.site_id, scope)


def _site_of(session: Session, site_id: int) -> tuple[int, int | None, int]:
    """A site's id, parent and region."""
    row = session.execute(
        select(Site.id, Site.parent_id, Site.region_id).where(Site.id == site_id)
    ).one()
    return row.id, row.parent_id, row.region_id


def _coordinates(session: Session, actor: Actor, site_id: int) -> bool:
    """Whether the actor coordinates this site."""
    return actor.coordinator_scope is not None and actor.coordinator_scope.covers(
        *_site_of(session, site_id)
    )


def _trains_at(session: Session, actor: Actor, site_id: int) -> bool:
    """Whether the actor is a trainer of this site (or of the main site it belongs to)."""
    return (
        actor.has(Role.TRAINER)
        and actor.site_id is not None
        and Scope.sites(actor.site_id).covers(*_site_of(session, site_id))
    )


def _person_site(session: Session, person_id: int) -> int:
    """The site of a person, or NotFound-like refusal when there is no such person."""
    site_id = session.scalar(select(Person.site_id).where(Person.id == person_id))
    if site_id is None:
        raise CertifyError(
            f"aucun membre du personnel n° {person_id}", f"no staff member with id {person_id}"
        )
    return site_id


def for_oneself(actor: Actor, action: Action, person_id: int | None) -> Reason | None:
    """Why ``actor`` may not do ``action`` on this person's records because they are the
    actor's own (separation of duties: whatever the role and the path), else ``None``."""
    if action not in NEVER_FOR_ONESELF or actor.person_id is None or actor.person_id != person_id:
        return None
    if action in (Action.RECORD_ASSESSMENT, Action.CORRECT_ASSESSMENT):
        return Reason.NOBODY_ASSESSES_THEMSELVES
    return Reason.NOT_FOR_ONESELF


def authorize_other(actor: Actor, action: Action, person_id: int) -> None:
    """Refuse with :class:`PermissionDenied` an action :func:`for_oneself` forbids."""
    if why := for_oneself(actor, action, person_id):
        raise PermissionDenied(actor, action, _person_target(person_id), why)


def authorize_person(session: Session, actor: Actor, action: Action, person_id: int) -> None:
    """Allow ``action`` on one person's records, or raise :class:`PermissionDenied`.

    Only the actor's scope grants powers: taking part in a session the actor trains
    grants nothing more (a trainer's sessions take participants from that scope only).
    """
    authorize_other(actor, action, person_id)
    if actor.is_admin:
        return
    site_id = _person_site(session, person_id)
    coordinator = _coordinates(session, actor, site_id)
    if action is Action.VIEW_PERSON:
        allowed = actor.person_id == person_id or coordinator or _trains_at(session, actor, site_id)
    elif action in (
        Action.RECORD_ASSESSMENT,
        Action.CORRECT_ASSESSMENT,
        Action.RECORD_ATTENDANCE,
    ):
        allowed = coordinator or _trains_at(session, actor, site_id)
    elif action in CERTIFICATE_ACTIONS:
        allowed = coordinator
    elif action in (Action.SET_REMINDERS, Action.EXPORT_PERSONAL_DATA):
        allowed = actor.person_id == person_id or coordinator
    else:
        allowed = False
    if not allowed:
        raise PermissionDenied(actor, action, _person_target(person_id), Reason.OUTSIDE_SCOPE)


def authorize_people(
    session: Session, actor: Actor, action: Action, person_ids: Collection[int]
) -> None:
    """Allow a certificate action on every one of ``person_ids`` (one query), or refuse."""
    assert action in CERTIFICATE_ACTIONS
    for person_id in person_ids:
        authorize_other(actor, action, person_id)
    if actor.is_admin:
        return
    rows = session.execute(
        select(Person.id, Site.id, Site.parent_id, Site.region_id)
        .join(Site, Site.id == Person.site_id)
        .where(Person.id.in_(sorted(person_ids)))
    )
    scope = actor.coordinator_scope
    for person_id, site_id, parent_id, region_id in rows:
        if scope is None or not scope.covers(site_id, parent_id, region_id):
            raise PermissionDenied(actor, action, _person_target(person_id), Reason.OUTSIDE_SCOPE)


def authorize_session(
    session: Session, actor: Actor, action: Action, training_session_id: int
) -> None:
    """Allow ``action`` on a training session (attendance, editing), or refuse."""
    site_id = session.scalar(
        select(TrainingSession.site_id).where(TrainingSession.id == training_session_id)
    )
    if site_id is None:
        raise CertifyError(
            f"aucune session de formation n° {training_session_id}",
            f"no training session with id {training_session_id}",
        )
    if actor.is_admin or _coordinates(session, actor, site_id):
        return
    trains_it = session.scalar(
        select(
            exists().where(
                SessionTrainer.session_id == training_session_id,
                SessionTrainer.person_id == actor.person_id,
            )
        )
    )
    if action in (Action.RECORD_ATTENDANCE, Action.MANAGE_SESSION) and trains_it:
        return
    raise PermissionDenied(actor, action, f"session {training_session_id}", Reason.OUTSIDE_SCOPE)


def authorize_site(session: Session, actor: Actor, action: Action, site_id: int) -> None:
    """Allow creating a session at a site, or refuse."""
    if actor.is_admin or _coordinates(session, actor, site_id):
        return
    if action is Action.MANAGE_SESSION and _trains_at(session, actor, site_id):
        return
    raise PermissionDenied(actor, action, f"site {site_id}", Reason.OUTSIDE_SCOPE)


def may_issue_certificates(actor: Actor) -> bool:
    """Whether the actor may issue certificates at all: admins and coordinators.

    Only a hint for what to offer: each person is still checked when issuing.
    """
    return actor.oversees


def may_run_sessions(actor: Actor) -> bool:
    """Whether the actor may run training sessions at all: trainers, and admins and
    coordinators for the sessions in their scope (each session is still checked)."""
    return actor.oversees or actor.has(Role.TRAINER)


#: Actions only administrators do.
ADMIN_ACTIONS = frozenset(
    {
        Action.MANAGE_ACCOUNTS,
        Action.MANAGE_KEYS,
        Action.IMPORT_REFERENCE_DATA,
        Action.VERIFY_AUDIT,
        Action.SIGN_CERTIFICATES,
        Action.SEND_REMINDERS,
        Action.PSEUDONYMISE_PERSON,
        Action.APPLY_RETENTION,
    }
)
#: Actions of running training sessions.
TRAINING_ACTIONS = frozenset(
    {
        Action.MANAGE_SESSION,
        Action.RECORD_ATTENDANCE,
        Action.RECORD_ASSESSMENT,
        Action.CORRECT_ASSESSMENT,
    }
)
#: Actions every staff member does on their own records.
OWN_RECORDS_ACTIONS = frozenset(
    {Action.VIEW_PERSON, Action.SET_REMINDERS, Action.EXPORT_PERSONAL_DATA}
)


def may_ever(actor: Actor, action: Action) -> bool:
    """Whether the actor's roles allow ``action`` on anything at all: what to offer them.

    Only a hint, like :func:`may_run_sessions`: each target is still checked.
    """
    if action in ADMIN_ACTIONS:
        return actor.is_admin
    if action in TRAINING_ACTIONS:
        return may_run_sessions(actor)
    if action in OWN_RECORDS_ACTIONS:
        return actor.is_staff or actor.oversees
    return actor.oversees


def visible_scope(actor: Actor) -> Scope:
    """The part of the network whose progress the actor may see."""
    if actor.is_admin:
        return Scope.network()
    if actor.coordinator_scope is not None:
        return actor.coordinator_scope
    raise PermissionDenied(
        actor, Action.VIEW_PROGRESS, Wording("le réseau", "the network"), Reason.COORDINATORS_ONLY
    )


def audit_scope(actor: Actor) -> Scope | None:
    """The part of the network whose audit events the actor may read (``None``: all of
    it, for admins); trainers and staff are refused."""
    if actor.is_admin:
        return None
    if actor.coordinator_scope is not None:
        return actor.coordinator_scope
    raise PermissionDenied(actor, Action.READ_AUDIT, "certify", Reason.ADMINS_AND_COORDINATORS_ONLY)


def authorize_admin(actor: Actor, action: Action) -> None:
    """Allow an administrative action to admins only."""
    if not actor.is_admin:
        raise PermissionDenied(actor, action, "certify", Reason.ADMINS_ONLY)
