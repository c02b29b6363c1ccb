"""The explanation of a programme eligibility: one line per requirement, met or why not.

The same value serves the TUI, ``certify why`` (:meth:`Explanation.render`) and the
certificate's frozen snapshot (:meth:`Explanation.to_dict` / :meth:`Explanation.from_dict`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from certify.rules import wording
from certify.rules.dates import add_months
from certify.rules.evidence import (
    SHAPES,
    ActivityEvidence,
    AssessmentEvidence,
    AttendanceEvidence,
    CertificateEvidence,
    Evidence,
    Finding,
    HoldingRule,
    RequirementKind,
    Rule,
)
from certify.rules.jsonable import Json, fields_from_json, fields_to_json, from_json


@dataclass(frozen=True)
class SiteRef:
    """The site a person works at, as on the day of the explanation."""

    #: The site's id.
    id: int
    #: Its short code (``PARIS``).
    code: str
    #: Its name as published.
    name: str


@dataclass(frozen=True)
class PersonRef:
    """The person explained, as on the day of the explanation."""

    #: The person's id.
    id: int
    #: Given name then family name.
    name: str
    #: Work e-mail address.
    email: str
    #: Site the person works at.
    site: SiteRef


@dataclass(frozen=True)
class ProgrammeRef:
    """The programme explained."""

    #: The programme's id.
    id: int
    #: Its code (``CERT-ACC``).
    code: str
    #: French title.
    title_fr: str
    #: English title.
    title_en: str


@dataclass(frozen=True)
class Requirement:
    """One requirement of a programme and what the rules found for the person."""

    #: Competency, module, prerequisite or active.
    kind: RequirementKind
    #: Code of what is required (competency, module or programme code; ``ACTIVE``).
    code: str
    #: French label of what is required.
    label_fr: str
    #: English label of what is required.
    label_en: str
    #: Met, or why not.
    finding: Finding
    #: The rule: a minimum level, an attendance share, a holding time (``None``: active).
    required: Rule | None
    #: The record the finding rests on (``None`` when there is none: never assessed…).
    evidence: Evidence | None

    @property
    def met(self) -> bool:
        """Whether the requirement is met."""
        return self.finding.met

    @property
    def met_on(self) -> date | None:
        """For a met line, the date of its evidence: the day it became met."""
        if not self.met:
            return None
        match self.evidence:
            case AssessmentEvidence(assessed_on=day) | AttendanceEvidence(ends_on=day):
                return day
            case CertificateEvidence(held_since=since):
                assert isinstance(self.required, HoldingRule)
                return add_months(since, self.required.min_held_months)
            case ActivityEvidence(active_from=day):
                return day
        raise AssertionError(f"met line without evidence: {self}")

    def to_dict(self) -> dict[str, Json]:
        """JSON-safe form, with ``met`` added for readers without certify."""
        return {**fields_to_json(self), "met": self.met}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Requirement:
        """Read back what :meth:`to_dict` wrote (``met`` is derived, not read)."""
        rule_type, evidence_type = SHAPES[RequirementKind(data["kind"])]
        return cls(
            kind=RequirementKind(data["kind"]),
            code=data["code"],
            label_fr=data["label_fr"],
            label_en=data["label_en"],
            finding=Finding(data["finding"]),
            required=from_json(rule_type, data["required"]) if rule_type else None,
            evidence=from_json(evidence_type, data["evidence"]),
        )


@dataclass(frozen=True)
class Explanation:
    """Whether a person is eligible for a programme on a date, requirement by requirement."""

    #: The person, as on the day.
    person: PersonRef
    #: The programme.
    programme: ProgrammeRef
    #: The day the rules were applied to.
    as_of: date
    #: Competencies, then modules, then prerequisites, then the active line.
    requirements: tuple[Requirement, ...]

    @property
    def eligible(self) -> bool:
        """Whether every requirement is met."""
        return all(line.met for line in self.requirements)

    @property
    def missing_count(self) -> int:
        """How many requirements are not met."""
        return sum(not line.met for line in self.requirements)

    @property
    def completed_on(self) -> date | None:
        """When eligible, the day the last requirement became met (a first certificate's base).

        It is the latest evidence date of the lines; ``None`` when not eligible.
        """
        if not self.eligible:
            return None
        return max(
            (line.met_on for line in self.requirements if line.met_on is not None), default=None
        )

    def to_dict(self) -> dict[str, Json]:
        """JSON-safe form, with the derived verdict added for readers without certify."""
        completed_on = self.completed_on
        return {
            **fields_to_json(self),
            "eligible": self.eligible,
            "missing_count": self.missing_count,
            "completed_on": completed_on.isoformat() if completed_on else None,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Explanation:
        """Read back what :meth:`to_dict` wrote (derived keys are recomputed, not read)."""
        return cls(**fields_from_json(cls, data))

    def render(self, lang: wording.Lang = "fr") -> str:
        """Plain text in French (``fr``) or English (``en``), as ``certify why`` prints it."""
        return wording.render(self, lang)
