"""Demo data of the assessments: a year of ledger events, a finished 医德考评 with published
grades and appeals, the current year's 考评 open for self-assessment, branch star ratings and
the red flag of the past quarters.

Events go through ``record_event`` with a ``demo:`` key, so seeding twice records them once.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import Q
from django.utils import timezone

from hongfan.demo.builder import DEMO_PREFIX
from hongfan.demo.extensions import DemoContext
from hongfan.org.models import Department, Institution, Staff
from hongfan.scoring import services
from hongfan.scoring.models import (
    Appeal,
    Assessment,
    AssessmentPeriod,
    ItemScore,
    LedgerEvent,
    RedFlagRound,
    Scorecard,
)

PRAISE = [
    "患者家属送来锦旗，感谢夜间抢救及时",
    "患者来信表扬：耐心解释病情，态度和蔼",
    "12345 热线转来表扬：主动帮助老年患者办理手续",
    "出院患者满意度回访点名表扬",
    "患者在公众号留言感谢术后悉心护理",
]
COMPLAINTS = [
    "患者投诉候诊时间长且解释不耐心，经核实属实",
    "家属投诉检查结果告知不及时，经核实属实",
    "投诉服务态度生硬，经科室核实属实",
]
ENVELOPES = [
    "婉拒患者家属红包 500 元并登记",
    "患者出院后寄来购物卡，已上交纪检监察室",
    "拒收患者赠送的礼品",
]
VOLUNTEER = [
    "“党员先锋岗”社区义诊",
    "“健康进乡村”巡回医疗",
    "无偿献血志愿服务",
    "医院门诊导医志愿服务",
]
FINDINGS = ["门诊处方抗菌药物超疗程", "处方用法用量不适宜（药师点评确认）", "无适应证使用辅助用药"]
VIOLATIONS = ["违规接受医药代表宴请", "私自推荐患者院外购药"]


def _hospital() -> Institution | None:
    return (
        Institution.objects.filter(code__startswith=DEMO_PREFIX, leading__isnull=True)
        .order_by("pk")
        .first()
    )


def _day(rng: Any, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randrange((end - start).days + 1))


def _events(ctx: DemoContext, hospital: Institution, start: dt.date, end: dt.date) -> int:
    rng = ctx.rng("scoring-events")
    staff = list(
        Staff.objects.filter(
            institution=hospital,
            post_category__in=Staff.PROFESSIONAL_CATEGORIES,
            hired_on__lte=start,
        )
        .filter(Q(left_on__isnull=True) | Q(left_on__gte=end))
        .order_by("pk")
    )
    n = 0
    actor = ctx.office_user

    def rec(code: str, who: Any, k: str, summary: str, **extra: Any) -> None:
        nonlocal n
        day = extra.pop("day", None) or _day(rng, start, end)
        services.record_event(
            code=code,
            subject=who,
            occurred_on=day,
            key=f"demo:{k}",
            summary=summary,
            actor=actor,
            **extra,
        )
        n += 1

    for s in staff:
        roll = rng.random()
        if roll < 0.55:
            for i in range(rng.choice([1, 1, 2, 3])):
                rec("voice.praise", s, f"praise:{s.pk}:{i}", rng.choice(PRAISE))
        if rng.random() < 0.35:
            rec(
                "outreach.volunteer_hours",
                s,
                f"volunteer:{s.pk}",
                rng.choice(VOLUNTEER),
                quantity=rng.choice([2, 3, 4, 6, 8]),
            )
        if rng.random() < 0.12:
            rec("integrity.envelope_returned", s, f"envelope:{s.pk}", rng.choice(ENVELOPES))
        if rng.random() < 0.08:
            rec("voice.complaint_verified", s, f"complaint:{s.pk}", rng.choice(COMPLAINTS))
        prescriber = s.post_category in (Staff.PostCategory.DOCTOR, Staff.PostCategory.PHARMACIST)
        if prescriber and rng.random() < 0.1:
            rec("clinical.prescription_finding", s, f"finding:{s.pk}", rng.choice(FINDINGS))
        if rng.random() < 0.03:
            rec("outreach.honour.city", s, f"honour:{s.pk}", "市级“最美医生”称号")
    # Two violations awaiting confirmation and one confirmed veto in the year.
    if len(staff) > 10:
        for i, s in enumerate(rng.sample(staff, 2)):
            rec("integrity.violation", s, f"violation:{s.pk}", VIOLATIONS[i])
        veto_staff = staff[rng.randrange(len(staff))]
        event = services.record_event(
            code="integrity.veto",
            subject=veto_staff,
            occurred_on=_day(rng, start, end),
            key=f"demo:veto:{veto_staff.pk}",
            summary="收受患者家属红包 2000 元，经纪委查实",
            actor=actor,
        )
        if event.status == LedgerEvent.Status.PENDING:
            services.event_review(event=event, action="confirm", reason="纪委查实", actor=actor)
        n += 1
    departments = list(Department.objects.filter(institution=hospital, is_active=True))
    for d in departments:
        for i in range(rng.choice([0, 1, 2, 3])):
            rec("voice.praise.department", d, f"dpraise:{d.pk}:{i}", "科室收到患者集体表扬")
        if rng.random() < 0.15:
            rec(
                "integrity.department_violation",
                d,
                f"dviolation:{d.pk}",
                "科室违规收取检查费用，专项检查发现",
            )
    return n


def _scores_for(rng: Any, a: Assessment, items: list[Any], stage: str, base: float) -> list:
    rows = []
    for item in items:
        if item.source != "manual":
            continue
        if item.kind == "rated":
            share = min(1.0, max(0.55, rng.gauss(base, 0.06)))
            points = (item.max_points * Decimal(str(round(share, 2)))).quantize(Decimal("0.5"))
            rows.append(ItemScore(assessment=a, item=item, stage=stage, points=points))
        elif item.kind == "deduction" and stage == "department" and rng.random() < 0.05:
            rows.append(
                ItemScore(
                    assessment=a,
                    item=item,
                    stage=stage,
                    points=Decimal("-5"),
                    evidence="病历书写不规范，经质控科通报",
                )
            )
    return rows


def _ethics_year(ctx: DemoContext, hospital: Institution, card: Scorecard, year: int) -> int:
    rng = ctx.rng(f"scoring-ethics-{year}")
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    period = services.period_create(
        institution=hospital,
        scorecard=card,
        name=f"{year}年度医德考评",
        start=start,
        end=end,
    )
    services.period_advance(period=period, actor=ctx.office_user)
    items = list(card.items.all())
    now = timezone.now()
    rows: list[ItemScore] = []
    assessments = list(period.assessments.all())
    for a in assessments:
        if rng.random() < 0.9:
            rows += _scores_for(rng, a, items, "self", 0.96)
            a.self_submitted_at = now
            a.self_comment = rng.choice(
                [
                    "全年遵守医德规范，坚持因病施治，无投诉。",
                    "认真履行岗位职责，积极参加志愿服务，廉洁行医。",
                    "注重与患者沟通，今后在服务细节上继续改进。",
                ]
            )
        rows += _scores_for(rng, a, items, "department", 0.9)
        a.department_submitted_at = now
        a.department_comment = rng.choice(
            ["工作认真负责，医德医风良好。", "服务态度好，团结协作。", "业务扎实，患者认可度高。"]
        )
    ItemScore.objects.bulk_create(rows, batch_size=1000)
    Assessment.objects.bulk_update(
        assessments,
        ["self_submitted_at", "self_comment", "department_submitted_at", "department_comment"],
        batch_size=500,
    )
    AssessmentPeriod.objects.filter(pk=period.pk).update(status=AssessmentPeriod.Status.INSTITUTION)
    services.period_grade(period=period, actor=ctx.office_user)
    services.period_publish(period=period, actor=ctx.office_user)
    published = timezone.make_aware(dt.datetime(year + 1, 1, 12, 9, 0))
    AssessmentPeriod.objects.filter(pk=period.pk).update(
        published_at=published, appeal_until=published + dt.timedelta(days=3)
    )
    # Two written appeals within the window: one upheld after a complaint was found
    # unfounded, one rejected.
    demo_user = ctx.accounts.get("staff") or ctx.office_user
    graded = list(period.assessments.filter(has_deduction=True, has_veto=False)[:2])
    for i, a in enumerate(graded):
        appeal = Appeal.objects.create(
            assessment=a,
            filed_by=demo_user,
            filed_at=published + dt.timedelta(days=1, hours=i),
            reason="扣分所依据的投诉为患者误解，科室已出具情况说明，请求复核。",
            grade_before=a.grade,
        )
        if i == 0:
            services.appeal_decide(
                appeal=appeal,
                upheld=True,
                decision="经复核，扣分依据充分，但考虑整改及时，维持原评分并记录说明。",
                grade=a.grade,
                actor=ctx.office_user,
            )
        else:
            services.appeal_decide(
                appeal=appeal,
                upheld=False,
                decision="经复核，投诉事实清楚，维持原等级。",
                actor=ctx.office_user,
            )
    services.period_close(period=period, actor=ctx.office_user)
    return period.assessments.count()


def _current_year(ctx: DemoContext, hospital: Institution, card: Scorecard, year: int) -> None:
    period = services.period_create(
        institution=hospital,
        scorecard=card,
        name=f"{year}年度医德考评",
        start=dt.date(year, 1, 1),
        end=dt.date(year, 12, 31),
    )
    services.period_advance(period=period, actor=ctx.office_user)


def _branch_year(ctx: DemoContext, hospital: Institution, card: Scorecard, year: int) -> int:
    rng = ctx.rng(f"scoring-branch-{year}")
    period = services.period_create(
        institution=hospital,
        scorecard=card,
        name=f"{year}年度党支部标准化规范化星级评定",
        start=dt.date(year, 1, 1),
        end=dt.date(year, 12, 31),
    )
    services.period_advance(period=period, actor=ctx.office_user)
    items = list(card.items.all())
    rows = []
    for a in period.assessments.all():
        for s in _scores_for(rng, a, items, "institution", 0.88):
            if s.item.evidence_required:
                s.evidence = "现场查看“三会一课”记录本与党费收缴台账"
            rows.append(s)
    ItemScore.objects.bulk_create(rows, batch_size=1000)
    services.period_grade(period=period, actor=ctx.office_user)
    services.period_publish(period=period, actor=ctx.office_user)
    published = timezone.make_aware(dt.datetime(year + 1, 1, 20, 9, 0))
    AssessmentPeriod.objects.filter(pk=period.pk).update(
        published_at=published, appeal_until=published + dt.timedelta(days=3)
    )
    services.period_close(period=period, actor=ctx.office_user)
    return period.assessments.count()


def _red_flags(ctx: DemoContext, hospital: Institution) -> int:
    today = ctx.today
    quarters = []
    y, q = today.year, (today.month - 1) // 3  # the last finished quarter
    if q == 0:
        y, q = y - 1, 4
    for _ in range(4):
        quarters.append((y, q))
        y, q = (y, q - 1) if q > 1 else (y - 1, 4)
    n = 0
    for y, q in reversed(quarters):
        rnd = services.red_flag_compute(
            institution=hospital, year=y, quarter=q, actor=ctx.office_user
        )
        top = list(rnd.scores.filter(rank=1).order_by("department__code"))
        if not top:
            continue
        if rnd.end >= today:
            continue
        services.red_flag_award(
            rnd=rnd,
            department_id=top[0].department_id,
            note="" if len(top) == 1 else "并列第一，按满意度较高者授旗",
            actor=ctx.office_user,
        )
        n += 1
    return n


def seed(ctx: DemoContext) -> dict[str, int]:
    hospital = _hospital()
    if hospital is None:
        return {"ledger events": 0}
    services.scorecard_defaults_ensure()
    services.red_flag_components_ensure()
    ethics = Scorecard.objects.get(code="ETHICS")
    branch = Scorecard.objects.get(code="BRANCH-STAR")
    last_year = ctx.today.year - 1
    events = _events(ctx, hospital, dt.date(last_year, 1, 1), dt.date(last_year, 12, 31))
    events += _events(ctx, hospital, dt.date(ctx.today.year, 1, 1), ctx.today)
    assessed = 0
    if not AssessmentPeriod.objects.filter(institution=hospital, scorecard=ethics).exists():
        assessed = _ethics_year(ctx, hospital, ethics, last_year)
        _current_year(ctx, hospital, ethics, ctx.today.year)
    branches = 0
    if not AssessmentPeriod.objects.filter(institution=hospital, scorecard=branch).exists():
        branches = _branch_year(ctx, hospital, branch, last_year)
    flags = 0
    if not RedFlagRound.objects.filter(institution=hospital).exists():
        flags = _red_flags(ctx, hospital)
    return {
        "ledger events": events,
        "ethics assessments": assessed,
        "branch ratings": branches,
        "red flags": flags,
    }
