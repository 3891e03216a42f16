"""Test helpers: a Party committee mentor and a project in the test hospital."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hongfan.accounts.roles import Role
from hongfan.core.testing import World
from hongfan.innovation import services
from hongfan.innovation.models import Project
from hongfan.party.models import CommitteeMember


def mentor(world: World) -> CommitteeMember:
    cm, _ = CommitteeMember.objects.get_or_create(
        organisation=world.committee,
        member=world.members["secretary_b"],
        defaults={
            "position": CommitteeMember.Position.MEMBER,
            "term_start": dt.date(2024, 7, 1),
            "term_end": dt.date(2029, 6, 30),
        },
    )
    return cm


def project(world: World, **extra: Any) -> Project:
    fields: dict[str, Any] = {
        "title": "胸痛中心绿色通道提速",
        "leader": world.staff["member_a"],
        "mentor": mentor(world),
        "goals": "D2B 时间缩短到 75 分钟以内",
        "started_on": dt.date(2026, 1, 5),
        "planned_end": dt.date(2026, 12, 31),
        "organisation": world.branch_a,
        "department": world.dept_a1,
        "report_every_months": 3,
        "actor": world.user(Role.PARTY_OFFICE),
    }
    fields.update(extra)
    return services.project_create(**fields)
