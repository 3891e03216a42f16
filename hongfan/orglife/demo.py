"""Demo data of organisational life: a year of meetings for every branch, sign-ins, one review.

Registered in ``OrglifeConfig.ready()``; run by ``manage.py seed_demo`` after the foundation.
Most branches keep to the 支部工作条例; a few are late with the current period (amber) and a
few skip meetings (red), so the compliance matrix has something to show.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.db.models import Exists, OuterRef
from django.utils import timezone

from hongfan.accounts.roles import Role
from hongfan.demo.builder import DEMO_PREFIX
from hongfan.demo.extensions import DemoContext
from hongfan.orglife.models import (
    Attendance,
    FrequencyRule,
    Meeting,
    MeetingKind,
    MutualAssessment,
    ReviewBallot,
    ReviewCampaign,
    ReviewGrade,
    SelfAssessment,
)
from hongfan.orglife.selectors import periods_of_year
from hongfan.orglife.services import default_rules_ensure
from hongfan.party.models import (
    CommitteeMember,
    PartyMember,
    PartyOrganisation,
    TemporaryAssignment,
)

TOPICS: dict[str, tuple[str, ...]] = {
    MeetingKind.GENERAL_ASSEMBLY: (
        "学习贯彻党的二十届四中全会精神",
        "讨论发展对象、确定入党积极分子",
        "支部季度工作总结与下季度计划",
        "预备党员转正讨论",
        "学习《中国共产党支部工作条例（试行）》",
    ),
    MeetingKind.COMMITTEE: (
        "研究本月党建与业务融合重点工作",
        "讨论科室医德医风考评结果",
        "研究党员先锋岗评选",
        "研究主题党日活动方案",
        "分析科室医疗质量与患者满意度",
    ),
    MeetingKind.GROUP: (
        "学习新修订《医疗机构工作人员廉洁从业九项准则》",
        "交流岗位建功心得",
        "讨论改善患者就医体验的具体措施",
        "学习身边的优秀共产党员事迹",
    ),
    MeetingKind.LECTURE: (
        "弘扬伟大建党精神，做新时代好医生",
        "以高质量党建引领医院高质量发展",
        "坚守医者初心，践行为民宗旨",
        "全面从严治党向纵深推进",
    ),
    MeetingKind.THEME_DAY: (
        "党员志愿服务进社区义诊",
        "重温入党誓词",
        "参观红色教育基地",
        "健康宣教进乡村",
        "“我为群众办实事”便民服务",
        "学雷锋志愿服务",
    ),
    MeetingKind.LIFE_MEETING: ("年度组织生活会：对照检查、批评与自我批评",),
    MeetingKind.REVIEW: ("年度民主评议党员",),
}
FIRST_TOPICS = (
    ("学习习近平总书记关于卫生健康工作的重要论述", "《求是》杂志"),
    ("学习习近平总书记在全国卫生与健康大会上的重要讲话精神", "人民日报"),
    ("学习党的二十届四中全会公报", "新华社"),
    ("学习习近平总书记关于全面从严治党的重要论述", "《习近平谈治国理政》第五卷"),
    ("学习《关于加强公立医院党的建设工作的意见》", "中共中央办公厅"),
)
PLACES = ("党员活动室", "科室示教室", "门诊楼三楼会议室", "住院部七楼学习室", "医院党建展厅")
THEME_PLACES = ("社区卫生服务站", "西柏坡纪念馆", "乡镇卫生院", "医院门诊大厅")
STARTS = (dt.time(12, 10), dt.time(17, 30), dt.time(16, 0))
REASONS = (
    (Attendance.Reason.DUTY, "值班"),
    (Attendance.Reason.DUTY, "外出进修"),
    (Attendance.Reason.SICK, ""),
    (Attendance.Reason.PERSONAL, ""),
    (Attendance.Reason.DUTY, "手术"),
)
SELF_TEXTS = (
    "本年度认真学习党的创新理论，坚持把政治建设放在首位；在临床工作中恪守医德，"
    "积极参加义诊和志愿服务。不足之处是理论学习的深度还不够，今后要加强系统学习。",
    "能够按时参加组织生活，按时足额交纳党费；在科室急难险重任务中主动担当。"
    "存在的问题是联系群众不够广泛，下一步将主动听取患者和同事意见。",
    "坚持廉洁行医，拒收红包回扣；带教规培医师，发挥党员先锋模范作用。"
    "需要改进的是对新技术新业务的钻研还不够深入。",
)


def _month_start(day: dt.date, back: int) -> dt.date:
    y, m = day.year, day.month - back
    while m <= 0:
        y, m = y - 1, m + 12
    return dt.date(y, m, 1)


def seed(ctx: DemoContext) -> dict[str, int]:
    """Write the demo's meetings, attendances, sign-ins and one 民主评议 campaign."""
    default_rules_ensure()
    rng = ctx.rng("orglife")
    today = ctx.today
    window_start = _month_start(today, 11)
    branches = list(
        PartyOrganisation.objects.filter(
            kind=PartyOrganisation.Kind.BRANCH, institution__code__startswith=DEMO_PREFIX
        )
        .annotate(
            has_groups=Exists(
                PartyOrganisation.objects.filter(
                    parent_id=OuterRef("pk"), kind=PartyOrganisation.Kind.GROUP
                )
            )
        )
        .order_by("code")
    )
    rules = list(FrequencyRule.objects.filter(is_active=True))
    ids = [b.pk for b in branches]

    members: dict[int, list[tuple[int, dt.date, int | None]]] = defaultdict(list)
    for pk, org_id, joined, group_id in PartyMember.objects.filter(
        organisation_id__in=ids, status=PartyMember.Status.NORMAL
    ).values_list("pk", "organisation_id", "joined_on", "group_id"):
        members[org_id].append((pk, joined, group_id))
    for member_id, org_id, joined in TemporaryAssignment.objects.filter(
        organisation_id__in=ids, left_on__isnull=True
    ).values_list("member_id", "organisation_id", "joined_on"):
        members[org_id].append((member_id, joined, None))
    seats: dict[int, list[tuple[int, dt.date, dt.date, str]]] = defaultdict(list)
    for member_id, org_id, start, end, position in CommitteeMember.objects.filter(
        organisation_id__in=ids, ended_on__isnull=True
    ).values_list("member_id", "organisation_id", "term_start", "term_end", "position"):
        seats[org_id].append((member_id, start, end, position))
    groups: dict[int, list[int]] = defaultdict(list)
    for pk, parent_id in PartyOrganisation.objects.filter(
        parent_id__in=ids, kind=PartyOrganisation.Kind.GROUP
    ).values_list("pk", "parent_id"):
        groups[parent_id].append(pk)

    meetings: list[Meeting] = []
    attendance_plan: list[list[tuple[int, str, str, str, bool]]] = []
    for branch in branches:
        roll = rng.random()
        profile = "good" if roll < 0.8 else ("late" if roll < 0.92 else "poor")
        theme_day = rng.randint(5, 20)  # 主题党日: a fixed day of the month
        for rule in rules:
            if not rule.applies(is_temporary=branch.is_temporary, has_groups=branch.has_groups):
                continue
            years = sorted({window_start.year, today.year})
            for year in years:
                for _key, _label, start, end, _months in periods_of_year(rule.period, year):
                    if end < window_start or start > today + dt.timedelta(days=20):
                        continue
                    if end < branch.established_on:
                        continue
                    current = start <= today <= end
                    if profile == "poor" and not current and rng.random() < 0.3:
                        continue
                    if profile == "late" and current:
                        continue
                    for n in range(rule.minimum):
                        day = _meeting_day(rng, rule, start, end, theme_day, n)
                        if day < branch.established_on:
                            continue
                        if rule.kind == MeetingKind.COMMITTEE and not seats.get(branch.pk):
                            continue
                        meeting, roster = _meeting(
                            rng, branch, rule.kind, day, today, members, seats, groups
                        )
                        meetings.append(meeting)
                        attendance_plan.append(roster)

    Meeting.objects.bulk_create(meetings, batch_size=500)
    rows: list[Attendance] = []
    sign_ins = 0
    for meeting, roster in zip(meetings, attendance_plan, strict=True):
        starts = (
            timezone.make_aware(dt.datetime.combine(meeting.held_on, meeting.starts_at))
            if meeting.held_on and meeting.starts_at
            else None
        )
        for member_id, status, reason, note, scanned in roster:
            signed = None
            if scanned and starts is not None:
                signed = starts - dt.timedelta(minutes=rng.randint(0, 12))
                sign_ins += 1
            rows.append(
                Attendance(
                    meeting=meeting,
                    member_id=member_id,
                    status=status,
                    absence_reason=reason,
                    absence_note=note,
                    signed_in_at=signed,
                )
            )
    Attendance.objects.bulk_create(rows, batch_size=2000)
    counts = {"meetings": len(meetings), "meeting attendances": len(rows), "QR sign-ins": sign_ins}
    counts.update(_campaign(ctx, rng))
    return counts


def _meeting_day(
    rng: Any, rule: FrequencyRule, start: dt.date, end: dt.date, theme_day: int, n: int
) -> dt.date:
    if rule.kind == MeetingKind.THEME_DAY and rule.period == FrequencyRule.Period.MONTH:
        return start.replace(day=min(theme_day + 7 * n, 28))
    if rule.kind == MeetingKind.LIFE_MEETING:  # usually in the fourth quarter
        start = max(start, dt.date(start.year, 11, 1))
    span = (end - start).days
    return start + dt.timedelta(days=rng.randint(0, max(span - 1, 0)))


def _meeting(
    rng: Any,
    branch: PartyOrganisation,
    kind: str,
    day: dt.date,
    today: dt.date,
    members: dict[int, list[tuple[int, dt.date, int | None]]],
    seats: dict[int, list[tuple[int, dt.date, dt.date, str]]],
    groups: dict[int, list[int]],
) -> tuple[Meeting, list[tuple[int, str, str, str, bool]]]:
    group_id = rng.choice(groups[branch.pk]) if kind == MeetingKind.GROUP else None
    if kind == MeetingKind.COMMITTEE:
        invited = [m for m, s, e, _p in seats[branch.pk] if s <= day <= e]
    elif group_id is not None:
        invited = [m for m, joined, g in members[branch.pk] if g == group_id and joined <= day]
    else:
        invited = [m for m, joined, _g in members[branch.pk] if joined <= day]
    secretary = next(
        (m for m, _s, _e, p in seats[branch.pk] if p == CommitteeMember.Position.SECRETARY),
        invited[0] if invited else None,
    )
    topic = rng.choice(TOPICS[kind])
    place = rng.choice(THEME_PLACES if kind == MeetingKind.THEME_DAY else PLACES)
    meeting = Meeting(
        organisation=branch,
        group_id=group_id,
        kind=kind,
        topic=topic,
        planned_on=day - dt.timedelta(days=rng.randint(0, 3)) if day <= today else day,
        planned_place=place,
    )
    # A meeting inside the back-fill window is sometimes still waiting to be recorded.
    if day > today or ((today - day).days < 3 and rng.random() < 0.5):
        return meeting, [(m, Attendance.Status.UNKNOWN, "", "", False) for m in invited]
    roster: list[tuple[int, str, str, str, bool]] = []
    absent_share = 0.0 if kind == MeetingKind.COMMITTEE and len(invited) < 3 else 0.12
    for member_id in invited:
        if member_id != secretary and rng.random() < absent_share:
            reason, note = rng.choice(REASONS)
            roster.append((member_id, Attendance.Status.ABSENT, reason, note, False))
        else:
            roster.append((member_id, Attendance.Status.PRESENT, "", "", rng.random() < 0.7))
    present = sum(1 for r in roster if r[1] == Attendance.Status.PRESENT)
    first, source = rng.choice(FIRST_TOPICS)
    recorder = next((m for m in invited if m != secretary), secretary)
    meeting.status = Meeting.Status.RECORDED
    meeting.held_on = day
    meeting.starts_at = rng.choice(STARTS)
    meeting.place = place
    meeting.host_id = secretary
    meeting.recorder_id = recorder
    meeting.lecturer_id = secretary if kind == MeetingKind.LECTURE else None
    meeting.first_topic_title = first
    meeting.first_topic_source = source
    meeting.agenda = "\n".join(
        [topic, "通报上月党建工作和医德医风情况", "研究部署下阶段重点任务"][: rng.randint(1, 3)]
    )
    if kind in (MeetingKind.GENERAL_ASSEMBLY, MeetingKind.COMMITTEE):
        meeting.resolutions = "经与会同志讨论，一致同意上述安排，由支部书记牵头落实。"
    meeting.minutes = (
        f"{day:%Y年%m月%d日}，{branch.name}在{place}召开会议，应到{len(invited)}人，"
        f"实到{present}人。会议首先学习了{first}，随后围绕“{topic}”进行了讨论，"
        "与会党员结合岗位实际踊跃发言。"
    )
    if kind == MeetingKind.COMMITTEE:
        meeting.quorum_required = len(invited) // 2 + 1
        meeting.quorum_present = present
        meeting.is_valid = present >= meeting.quorum_required
    else:
        meeting.is_valid = True
    meeting.recorded_at = timezone.make_aware(
        dt.datetime.combine(min(day + dt.timedelta(days=rng.randint(0, 3)), today), dt.time(18))
    )
    return meeting, roster


def _campaign(ctx: DemoContext, rng: Any) -> dict[str, int]:
    """Open this year's 民主评议党员 in the demo secretary's branch: 互评 done, half voted."""
    secretary = ctx.accounts.get(Role.BRANCH_SECRETARY)
    if secretary is None:
        return {}
    scope = secretary.role_assignments.filter(role=Role.BRANCH_SECRETARY).first()
    if scope is None or scope.organisation_id is None:
        return {}
    branch = PartyOrganisation.objects.get(pk=scope.organisation_id)
    campaign = ReviewCampaign.objects.create(
        organisation=branch, year=ctx.today.year, stage=ReviewCampaign.Stage.VOTING
    )
    people = list(
        PartyMember.objects.filter(organisation=branch, status=PartyMember.Status.NORMAL)
        .order_by("pk")
        .values_list("pk", "category")
    )
    SelfAssessment.objects.bulk_create(
        [
            SelfAssessment(campaign=campaign, member_id=pk, text=rng.choice(SELF_TEXTS))
            for pk, _c in people
            if rng.random() < 0.85
        ]
    )
    comments = (
        "工作积极主动，业务能力强，热心帮助同事。",
        "能严格要求自己，建议多参加志愿服务。",
        "服务患者耐心细致，理论学习还需加强。",
        "勇挑重担，起到了党员先锋模范作用。",
    )
    ids = [pk for pk, _c in people]
    MutualAssessment.objects.bulk_create(
        [
            MutualAssessment(
                campaign=campaign, author_id=a, subject_id=b, text=rng.choice(comments)
            )
            for i, a in enumerate(ids)
            for b in (ids[(i + 1) % len(ids)], ids[(i + 2) % len(ids)])
            if len(ids) > 2 and b != a
        ]
    )
    candidates = [pk for pk, category in people if category == PartyMember.Category.FULL]
    grades = (ReviewGrade.EXCELLENT, ReviewGrade.QUALIFIED, ReviewGrade.QUALIFIED)
    ballots = [
        ReviewBallot(campaign=campaign, voter_id=voter, candidate_id=c, grade=rng.choice(grades))
        for voter, _c in people
        if rng.random() < 0.6
        for c in candidates
        if c != voter
    ]
    ReviewBallot.objects.bulk_create(ballots, batch_size=2000)
    return {"review campaigns": 1, "review ballots": len(ballots)}
