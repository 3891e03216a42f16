"""Small builders for orglife tests (on top of hongfan.core.testing.World)."""

from __future__ import annotations

import datetime as dt

from django.core.files.base import ContentFile
from django.utils import timezone

from hongfan.core.testing import World
from hongfan.orglife import services
from hongfan.orglife.models import Meeting, MeetingFile, MeetingKind, ReviewCampaign
from hongfan.party.models import PartyOrganisation


def meeting_for(
    org: PartyOrganisation,
    *,
    kind: str = MeetingKind.THEME_DAY,
    planned_on: dt.date | None = None,
    topic: str = "学习党的二十届四中全会精神",
) -> Meeting:
    existing = Meeting.objects.filter(organisation=org, kind=kind, topic=topic).first()
    if existing is not None:
        return existing
    return services.meeting_plan(
        organisation=org, kind=kind, topic=topic, planned_on=planned_on or timezone.localdate()
    )


def file_for(meeting: Meeting) -> MeetingFile:
    existing = meeting.files.first()
    if existing is not None:
        return existing
    return MeetingFile.objects.create(
        meeting=meeting,
        kind=MeetingFile.Kind.DOCUMENT,
        file=ContentFile(b"minutes", name="minutes.txt"),
        name="minutes.txt",
        size=7,
    )


def campaign_for(org: PartyOrganisation, year: int = 2026) -> ReviewCampaign:
    existing = ReviewCampaign.objects.filter(organisation=org, year=year).first()
    return existing or services.campaign_open(organisation=org, year=year)


def token_for(world: World) -> str:
    return services.sign_in_token(meeting_for(world.branch_a))
