"""A person's standing on every programme, explained requirement by requirement."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from certify.access.narrowing import own_person_id
from certify.access.permissions import Actor
from certify.model import Certificate, Programme
from certify.rules.eligibility import explain_many
from certify.rules.progress import person_standing
from certify.views.standing import Standing


def person_standings(session: Session, person_id: int, as_of: date) -> list[Standing]:
    """Every programme's standing of one person, by programme code (no permission check).

    A fixed number of queries per programme (the explanation's), plus two.
    """
    programmes = session.execute(
        select(Programme.id, Programme.recert_window_months).order_by(Programme.code)
    ).all()
    held: dict[int, list[Certificate]] = defaultdict(list)
    for certificate in session.scalars(
        select(Certificate).where(Certificate.person_id == person_id)
    ):
        held[certificate.programme_id].append(certificate)
    standings = []
    for programme_id, window_months in programmes:
        explanation = explain_many(session, [person_id], programme_id, as_of)[person_id]
        status, valid_until = person_standing(explanation, held[programme_id], window_months)
        standings.append(Standing(explanation, status, valid_until))
    return standings


def my_progress(session: Session, actor: Actor, as_of: date) -> list[Standing]:
    """The signed-in staff member's own standing on every programme."""
    return person_standings(session, own_person_id(actor), as_of)
