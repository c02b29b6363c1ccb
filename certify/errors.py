"""Errors certify expects and reports in one plain line (never a traceback)."""


class CertifyError(Exception):
    """An expected failure whose message is fit to show a user as it is."""


class DatabaseUnavailable(CertifyError):
    """The database cannot be reached or opened."""


class SchemaTooNew(CertifyError):
    """The database was written by a newer certify than this one."""


class NotFound(CertifyError):
    """A code, serial, e-mail or name that matches nothing."""
