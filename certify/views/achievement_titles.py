"""The titles of every programme and of the competencies it requires: what the issuer's
verification page names a scanned certificate's codes with (its token carries codes only)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from certify.model import Competency, Domain, Programme, ProgrammeCompetency


@dataclass(frozen=True)
class CompetencyTitle:
    """A competency a programme requires, by code, in French and English."""

    #: Code, e.g. ``ETH-01``.
    code: str
    #: French label.
    label_fr: str
    #: English label.
    label_en: str


@dataclass(frozen=True)
class ProgrammeTitles:
    """A programme's titles and those of the competencies it requires, in display order."""

    #: Code, e.g. ``CERT-ACC``.
    code: str
    #: French title.
    title_fr: str
    #: English title.
    title_en: str
    #: The competencies it requires (the ones its certificates certify).
    competencies: tuple[CompetencyTitle, ...]


def achievement_titles(session: Session) -> list[ProgrammeTitles]:
    """Every programme by code, its competencies in the référentiel's order."""
    programmes = session.execute(
        select(Programme.id, Programme.code, Programme.title_fr, Programme.title_en).order_by(
            Programme.code
        )
    ).all()
    rows = session.execute(
        select(
            ProgrammeCompetency.programme_id,
            Competency.code,
            Competency.label_fr,
            Competency.label_en,
        )
        .join(Competency, Competency.id == ProgrammeCompetency.competency_id)
        .join(Domain, Domain.id == Competency.domain_id)
        .order_by(Domain.position, Domain.code, Competency.position, Competency.code)
    ).all()
    by_programme: dict[int, list[CompetencyTitle]] = {}
    for programme_id, code, label_fr, label_en in rows:
        by_programme.setdefault(programme_id, []).append(CompetencyTitle(code, label_fr, label_en))
    return [
        ProgrammeTitles(code, title_fr, title_en, tuple(by_programme.get(programme_id, ())))
        for programme_id, code, title_fr, title_en in programmes
    ]
