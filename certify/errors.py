"""Errors certify expects and reports in one plain line (never a traceback)."""


class CertifyError(Exception):
    """An expected failure, worded for a user in French and in English.

    ``str(error)`` is the English text (logs, tracebacks, tests); a user reads
    ``error.in_(lang)``. One text serves both languages when it is already bilingual
    (« … / … ») or language-neutral.
    """

    def __init__(self, french: str, english: str | None = None) -> None:
        """Keep the French text and the English one (the French one when not given)."""
        english = french if english is None else english
        super().__init__(french, english)
        #: The message in French.
        self.french = french
        #: The message in English.
        self.english = english

    def __str__(self) -> str:
        """The English text."""
        return self.english

    def in_(self, lang: str) -> str:
        """The message in ``lang`` (``fr``, else English)."""
        return self.french if lang == "fr" else self.english


class DatabaseUnavailable(CertifyError):
    """The database cannot be reached or opened."""


class DatabaseBusy(DatabaseUnavailable):
    """Another write held the database longer than certify waits for it."""


class DatabaseFull(DatabaseUnavailable):
    """The database's disk is full."""


class DatabaseRefused(CertifyError):
    """The database refused a write that breaks one of its constraints, or a value."""


class SchemaTooNew(CertifyError):
    """The database was written by a newer certify than this one."""


class NotFound(CertifyError):
    """A code, serial, e-mail or name that matches nothing."""
