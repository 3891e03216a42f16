"""Demo data: a year of 党委会 and 院长办公会 meetings and their resolutions under supervision.

Everything goes through the services, so the demo obeys the same rules as real use: quorum,
votes of every member present, 三重一大 items referred by the 院长办公会 to the next 党委会, and
each passed item opened as a ``resolution`` matter. The matters then get a realistic history
relative to ``ctx.today``: closed on time, closed late, still open, overdue and escalated.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

from django.utils import timezone

from hongfan.accounts.roles import Role
from hongfan.decisions import services
from hongfan.decisions.models import AgendaItem, Attendance, Meeting, MeetingKind, Resolution
from hongfan.decisions.selectors import top_committee
from hongfan.demo.extensions import DemoContext
from hongfan.loops import services as loops
from hongfan.loops.models import Matter
from hongfan.org.models import Department, Institution, Staff
from hongfan.party.models import CommitteeMember
from hongfan.workdays.services import is_working_day

Cat = AgendaItem.Category

FIRST_TOPICS = [
    ("学习习近平总书记关于党的建设的重要思想", "《求是》"),
    ("学习习近平总书记关于卫生健康工作的重要论述", "人民日报"),
    ("学习《中国共产党纪律处分条例》", "中央纪委国家监委网站"),
    ("学习《关于加强公立医院党的建设工作的意见》", "中共中央办公厅"),
    ("学习全国卫生健康工作会议精神", "国家卫生健康委网站"),
    ("学习党的二十届四中全会精神", "新华社"),
    ("学习《医疗机构工作人员廉洁从业九项准则》", "国家卫生健康委网站"),
    ("学习习近平总书记在中央党校建校纪念大会上的讲话", "《求是》"),
]

COMMITTEE_ORDINARY = [
    "关于年度党风廉政建设工作要点的议题",
    "关于发展党员年度计划的议题",
    "关于党支部按期换届选举的议题",
    "关于评选表彰优秀共产党员的议题",
    "关于加强医德医风建设的实施意见",
    "关于落实意识形态工作责任制的议题",
    "关于“双培养”工作计划的议题",
    "关于开展“党建+业务”融合品牌创建的议题",
    "关于党员教育培训计划的议题",
    "关于开展清廉医院建设的实施方案",
]
# (title, category, is_project, amount yuan)
MAJOR_ITEMS: list[tuple[str, str, bool, int | None]] = [
    ("关于医院“十五五”发展规划的议题", Cat.MAJOR_DECISION, False, None),
    ("关于修订医院绩效分配方案的议题", Cat.MAJOR_DECISION, False, None),
    ("关于调整医院内设机构的议题", Cat.MAJOR_DECISION, False, None),
    ("关于中层干部任免的议题", Cat.CADRE_APPOINTMENT, False, None),
    ("关于科室主任聘任的议题", Cat.CADRE_APPOINTMENT, False, None),
    ("关于选派干部驻村帮扶的议题", Cat.CADRE_APPOINTMENT, False, None),
    ("关于门诊楼改扩建项目的议题", Cat.ORDINARY, True, 3_800_000),
    ("关于智慧医院信息化建设项目的议题", Cat.ORDINARY, True, 2_600_000),
    ("关于胸痛中心建设项目的议题", Cat.ORDINARY, True, 1_200_000),
    ("关于购置64排CT的议题", Cat.ORDINARY, False, 4_200_000),
    ("关于采购全自动生化分析仪的议题", Cat.ORDINARY, False, 860_000),
    ("关于年度药品耗材集中采购资金安排的议题", Cat.ORDINARY, False, 7_500_000),
]
OFFICE_ORDINARY: list[tuple[str, int | None]] = [
    ("关于调整门诊专家排班的议题", None),
    ("关于开展医疗质量安全月活动的议题", None),
    ("关于优化住院患者入院流程的议题", None),
    ("关于推进“一站式”后勤服务的议题", None),
    ("关于加强院感防控工作的议题", None),
    ("关于开展义诊进社区活动的议题", None),
    ("关于患者满意度调查问题整改的议题", None),
    ("关于规范医用耗材申领流程的议题", None),
    ("关于设备维修费用支出的议题", 120_000),
    ("关于职工食堂改造的议题", 380_000),
    ("关于夏季用电安全检查的议题", None),
    ("关于加强医保基金使用管理的议题", None),
]
RESOLUTION_TASKS = [
    "{dept}牵头，制定具体实施方案，明确时间节点和责任人，按期报院办备案。",
    "{dept}负责落实，相关科室配合，完成后形成书面报告报院党委。",
    "由{dept}组织实施，纪检监察室全程监督，办结后在院务公开栏公示。",
    "{dept}会同财务科做好预算安排，严格按程序组织实施，定期报告进展。",
]
CLOSING_NOTES = [
    "已按决议完成，附实施方案及落实情况报告。",
    "已办结：相关制度已印发执行，会议纪要存档。",
    "已完成并报院办备案，附签字确认的验收单。",
    "已落实到位，附工作总结和照片材料。",
]
ABSENCE_REASONS = ["赴省卫健委参加会议", "外出参加培训", "公休假", "下乡义诊"]


def _aware(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def _working_day_on_or_after(day: dt.date) -> dt.date:
    while not is_working_day(day):
        day += dt.timedelta(days=1)
    return day


def _meeting_dates(start: dt.date, end: dt.date, count: int, offset: int) -> list[dt.date]:
    """``count`` working days spread evenly over [start, end] (distinct, ascending)."""
    if count <= 0 or end <= start:
        return []
    span = (end - start).days - offset
    steps = max(count - 1, 1)
    days = sorted(
        {
            _working_day_on_or_after(start + dt.timedelta(days=offset + (i * span) // steps))
            for i in range(count)
        }
    )
    # The last one may fall on a weekend before ``end``: take the working day before instead.
    out = [d for d in days if d <= end]
    if len(out) < len(days):
        last = end
        while not is_working_day(last):
            last -= dt.timedelta(days=1)
        if last not in out:
            out.append(last)
    return out


def _attendance(
    meeting: Meeting, rng: random.Random, *, allow_absent: int
) -> list[Staff]:  # returns the staff present
    rows = list(meeting.attendance.select_related("staff"))
    absent: set[int] = set()
    if allow_absent and len(rows) > 3 and rng.random() < 0.35:
        candidates = [a for a in rows if a.staff_id != meeting.chair_id]
        absent = {rng.choice(candidates).staff_id}
    statuses = {
        a.staff_id: (
            (Attendance.Status.ABSENT, rng.choice(ABSENCE_REASONS))
            if a.staff_id in absent
            else (Attendance.Status.PRESENT, "")
        )
        for a in rows
    }
    services.attendance_record(meeting=meeting, statuses=statuses)
    return [a.staff for a in rows if a.staff_id not in absent]


def _office_members(
    institution: Institution, committee_staff: list[Staff], rng: random.Random
) -> list[Staff]:
    """The 院长办公会: the 院长 and deputies from the committee, plus two assistant presidents."""
    leaders = committee_staff[1:5]
    assistants = list(
        Staff.objects.filter(institution=institution, is_department_head=True)
        .exclude(pk__in=[s.pk for s in committee_staff])
        .order_by("pk")[:2]
    )
    titles = ["院长", "副院长", "副院长", "副院长"]
    for i, staff in enumerate(leaders):
        services.office_member_add(staff=staff, title=titles[i] if i < len(titles) else "副院长")
    for staff in assistants:
        services.office_member_add(staff=staff, title="院长助理")
    return leaders + assistants


def seed(ctx: DemoContext) -> dict[str, int]:
    """Create a year of decision meetings ending a few days before ``ctx.today``."""
    rng = ctx.rng("decisions")
    institution = (
        Institution.objects.filter(code__startswith="HFD-", kind=Institution.Kind.HOSPITAL)
        .order_by("pk")
        .first()
    )
    committee = top_committee(institution) if institution else None
    if institution is None or committee is None:
        return {}
    seats = list(
        CommitteeMember.objects.filter(
            organisation=committee, term_start__lte=ctx.today, term_end__gte=ctx.today
        )
        .select_related("member__staff")
        .order_by("id")
    )
    rank = {p: i for i, p in enumerate(CommitteeMember.Position.values)}  # secretary first
    seats.sort(key=lambda s: (rank.get(s.position, 99), s.pk))
    committee_staff = [s.member.staff for s in seats]
    if len(committee_staff) < 3:
        return {}
    term_start = max(s.term_start for s in seats)
    office_staff = _office_members(institution, committee_staff, rng)
    recorder = getattr(ctx.office_user, "staff", None) or committee_staff[-1]
    president_office = ctx.accounts.get(Role.PRESIDENT_OFFICE) or ctx.office_user
    head = ctx.accounts.get(Role.DEPARTMENT_HEAD)
    head_departments = set(loops.headed_department_ids(head)) if head else set()
    departments = list(
        Department.objects.filter(institution=institution, is_active=True).order_by("pk")
    )

    start = max(ctx.today - dt.timedelta(days=364), term_start + dt.timedelta(days=1))
    end = ctx.today - dt.timedelta(days=2)
    scale = min(ctx.scale, 2.0)
    committee_dates = _meeting_dates(start, end, max(4, round(24 * scale)), 3)
    office_dates = _meeting_dates(start, end, max(6, round(48 * scale)), 0)
    schedule = sorted(
        [(d, MeetingKind.PARTY_COMMITTEE) for d in committee_dates]
        + [(d, MeetingKind.PRESIDENT_OFFICE) for d in office_dates]
    )

    counts = {"decision meetings": 0, "agenda items": 0, "三重一大 items": 0, "resolutions": 0}
    referred: list[AgendaItem] = []
    numbers: dict[tuple[str, int], int] = {}
    for held_on, kind in schedule:
        is_committee = kind == MeetingKind.PARTY_COMMITTEE
        seq = numbers[(kind, held_on.year)] = numbers.get((kind, held_on.year), 0) + 1
        topic, source = FIRST_TOPICS[rng.randrange(len(FIRST_TOPICS))]
        meeting = services.meeting_create(
            institution=institution,
            kind=kind,
            held_on=held_on,
            number=f"{held_on.year}-{seq:02d}",
            place="行政楼三楼党委会议室" if is_committee else "行政楼二楼第一会议室",
            chair=committee_staff[0] if is_committee else office_staff[0],
            recorder=recorder,
            first_topic_title=topic,
            first_topic_source=source,
            observers="" if is_committee else "党委办公室、院长办公室负责人",
            actor=ctx.office_user,
        )
        present = _attendance(meeting, rng, allow_absent=1)
        items = _agenda(meeting, rng, referred, departments, is_committee)
        decided_at = _aware(held_on, 16, 30)
        minutes = [
            f"会议由{meeting.chair.name}主持，应到{len(meeting.attendance.all())}人，"
            f"实到{len(present)}人。",
            f"会议首先学习了{topic}（{source}）。",
            "会议研究了以下议题：",
        ]
        for n, item in enumerate(items, start=1):
            outcome = _decide(
                item,
                present,
                rng,
                departments=departments,
                head=head,
                head_departments=head_departments,
                actor=president_office,
                decided_at=decided_at,
            )
            if outcome == AgendaItem.Decision.REFERRED:
                item.refresh_from_db()
                referred.append(item)
            minutes.append(f"{n}. {item.title}：{AgendaItem.Decision(outcome).label}。")
            counts["agenda items"] += 1
            counts["三重一大 items"] += int(item.is_major)
        services.meeting_minutes_save(meeting=meeting, minutes="\n".join(minutes))
        counts["decision meetings"] += 1

    history = _matter_history(ctx, rng, president_office, head)
    counts["resolutions"] = Resolution.objects.filter(
        item__meeting__institution=institution
    ).count()
    counts.update(history)
    return counts


def _agenda(
    meeting: Meeting,
    rng: random.Random,
    referred: list[AgendaItem],
    departments: list[Department],
    is_committee: bool,
) -> list[AgendaItem]:
    items: list[AgendaItem] = []
    if is_committee:
        # The committee takes up what the 院长办公会 referred since the last committee meeting.
        while referred:
            source = referred.pop(0)
            items.append(
                services.agenda_item_create(
                    meeting=meeting,
                    title=source.title,
                    description=source.description,
                    referred_item=source,
                )
            )
        if rng.random() < 0.6:
            title, category, is_project, amount = MAJOR_ITEMS[rng.randrange(len(MAJOR_ITEMS))]
            items.append(
                services.agenda_item_create(
                    meeting=meeting,
                    title=title,
                    category=category,
                    is_project=is_project,
                    amount=Decimal(amount) if amount else None,
                    proposer_department=rng.choice(departments),
                    description="经相关专业委员会论证，提请党委会研究决定。",
                )
            )
        for title in rng.sample(COMMITTEE_ORDINARY, rng.randint(1, 2)):
            items.append(services.agenda_item_create(meeting=meeting, title=title))
    else:
        for title, amount in rng.sample(OFFICE_ORDINARY, rng.randint(2, 4)):
            items.append(
                services.agenda_item_create(
                    meeting=meeting,
                    title=title,
                    amount=Decimal(amount) if amount else None,
                    proposer_department=rng.choice(departments),
                )
            )
        if rng.random() < 0.3:
            title, category, is_project, amount = MAJOR_ITEMS[rng.randrange(len(MAJOR_ITEMS))]
            items.append(
                services.agenda_item_create(
                    meeting=meeting,
                    title=title,
                    category=category,
                    is_project=is_project,
                    amount=Decimal(amount) if amount else None,
                    proposer_department=rng.choice(departments),
                    description="院长办公会讨论后提交党委会决定。",
                )
            )
    return items


def _decide(
    item: AgendaItem,
    present: list[Staff],
    rng: random.Random,
    *,
    departments: list[Department],
    head: Any,
    head_departments: set[int],
    actor: Any,
    decided_at: dt.datetime,
) -> str:
    if item.meeting_kind == MeetingKind.PRESIDENT_OFFICE and item.is_major:
        services.agenda_item_refer(
            item=item, actor=actor, note="提交党委会研究决定", decided_at=decided_at
        )
        return AgendaItem.Decision.REFERRED
    if rng.random() < 0.05:
        services.agenda_item_defer(item=item, actor=actor, note="需进一步调研论证")
        return AgendaItem.Decision.DEFERRED
    votes = {s.pk: "yes" for s in present}
    if len(present) > 4 and rng.random() < 0.2:
        votes[present[-1].pk] = "abstain"
    department = item.proposer_department or rng.choice(departments)
    owner = head if head is not None and department.pk in head_departments else None
    done = services.agenda_item_decide(
        item=item,
        votes=votes,
        actor=actor,
        resolution_text=rng.choice(RESOLUTION_TASKS).format(dept=department.name),
        owner=owner,
        owner_department=department,
        deadline_days=rng.choice([10, 15, 20, 20, 30]),
        decided_at=decided_at,
    )
    return done.decision


def _matter_history(
    ctx: DemoContext, rng: random.Random, originator: Any, head: Any
) -> dict[str, int]:
    """Give the resolution matters a past: closed on time or late, open, overdue, escalated."""
    now = _aware(ctx.today, 9)
    office = ctx.office_user
    out = {"resolutions closed on time": 0, "resolutions closed late": 0}
    resolutions = Resolution.objects.filter(matter__isnull=False).select_related(
        "matter__type", "matter__owner"
    )
    for resolution in resolutions.order_by("pk"):
        matter: Matter = resolution.matter  # type: ignore[assignment]
        if matter.closed_at is not None or matter.opened_at >= now:
            continue
        closer = matter.owner or office
        roll = rng.random()
        if matter.due_at < now:
            if roll < 0.6:
                closed = matter.opened_at + (matter.due_at - matter.opened_at) * rng.uniform(
                    0.4, 0.95
                )
                out["resolutions closed on time"] += 1
            elif roll < 0.82:
                late = min(now, matter.due_at + dt.timedelta(days=rng.randint(1, 12)))
                closed = late - dt.timedelta(minutes=rng.randint(10, 300))
                out["resolutions closed late"] += 1
            else:
                continue  # left open: overdue, escalated below
        elif roll < 0.35:
            closed = matter.opened_at + (now - matter.opened_at) * rng.uniform(0.5, 0.95)
            out["resolutions closed on time"] += 1
        else:
            if matter.owner_id and matter.owner_id == getattr(head, "pk", None):
                loops.matter_transition(
                    matter=matter,
                    action="start",
                    actor=head,
                    now=matter.opened_at + dt.timedelta(days=1),
                )
            continue
        matter = loops.matter_transition(
            matter=matter,
            action="close",
            actor=closer,
            evidence_note=rng.choice(CLOSING_NOTES),
            now=closed,
        )
        if rng.random() < 0.3:
            loops.matter_feedback(
                matter=matter,
                actor=originator,
                text="落实到位，效果良好。",
                rating=rng.choice([4, 5, 5]),
            )
        if rng.random() < 0.45:
            services.resolution_publish(resolution=resolution)
    escalated = loops.escalate_overdue(now=now, type_codes=["resolution"])
    out["resolutions escalated"] = escalated["level1"] + escalated["level2"]
    out["resolutions open"] = Matter.objects.filter(
        type__code="resolution", closed_at__isnull=True
    ).count()
    return out
