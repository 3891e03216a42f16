"""Who may open which page of the party app (run by core's permission-matrix test)."""

import datetime as dt

from hongfan.accounts.roles import Role
from hongfan.core.matrix import Case
from hongfan.core.testing import World
from hongfan.party.models import DualCultivation, ThreeLink

R = Role
PARTY_VIEWERS = {R.PARTY_OFFICE, R.BRANCH_SECRETARY, R.DISCIPLINE, R.PRESIDENT_OFFICE}
HOSPITAL_WIDE = {R.PARTY_OFFICE, R.DISCIPLINE, R.PRESIDENT_OFFICE}
COMPOSITION_VIEWERS = {R.PARTY_OFFICE, R.BRANCH_SECRETARY, R.PRESIDENT_OFFICE}
MANAGERS = {R.PARTY_OFFICE}
SECRETARY_404 = {R.BRANCH_SECRETARY: 404}


def _dual(w: World) -> dict[str, int]:
    item, _ = DualCultivation.objects.get_or_create(
        staff=w.staff["plain_a1"],
        track=DualCultivation.Track.BACKBONE_TO_MEMBER,
        defaults={"started_on": dt.date(2026, 1, 1)},
    )
    return {"pk": item.pk}


def _link(w: World, key: str = "member_a", branch: str = "branch_a") -> dict[str, int]:
    link, _ = ThreeLink.objects.get_or_create(
        level=ThreeLink.Level.MEMBER_MASSES,
        linker=w.staff[key],
        branch=getattr(w, branch),
        defaults={"target_name": "张患者", "started_on": dt.date(2026, 1, 1)},
    )
    return {"pk": link.pk}


CASES = [
    Case("party:tree", allowed=PARTY_VIEWERS),
    Case(
        "party:organisation_detail",
        allowed=PARTY_VIEWERS,
        kwargs=lambda w: {"pk": w.branch_a.pk},
    ),
    Case(
        "party:organisation_detail",
        allowed=HOSPITAL_WIDE,
        kwargs=lambda w: {"pk": w.branch_b.pk},
        per_role=SECRETARY_404,
        label="party:organisation_detail (another branch)",
    ),
    Case("party:organisation_create", allowed=MANAGERS),
    Case(
        "party:organisation_edit",
        allowed=MANAGERS,
        kwargs=lambda w: {"pk": w.branch_a.pk},
    ),
    Case(
        "party:committee_edit",
        allowed=MANAGERS,
        kwargs=lambda w: {"pk": w.branch_a.pk},
    ),
    Case("party:member_list", allowed=PARTY_VIEWERS),
    Case(
        "party:member_detail",
        allowed=PARTY_VIEWERS,
        kwargs=lambda w: {"pk": w.members["member_a"].pk},
    ),
    Case(
        "party:member_detail",
        allowed=HOSPITAL_WIDE,
        kwargs=lambda w: {"pk": w.members["member_b"].pk},
        per_role=SECRETARY_404,
        label="party:member_detail (another branch)",
    ),
    Case("party:member_create", allowed=MANAGERS),
    Case(
        "party:member_edit",
        allowed=MANAGERS,
        kwargs=lambda w: {"pk": w.members["member_a"].pk},
    ),
    Case(
        "party:member_transfer",
        allowed=MANAGERS,
        kwargs=lambda w: {"pk": w.members["member_a"].pk},
    ),
    Case("party:warnings", allowed=PARTY_VIEWERS),
    Case("party:composition", allowed=COMPOSITION_VIEWERS),
    Case(
        "party:composition",
        allowed={R.PARTY_OFFICE, R.PRESIDENT_OFFICE},
        data=lambda w: {"branch": w.branch_b.pk},  # outside the secretary's scope
        per_role=SECRETARY_404,
        label="party:composition (another branch)",
    ),
    Case("party:dual_list", allowed=PARTY_VIEWERS),
    Case("party:dual_create", allowed=MANAGERS),
    Case("party:dual_edit", allowed=MANAGERS, kwargs=_dual),
    Case("party:links_list", allowed=PARTY_VIEWERS),
    Case("party:link_create", allowed=MANAGERS),
    Case("party:link_detail", allowed=PARTY_VIEWERS, kwargs=_link),
    Case(
        "party:link_detail",
        allowed=HOSPITAL_WIDE,
        kwargs=lambda w: _link(w, "member_b", "branch_b"),
        per_role=SECRETARY_404,
        label="party:link_detail (another branch)",
    ),
]
