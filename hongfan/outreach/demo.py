"""Demo data: two years of outreach activities, honours and one emergency deployment with a
temporary branch (清河: 60 activities a year, 380 staff-times, 2500+ patients, 5600 leaflets,
13 万 yuan waived; 沧州: 290 staff sent out)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone

from hongfan.accounts.models import User
from hongfan.demo.extensions import DemoContext
from hongfan.org.models import Institution, Staff
from hongfan.outreach import services
from hongfan.outreach.models import Activity, Pledge
from hongfan.party.models import PartyMember, PartyOrganisation

K = Activity.Kind
# (kind, titles, places, hours, people range, exams per person, materials per person,
#  fee per person, partners)
ACTIVITY_TYPES: list[
    tuple[str, list[str], list[str], str, tuple[int, int], float, float, int, str]
] = [
    (
        K.FREE_CLINIC,
        ["“党建引领·健康同行”大型义诊", "高血压糖尿病义诊", "“世界心脏日”义诊", "老年健康义诊"],
        ["城关镇文化广场", "人民公园东门", "县体育馆广场", "东关社区服务中心"],
        "3",
        (60, 220),
        1.8,
        1.5,
        35,
        "县卫生健康局",
    ),
    (
        K.NIGHT_MARKET,
        ["健康夜市", "“红帆”健康夜市", "夏季健康夜市"],
        ["步行街夜市", "新华路夜市", "滨河公园"],
        "2.5",
        (40, 160),
        1.2,
        2.0,
        20,
        "",
    ),
    (
        K.HOME_VISIT,
        ["失能老人上门服务", "家庭医生签约上门随访", "出院患者上门护理"],
        ["北关村", "西街社区", "南营村"],
        "4",
        (5, 25),
        2.0,
        1.0,
        80,
        "乡镇卫生院",
    ),
    (
        K.INTERNET_NURSING,
        ["互联网+护理：PICC 维护", "互联网+护理：压疮换药", "互联网+护理：胃管更换"],
        ["患者家中（城区）", "患者家中（郊区）"],
        "2",
        (3, 12),
        1.0,
        0.5,
        120,
        "",
    ),
    (
        K.RURAL_VISIT,
        ["送医下乡巡回医疗", "“人医家乡情”巡诊", "专家团队送医下乡"],
        ["马头镇卫生院", "辛庄乡卫生院", "王庄村卫生室", "李家集村委会"],
        "6",
        (80, 260),
        2.2,
        2.0,
        45,
        "镇卫生院",
    ),
    (
        K.HEALTH_TALK,
        ["健康大讲堂：慢病管理", "急救知识进社区", "合理用药讲座", "孕产期保健讲座"],
        ["县老年大学", "东关社区活动室", "县委党校报告厅"],
        "2",
        (40, 150),
        0.2,
        1.5,
        0,
        "县老年大学",
    ),
    (
        K.SCHOOL_SCREENING,
        ["中小学生视力筛查", "校园脊柱侧弯筛查", "新生入学体检"],
        ["第一实验小学", "县第二中学", "城关中学"],
        "4",
        (150, 480),
        1.0,
        0.5,
        15,
        "县教育局",
    ),
    (
        K.SERVICE_DESK,
        ["红帆驿站志愿值守"],
        ["门诊大厅红帆驿站", "住院部红帆驿站"],
        "4",
        (80, 200),
        0.0,
        0.3,
        0,
        "",
    ),
]

HONOURS: list[tuple[str, str, str, str]] = [
    # (title, level, holder, awarded_by)
    ("全国先进基层党组织", "national", "hospital", "中共中央组织部"),
    ("省级文明单位", "provincial", "hospital", "省精神文明建设委员会"),
    ("先进基层党组织", "city", "branch", "中共市委"),
    ("“五星级”党支部", "hospital", "branch", "院党委"),
    ("白求恩式医务工作者", "provincial", "person", "省卫生健康委员会"),
    ("优秀共产党员", "city", "person", "中共市委"),
    ("优秀党务工作者", "county", "person", "中共县委"),
    ("党员示范岗", "hospital", "person", "院党委"),
    ("窗口服务标兵", "hospital", "person", "院党委"),
    ("最美护士", "city", "person", "市卫生健康委员会"),
    ("青年岗位能手", "county", "person", "共青团县委"),
    ("优秀共产党员", "hospital", "person", "院党委"),
]


def _branches() -> list[tuple[PartyOrganisation, list[Any]]]:
    out = []
    qs = PartyOrganisation.objects.filter(
        kind=PartyOrganisation.Kind.BRANCH, is_temporary=False, dissolved_on__isnull=True
    ).prefetch_related("departments")
    for b in qs.order_by("code"):
        depts = sorted(b.departments.all(), key=lambda d: d.pk)
        if depts:
            out.append((b, depts))
    return out


def seed(ctx: DemoContext) -> dict[str, int]:
    branches = _branches()
    if not branches:
        return {"outreach activities": 0}
    rng = ctx.rng("outreach")
    staff_by_dept: dict[int, list[Staff]] = {}
    for s in Staff.objects.filter(left_on__isnull=True).order_by("pk"):
        staff_by_dept.setdefault(s.department_id, []).append(s)
    actor = ctx.office_user
    per_year = max(10, round(60 * ctx.scale))
    start = dt.date(ctx.today.year - 1, 1, 1)
    span = (ctx.today - start).days
    activities = 0
    for i in range(per_year * 2):
        kind, titles, places, hours, people, exams, mats, fee, partner = rng.choice(ACTIVITY_TYPES)
        branch, depts = rng.choice(branches)
        chosen = rng.sample(depts, k=min(len(depts), rng.randint(1, 2)))
        held_on = start + dt.timedelta(days=round(span * (i + rng.random()) / (per_year * 2)))
        held_on = min(held_on, ctx.today)
        pool = [s for d in chosen for s in staff_by_dept.get(d.pk, []) if s.hired_on <= held_on]
        if not pool:
            continue
        served = rng.randint(*people)
        cap = served + rng.randint(0, 40) if kind in (K.FREE_CLINIC, K.SCHOOL_SCREENING) else None
        services.activity_create(
            actor=actor,
            title=rng.choice(titles),
            kind=kind,
            held_on=held_on,
            place=rng.choice(places),
            organisation=branch,
            departments=chosen,
            hours=Decimal(hours),
            participants=rng.sample(pool, k=min(len(pool), rng.randint(3, 8))),
            people_served=served,
            people_cap=cap,
            examinations=round(served * exams),
            materials=round(served * mats),
            fees_waived=Decimal(served * fee),
            partners=partner,
            summary="",
            today=ctx.today,
        )
        activities += 1

    honours = 0
    hospital = Institution.objects.order_by("pk").first()
    people = list(Staff.objects.filter(left_on__isnull=True).order_by("pk"))
    for n, (title, level, holder, by) in enumerate(HONOURS * (2 if ctx.scale >= 1 else 1)):
        awarded_on = start + dt.timedelta(days=rng.randint(0, span))
        kwargs: dict[str, Any] = {}
        if holder == "person":
            kwargs["staff"] = rng.choice([s for s in people if s.hired_on <= awarded_on])
        elif holder == "branch":
            kwargs["organisation"] = rng.choice(branches)[0]
        else:
            if n >= len(HONOURS):
                continue
            kwargs["institution"] = hospital
        services.honour_create(
            actor=actor,
            title=title,
            level=level,
            holder=holder,
            awarded_by=by,
            awarded_on=awarded_on,
            document_no=f"〔{awarded_on.year}〕{rng.randint(3, 60)}号",
            today=ctx.today,
            **kwargs,
        )
        honours += 1

    deployments = _emergency(ctx, hospital, branches, staff_by_dept)
    shifts = _roster(ctx, branches, staff_by_dept)
    return {
        "outreach activities": activities,
        "service desk shifts": shifts,
        "honours": honours,
        "emergency deployments": deployments,
    }


def _emergency(
    ctx: DemoContext,
    hospital: Institution | None,
    branches: list[tuple[PartyOrganisation, list[Any]]],
    staff_by_dept: dict[int, list[Staff]],
) -> int:
    committee = (
        PartyOrganisation.objects.filter(
            kind=PartyOrganisation.Kind.COMMITTEE, institution=hospital
        )
        .order_by("pk")
        .first()
    )
    if hospital is None or committee is None:
        return 0
    rng = ctx.rng("outreach-emergency")
    issued = ctx.today - dt.timedelta(days=120)
    call = services.call_create(
        actor=ctx.office_user,
        title="支援抗洪抢险医疗救援队",
        task="赴受灾乡镇开展巡回医疗、伤员救治和灾后卫生防疫，时间约一个月。",
        institution=hospital,
        issued_on=issued,
        sign_up_until=issued + dt.timedelta(days=3),
        people_needed=max(6, round(30 * ctx.scale)),
        pledge_text=(
            "我志愿报名参加抗洪抢险医疗救援队。我将服从组织安排，不计报酬，不论生死，"
            "坚守岗位，全力救治受灾群众。"
        ),
        notify_staff=False,
    )
    volunteers = [
        s
        for _, depts in branches
        for d in depts
        for s in staff_by_dept.get(d.pk, [])
        if s.hired_on <= issued
    ]
    rng.shuffle(volunteers)
    signed = volunteers[: max(8, round(45 * ctx.scale))]
    users = {u.staff_id: u for u in User.objects.filter(staff__in=signed)}
    members = set(
        PartyMember.objects.filter(staff__in=signed, status=PartyMember.Status.NORMAL).values_list(
            "staff_id", flat=True
        )
    )
    for i, s in enumerate(signed):
        Pledge.objects.create(
            call=call,
            staff=s,
            signed_by=users.get(s.pk, ctx.office_user),
            typed_name=s.name,
            text=call.pledge_text,
            statement=rng.choice(["", "我是党员，我先上！", "随时听候调遣", "有抗洪救灾经验"]),
            signed_at=timezone.make_aware(
                dt.datetime.combine(issued, dt.time(8, 30)) + dt.timedelta(minutes=17 * i)
            ),
            is_member=s.pk in members,
        )
    teams = [
        services.team_create(call=call, actor=None, name=name, task=task)
        for name, task in (
            ("医疗救治组", "伤病员救治与转运"),
            ("卫生防疫组", "消杀、饮水卫生与传染病监测"),
            ("心理疏导组", "受灾群众心理援助"),
        )
    ]
    deployed = signed[: max(6, round(30 * ctx.scale))]
    leader = next(
        (
            m
            for m in PartyMember.objects.filter(
                staff__in=deployed, status=PartyMember.Status.NORMAL
            ).order_by("pk")
        ),
        None,
    )
    count = 0
    for i, s in enumerate(deployed):
        begins = issued + dt.timedelta(days=4 + (i % 3))
        services.deployment_create(
            call=call,
            actor=None,
            staff=s,
            place=rng.choice(["马头镇", "辛庄乡", "王庄村安置点"]),
            role="队长" if i == 0 else rng.choice(["医师", "护士", "防疫员", "心理咨询师"]),
            starts_on=begins,
            ends_on=begins + dt.timedelta(days=rng.randint(20, 32)),
            team=teams[i % len(teams)],
        )
        count += 1
    if leader is not None:
        services.temporary_branch_create(
            call=call,
            actor=None,
            code=f"LS{issued:%Y%m}",
            name="抗洪抢险医疗救援队临时党支部",
            parent=committee,
            secretary=leader,
            established_on=issued + dt.timedelta(days=4),
        )
        # Members whose deployment has ended joined while it lasted.
        from hongfan.party.models import TemporaryAssignment

        branch = call.temporary_branch
        for d in call.deployments.select_related("staff"):
            member = PartyMember.objects.filter(
                staff=d.staff, status=PartyMember.Status.NORMAL
            ).first()
            if (
                member
                and not TemporaryAssignment.objects.filter(
                    organisation=branch, member=member
                ).exists()
            ):
                TemporaryAssignment.objects.create(
                    organisation=branch,
                    member=member,
                    joined_on=max(d.starts_on, branch.established_on),
                    left_on=d.ends_on,
                )
    call.status = call.Status.CLOSED
    call.save(update_fields=["status"])
    return count


def _roster(
    ctx: DemoContext,
    branches: list[tuple[PartyOrganisation, list[Any]]],
    staff_by_dept: dict[int, list[Staff]],
) -> int:
    """The 红帆驿站 roster of last week, this week and next week (working days, two desks)."""
    rng = ctx.rng("outreach-roster")
    monday = ctx.today - dt.timedelta(days=ctx.today.weekday() + 7)
    count = 0
    for n in range(21):
        day = monday + dt.timedelta(days=n)
        if day.weekday() >= 5:
            continue
        branch, depts = branches[n % len(branches)]
        pool = [s for d in depts for s in staff_by_dept.get(d.pk, []) if s.hired_on <= day]
        if len(pool) < 2:
            continue
        for slot, desk in (
            ("am", "门诊大厅红帆驿站"),
            ("pm", "门诊大厅红帆驿站"),
            ("am", "住院部红帆驿站"),
        ):
            services.shift_add(
                actor=None,
                desk=desk,
                on=day,
                slot=slot,
                staff=rng.choice(
                    [s for s in pool if not s.duty_shifts.filter(on=day, slot=slot).exists()]
                ),
                organisation=branch,
            )
            count += 1
    return count
