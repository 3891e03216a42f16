"""Reads of Party organisations and members, scoped through ``visible_to``."""

from __future__ import annotations

from collections.abc import Iterable

from hongfan.party.models import PartyOrganisation


def organisation_descendant_ids(root_ids: Iterable[int]) -> set[int]:
    """Return the given organisations and all their descendants (one query per tree level)."""
    found = set(root_ids)
    frontier = set(found)
    while frontier:
        children = set(
            PartyOrganisation.objects.filter(parent_id__in=frontier).values_list("id", flat=True)
        )
        frontier = children - found
        found |= frontier
    return found


def bound_department_ids(organisation_ids: Iterable[int]) -> set[int]:
    """Return the departments bound to the given organisations."""
    through = PartyOrganisation.departments.through
    return set(
        through.objects.filter(partyorganisation_id__in=list(organisation_ids)).values_list(
            "department_id", flat=True
        )
    )
