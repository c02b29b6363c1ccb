"""The kinds of files certify imports and exports, by name (English or French)."""

from __future__ import annotations

from certify.errors import CertifyError
from certify.exchange.kind import Kind
from certify.exchange.kinds import (
    assessments,
    certificates,
    framework,
    modules,
    programmes,
    sessions,
    sites,
    staff,
)
from certify.exchange.naming import closest, normal_form

#: Every kind, in the order a new network is loaded.
KINDS: tuple[Kind, ...] = (
    sites.KIND,
    staff.KIND,
    framework.KIND,
    modules.KIND,
    programmes.KIND,
    sessions.KIND,
    assessments.KIND,
    certificates.KIND,
)


def find_kind(name: str) -> Kind:
    """The kind called ``name`` (e.g. ``staff`` or ``personnel``), or an error naming them all."""
    wanted = normal_form(name)
    for kind in KINDS:
        if wanted in {normal_form(n) for n in kind.names}:
            return kind
    names = [n for kind in KINDS for n in kind.names]
    hint = closest(name, names)
    suffix = (
        f" — vouliez-vous dire «\u00a0{hint}\u00a0»\u00a0? / did you mean “{hint}”?" if hint else ""
    )
    raise CertifyError(
        f"type de données inconnu / unknown kind «\u00a0{name}\u00a0»{suffix} "
        f"({', '.join(kind.name for kind in KINDS)})"
    )
