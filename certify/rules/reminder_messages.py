"""The wording of expiry reminders: to the holder, and the digest to a coordinator.

French first, with French typography (a no-break space inside « » and before : ; ? !),
days written out (« 19 juin 2027 »); English alike (« 19 June 2027 »).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from certify.rules.wording import NBSP, Lang, Wording
from certify.rules.written_dates import written_date

#: The language coordinators' digests are written in: the network's (accounts have no
#: language of their own in certify). A holder's reminder is in theirs (``Person.lang``).
NETWORK_LANG: Lang = "fr"


@dataclass(frozen=True)
class ReminderItem:
    """One certificate a reminder is about."""

    #: The certificate's id.
    certificate_id: int
    #: Its serial.
    serial: str
    #: The holder's id.
    holder_id: int
    #: The holder's name, as they write it.
    holder_name: str
    #: The holder's site (code).
    site_code: str
    #: The programme's code.
    programme_code: str
    #: The programme's title in French.
    title_fr: str
    #: The programme's title in English.
    title_en: str
    #: The last valid day.
    valid_until: date
    #: Days from the run's day to the last valid day (0: the last day; below: expired).
    days_left: int
    #: Whether the holder asked for no reminders of their own.
    reminders_off: bool = False


@dataclass(frozen=True)
class Message:
    """A message's subject and body, in one language."""

    #: The subject line.
    subject: str
    #: The plain-text body.
    body: str


def _days(count: int) -> Wording:
    """``1 jour`` / ``30 jours``."""
    return Wording(
        f"{count}{NBSP}jour" + ("s" if count > 1 else ""),
        f"{count} day" + ("s" if count > 1 else ""),
    )


def _when(item: ReminderItem) -> Wording:
    """When it expires, seen from the run's day."""
    if item.days_left > 0:
        days = _days(item.days_left)
        return Wording(f"il expire dans {days.fr}", f"it expires in {days.en}")
    if item.days_left == 0:
        return Wording("c'est son dernier jour de validité", "today is the last day it is valid")
    days = _days(-item.days_left)
    return Wording(f"il a expiré il y a {days.fr}", f"it expired {days.en} ago")


def _until(item: ReminderItem) -> Wording:
    """``valable jusqu'au 19 juin 2027`` / ``valid until 19 June 2027``."""
    return Wording(
        f"valable jusqu'au {written_date(item.valid_until, 'fr')}",
        f"valid until {written_date(item.valid_until, 'en')}",
    )


def _quoted(text: str) -> str:
    """``text`` between French quotation marks, with their no-break spaces."""
    return f"«{NBSP}{text}{NBSP}»"


def holder_message(item: ReminderItem, given_name: str, lang: Lang) -> Message:
    """The reminder to the holder of a certificate."""
    when = _when(item)
    subject = (
        Wording(
            f"Votre certificat {item.programme_code} arrive à échéance{NBSP}: {when.fr}",
            f"Your {item.programme_code} certificate is nearing expiry: {when.en}",
        )
        if item.days_left > 0
        else Wording(
            f"Votre certificat {item.programme_code} arrive à échéance",
            f"Your {item.programme_code} certificate reaches its expiry",
        )
    )
    until = _until(item)
    body = Wording(
        f"Bonjour {given_name},\n\n"
        f"Votre certificat {_quoted(item.title_fr)} ({item.programme_code}), "
        f"n° {item.serial}, est {until.fr}{NBSP}: {when.fr}.\n\n"
        f"Que faire{NBSP}? Ouvrez certify (Ma progression) pour voir les exigences du "
        "renouvellement qui restent à remplir, et voyez avec votre coordinateur·rice les "
        "sessions ou les évaluations qui manquent. Un renouvellement dans la fenêtre de "
        "renouvellement garde la date anniversaire du certificat.\n\n"
        f"Vous ne souhaitez plus recevoir ces rappels{NBSP}? Désactivez-les "
        "(certify person reminders VOTRE-ADRESSE --off) ou demandez-le à votre "
        "coordinateur·rice.\n\n"
        "— certify, Réseau des Cités des métiers\n",
        f"Hello {given_name},\n\n"
        f"Your certificate “{item.title_en}” ({item.programme_code}), "
        f"serial {item.serial}, is {until.en}: {when.en}.\n\n"
        "What to do? Open certify (My progress) to see the renewal requirements still "
        "to meet, and agree with your coordinator on the sessions or assessments missing. "
        "A renewal inside the renewal window keeps the certificate's anniversary date.\n\n"
        "No longer want these reminders? Turn them off "
        "(certify person reminders YOUR-ADDRESS --off) or ask your coordinator.\n\n"
        "— certify, Réseau des Cités des métiers\n",
    )
    return Message(subject.in_(lang), body.in_(lang))


def _digest_line(item: ReminderItem) -> Wording:
    """One person due, as a digest lists them."""
    until, when = _until(item), _when(item)
    off = item.reminders_off
    return Wording(
        f"- {item.holder_name} ({item.site_code}){NBSP}: {item.programme_code} "
        f"{_quoted(item.title_fr)}, n° {item.serial}, {until.fr}{NBSP}; {when.fr}"
        + (f" (rappels désactivés à sa demande{NBSP}: prévenez-la ou prévenez-le)" if off else ""),
        f"- {item.holder_name} ({item.site_code}): {item.programme_code} “{item.title_en}”, "
        f"serial {item.serial}, {until.en}; {when.en}"
        + (" (reminders turned off at their request: let them know)" if off else ""),
    )


def digest_message(items: Sequence[ReminderItem], given_name: str, lang: Lang) -> Message:
    """The digest to a coordinator: the certificates of their scope reaching a threshold."""
    count = len(items)
    subject = Wording(
        f"Certificats arrivant à échéance dans votre périmètre{NBSP}: {count}",
        f"Certificates nearing expiry in your scope: {count}",
    )
    ordered = sorted(items, key=lambda i: (i.valid_until, i.holder_name, i.serial))
    lines = [_digest_line(item) for item in ordered]
    body = Wording(
        f"Bonjour {given_name},\n\n"
        f"Ces certificats de votre périmètre arrivent à échéance{NBSP}:\n\n"
        + "\n".join(line.fr for line in lines)
        + "\n\nLe tableau de bord de certify (certificats qui expirent) dit, pour chacun, "
        "ce qui manque au renouvellement.\n\n— certify, Réseau des Cités des métiers\n",
        f"Hello {given_name},\n\n"
        "These certificates of your scope are nearing expiry:\n\n"
        + "\n".join(line.en for line in lines)
        + "\n\ncertify's dashboard (expiring certificates) says, for each, what a renewal "
        "still needs.\n\n— certify, Réseau des Cités des métiers\n",
    )
    return Message(subject.in_(lang), body.in_(lang))
