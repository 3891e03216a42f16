"""Demo data: a year of integrity work in the demo hospital.

Letters signed level by level, risk points at key posts with reviews and warnings, reminder
letters for the 2026 festivals with read receipts, festival self-checks, the 红包 register,
四必谈 talks, warning-education sessions, the service code and a few reports. Staff of the
demo hospital mostly have no account, so their own actions (signing, answering, reading) are
written as rows; everything the office does goes through the services.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from hongfan.accounts.roles import Role
from hongfan.audit.services import bulk_summary
from hongfan.demo.extensions import DemoContext
from hongfan.integrity import services
from hongfan.integrity.models import (
    DEFAULT_QUESTIONS,
    CodeAcknowledgement,
    EducationSession,
    EnvelopeEntry,
    FamilyEvent,
    KeyDate,
    ReminderCampaign,
    ReminderReceipt,
    SelfCheck,
    SelfCheckCampaign,
    Signature,
)
from hongfan.loops import services as loops
from hongfan.org.models import Department, Staff

RISKS = [
    (
        "pharmacy",
        "药剂科",
        "药品遴选与采购",
        "high",
        "药事管理与药物治疗学委员会集体决策，遴选过程全程留痕",
        "clinical.drug_volume_anomaly",
        "药品用量异常增长",
    ),
    (
        "consumables",
        "设备科",
        "高值耗材使用",
        "high",
        "扫码出入库，超常使用自动预警，每月点评",
        "clinical.high_value_consumables",
        "高值耗材异常使用",
    ),
    (
        "equipment",
        "设备科",
        "大型设备论证与验收",
        "medium",
        "三方论证，验收小组不少于 5 人",
        "",
        "",
    ),
    ("procurement", "招标采购办", "招标采购评审", "high", "专家随机抽取，纪检全程监督", "", ""),
    (
        "construction",
        "基建科",
        "工程变更与签证",
        "medium",
        "变更超过 5 万元须院长办公会审议",
        "",
        "",
    ),
    ("finance", "财务科", "资金支付审批", "medium", "双人复核，大额支付集体决策", "", ""),
    (
        "personnel",
        "人事科",
        "招聘与职称评审",
        "medium",
        "公开招聘，评审结果公示 5 个工作日",
        "",
        "",
    ),
    (
        "medical",
        "医务科",
        "处方与检查开具",
        "medium",
        "处方点评，合理用药约谈",
        "clinical.antibiotics_intensity",
        "抗菌药物使用强度",
    ),
]
SESSIONS = [
    ("film", "观看警示教育片《零容忍》", "门诊楼六楼报告厅"),
    ("prison", "赴市监狱开展警示教育", "市第一监狱"),
    ("exhibition", "参观廉政教育基地", "市廉政教育基地"),
    ("case", "医疗领域典型案例剖析会", "行政楼三楼会议室"),
    ("lecture", "纪委书记讲廉政党课", "门诊楼六楼报告厅"),
]
REPORTS = [
    ("8", "普外科某医生", "有患者家属反映，术前向主刀医生送红包两千元，医生当时收下。"),
    ("9", "设备科", "某型号耗材供应商多次宴请设备科工作人员，疑有回扣。"),
    ("7", "挂号窗口", "有工作人员帮熟人插队挂专家号，群众意见较大。"),
]
PATIENTS = ["王建国", "李秀英", "张桂兰", "刘德华", "陈玉梅", "杨志强", "赵淑珍", "黄国平"]


def _aware(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def seed(ctx: DemoContext) -> dict[str, Any]:
    office = ctx.accounts.get(Role.DISCIPLINE) or ctx.office_user
    rng = ctx.rng("integrity")
    today = ctx.today
    year = today.year
    staff = list(
        Staff.objects.filter(employment_status=Staff.EmploymentStatus.IN_POST).select_related(
            "department"
        )
    )
    if not staff:
        return {"integrity items": 0}
    counts: dict[str, Any] = {}
    with transaction.atomic():
        counts["signatures"] = _letters(ctx, office, rng, staff)
        counts["risk points"] = _risks(office, rng, today)
        counts["reminder letters"], counts["self-checks"] = _reminders(office, rng, today, staff)
        counts["envelope entries"] = _envelopes(office, rng, today, staff, ctx.scale)
        counts["四必谈 talks"] = _talks(office, rng, today, staff, ctx.scale)
        counts["education sessions"] = _education(office, rng, year, staff)
        counts["service code acknowledgements"] = _code(office, rng, staff)
        counts["reports"] = _reports(office, today)
    return counts


def _letters(ctx: DemoContext, office: Any, rng: Any, staff: list[Staff]) -> int:
    year = ctx.today.year
    n = 0
    for level, kind, title in (
        ("department", "responsibility", "党风廉政建设责任书"),
        ("individual", "pledge", "医务人员廉洁从业承诺书"),
    ):
        template = services.letter_template_save(
            actor=office,
            title=title,
            level=level,
            kind=kind,
            body=(
                f"为深入推进党风廉政建设，落实“一岗双责”，签订本{title}。\n"
                "一、严格遵守《医疗机构工作人员廉洁从业九项准则》；\n"
                "二、不收受患者及其亲属“红包”、礼品，不接受医药企业回扣；\n"
                "三、落实本科室廉洁风险防控措施，接受监督。"
            ),
        )
        campaign = services.signing_campaign_launch(
            template=template, year=year, deadline=dt.date(year, 3, 31), actor=office
        )
        pending = list(campaign.signatures.select_related("staff"))
        share = 0.97 if level == "department" else 0.9
        signed = []
        for s in pending:
            if rng.random() < share:
                s.typed_name = s.staff.name
                s.signed_at = _aware(
                    dt.date(year, 2, 20) + dt.timedelta(days=rng.randrange(35)),
                    9 + rng.randrange(8),
                )
                signed.append(s)
        with bulk_summary():
            Signature.objects.bulk_update(signed, ["typed_name", "signed_at"], batch_size=1000)
        n += len(signed)
    return n


def _risks(office: Any, rng: Any, today: dt.date) -> int:
    depts = {d.name: d for d in Department.objects.all()}
    fallback = Department.objects.order_by("code").first()
    heads = {s.department_id: s for s in Staff.objects.filter(is_department_head=True)}
    for i, (area, dept_name, title, level, controls, ind_code, ind_name) in enumerate(RISKS, 1):
        dept = depts.get(dept_name) or fallback
        responsible = [
            heads.get(dept.pk)
            or Staff.objects.filter(department=dept).first()
            or Staff.objects.first()
        ]
        point = services.risk_point_save(
            actor=office,
            code=f"FX-{i:03d}",
            area=area,
            title=title,
            level=level,
            controls=controls,
            description=f"{title}环节存在利益输送、权力寻租风险。",
            department=dept,
            review_interval_months=6,
            next_review_on=today + dt.timedelta(days=rng.randrange(-20, 150)),
            responsible=responsible,
        )
        reviewed = today - dt.timedelta(days=180 + rng.randrange(30))
        services.risk_review_record(
            point=point,
            actor=office,
            reviewed_on=reviewed,
            findings="制度执行到位，未发现问题。",
            level_after=level,
        )
        point.refresh_from_db()
        point.next_review_on = today + dt.timedelta(days=rng.randrange(-20, 150))
        point.save(update_fields=["next_review_on"])
        if ind_code:
            services.risk_indicator_add(
                point=point, actor=office, code=ind_code, name=ind_name, threshold="环比增长 > 30%"
            )
            for k in range(rng.randrange(1, 4)):
                day = today - dt.timedelta(days=30 * (k + 1))
                services.risk_warning_record(
                    indicator_code=ind_code,
                    occurred_on=day,
                    summary=f"{ind_name}超过阈值",
                    value=f"{30 + rng.randrange(40)}%",
                    source="clinical",
                    key=f"demo-{day:%Y-%m}",
                    department_id=dept.pk,
                )
    return len(RISKS)


def _reminders(office: Any, rng: Any, today: dt.date, staff: list[Staff]) -> tuple[int, int]:
    keys = []
    for kind in (
        "new_year",
        "spring",
        "lantern",
        "labour",
        "dragon_boat",
        "mid_autumn",
        "national",
    ):
        k, _ = KeyDate.objects.get_or_create(
            kind=kind, defaults={"name": str(dict(KeyDate.Kind.choices)[kind]), "days_before": 7}
        )
        keys.append(k)
    letters = checks = 0
    by_staff = {s.pk: s for s in staff}
    for k in keys:
        festival = services.festival_date(k.kind, today.year)
        if festival > today:
            continue
        campaign, _created = services.reminder_draft(
            k, festival, now=_aware(festival - dt.timedelta(days=7))
        )
        if campaign.status == ReminderCampaign.Status.DRAFT:
            services.reminder_send(
                campaign=campaign, actor=office, today=festival - dt.timedelta(days=6)
            )
        letters += 1
        receipts = list(ReminderReceipt.objects.filter(campaign=campaign))
        for r in receipts:
            if rng.random() < 0.88:
                r.read_at = _aware(festival - dt.timedelta(days=rng.randrange(1, 6)))
        ReminderReceipt.objects.bulk_update(receipts, ["read_at"], batch_size=1000)
        sc = SelfCheckCampaign.objects.get(reminder=campaign)
        rows = []
        for s in by_staff.values():
            if rng.random() > 0.8:
                continue
            rows.append(
                SelfCheck(
                    campaign=sc,
                    staff=s,
                    department_id=s.department_id,
                    answers={q[0]: False for q in DEFAULT_QUESTIONS},
                    submitted_at=_aware(festival + dt.timedelta(days=rng.randrange(0, 6))),
                )
            )
        with bulk_summary():
            SelfCheck.objects.bulk_create(rows, batch_size=1000)
        checks += len(rows)
    # One declaration with a yes, followed up on the closed-loop engine.
    sc = SelfCheckCampaign.objects.order_by("-opens_on").first()
    check = SelfCheck.objects.filter(campaign=sc).first() if sc else None
    if check:
        check.answers = {**check.answers, "gifts": True}
        check.declaration = "患者出院时送来水果一箱，已当场退回。"
        check.matter = loops.matter_open(
            type=services._followup_type(),
            title=f"自查跟进：{check.staff.name}（{sc.title}）",
            description="收受礼品：是。" + check.declaration,
            owner=office,
            source=check,
            opened_at=check.submitted_at,
            notify_owner=False,
        )
        check.save(update_fields=["answers", "declaration", "matter"])
    return letters, checks


def _envelopes(office: Any, rng: Any, today: dt.date, staff: list[Staff], scale: float) -> int:
    clinical = [s for s in staff if s.department.category == Department.Category.CLINICAL] or staff
    n = max(8, round(60 * scale))
    for i in range(n):
        s = rng.choice(clinical)
        day = today - dt.timedelta(days=rng.randrange(1, 330))
        if s.hired_on and day < s.hired_on:
            day = min(today, s.hired_on + dt.timedelta(days=rng.randrange(1, 30)))
        kind = rng.choice(["cash", "cash", "cash", "gift", "card", "digital"])
        e = EnvelopeEntry(
            number=f"HB-{day.year}-{i + 1:04d}",
            staff=s,
            department_id=s.department_id,
            occurred_on=day,
            kind=kind,
            amount=Decimal(rng.choice([200, 500, 600, 800, 1000, 2000, 3000])),
            description={"gift": "土特产一箱", "card": "超市购物卡"}.get(kind, "信封装现金"),
            patient_name=rng.choice(PATIENTS),
            patient_ward=f"{rng.randrange(1, 40)}床",
            handling=rng.choice(["returned", "returned", "paid_in", "handed_over"]),
            recorded_by=office,
        )
        e.full_clean()
        e.save()
        if day < today - dt.timedelta(days=14):
            services.envelope_confirm(entry=e, actor=office, note="已核实")
    return n


def _talks(office: Any, rng: Any, today: dt.date, staff: list[Staff], scale: float) -> int:
    from hongfan.accounts.models import User

    head_users = {
        u.staff.department_id: u
        for u in User.objects.filter(staff__is_department_head=True).select_related("staff")
    }
    n = max(6, round(30 * scale))
    for i in range(n):
        s = rng.choice(staff)
        # One talk still ahead, one overdue (the event is today), the rest over the year.
        event_on = {0: today + dt.timedelta(days=10), 1: today}.get(
            i, today - dt.timedelta(days=rng.randrange(5, 330))
        )
        reported = min(
            _aware(event_on - dt.timedelta(days=rng.randrange(5, 20)), 9),
            _aware(today - dt.timedelta(days=1), 9),
        )
        kind = rng.choice(["wedding", "wedding", "funeral", "study", "child", "other"])
        e = FamilyEvent(
            staff=s,
            department_id=s.department_id,
            kind=kind,
            event_on=event_on,
            scale=rng.choice(["10 桌以内", "仅邀请直系亲属", "不办酒席", "15 桌"]),
            reported_at=reported,
        )
        e.full_clean()
        e.save()
        owner = head_users.get(s.department_id) or office
        e.matter = loops.matter_open(
            type="formal_talk",
            title=f"四必谈：{s.name}，{e.get_kind_display()}（{event_on:%Y-%m-%d}）",
            owner=owner,
            source=e,
            opened_at=reported,
            due_at=services._talk_deadline(event_on, reported),
            notify_owner=False,
        )
        held = event_on - dt.timedelta(days=rng.randrange(1, 4))
        if i > 1 and held < today and rng.random() < 0.9:
            at = _aware(held, 15)
            loops.matter_transition(
                matter=e.matter,
                action="hold",
                actor=owner,
                evidence_note="提醒婚丧事宜简办，不收受管理服务对象礼金。",
                now=at,
            )
            e.talk_at, e.talk_points, e.talked_by = (
                at,
                "提醒婚丧事宜简办，不收受管理服务对象礼金。",
                owner,
            )
        e.save()
    return n


def _education(office: Any, rng: Any, year: int, staff: list[Staff]) -> int:
    for i, (kind, title, place) in enumerate(SESSIONS):
        day = dt.date(year, 2 + 2 * i, 10 + i)
        if day > timezone.localdate():
            continue
        attendees = rng.sample(staff, k=min(len(staff), max(5, len(staff) // 4)))
        services.session_save(
            actor=office,
            title=title,
            kind=kind,
            held_on=day,
            location=place,
            summary=f"{title}，参加人员撰写心得体会。",
            attendees=attendees,
        )
    return EducationSession.objects.count()


def _code(office: Any, rng: Any, staff: list[Staff]) -> int:
    doc = services.code_document_save(
        actor=office,
        title="医务人员服务规范（十二章六十九条）",
        version="2026版",
        effective_on=dt.date(2026, 1, 1),
        body=(
            "第一章 总则\n第一条 为规范医务人员服务行为，制定本规范。\n……\n"
            "第十二章 附则\n第六十九条 本规范自发布之日起施行。"
        ),
    )
    rows = [
        CodeAcknowledgement(
            document=doc,
            staff=s,
            department_id=s.department_id,
            acknowledged_at=_aware(dt.date(2026, 1, 5) + dt.timedelta(days=rng.randrange(40))),
        )
        for s in staff
        if rng.random() < 0.85
    ]
    with bulk_summary():
        CodeAcknowledgement.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


def _reports(office: Any, today: dt.date) -> int:
    for i, (category, subject, body) in enumerate(REPORTS):
        report, _code = services.report_submit_anonymous(
            category=category, subject=subject, body=body
        )
        if i < 2:
            m = loops.matter_transition(matter=report.matter, action="investigate", actor=office)
            services.report_reply(
                report=report, actor=office, body="您反映的问题已受理，正在调查核实。"
            )
            if i == 0:
                loops.matter_transition(
                    matter=m,
                    action="conclude",
                    actor=office,
                    evidence_note="经调查属实，已责令退还并给予诫勉谈话。",
                )
    return len(REPORTS)
