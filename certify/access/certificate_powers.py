"""Which actions on a person's certificates to offer a user: asked of the permissions.

A hint for what a screen shows: the services still check every action when it is done.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from certify.access.permissions import Action, Actor, PermissionDenied, authorize_person

#: The actions on existing certificates a person's page offers.
CERTIFICATE_CHANGES = (Action.REVOKE_CERTIFICATE, Action.REISSUE_CERTIFICATE)


def allowed(session: Session, actor: Actor, action: Action, person_id: int) -> bool:
    """Whether :func:`authorize_person` lets ``actor`` do ``action`` on the person."""
    try:
        authorize_person(session, actor, action, person_id)
    except PermissionDenied:
        return False
    return True


def certificate_changes(session: Session, actor: Actor, person_id: int) -> frozenset[Action]:
    """Those of :data:`CERTIFICATE_CHANGES` the actor may do on the person's certificates."""
    return frozenset(
        action for action in CERTIFICATE_CHANGES if allowed(session, actor, action, person_id)
    )
