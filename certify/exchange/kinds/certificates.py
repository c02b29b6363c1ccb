"""Certificates issued elsewhere (natural key: the serial), recorded by an administrator.

An imported certificate is flagged as issued elsewhere, with the administrator's reason
(« Motif de reprise », required): certify never signs, delivers nor lists it as a
credential of its own. It has no issuer; its snapshot keeps the original serial and
dates. A serial in certify's own form (``CDM-2024-000123``) is refused: only certify's
counter gives those. An import never changes a certificate on record: revocation and
reissue are actions of their own (:mod:`certify.services.issuance`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from certify.access.permissions import Action
from certify.exchange.cells import CodeCell, TextCell
from certify.exchange.checking import Checking
from certify.exchange.columns import Blank, Column
from certify.exchange.entities import CERTIFICATE, Entity, Key
from certify.exchange.kind import ExportRow, Kind, Visible
from certify.exchange.kinds.common import DAY, EMAIL, REFERENCE, STATES, bound_row, by_pk
from certify.exchange.messages import Text
from certify.exchange.rows import Item, Row
from certify.exchange.store import Store
from certify.model import CertificateState
from certify.rules.explanation import Explanation, PersonRef, ProgrammeRef, SiteRef
from certify.rules.jsonable import fields_to_json
from certify.services.issuance import SNAPSHOT_VERSION
from certify.services.serials import is_own_serial

COLUMNS = (
    Column(
        "serial",
        "Numéro",
        "Serial",
        CodeCell(),
        required=True,
        field="serial",
        aliases=("numéro de certificat", "n°", "no", "certificat", "serial number"),
    ),
    Column(
        "person",
        "Personne",
        "Person",
        EMAIL,
        required=True,
        field="person",
        ref="person",
        aliases=("titulaire", "adresse électronique", "e-mail", "email", "holder"),
    ),
    Column(
        "programme",
        "Programme",
        "Programme",
        REFERENCE,
        required=True,
        field="programme",
        ref="programme",
        aliases=("code programme", "certification", "program"),
    ),
    Column(
        "issued_on",
        "Délivré le",
        "Issued on",
        DAY,
        required=True,
        field="issued_on",
        aliases=("date de délivrance", "délivrance", "issue date"),
    ),
    Column(
        "valid_from",
        "Valide à partir du",
        "Valid from",
        DAY,
        required=True,
        field="valid_from",
        aliases=("valide du", "début de validité"),
    ),
    Column(
        "valid_until",
        "Valide jusqu'au",
        "Valid until",
        DAY,
        required=True,
        field="valid_until",
        aliases=("valide au", "fin de validité", "expire le", "expiry date"),
    ),
    Column(
        "state",
        "État",
        "State",
        STATES,
        field="state",
        blank=Blank.KEEP,
        aliases=("statut", "status"),
    ),
    Column(
        "revoked_on",
        "Révoqué le",
        "Revoked on",
        DAY,
        field="revoked_on",
        aliases=("date de révocation", "revocation date"),
    ),
    Column(
        "revocation_reason",
        "Motif de révocation",
        "Revocation reason",
        TextCell(500),
        field="revocation_reason",
        aliases=("motif", "revocation reason"),
    ),
    Column(
        "import_reason",
        "Motif de reprise",
        "Import reason",
        TextCell(500),
        required=True,
        field="import_reason",
        aliases=("motif d'import", "motif de l'import", "provenance", "origine", "reason"),
    ),
    Column(
        "supersedes",
        "Remplace",
        "Supersedes",
        CodeCell(),
        field="supersedes",
        ref="certificate",
        aliases=("remplace le certificat", "replaces"),
    ),
)

VALIDITY_ORDER = Text(
    "doit être postérieure au début de validité", "must come after the first day of validity"
)
REVOCATION_INCOMPLETE = Text(
    "un certificat révoqué a une date et un motif de révocation, et eux seuls",
    "a revoked certificate, and only a revoked one, has a revocation date and reason",
)
TWO_STANDING = Text(
    "la même personne détient déjà un certificat délivré de ce programme valide à partir du "
    "même jour ({serial})",
    "the same person already holds an issued certificate of this programme valid from the "
    "same day ({serial})",
)
REPLACES_ITSELF = Text(
    "un certificat ne peut se remplacer lui-même", "a certificate cannot replace itself"
)
FIXED = Text(
    "diffère du certificat enregistré\u00a0: un import ne change aucun certificat (révocation et "
    "réédition sont des actions à part)",
    "differs from the certificate on record: an import changes no certificate (revocation "
    "and reissue are actions of their own)",
)
OWN_SERIAL = Text(
    "a la forme des numéros de certify\u00a0: seul certify les attribue, en délivrant",
    "has the form of certify's serials: only certify gives those, when it issues",
)
REPLACES_OWN = Text(
    "est un certificat délivré par certify\u00a0: seule une réédition le remplace",
    "is a certificate issued by certify: only a reissue replaces it",
)
#: The derived keys of an explanation, for a certificate certify did not decide.
NO_VERDICT = {"eligible": None, "missing_count": 0, "completed_on": None}
#: What an imported certificate's snapshot says about it.
IMPORT_NOTE = (
    "Certificat importé : délivré hors de certify ; numéro et dates d'origine conservés. / "
    "Imported certificate: issued outside certify; original serial and dates kept."
)


def items(row: Row, store: Store) -> list[Item | None]:
    """The certificate of a row."""
    return [row.item(CERTIFICATE)]


def snapshot(entity: Entity, key: Key, fields: dict[str, Any], store: Store) -> dict[str, Any]:
    """The frozen record of an imported certificate, in the layout issuance writes.

    Its explanation names the holder and programme but no requirement (certify never saw
    the evidence), and gives no verdict; ``imported`` and ``original`` say where it comes
    from.
    """
    people, sites = store.table("person"), store.table("site")
    person = people.rows[fields["person"]]
    site = sites.rows[person["site"]]
    programme = store.table("programme").rows[fields["programme"]]
    name = f"{person['given_name']} {person['family_name']}"
    email = fields["person"][0]
    explanation = Explanation(
        person=PersonRef(
            people.id(fields["person"]),
            name,
            email,
            SiteRef(sites.id(person["site"]), person["site"][0], site["name"]),
        ),
        programme=ProgrammeRef(
            store.table("programme").id(fields["programme"]),
            fields["programme"][0],
            programme["title_fr"],
            programme["title_en"],
        ),
        as_of=fields["issued_on"],
        requirements=(),
    )
    original = {
        name: fields[name].isoformat() for name in ("issued_on", "valid_from", "valid_until")
    }
    return {
        "issued_elsewhere": True,
        "snapshot": {
            "version": SNAPSHOT_VERSION,
            "imported": True,
            "note": IMPORT_NOTE,
            "holder": {"name": name, "email": email},
            "site": {"code": person["site"][0], "name": site["name"]},
            "issuer": "",
            "override_reason": None,
            "explanation": fields_to_json(explanation) | NO_VERDICT,
            "original": {"serial": key[0], **original},
        },
    }


def _start(certificate: dict[str, Any]) -> tuple[Key | None, Key | None, Any]:
    """Person, programme and first day: one issued certificate at most for each."""
    return certificate.get("person"), certificate.get("programme"), certificate.get("valid_from")


def _issued(certificate: dict[str, Any]) -> bool:
    """Whether a certificate is (or will be) in the issued state."""
    return certificate.get("state", CertificateState.ISSUED) is CertificateState.ISSUED


def _standing(checking: Checking) -> dict[tuple[Key | None, Key | None, Any], list[Key]]:
    """Serials of issued certificates by person, programme and first day (the file's way)."""
    certificates = dict(checking.store.table("certificate").rows)
    for item in checking.each(CERTIFICATE):
        certificates[item.key] = checking.current("certificate", item.key) or {}
    standing: dict[tuple[Key | None, Key | None, Any], list[Key]] = defaultdict(list)
    for key, certificate in certificates.items():
        if _issued(certificate):
            standing[_start(certificate)].append(key)
    return standing


def check(checking: Checking) -> None:
    """Not certify's serials, never a change, validity ordered, revocations complete, one
    standing certificate per start, not the actor's own, scope."""
    standing = _standing(checking)
    for item in checking.each(CERTIFICATE):
        if is_own_serial(item.key[0]):
            checking.flag(item, "serial", OWN_SERIAL)
        certificate = checking.current("certificate", item.key) or {}
        since, until = certificate.get("valid_from"), certificate.get("valid_until")
        if since is not None and until is not None and until <= since:
            checking.flag(item, "valid_until", VALIDITY_ORDER)
        revoked = certificate.get("state") is CertificateState.REVOKED
        details = [certificate.get(f) is not None for f in ("revoked_on", "revocation_reason")]
        if (revoked and not all(details)) or (not revoked and any(details)):
            checking.flag(item, "state" if revoked else "revoked_on", REVOCATION_INCOMPLETE)
        for field in sorted(checking.changed(item)):
            checking.flag(item, field, FIXED)
        replaced = certificate.get("supersedes")
        if replaced == item.key:
            checking.flag(item, "supersedes", REPLACES_ITSELF)
        elif (
            replaced is not None
            and (checking.store.row("certificate", replaced) or {}).get("issued_elsewhere") is False
        ):
            checking.flag(item, "supersedes", REPLACES_OWN)
        others = [key for key in standing[_start(certificate)] if key != item.key]
        if _issued(certificate) and others:
            checking.flag(item, "valid_from", TWO_STANDING.format(serial=others[0][0]))
        person = certificate.get("person")
        holder = checking.store.row("person", person) if person is not None else None
        site = (holder or {}).get("site")
        checking.within_scope(item, site, "person")
        checking.not_for_oneself(item, person, "person", Action.ISSUE_CERTIFICATE)


def rows(store: Store, visible: Visible) -> Iterator[ExportRow]:
    """Every certificate of people of the visible sites, replaced ones before their successors."""
    table = store.table("certificate")
    people = store.table("person").rows
    for key in by_pk(table):
        fields = table.rows[key]
        if visible(people[fields["person"]]["site"]):
            yield bound_row(KIND, CERTIFICATE, key, fields)


KIND = Kind(
    name="certificates",
    names=("certificates", "certificats", "certificate", "certificat"),
    label=Text("certificats", "certificates"),
    columns=COLUMNS,
    entities=(CERTIFICATE,),
    items=items,
    rows=rows,
    reference=True,  # administrators only: recording certificates issued elsewhere
    check=check,
    create_defaults=snapshot,
)
