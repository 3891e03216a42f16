"""Builders for the cockpit tests (on top of hongfan.core.testing.World)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from hongfan.cockpit import services
from hongfan.cockpit.models import ReportTemplate
from hongfan.core.testing import World
from hongfan.loops import services as loops
from hongfan.loops.models import Matter


def at(day: dt.date, hour: int = 9, minute: int = 0, second: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime(day.year, day.month, day.day, hour, minute, second))


def matter(
    world: World,
    type: str,
    *,
    opened: dt.datetime,
    due: dt.datetime,
    closed: dt.datetime | None = None,
    department: Any = None,
    rating: int | None = None,
) -> Matter:
    m = loops.matter_open(
        type=type,
        title=f"{type} {opened:%Y-%m-%d %H:%M:%S}",
        originator=world.user("party_office"),
        owner_department=department or world.dept_a1,
        opened_at=opened,
        due_at=due,
        notify_owner=False,
    )
    if closed is not None or rating is not None:
        Matter.objects.filter(pk=m.pk).update(closed_at=closed, feedback_rating=rating)
        m.refresh_from_db()
    return m


def template(world: World, kind: str = "annual", body: str | None = None) -> ReportTemplate:
    existing = ReportTemplate.objects.filter(name=f"测试{kind}").first()
    if existing is not None:
        return existing
    return services.template_save(
        actor=world.user("party_office"),
        name=f"测试{kind}",
        kind=kind,
        title="{{ institution.name }}{{ period.label }}党建工作报告",
        body=body
        or (
            "# 一、基本情况\n党员 {{ membership.members_in_post }} 名，"
            "支部 {{ membership.branches }} 个，"
            "专技占比 {{ membership.professional_pct }}。\n\n"
            "# 二、组织生活\n落实率 {{ orglife.compliance_pct }}。\n\n"
            "# 三、督办与投诉\n督办 {{ matters.total }} 件，按期率 {{ matters.on_time_pct }}；"
            "投诉 {{ complaints.received }} 件，按期答复率 {{ complaints.on_time_pct }}。\n"
            "党费收缴率 {{ dues.payment_pct }}。"
        ),
    )
