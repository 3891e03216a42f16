"""Demo data of patient voice: a year of hotline contacts and complaints (every type, cause,
several departments, some overdue), surveys with responses per quarter, a discharge list
with quarterly samples and follow-up calls, reception days and the wish tree."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone

from hongfan.accounts.roles import Role
from hongfan.demo.extensions import DemoContext
from hongfan.loops import services as loops
from hongfan.org.models import Department, Staff
from hongfan.voice import services
from hongfan.voice.models import (
    Answer,
    Contact,
    Discharge,
    Response,
    Survey,
    Wish,
)

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
GIVEN = "秀英桂兰玉兰建华建国志强海燕丽娟永刚凤英德明淑珍春梅金凤国庆文军红霞小红"

CONTENTS: dict[str, list[tuple[str, list[str]]]] = {
    "complaint": [
        ("门诊候诊两个多小时，叫号系统混乱，无人解释", ["waiting", "process"]),
        ("护士给孩子扎针三次没成功，态度生硬", ["attitude", "technique"]),
        ("出院结算时发现多收了检查费", ["cost"]),
        ("医生问诊不到两分钟就开检查单，没有解释病情", ["communication", "attitude"]),
        ("家属反映手术前有人暗示要送红包", ["envelope", "ethics"]),
        ("病房卫生间漏水多日无人维修", ["environment"]),
        ("夜间急诊医生迟迟不来，延误处理", ["waiting", "ethics"]),
        ("检查报告出错，与病情不符", ["technique"]),
        ("住院期间费用清单看不明白，询问无人解答", ["cost", "communication"]),
    ],
    "feedback": [
        ("希望门诊增加午间挂号窗口", ["process"]),
        ("住院部停车难，建议增加车位", ["environment"]),
    ],
    "suggestion": [
        ("建议检验科报告可以手机查询", ["process"]),
        ("建议病区设置老年人助行轮椅", ["environment"]),
    ],
    "consultation": [
        ("咨询专家门诊出诊时间", []),
        ("咨询医保异地报销流程", []),
        ("咨询住院探视时间", []),
    ],
    "praise": [
        ("感谢医生连夜抢救，挽救了父亲生命", []),
        ("护士长耐心细致，像亲人一样照顾", []),
        ("主治医生解释病情非常清楚，感谢", []),
    ],
}
KIND_WEIGHTS = [
    ("complaint", 35),
    ("consultation", 25),
    ("feedback", 12),
    ("suggestion", 10),
    ("praise", 18),
]
WISHES = [
    ("想在病房里给老伴过一次金婚纪念日", "护理部联系志愿者布置病房，送上鲜花和蛋糕"),
    ("孩子住院想要一本恐龙绘本", "儿科党员为孩子送去绘本三本"),
    ("希望出院后有人教我使用胰岛素笔", "内分泌科护士上门指导两次"),
    ("想见一见当年给我做手术的医生", "联系主刀医生到病房探望"),
    ("希望能在病房看到家乡的戏曲", "志愿者带来平板电脑播放豫剧选段"),
    ("想给远方的女儿视频报平安", "社工协助视频通话"),
    ("想吃一碗家乡的手擀面", "营养科按医嘱制作了清淡手擀面"),
]


def _name(rng: Any) -> str:
    return rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, 2))


def _phone(rng: Any) -> str:
    return rng.choice(["138", "139", "150", "186", "177"]) + f"{rng.randrange(10**8):08d}"


def _aware(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def _clinical(limit: int) -> list[Department]:
    qs = Department.objects.filter(category=Department.Category.CLINICAL).order_by("code")
    depts = list(qs[:limit])
    return depts or list(Department.objects.order_by("code")[:limit])


def seed(ctx: DemoContext) -> dict[str, int]:
    rng = ctx.rng("voice")
    operator = ctx.accounts.get(Role.PRESIDENT_OFFICE) or ctx.office_user
    depts = _clinical(12 if ctx.size != "small" else 6)
    staff_by_dept: dict[int, list[Staff]] = {}
    # Only people employed all year: ledger events refuse a day outside employment.
    employed = Staff.objects.filter(
        department__in=depts,
        hired_on__lte=ctx.today - dt.timedelta(days=366),
        left_on__isnull=True,
    )
    for s in employed.order_by("pk"):
        staff_by_dept.setdefault(s.department_id, []).append(s)
    counts = {"voice contacts": 0, "voice survey responses": 0, "voice follow-ups": 0}
    counts["voice contacts"] = _contacts(ctx, rng, operator, depts, staff_by_dept)
    counts["voice survey responses"], discharge_survey = _surveys(ctx, rng, depts)
    counts["voice follow-ups"] = _followups(ctx, rng, operator, depts, discharge_survey)
    counts["voice reception days"] = _receptions(ctx, rng, operator, depts)
    counts["voice wishes"] = _wishes(ctx, rng, operator, depts, staff_by_dept)
    return counts


def _contacts(
    ctx: DemoContext,
    rng: Any,
    operator: Any,
    depts: list[Department],
    staff: dict[int, list[Staff]],
) -> int:
    n = max(60, int(900 * ctx.scale))
    kinds = [k for k, w in KIND_WEIGHTS for _ in range(w)]
    start = ctx.today - dt.timedelta(days=365)
    made = 0
    for i in range(n):
        day = start + dt.timedelta(days=int(365 * i / n))
        received = _aware(day, rng.choice([8, 9, 10, 11, 14, 15, 16, 20, 22]), rng.randrange(60))
        kind = rng.choice(kinds)
        content, causes = rng.choice(CONTENTS[kind])
        several = kind == "complaint" and rng.random() < 0.15
        involved = rng.sample(depts, 2) if several else [rng.choice(depts)]
        people = [rng.choice(staff[involved[0].pk])] if staff.get(involved[0].pk) else []
        on_spot = kind == "consultation" and rng.random() < 0.8
        contact, _code = services.contact_record(
            kind=kind,
            channel=rng.choice(["hotline", "hotline", "hotline", "phone_page", "visit", "letter"]),
            content=content,
            received_at=received,
            caller_name=_name(rng),
            phone=_phone(rng),
            causes=causes,
            departments=involved if kind != "consultation" else [],
            staff=people if kind in ("complaint", "praise") else [],
            recorded_by=operator,
            settled_on_spot=on_spot,
            on_spot_answer="已当场答复" if on_spot else "",
            consent=True,
        )
        made += 1
        if contact.matter is not None:
            _history(rng, contact, operator, ctx.today)
    return made


def _history(rng: Any, contact: Contact, operator: Any, today: dt.date) -> None:
    matter = contact.matter
    assert matter is not None
    opened = matter.opened_at
    age = (today - timezone.localtime(opened).date()).days
    if age < 3 or (age < 40 and rng.random() < 0.35) or rng.random() < 0.03:
        return  # still open: recent ones, and a few overdue ones
    span = (matter.due_at - opened).total_seconds()
    late = rng.random() < 0.08
    close_at = opened + dt.timedelta(seconds=span * (1.3 if late else rng.uniform(0.2, 0.95)))
    t1 = opened + (close_at - opened) * 0.3
    t2 = opened + (close_at - opened) * 0.6
    if contact.kind == "complaint" and rng.random() < 0.2:
        loops.matter_transition(
            matter=matter, action="reject", actor=operator, note="经核实不属实", now=t1
        )
        return
    matter = loops.matter_transition(matter=matter, action="verify", actor=operator, now=t1)
    matter = loops.matter_transition(matter=matter, action="handle", actor=operator, now=t2)
    loops.matter_transition(
        matter=matter,
        action="answer",
        actor=operator,
        evidence_note="已电话反馈患者处理结果",
        now=close_at,
    )
    if rng.random() < 0.7:
        Contact.objects.filter(pk=contact.pk).update(
            handling_rating=rng.choices([5, 4, 3, 2, 1], [45, 35, 12, 5, 3])[0]
        )


def _bulk_responses(
    rng: Any,
    survey: Survey,
    depts: list[Department],
    start: dt.date,
    days: int,
    n: int,
    bias: dict[int, float],
) -> int:
    questions = list(survey.questions.all())
    responses = []
    for i in range(n):
        dept = rng.choice(depts)
        day = start + dt.timedelta(days=rng.randrange(days))
        responses.append(
            Response(
                survey=survey,
                department=dept,
                channel="poster",
                token=f"demo-{survey.pk}-{secrets.token_hex(8)}-{i}",
                submitted_at=_aware(day, rng.randrange(8, 20), rng.randrange(60)),
            )
        )
    Response.objects.bulk_create(responses, batch_size=500)
    answers = []
    for r in responses:
        good = bias.get(r.department_id, 0.6)
        for q in questions:
            if q.max_value == 5:
                v = 5 if rng.random() < good else rng.choice([3, 4, 4, 2])
            else:
                v = rng.choice([9, 10]) if rng.random() < good else rng.choice([5, 6, 7, 8])
            answers.append(Answer(response=r, question=q, value=v))
    Answer.objects.bulk_create(answers, batch_size=2000)
    return len(responses)


def _surveys(ctx: DemoContext, rng: Any, depts: list[Department]) -> tuple[int, Survey]:
    bias = {d.pk: rng.uniform(0.5, 0.85) for d in depts}
    start = ctx.today - dt.timedelta(days=365)
    total = 0
    for title, kind, n in (
        ("门诊患者满意度调查（扫码）", Survey.Kind.OUTPATIENT, max(240, int(1200 * ctx.scale))),
        ("住院患者满意度调查（扫码）", Survey.Kind.INPATIENT, max(200, int(900 * ctx.scale))),
    ):
        s = services.survey_create(title=title, kind=kind, actor=ctx.office_user)
        services.survey_set_status(survey=s, status=Survey.Status.OPEN)
        for d in depts[:4]:
            services.poster_create(
                survey=s, department=d, place="候诊区" if kind == "outpatient" else "护士站"
            )
        total += _bulk_responses(rng, s, depts, start, 365, n, bias)
    staff_survey = services.survey_create(
        title="职工满意度调查", kind=Survey.Kind.STAFF, actor=ctx.office_user
    )
    services.contact_list_create(
        survey=staff_survey,
        name="职工代表名单",
        lines="\n".join(f"{_name(rng)},{_phone(rng)},{d.code}" for d in depts),
        actor=ctx.office_user,
    )
    discharge_survey = services.survey_create(
        title="出院患者电话随访问卷", kind=Survey.Kind.DISCHARGE, actor=ctx.office_user
    )
    services.survey_set_status(survey=discharge_survey, status=Survey.Status.OPEN)
    return total, discharge_survey


def _followups(
    ctx: DemoContext, rng: Any, operator: Any, depts: list[Department], survey: Survey
) -> int:
    per_day = max(3, int(20 * ctx.scale))
    start = ctx.today - dt.timedelta(days=365)
    rows = []
    for offset in range(366):
        day = start + dt.timedelta(days=offset)
        for j in range(per_day):
            age = rng.choices([rng.randrange(5, 17), rng.randrange(18, 92)], [3, 97])[0]
            rows.append(
                Discharge(
                    department=rng.choice(depts),
                    inpatient_no=f"ZY{day:%Y%m%d}{j:03d}",
                    discharged_on=day,
                    admitted_on=day - dt.timedelta(days=rng.randrange(2, 15)),
                    name=_name(rng),
                    phone=_phone(rng),
                    birth_date=day - dt.timedelta(days=365 * age + rng.randrange(365)),
                    deceased=rng.random() < 0.01,
                    opted_out=rng.random() < 0.04,
                )
            )
    Discharge.objects.bulk_create(rows, batch_size=1000)
    # Draws every six weeks or so (a quarter is drawn twice), the last one two days ago.
    made = 0
    draw = ctx.today - dt.timedelta(days=2)
    draws = []
    while draw > start + dt.timedelta(days=7):
        draws.append(draw)
        draw -= dt.timedelta(days=40)
    questions = list(survey.questions.all())
    for drawn_on in reversed(draws):
        quarter = (drawn_on.month - 1) // 3 + 1
        for year, q in {(drawn_on.year, quarter), _previous_quarter(drawn_on.year, quarter)}:
            try:
                sample = services.sample_draw(
                    survey=survey,
                    year=year,
                    quarter=q,
                    rate=15,
                    drawn_on=drawn_on,
                    actor=ctx.office_user,
                    seed=f"demo-{drawn_on}-{q}",
                )
            except ValidationError:
                continue
            for fu in sample.followups.select_related("discharge"):
                made += 1
                recent = (ctx.today - drawn_on).days < 5
                if recent and rng.random() < 0.7:
                    continue  # still to call
                call = _aware(
                    drawn_on + dt.timedelta(days=rng.randrange(0, 4)), 10, rng.randrange(60)
                )
                if call > timezone.now():
                    continue
                outcome = rng.choices(
                    ["completed", "no_answer", "refused", "wrong_number"], [75, 12, 8, 5]
                )[0]
                if (call.date() - fu.discharge.discharged_on).days > 42:
                    outcome = "no_answer"  # reached too late: outside the 6-week window
                answers = {
                    f"q{x.pk}": (5 if rng.random() < 0.7 else 4)
                    if x.max_value == 5
                    else rng.choice([8, 9, 10])
                    for x in questions
                }
                services.followup_record(
                    followup=fu,
                    outcome=outcome,
                    actor=operator,
                    answers=answers if outcome == "completed" else None,
                    note=""
                    if outcome == "completed"
                    else "未接通"
                    if outcome == "no_answer"
                    else "",
                    now=call,
                )
    return made


def _previous_quarter(year: int, quarter: int) -> tuple[int, int]:
    return (year, quarter - 1) if quarter > 1 else (year - 1, 4)


def _receptions(ctx: DemoContext, rng: Any, operator: Any, depts: list[Department]) -> int:
    made = 0
    for m in range(-11, 2):
        month_day = (ctx.today.replace(day=15) + dt.timedelta(days=30 * m)).replace(day=15)
        for kind, title, hosts, place in (
            (
                "president",
                f"{month_day:%Y年%m月}院长接待日",
                "院长、分管副院长",
                "行政楼一楼接待室",
            ),
            (
                "communication",
                f"{month_day:%Y年%m月}医患沟通会",
                "医务科、护理部",
                "门诊五楼会议室",
            ),
        ):
            if kind == "communication" and m % 3:
                continue
            day = services.reception_save(
                kind=kind,
                title=title,
                starts_at=_aware(month_day, 9),
                location=place,
                hosts=hosts,
                capacity=12,
            )
            made += 1
            for _ in range(rng.randrange(3, 8)):
                services.registration_add(
                    day=day,
                    name=_name(rng),
                    phone=_phone(rng),
                    topic=rng.choice(["住院费用", "就诊流程", "医疗纠纷", "停车难", "检查预约"]),
                    consent=True,
                )
            if day.starts_at < timezone.now():
                for _ in range(rng.randrange(1, 3)):
                    services.issue_raise(
                        day=day,
                        text=rng.choice(
                            [
                                "门诊自助机太少，老年人不会用",
                                "夜间病房走廊灯光太亮影响休息",
                                "检查预约时间太长",
                                "出院带药说明不清楚",
                            ]
                        ),
                        department=rng.choice(depts),
                        actor=operator,
                    )
                services.reception_close(
                    day=day,
                    summary="接待群众来访，现场答复问题，其余问题已交相关科室办理。",
                    attended_ids=list(day.registrations.values_list("pk", flat=True)),
                )
    return made


def _wishes(
    ctx: DemoContext,
    rng: Any,
    operator: Any,
    depts: list[Department],
    staff: dict[int, list[Staff]],
) -> int:
    n = max(14, int(60 * ctx.scale))
    start = ctx.today - dt.timedelta(days=330)
    for i in range(n):
        created = _aware(start + dt.timedelta(days=int(320 * i / n)), 10)
        text, story = WISHES[i % len(WISHES)]
        dept = rng.choice(depts)
        wish, _code = services.wish_submit(
            origin=Wish.Origin.PATIENT if rng.random() < 0.8 else Wish.Origin.STAFF,
            text=text,
            wisher_name=_name(rng),
            phone=_phone(rng),
            department=dept,
            place=f"{rng.randrange(1, 12)} 病区 {rng.randrange(1, 40)} 床",
            consent=True,
            actor=operator,
            created_at=created,
        )
        if (ctx.today - created.date()).days < 10 or not staff.get(dept.pk):
            continue
        wish = services.wish_match(wish=wish, staff=rng.choice(staff[dept.pk]), actor=operator)
        if rng.random() < 0.85:
            loops.matter_transition(
                matter=wish.matter,
                action="fulfil",
                actor=operator,
                evidence_note=story,
                now=created + dt.timedelta(days=rng.randrange(2, 12)),
            )
    return n
