"""Demo data: the service desk's teams and a year of work orders (most on time, some late,
a few withdrawn, the latest ones still open or overdue), rated by the requesters."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from hongfan.accounts.roles import Role
from hongfan.demo.extensions import DemoContext
from hongfan.logistics import services
from hongfan.logistics.models import DEADLINE_HOURS, Category, ServiceTeam, Urgency

TEAMS = [
    ("后勤维修班", Category.REPAIR, "6101"),
    ("中央运送中心", Category.TRANSPORT, "6102"),
    ("物业保洁组", Category.CLEANING, "6103"),
    ("物资供应科", Category.SUPPLIES, "6104"),
    ("信息科运维组", Category.IT, "6105"),
]
REQUESTS: dict[str, list[tuple[str, str]]] = {
    Category.REPAIR: [
        ("污物间水龙头漏水", "住院部 5 楼 污物间"),
        ("病房空调不制冷", "住院部 7 楼 12 床"),
        ("护士站照明灯不亮", "住院部 3 楼 护士站"),
        ("卫生间下水道堵塞", "门诊 2 楼 卫生间"),
        ("病床摇把损坏", "住院部 6 楼 23 床"),
        ("门禁刷卡无反应", "手术室 缓冲间"),
    ],
    Category.TRANSPORT: [
        ("患者陪检：CT 检查", "住院部 5 楼 → 医技楼 1 楼 CT 室"),
        ("标本送检验科", "急诊科 → 检验科"),
        ("出院患者送至门口", "住院部 8 楼 → 门诊大厅"),
        ("血制品领取", "输血科 → 手术室"),
    ],
    Category.CLEANING: [
        ("呕吐物清理", "门诊 1 楼 候诊区"),
        ("终末消毒", "住院部 4 楼 隔离病房"),
        ("会议室会后保洁", "行政楼 3 楼 会议室"),
    ],
    Category.SUPPLIES: [
        ("领取打印纸 10 包", "行政楼 2 楼 院办"),
        ("更换饮水机水桶", "门诊 3 楼 护士站"),
        ("申领输液架 2 个", "住院部 6 楼"),
    ],
    Category.IT: [
        ("医生工作站无法登录 HIS", "门诊 2 楼 8 诊室"),
        ("打印机卡纸", "住院部 5 楼 护士站"),
        ("叫号屏黑屏", "门诊 1 楼 儿科候诊区"),
    ],
}
RESULTS = {
    Category.REPAIR: "已到场维修，更换配件后试用正常。",
    Category.TRANSPORT: "已按时运送并完成交接签字。",
    Category.CLEANING: "已清理并按规范消毒。",
    Category.SUPPLIES: "物资已送达并签收。",
    Category.IT: "已远程协助处理，系统恢复正常。",
}
WEIGHTS = [
    (Category.REPAIR, 40),
    (Category.TRANSPORT, 25),
    (Category.CLEANING, 15),
    (Category.SUPPLIES, 10),
    (Category.IT, 10),
]
COMMENTS = ["响应很快，谢谢师傅", "处理及时", "态度好", "", "", "来得有点晚"]


def seed(ctx: DemoContext) -> dict[str, int]:
    accounts = {r: u for r, u in ctx.accounts.items() if u.staff_id is not None}
    if not accounts:
        return {"work orders": 0}
    staff = accounts.get(Role.STAFF) or next(iter(accounts.values()))
    desk = accounts.get(Role.PRESIDENT_OFFICE) or staff
    # The demo has one account per role: the plain staff account leads the repair team so that
    # a demo user can dispatch and finish orders; the service desk leads the others.
    teams: dict[str, ServiceTeam] = {}
    for name, category, phone in TEAMS:
        lead = staff if category == Category.REPAIR else desk
        members = [u for u in (staff, desk) if u.pk != lead.pk]
        teams[category] = services.team_save(
            name=name, category=category, leader=lead, members=members, phone=phone
        )
    requesters = [u for r, u in accounts.items() if r != Role.STAFF] or [staff]
    rng = ctx.rng("logistics")
    n = 120 if ctx.size == "small" else 1500
    now = timezone.make_aware(dt.datetime.combine(ctx.today, dt.time(10, 0)))
    start = now - dt.timedelta(days=365)
    cats = [c for c, w in WEIGHTS for _ in range(w)]
    made = 0
    for i in range(n):
        day = start + dt.timedelta(days=365 * i / n)
        filed = day.replace(
            hour=rng.choice([8, 9, 9, 10, 10, 11, 14, 15, 16, 20, 2]), minute=rng.randrange(60)
        )
        if filed >= now:
            continue
        category = rng.choice(cats)
        urgency = Urgency.URGENT if rng.random() < 0.15 else Urgency.NORMAL
        title, place = rng.choice(REQUESTS[category])
        requester = rng.choice(requesters)
        order = services.work_order_file(
            requester=requester,
            category=category,
            urgency=urgency,
            title=title,
            location=place,
            contact_phone=f"8{rng.randrange(1000, 9999)}",
            team=teams[category],
            filed_at=filed,
        )
        made += 1
        _play(order, rng, filed, now, teams[category], requester, withdraw=i % 40 == 7)
    return {"service teams": len(teams), "work orders": made}


def _play(
    order: Any,
    rng: Any,
    filed: dt.datetime,
    now: dt.datetime,
    team: Any,
    requester: Any,
    *,
    withdraw: bool,
) -> None:
    hours = DEADLINE_HOURS[order.category][order.urgency]
    if withdraw:
        services.work_order_cancel(order=order, actor=requester, reason="问题已自行解决")
        return
    dispatched = filed + dt.timedelta(minutes=rng.randrange(5, 40))
    if dispatched >= now:
        return  # still waiting for dispatch
    worker = rng.choice([team.leader, *team.members.all()])
    services.work_order_dispatch(order=order, actor=team.leader, assignee=worker, now=dispatched)
    # About 88 % finish within the deadline; the rest run late by up to half the deadline again.
    share = rng.uniform(0.2, 0.95) if rng.random() < 0.88 else rng.uniform(1.05, 1.5)
    finished = filed + dt.timedelta(hours=hours * share)
    if finished >= now:
        return  # open (and perhaps overdue) today
    services.work_order_start(order=order, actor=worker, now=dispatched + dt.timedelta(minutes=10))
    services.work_order_finish(
        order=order, actor=worker, result=RESULTS[order.category], now=finished
    )
    if rng.random() < 0.8:
        rating = 5 if share < 0.6 else (4 if share < 1 else rng.choice([2, 3]))
        services.work_order_rate(
            order=order, actor=requester, rating=rating, comment=rng.choice(COMMENTS)
        )
