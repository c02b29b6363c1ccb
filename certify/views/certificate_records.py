"""Stored certificates as rows, for those allowed to see their holder: what documents use."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from certify.access.permissions import Action, Actor, authorize_person
from certify.errors import NotFound
from certify.model import Certificate


def find_certificate(session: Session, serial: str) -> Certificate:
    """The certificate with this serial, or NotFound (no permission check)."""
    certificate = session.scalar(
        select(Certificate).where(Certificate.serial == serial.strip().upper())
    )
    if certificate is None:
        raise _no_certificate(serial)
    return certificate


def find_certificates(session: Session, serials: list[str]) -> list[Certificate]:
    """The certificates with these serials, in their order, read in one query; NotFound
    names the first serial none has (no permission check)."""
    wanted = [serial.strip().upper() for serial in serials]
    if not wanted:
        return []
    found = {
        certificate.serial: certificate
        for certificate in session.scalars(
            select(Certificate).where(Certificate.serial.in_(list(dict.fromkeys(wanted))))
        )
    }
    for serial, key in zip(serials, wanted, strict=True):
        if key not in found:
            raise _no_certificate(serial)
    return [found[key] for key in wanted]


def _no_certificate(serial: str) -> NotFound:
    """The error for a serial no certificate has."""
    return NotFound(
        f"aucun certificat de numéro {serial!r}", f"no certificate with serial {serial!r}"
    )


def held_certificates(session: Session, actor: Actor, person_id: int) -> list[Certificate]:
    """Every certificate of a person, by id, for someone allowed to see their records."""
    authorize_person(session, actor, Action.VIEW_PERSON, person_id)
    return list(
        session.scalars(
            select(Certificate).where(Certificate.person_id == person_id).order_by(Certificate.id)
        )
    )


def viewable_certificate(session: Session, actor: Actor, certificate: int | str) -> Certificate:
    """A certificate by id or serial, for someone allowed to see its holder's records."""
    if isinstance(certificate, str):
        found = find_certificate(session, certificate)
    else:
        found = session.get(Certificate, certificate)
        if found is None:
            raise NotFound(
                f"aucun certificat n° {certificate}", f"no certificate with id {certificate}"
            )
    authorize_person(session, actor, Action.VIEW_PERSON, found.person_id)
    return found
