"""The network: regions, sites, employer organisations and staff members."""

from __future__ import annotations

import enum
from datetime import date

from sqlalchemy import CheckConstraint, Date, ForeignKey, String, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from certify.model.base import Base, enum_column


class SiteKind(enum.StrEnum):
    """What a site is within the network."""

    CITE = "cite_des_metiers"
    CENTRE = "centre_associe"
    RELAIS = "point_relais"


class Role(enum.StrEnum):
    """A role a staff member holds; a person can hold several."""

    RECEPTION = "reception"
    COUNSELLOR = "counsellor"
    TRAINER = "trainer"
    COORDINATOR = "coordinator"
    ADMIN = "admin"


class Region(Base):
    """An administrative region (French région, Swiss canton, Italian regione…)."""

    __tablename__ = "region"
    __table_args__ = (UniqueConstraint("country", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Region name as published.
    name: Mapped[str] = mapped_column(String(120))
    #: ISO 3166-1 alpha-2 country code.
    country: Mapped[str] = mapped_column(String(2))

    sites: Mapped[list[Site]] = relationship(back_populates="region")


class Site(Base):
    """A Cité des métiers, or a centre associé / point relais attached to one."""

    __tablename__ = "site"
    __table_args__ = (
        CheckConstraint(
            "(kind = 'cite_des_metiers' AND parent_id IS NULL)"
            " OR (kind <> 'cite_des_metiers' AND parent_id IS NOT NULL)",
            name="parent_matches_kind",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Short unique code used in files and on the command line (e.g. ``PARIS``).
    code: Mapped[str] = mapped_column(String(20), unique=True)
    #: Site name as published.
    name: Mapped[str] = mapped_column(String(160))
    #: Cité des métiers, centre associé or point relais.
    kind: Mapped[SiteKind] = mapped_column(enum_column(SiteKind))
    #: The main site a centre associé or point relais belongs to.
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("site.id"))
    #: Region the site is in.
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id"), index=True)
    #: City where the site stands.
    city: Mapped[str] = mapped_column(String(120), default="")

    region: Mapped[Region] = relationship(back_populates="sites")
    parent: Mapped[Site | None] = relationship(remote_side=[id])


class Organisation(Base):
    """An employer: the Cité des métiers itself or a partner seconding staff."""

    __tablename__ = "organisation"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Organisation name (France Travail, Mission locale de …, APEC…).
    name: Mapped[str] = mapped_column(String(160), unique=True)


class Person(Base):
    """A staff member of the network (never a member of the public)."""

    __tablename__ = "person"
    __table_args__ = (
        CheckConstraint(
            "active_until IS NULL OR active_until >= active_from", name="active_period"
        ),
        CheckConstraint("lang IN ('fr', 'en')", name="lang_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Given name(s), as the person writes them.
    given_name: Mapped[str] = mapped_column(String(120))
    #: Family name, as the person writes it.
    family_name: Mapped[str] = mapped_column(String(120))
    #: Work e-mail address; the natural key of a staff member.
    email: Mapped[str] = mapped_column(String(254), unique=True)
    #: Site the person works at.
    site_id: Mapped[int] = mapped_column(ForeignKey("site.id"), index=True)
    #: Employer, when known (often a partner, not the Cité des métiers).
    employer_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"), index=True)
    #: First day of activity in the network.
    active_from: Mapped[date] = mapped_column(Date)
    #: Last day of activity, if the person has left.
    active_until: Mapped[date | None] = mapped_column(Date)
    #: Whether the person asked for no expiry reminders of their own certificates.
    reminders_off: Mapped[bool] = mapped_column(default=False, server_default=false())
    #: The language the person is written to in (``fr`` or ``en``): their expiry reminders.
    lang: Mapped[str] = mapped_column(String(2), default="fr", server_default="fr")
    #: When the person, having left, was pseudonymised (names and e-mail replaced).
    pseudonymised_on: Mapped[date | None] = mapped_column(Date)

    site: Mapped[Site] = relationship()
    employer: Mapped[Organisation | None] = relationship()
    roles: Mapped[list[PersonRole]] = relationship(
        cascade="all, delete-orphan", back_populates="person"
    )

    @property
    def full_name(self) -> str:
        """Given name then family name."""
        return f"{self.given_name} {self.family_name}"


class PersonRole(Base):
    """One role held by a person."""

    __tablename__ = "person_role"

    person_id: Mapped[int] = mapped_column(
        ForeignKey("person.id", ondelete="CASCADE"), primary_key=True
    )
    role: Mapped[Role] = mapped_column(enum_column(Role), primary_key=True)

    person: Mapped[Person] = relationship(back_populates="roles")
