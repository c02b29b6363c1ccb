"""Sending e-mail by SMTP: the settings from the environment, and one connection a run.

``CERTIFY_SMTP_HOST`` (required), ``CERTIFY_SMTP_PORT`` (587), ``CERTIFY_SMTP_STARTTLS``
(on), ``CERTIFY_SMTP_USER`` and ``CERTIFY_SMTP_PASSWORD`` (both or neither),
``CERTIFY_SMTP_FROM`` (the sender; else the user name when it is an address).
"""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Iterator, Mapping
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from certify.errors import CertifyError
from certify.rules.reminder_messages import Message

#: Seconds a connection or a reply is waited for.
TIMEOUT_SECONDS = 30
#: Values of ``CERTIFY_SMTP_STARTTLS`` read as on, and as off.
ON, OFF = {"1", "on", "yes", "true", "oui"}, {"0", "off", "no", "false", "non"}


@dataclass(frozen=True)
class SmtpSettings:
    """Where and how to send."""

    #: The SMTP server.
    host: str
    #: Its port.
    port: int = 587
    #: Whether to upgrade the connection with STARTTLS (certificates checked).
    starttls: bool = True
    #: The user name to log in with, if any.
    user: str | None = None
    #: Its password.
    password: str | None = None
    #: The sender's address.
    sender: str = ""


def smtp_settings(environ: Mapping[str, str]) -> SmtpSettings:
    """The SMTP settings in ``environ``, or a plain refusal naming what is missing."""
    host = environ.get("CERTIFY_SMTP_HOST", "").strip()
    if not host:
        raise CertifyError(
            "aucun serveur d'envoi\u00a0: donnez CERTIFY_SMTP_HOST (et CERTIFY_SMTP_PORT, "
            "CERTIFY_SMTP_USER, CERTIFY_SMTP_PASSWORD, CERTIFY_SMTP_FROM)\u00a0; --dry-run liste "
            "les rappels sans rien envoyer",
            "no mail server: set CERTIFY_SMTP_HOST (and CERTIFY_SMTP_PORT, CERTIFY_SMTP_USER, "
            "CERTIFY_SMTP_PASSWORD, CERTIFY_SMTP_FROM); --dry-run lists the reminders "
            "without sending",
        )
    port_text = environ.get("CERTIFY_SMTP_PORT", "587").strip()
    if not port_text.isdigit() or not 0 < int(port_text) < 65536:
        raise CertifyError(
            f"CERTIFY_SMTP_PORT illisible\u00a0: {port_text!r} (un numéro de port, 587 par défaut)",
            f"unreadable CERTIFY_SMTP_PORT: {port_text!r} (a port number, 587 by default)",
        )
    tls_text = environ.get("CERTIFY_SMTP_STARTTLS", "on").strip().lower()
    if tls_text not in ON | OFF:
        raise CertifyError(
            f"CERTIFY_SMTP_STARTTLS illisible\u00a0: {tls_text!r} (on ou off)",
            f"unreadable CERTIFY_SMTP_STARTTLS: {tls_text!r} (on or off)",
        )
    user = environ.get("CERTIFY_SMTP_USER") or None
    password = environ.get("CERTIFY_SMTP_PASSWORD") or None
    if (user is None) != (password is None):
        raise CertifyError(
            "CERTIFY_SMTP_USER et CERTIFY_SMTP_PASSWORD vont ensemble : donnez les deux ou aucun",
            "CERTIFY_SMTP_USER and CERTIFY_SMTP_PASSWORD go together: set both or neither",
        )
    sender = environ.get("CERTIFY_SMTP_FROM", "").strip() or (user if user and "@" in user else "")
    if "@" not in sender:
        raise CertifyError(
            "aucune adresse d'expéditeur\u00a0: donnez CERTIFY_SMTP_FROM",
            "no sender address: set CERTIFY_SMTP_FROM",
        )
    return SmtpSettings(host, int(port_text), tls_text in ON, user, password, sender)


def email_message(settings: SmtpSettings, to: str, message: Message) -> EmailMessage:
    """``message`` as an e-mail from the configured sender to ``to``."""
    mail = EmailMessage()
    mail["From"] = settings.sender
    mail["To"] = to
    mail["Subject"] = message.subject
    mail["Date"] = formatdate(localtime=False, usegmt=True)
    mail["Message-ID"] = make_msgid(domain=settings.sender.rpartition("@")[2])
    mail["Auto-Submitted"] = "auto-generated"
    mail.set_content(message.body)
    return mail


def _text(reply: bytes | str) -> str:
    """A server's reply as text."""
    return reply.decode(errors="replace") if isinstance(reply, bytes) else reply


class MailUnavailable(CertifyError):
    """The SMTP server could not be reached, or refused the connection or the login."""


class Mailer:
    """An open SMTP connection; :meth:`send` says why a message was refused, if it was."""

    def __init__(self, connection: smtplib.SMTP, settings: SmtpSettings) -> None:
        """Wrap a connection ready to send."""
        self.connection, self.settings = connection, settings

    def send(self, to: str, message: Message) -> str | None:
        """Send one message: ``None`` when the server accepted it, else its refusal."""
        try:
            refused = self.connection.send_message(email_message(self.settings, to, message))
        except smtplib.SMTPRecipientsRefused as error:
            return "; ".join(f"{code} {_text(reply)}" for code, reply in error.recipients.values())
        except smtplib.SMTPResponseException as error:  # MAIL FROM or DATA refused
            self._reset()
            return f"{error.smtp_code} {_text(error.smtp_error)}"
        except (smtplib.SMTPException, OSError) as error:
            return f"{type(error).__name__}: {error}"
        return "; ".join(f"{code} {reply!r}" for code, reply in refused.values()) or None

    def _reset(self) -> None:
        """Start the next transaction afresh after a refusal (when the server still talks)."""
        with suppress(smtplib.SMTPException, OSError):
            self.connection.rset()


@contextmanager
def smtp_connection(settings: SmtpSettings) -> Iterator[Mailer]:
    """A connection to the configured server (STARTTLS and login as set), closed after."""
    try:
        connection = smtplib.SMTP(settings.host, settings.port, timeout=TIMEOUT_SECONDS)
    except (OSError, smtplib.SMTPException) as error:
        raise MailUnavailable(
            f"serveur d'envoi injoignable ({settings.host}:{settings.port})\u00a0: {error}\u00a0; "
            "rien n'est marqué envoyé, la prochaine exécution réessaiera",
            f"mail server unreachable ({settings.host}:{settings.port}): {error}; "
            "nothing is marked sent, the next run retries",
        ) from error
    try:
        try:
            if settings.starttls:
                connection.starttls(context=ssl.create_default_context())
            if settings.user and settings.password:
                connection.login(settings.user, settings.password)
        except (OSError, smtplib.SMTPException) as error:
            raise MailUnavailable(
                f"le serveur d'envoi refuse la connexion ({settings.host})\u00a0: {error}\u00a0; "
                "rien n'est marqué envoyé",
                f"the mail server refuses the connection ({settings.host}): {error}; "
                "nothing is marked sent",
            ) from error
        yield Mailer(connection, settings)
    finally:
        try:
            connection.quit()
        except (OSError, smtplib.SMTPException):
            connection.close()
