"""The tables an import writes, seen through natural keys (codes, e-mails, serials), not ids.

A row in natural form is its key (a tuple) and a dict of fields; a reference to another
row is that row's key, a child table (roles, trainers, requirements…) is a frozenset.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from enum import Enum
from typing import Any

from sqlalchemy.orm import Session

from certify.exchange.messages import Text
from certify.model import (
    Assessment,
    Attendance,
    Base,
    Certificate,
    Competency,
    CompetencyServiceLevel,
    Domain,
    Framework,
    Module,
    ModuleCompetency,
    Organisation,
    Person,
    PersonRole,
    Programme,
    ProgrammeCompetency,
    ProgrammeModule,
    ProgrammePrerequisite,
    Region,
    ScaleLevel,
    SessionTrainer,
    Site,
    TrainingSession,
)
from certify.services.status_entries import draw_status_indexes

#: A natural key: codes, e-mails, dates, or the keys of other rows.
Key = tuple[Any, ...]


@dataclass(frozen=True)
class Field:
    """One natural field of an entity and the column holding it."""

    #: Name in natural form, in plans and in the audit trail.
    name: str
    #: Column of the table.
    column: str
    #: Entity whose id the column holds (``None``: the value itself).
    ref: str | None = None
    #: How a key value read from the database is made canonical (codes in upper case…).
    canonical: Callable[[Any], Any] | None = None


@dataclass(frozen=True)
class Derived:
    """A column computed on writing: the id of a row named inside another field's key."""

    #: The column written.
    column: str
    #: The entity whose id it holds.
    entity: str
    #: The field whose key holds that entity's key…
    source: str
    #: … at this position.
    index: int


@dataclass(frozen=True)
class Collection:
    """Child rows held by an entity as one field: a frozenset of values or tuples."""

    #: Field name.
    name: str
    #: The child table.
    model: type[Base]
    #: Column of the child naming its parent's id.
    parent: str
    #: The child's fields; the first ``key_size`` identify a child within its parent.
    parts: tuple[Field, ...]
    #: How many leading parts identify a child.
    key_size: int = 1
    #: Whether an import only adds and updates children (never removes them).
    additive: bool = False
    #: Columns computed on writing.
    derived: tuple[Derived, ...] = ()

    def child_key(self, value: Any) -> Any:
        """What identifies a child value within its parent."""
        return value if len(self.parts) == 1 else value[: self.key_size]


@dataclass(frozen=True)
class Entity:
    """A table seen through its natural key."""

    #: Name, also the entity type in the audit trail.
    name: str
    #: The table's model.
    model: type[Base]
    #: How its rows are called in reports (plural).
    label: Text
    #: Why a reference to a row that does not exist is wrong.
    unknown: Text
    #: Fields forming the natural key.
    key: tuple[Field, ...]
    #: Other fields.
    fields: tuple[Field, ...] = ()
    #: Child tables held as fields.
    collections: tuple[Collection, ...] = ()
    #: Columns computed on writing.
    derived: tuple[Derived, ...] = ()
    #: Fields naming a row besides its key (a site's name, a module's titles), French first:
    #: a reference matches them too (:mod:`certify.exchange.naming`).
    names: tuple[str, ...] = ()
    #: Columns a batch of new rows gets from the database on writing, given the session and
    #: the number of rows: one list of values per column (a certificate's status index).
    drawn: Callable[[Session, int], dict[str, list[Any]]] | None = None

    def collection(self, name: str) -> Collection | None:
        """The collection named ``name``, if it is one."""
        return next((c for c in self.collections if c.name == name), None)

    def references(self) -> Iterator[str]:
        """Names of the entities this one refers to (itself included, when it does)."""
        for field in (*self.key, *self.fields, *(p for c in self.collections for p in c.parts)):
            if field.ref is not None:
                yield field.ref
        for derived in (*self.derived, *(d for c in self.collections for d in c.derived)):
            yield derived.entity


def key_text(value: Any) -> str:
    """A natural key (or value) as one line of text, parts joined by ``/``."""
    if isinstance(value, tuple):
        return "/".join(key_text(part) for part in value)
    if isinstance(value, frozenset):
        return ", ".join(sorted(key_text(part) for part in value))
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Enum):
        return str(value.value)
    return "" if value is None else str(value)


def _status_indexes(session: Session, count: int) -> dict[str, list[Any]]:
    """Free status-list indexes for imported certificates: never signed, they have no entry
    to flag, but the column is unique and required, so they take random ones as well."""
    return {"status_index": draw_status_indexes(session, count)}


def _upper(value: str) -> str:
    """A code in upper case."""
    return value.upper()


def _lower(value: str) -> str:
    """An e-mail address in lower case."""
    return value.lower()


def _code(column: str = "code") -> Field:
    """A code field, canonical in upper case."""
    return Field("code", column, canonical=_upper)


def _same(*names: str) -> tuple[Field, ...]:
    """Fields stored in columns of the same name."""
    return tuple(Field(name, name) for name in names)


REGION = Entity(
    "region",
    Region,
    Text("régions", "regions"),
    Text("inconnue", "unknown"),
    key=_same("country", "name"),
)
SITE = Entity(
    "site",
    Site,
    Text("sites", "sites"),
    Text("n'est pas un site connu", "is not a known site"),
    key=(_code(),),
    fields=(
        *_same("name", "kind"),
        Field("parent", "parent_id", ref="site"),
        Field("region", "region_id", ref="region"),
        *_same("city"),
    ),
    names=("name",),
)
ORGANISATION = Entity(
    "organisation",
    Organisation,
    Text("employeurs", "employers"),
    Text("inconnu", "unknown"),
    key=_same("name"),
)
PERSON = Entity(
    "person",
    Person,
    Text("personnel", "staff"),
    Text("inconnue (aucun membre du personnel à cette adresse)", "unknown (no staff member)"),
    key=(Field("email", "email", canonical=_lower),),
    fields=(
        *_same("given_name", "family_name"),
        Field("site", "site_id", ref="site"),
        Field("employer", "employer_id", ref="organisation"),
        *_same("active_from", "active_until", "lang"),
    ),
    collections=(Collection("roles", PersonRole, "person_id", _same("role")),),
)
FRAMEWORK = Entity(
    "framework",
    Framework,
    Text("référentiels", "frameworks"),
    Text("inconnu", "unknown"),
    key=(_code(), *_same("version")),
    fields=_same("title_fr", "title_en", "proficiency_threshold", "assessment_validity_months"),
    collections=(
        Collection(
            "scale",
            ScaleLevel,
            "framework_id",
            _same("level", "label_fr", "label_en"),
            additive=True,
        ),
    ),
)
DOMAIN = Entity(
    "domain",
    Domain,
    Text("domaines", "domains"),
    Text("inconnu", "unknown"),
    key=(Field("framework", "framework_id", ref="framework"), _code()),
    fields=_same("label_fr", "label_en", "position"),
)
COMPETENCY = Entity(
    "competency",
    Competency,
    Text("compétences", "competencies"),
    Text("n'est pas une compétence connue", "is not a known competency"),
    key=(Field("framework", "framework_id", ref="framework"), _code()),
    fields=(
        Field("domain", "domain_id", ref="domain"),
        *_same("label_fr", "label_en", "position"),
    ),
    collections=(
        Collection(
            "service_levels", CompetencyServiceLevel, "competency_id", _same("service_level")
        ),
    ),
    names=("label_fr", "label_en"),
)
MODULE = Entity(
    "module",
    Module,
    Text("modules", "modules"),
    Text("n'est pas un module connu", "is not a known module"),
    key=(_code(),),
    fields=_same("title_fr", "title_en", "hours", "refresh_months", "min_attendance_percent"),
    collections=(
        Collection(
            "competencies",
            ModuleCompetency,
            "module_id",
            (Field("competency", "competency_id", ref="competency"),),
        ),
    ),
    names=("title_fr", "title_en"),
)
PROGRAMME = Entity(
    "programme",
    Programme,
    Text("programmes", "programmes"),
    Text("n'est pas un programme connu", "is not a known programme"),
    key=(_code(),),
    fields=(
        *_same("title_fr", "title_en"),
        Field("framework", "framework_id", ref="framework"),
        *_same("validity_months", "recert_window_months", "recertification_note"),
    ),
    collections=(
        Collection(
            "competencies",
            ProgrammeCompetency,
            "programme_id",
            (Field("competency", "competency_id", ref="competency"), Field("level", "min_level")),
            derived=(Derived("framework_id", "framework", "competency", 0),),
        ),
        Collection(
            "modules",
            ProgrammeModule,
            "programme_id",
            (Field("module", "module_id", ref="module"),),
        ),
        Collection(
            "prerequisites",
            ProgrammePrerequisite,
            "programme_id",
            (
                Field("programme", "prerequisite_id", ref="programme"),
                Field("months", "min_held_months"),
            ),
        ),
    ),
    names=("title_fr", "title_en"),
)
SESSION = Entity(
    "session",
    TrainingSession,
    Text("sessions", "sessions"),
    Text("inconnue", "unknown"),
    key=(
        Field("module", "module_id", ref="module"),
        Field("site", "site_id", ref="site"),
        Field("starts_on", "starts_on"),
    ),
    fields=_same("ends_on"),
    collections=(
        Collection(
            "trainers",
            SessionTrainer,
            "session_id",
            (Field("person", "person_id", ref="person"),),
        ),
    ),
)
ATTENDANCE = Entity(
    "attendance",
    Attendance,
    Text("présences", "attendances"),
    Text("inconnue", "unknown"),
    key=(
        Field("session", "session_id", ref="session"),
        Field("person", "person_id", ref="person"),
    ),
    fields=_same("hours_present"),
)
ASSESSMENT = Entity(
    "assessment",
    Assessment,
    Text("évaluations", "assessments"),
    Text("inconnue", "unknown"),
    key=(
        Field("person", "person_id", ref="person"),
        Field("competency", "competency_id", ref="competency"),
        Field("assessed_on", "assessed_on"),
        Field("assessor", "assessor_id", ref="person"),
        Field("level", "level"),
    ),
    fields=(
        *_same("method", "evidence"),
        Field("session", "session_id", ref="session"),
        Field("supersedes", "supersedes_id", ref="assessment"),
        *_same("correction_reason"),
    ),
    derived=(Derived("framework_id", "framework", "competency", 0),),
)
CERTIFICATE = Entity(
    "certificate",
    Certificate,
    Text("certificats", "certificates"),
    Text("inconnu", "unknown"),
    key=(Field("serial", "serial", canonical=_upper),),
    fields=(
        Field("person", "person_id", ref="person"),
        Field("programme", "programme_id", ref="programme"),
        *_same(
            "issued_on",
            "valid_from",
            "valid_until",
            "state",
            "revoked_on",
            "revocation_reason",
            "issued_elsewhere",
            "import_reason",
        ),
        Field("supersedes", "supersedes_id", ref="certificate"),
    ),
    drawn=_status_indexes,
)

#: Every entity, by name.
ENTITIES: dict[str, Entity] = {
    entity.name: entity
    for entity in (
        REGION,
        SITE,
        ORGANISATION,
        PERSON,
        FRAMEWORK,
        DOMAIN,
        COMPETENCY,
        MODULE,
        PROGRAMME,
        SESSION,
        ATTENDANCE,
        ASSESSMENT,
        CERTIFICATE,
    )
}
