"""Test data of the logistics service: a repair team with a leader and a worker."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hongfan.accounts.models import User
from hongfan.accounts.roles import Role
from hongfan.core.testing import World, make_staff, make_user
from hongfan.logistics import services
from hongfan.logistics.models import Category, ServiceTeam, WorkOrder


def service_user(world: World, key: str, name: str) -> User:
    found = User.objects.filter(username=key).first()
    if found:
        return found
    return make_user(key, make_staff(world.dept_a2, name), (Role.STAFF, {}))


def team(world: World, category: str = Category.REPAIR, name: str = "") -> ServiceTeam:
    found = ServiceTeam.objects.filter(category=category).first()
    if found:
        return found
    leader = service_user(world, f"{category}_leader", "刘班长")
    worker = service_user(world, f"{category}_worker", "李师傅")
    return services.team_save(
        name=name or f"{Category(category).label}班",
        category=category,
        leader=leader,
        members=[worker],
        phone="8001",
    )


def worker(world: World, category: str = Category.REPAIR) -> User:
    return service_user(world, f"{category}_worker", "李师傅")


def leader(world: World, category: str = Category.REPAIR) -> User:
    return service_user(world, f"{category}_leader", "刘班长")


def order(
    world: World,
    *,
    requester: Any = None,
    category: str = Category.REPAIR,
    filed_at: dt.datetime | None = None,
    **kw: Any,
) -> WorkOrder:
    team(world, category)
    return services.work_order_file(
        requester=requester or world.user(Role.STAFF),
        category=category,
        title=kw.pop("title", "污物间水龙头漏水"),
        location=kw.pop("location", "住院部 5 楼 心内科"),
        filed_at=filed_at,
        **kw,
    )
