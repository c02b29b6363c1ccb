"""Why a person is (or is not) certified for a programme, and until when."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from certify.access.permissions import Action, Actor, authorize_person
from certify.model import Certificate, Programme
from certify.rules.eligibility import explain
from certify.rules.explanation import Explanation
from certify.rules.progress import ProgressStatus, person_standing
from certify.rules.wording import Lang, Wording, french_day


@dataclass(frozen=True)
class Standing:
    """A person's status on a programme with the explanation behind it."""

    #: Requirement by requirement, with evidence.
    explanation: Explanation
    #: Certified, in its window, eligible, expired or in progress.
    status: ProgressStatus
    #: Last valid day of the certificate ending last, if any.
    valid_until: date | None

    def headline(self) -> Wording:
        """The status in one sentence, French and English."""
        until = self.valid_until
        day = french_day(until) if until is not None else ""
        match self.status:
            case ProgressStatus.CERTIFIED:
                return Wording(f"Certifié·e jusqu'au {day}", f"Certified until {until}")
            case ProgressStatus.IN_WINDOW:
                return Wording(
                    f"Certifié·e jusqu'au {day}, renouvellement ouvert",
                    f"Certified until {until}, renewal window open",
                )
            case ProgressStatus.ELIGIBLE:
                return Wording(
                    "Éligible, certificat à délivrer", "Eligible, certificate not yet issued"
                )
            case ProgressStatus.EXPIRED:
                return Wording(f"Certificat expiré le {day}", f"Certificate expired on {until}")
        missing = self.explanation.missing_count
        return Wording(
            f"En cours\u00a0: {missing} exigence(s) manquante(s)",
            f"In progress: {missing} requirement(s) missing",
        ).agreed(missing)

    def render(self, lang: Lang) -> str:
        """The headline, then the explanation."""
        return f"{self.headline().in_(lang)}\n{self.explanation.render(lang)}"


def standing(
    session: Session, actor: Actor, person_id: int, programme_id: int, as_of: date
) -> Standing:
    """Where a person stands on a programme on ``as_of``, for someone allowed to see it."""
    authorize_person(session, actor, Action.VIEW_PERSON, person_id)
    explanation = explain(session, person_id, programme_id, as_of)
    certificates = session.scalars(
        select(Certificate).where(
            Certificate.person_id == person_id, Certificate.programme_id == programme_id
        )
    ).all()
    window = session.scalar(
        select(Programme.recert_window_months).where(Programme.id == programme_id)
    )
    status, valid_until = person_standing(explanation, certificates, window or 0)
    return Standing(explanation, status, valid_until)
