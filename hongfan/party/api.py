"""JSON API of the Party app: the composition figures (GET /api/party/composition)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Status

from hongfan.accounts.roles import Cap
from hongfan.party import selectors

router = Router(tags=["party"])


@router.get("/composition", response={200: dict, 403: dict, 404: dict})
def composition(
    request: HttpRequest,
    date: dt.date | None = None,
    institution: int | None = None,
    branch: int | None = None,
) -> Any:
    """Return the composition figures on ``date`` (default today), for the deployment, one
    institution or one organisation's subtree. Percentages are strings with 2 decimals."""
    user = request.user
    if not user.has_capability(Cap.COMPOSITION_VIEW):  # type: ignore[union-attr]
        return Status(403, {"detail": "permission denied"})
    scope_ids = selectors.composition_scope_ids(user)
    organisation_ids: list[int] | None = scope_ids
    if branch is not None:
        if not selectors.organisation_visible_to(user).filter(pk=branch).exists():
            return Status(404, {"detail": "not found"})
        organisation_ids = [branch]
    if scope_ids is not None:
        institution = None
    figures = selectors.composition(
        on=date or timezone.localdate(),
        institution_id=institution,
        organisation_ids=organisation_ids,
    )
    return Status(200, {**figures.as_dict(), "institution": institution, "branch": branch})
