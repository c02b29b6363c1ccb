"""CertifyError: one message in French and in English."""

from certify.errors import CertifyError, NotFound


def test_error_in_each_language() -> None:
    """``in_`` gives the language asked for; ``str`` gives English."""
    error = NotFound("aucun site n° 9", "no site with id 9")
    assert error.in_("fr") == "aucun site n° 9"
    assert error.in_("en") == "no site with id 9"
    assert str(error) == "no site with id 9"


def test_one_text_serves_both_languages() -> None:
    """A message given once (bilingual or neutral) is the same in both languages."""
    error = CertifyError("CERT-ACC / CERT-ACC")
    assert error.in_("fr") == error.in_("en") == str(error) == "CERT-ACC / CERT-ACC"
