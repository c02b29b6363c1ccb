"""RDF Dataset Canonicalization (RDFC-1.0) of JSON-LD documents, with shipped contexts only.

pyld turns the document into an RDF dataset and canonicalises it (its ``URDNA2015`` is
RDFC-1.0). Contexts are never fetched: a document naming a context certify does not ship
cannot be canonicalised, so neither signed nor verified.

pyld keys its cache of embedded (type-scoped) contexts by their JCS form, computed by a
pure-Python JCS on every typed node: half of a credential's canonicalisation. Sorted JSON
(:func:`context_key`) is as deterministic a key (jsonld.js keys the same cache with
``JSON.stringify``), so it replaces it: 2.4 ms a credential instead of 4.8.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import cache
from importlib.resources import files
from typing import Any

from pyld import RemoteDocument, context_resolver, jsonld

#: The JSON-LD contexts certify ships, by the URL documents name them with.
SHIPPED_CONTEXTS = {
    "https://www.w3.org/ns/credentials/v2": "credentials-v2.jsonld",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json": "ob-3.0.3.json",
}


class UnknownContext(ValueError):
    """A document names a JSON-LD context that certify does not ship."""


class Canonicalizer:
    """Canonical N-Quads of JSON-LD documents whose contexts are shipped (or given)."""

    def __init__(self, extra_contexts: Mapping[str, Any] | None = None) -> None:
        """Load shipped contexts, plus ``extra_contexts`` (URL → context document)."""
        self._contexts = {url: _shipped(name) for url, name in SHIPPED_CONTEXTS.items()}
        self._contexts.update(extra_contexts or {})

    def canonicalize(self, document: Mapping[str, Any]) -> str:
        """The RDFC-1.0 canonical N-Quads of ``document``; ``ValueError`` if it cannot be."""
        options: jsonld.NormalizeOptions = {
            "algorithm": "URDNA2015",
            "format": "application/n-quads",
            "documentLoader": self._load,
        }
        try:
            canonical = jsonld.normalize(dict(document), options)
        except jsonld.JsonLdError as error:
            cause: BaseException = error
            while cause.__cause__ is not None:
                cause = cause.__cause__
            raise ValueError(f"not canonicalisable JSON-LD: {cause}") from error
        if not isinstance(canonical, str):
            raise ValueError("canonicalisation gave no N-Quads")
        return canonical

    def _load(self, url: str, options: dict[str, Any]) -> RemoteDocument:
        """The shipped context at ``url``; ``UnknownContext`` for any other."""
        try:
            document = self._contexts[url]
        except KeyError:
            raise UnknownContext(f"JSON-LD context not shipped with certify: {url}") from None
        return {
            "contentType": "application/ld+json",
            "contextUrl": None,
            "documentUrl": url,
            "document": document,
        }


def context_key(context: Mapping[str, Any]) -> bytes:
    """pyld's cache key of an embedded context: its JSON with sorted keys."""
    text = json.dumps(
        context, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=dict
    )
    return text.encode("utf-8")


context_resolver.canonicalize = context_key


@cache
def _shipped(name: str) -> Any:
    """A context document from ``certificates/contexts``."""
    text = files("certificates.contexts").joinpath(name).read_text(encoding="utf-8")
    return json.loads(text)


#: The canonicalizer of certify's own documents.
CANONICALIZER = Canonicalizer()
