"""The demo hospital's organisational life: a year of meetings, sign-ins, one review."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest

from hongfan.core.testing import shared_rows
from hongfan.demo.builder import DEMO_PREFIX
from hongfan.demo.services import demo_seed
from hongfan.orglife import selectors
from hongfan.orglife.models import Attendance, Meeting, ReviewBallot, ReviewCampaign
from hongfan.party.models import PartyMember, PartyOrganisation

TODAY = dt.date(2026, 11, 23)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    # Only the organisational-life extension: later modules add branches of their own (e.g.
    # the temporary branch of an emergency deployment, created after this year's meetings).
    # Seeded once for the module's tests and rolled back after them (never committed).
    with shared_rows(django_db_blocker):
        with django_db_blocker.unblock():
            result = demo_seed(size="small", seed=1, today=TODAY, modules=("orglife",))
        yield result


@pytest.mark.django_db
def test_every_branch_has_a_year_of_meetings_and_most_comply(demo) -> None:
    branches = PartyOrganisation.objects.filter(
        kind=PartyOrganisation.Kind.BRANCH, institution__code__startswith=DEMO_PREFIX
    )
    assert demo.extra_counts["meetings"] == Meeting.objects.count() > 0
    held = Meeting.objects.filter(status=Meeting.Status.RECORDED)
    assert held.filter(held_on__lt=dt.date(2026, 1, 1)).exists()  # the window reaches last year
    branch_ids = set(branches.values_list("pk", flat=True))
    assert set(held.values_list("organisation_id", flat=True)) == branch_ids
    assert not held.filter(held_on__gt=TODAY).exists()
    matrix = selectors.compliance_for_year(branches, 2026, today=TODAY)
    past = Counter(c for row in matrix.rows for c in row.months[:10])
    assert past["met"] > 0.7 * sum(past.values())
    assert past["missed"] > 0  # a few branches are red


@pytest.mark.django_db
def test_attendees_belong_to_their_branch_and_many_signed_in_by_qr(demo) -> None:
    strangers = Attendance.objects.exclude(
        member__organisation=models_F("meeting__organisation")
    ).exclude(meeting__organisation__is_temporary=True)
    assert not strangers.exists()
    present = Attendance.objects.filter(status=Attendance.Status.PRESENT)
    assert present.filter(signed_in_at__isnull=False).count() > 0.5 * present.count()
    absent = Attendance.objects.filter(status=Attendance.Status.ABSENT)
    assert absent.exists() and not absent.filter(absence_reason="").exists()


@pytest.mark.django_db
def test_one_review_campaign_is_half_way_through_voting(demo) -> None:
    campaign = ReviewCampaign.objects.get()
    assert campaign.stage == ReviewCampaign.Stage.VOTING and campaign.year == 2026
    candidates = set(
        PartyMember.objects.filter(
            organisation=campaign.organisation, category=PartyMember.Category.FULL
        ).values_list("pk", flat=True)
    )
    ballots = ReviewBallot.objects.filter(campaign=campaign)
    assert ballots.exists() and set(ballots.values_list("candidate_id", flat=True)) <= candidates


def models_F(name: str):
    from django.db.models import F

    return F(name)
