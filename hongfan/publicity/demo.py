"""Demo data: a year of publicity (correspondents, stories through the three-level review,
publications on the eight platforms with reach figures) and a dozen cultural activities.

In the demo the first review (初审) is done by the Party office account (demo_office), the
second (复审) by demo_head and the final review (终审) by demo_president; stories are entered
by the correspondents' account demo_staff."""

from __future__ import annotations

import datetime as dt
import struct
import zlib
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Count
from django.utils import timezone

from hongfan.demo.extensions import DemoContext
from hongfan.org.models import Department, Staff
from hongfan.party.models import PartyMember, PartyOrganisation
from hongfan.publicity import services
from hongfan.publicity.models import (
    MediaAsset,
    Platform,
    Review,
    Story,
    StoryVersion,
    WordMatch,
)

TITLES = [
    "{d}党支部开展“{t}”主题党日活动",
    "{d}党员志愿者走进社区开展义诊",
    "{d}成功开展新技术：{x}",
    "{d}护理团队获评“{h}”",
    "“红帆驿站”便民服务：{d}党员先锋岗在行动",
    "{d}举办“学习白求恩精神”医德医风专题讲座",
    "{d}开展“三好一满意”患者回访",
    "{d}党员突击队完成急危重症抢救",
    "健康夜市走进{p}：{d}专家现场答疑",
    "{d}党支部与{p}卫生院开展“三联”共建",
]
THEMES = ["学党史 践初心", "我为群众办实事", "清廉医院建设", "党建+业务融合", "白求恩精神"]
TECH = ["经导管主动脉瓣置换术", "日间手术快速康复路径", "无痛胃肠镜一站式诊疗", "远程心电诊断"]
HONOURS = ["优质护理服务示范病区", "巾帼文明岗", "青年文明号", "党员示范岗"]
PLACES = ["城关镇", "东关社区", "西湖街道", "马庄乡", "县城广场"]
PARAGRAPHS = [
    "近日，{d}党支部组织党员围绕“{t}”开展学习交流，支部书记结合科室实际讲授专题党课，"
    "党员们逐一发言，查找服务患者中的短板，形成整改清单。",
    "活动中，党员志愿者为群众测量血压、血糖，开展健康咨询和用药指导，累计服务群众{n}人次，"
    "发放健康宣传资料{m}份，受到群众欢迎。",
    "下一步，{d}将把党建工作与医疗业务深度融合，以党建引领医疗质量持续提升，让患者就医更有温度。",
    "科室党员带头攻坚，围绕患者需求优化流程，平均等候时间明显缩短，患者满意度持续提升。",
]
# Paragraphs that contain words on the default sensitive-word list (resolved in review).
FLAGGED = [
    "这是该院第一次独立完成此类手术，标志着相关诊疗水平迈上新台阶。",
    "面对患者家属塞来的红包，主治医师当场婉拒，并耐心解释治疗方案。",
]
ACTIVITIES = [
    ("knowledge_contest", "“学党章 守党规”党史知识竞赛", "院学术报告厅", True, "2.0"),
    ("performance", "“唱支山歌给党听”庆七一合唱比赛", "院礼堂", False, None),
    ("sports", "职工秋季趣味运动会", "县体育场", False, None),
    ("film", "观看电影《白求恩》", "院学术报告厅", True, "2.0"),
    ("red_base", "赴西柏坡纪念馆开展革命传统教育", "西柏坡纪念馆", True, "4.0"),
    ("skills", "护理技能大赛", "护理示教室", False, None),
    ("drill", "院内消防应急演练", "门诊楼", False, None),
    ("red_base", "赴冉庄地道战遗址开展主题党日", "冉庄地道战遗址", True, "4.0"),
    ("knowledge_contest", "医德医风知识竞答", "院学术报告厅", True, "1.5"),
    ("video", "“我身边的白求恩”微视频拍摄", "全院", False, None),
    ("performance", "迎新春职工文艺汇演", "院礼堂", False, None),
    ("skills", "急救技能（心肺复苏）比武", "急诊科", False, None),
    ("drill", "突发公共卫生事件应急演练", "发热门诊", False, None),
    ("film", "观看廉政警示教育片", "院学术报告厅", True, "1.5"),
]


def _png(seed: int, width: int = 64, height: int = 48) -> bytes:
    """A small gradient PNG (placeholder photo)."""
    r0, g0, b0 = (seed * 53) % 200, (seed * 97) % 200, (seed * 29) % 200
    rows = b"".join(
        b"\x00"
        + b"".join(
            bytes(((r0 + x) % 256, (g0 + y * 2) % 256, (b0 + x + y) % 256)) for x in range(width)
        )
        for y in range(height)
    )

    def chunk(tag: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + tag
            + data
            + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def _at(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour % 24, 0)))


def seed(ctx: DemoContext) -> dict[str, int]:
    rng = ctx.rng("publicity")
    today = ctx.today
    services.platforms_ensure_defaults()
    accounts = ctx.accounts
    editor, head, leader = (
        ctx.office_user,
        accounts.get("department_head"),
        accounts.get("president_office"),
    )
    author_user = accounts.get("staff")
    if not (editor and head and leader and author_user and author_user.staff_id):
        return {}
    for user, level in ((editor, 1), (head, 2), (leader, 3)):
        services.reviewer_assign(user=user, level=level)

    departments = list(
        Department.objects.filter(is_active=True, staff__isnull=False)
        .annotate(n=Count("staff"))
        .filter(n__gte=3)
        .order_by("code")
    )
    n_corr = max(8, min(len(departments), round(40 * ctx.scale)))
    chosen = rng.sample(departments, min(n_corr, len(departments)))
    own_dept = author_user.staff.department
    if own_dept not in chosen:
        chosen[0] = own_dept
    branch_of = {
        d.pk: o
        for o in PartyOrganisation.objects.filter(
            kind=PartyOrganisation.Kind.BRANCH, dissolved_on__isnull=True
        ).prefetch_related("departments")
        for d in o.departments.all()
    }
    term_start = dt.date(today.year - 1, 1, 1)
    term_end = dt.date(today.year + 1, 12, 31)
    reviewer_staff = {u.staff_id for u in (editor, head, leader) if u.staff_id}
    correspondents = []
    for dept in chosen:
        staff = (
            author_user.staff
            if dept == own_dept
            else rng.choice(
                list(
                    Staff.objects.filter(
                        department=dept, hired_on__lte=term_start, employment_status="in_post"
                    )
                    .exclude(pk__in=reviewer_staff)
                    .order_by("pk")[:20]
                )
                or list(Staff.objects.filter(department=dept).exclude(pk__in=reviewer_staff)[:1])
            )
        )
        correspondents.append(
            services.correspondent_save(
                staff=staff,
                appointed_on=term_start,
                term_ends_on=term_end,
                yearly_target=rng.choice([4, 6, 6, 8, 10]),
                organisation=branch_of.get(dept.pk),
                note="",
            )
        )

    # Cultural activities (a dozen or more, over the last year).
    staff_pool = list(Staff.objects.filter(employment_status="in_post").order_by("pk")[:3000])
    members_by_org: dict[int, list[int]] = {}
    for staff_id, org_id in PartyMember.objects.filter(status="normal").values_list(
        "staff_id", "organisation_id"
    ):
        members_by_org.setdefault(org_id, []).append(staff_id)
    committee = PartyOrganisation.objects.filter(kind=PartyOrganisation.Kind.COMMITTEE).first()
    staff_by_id = {s.pk: s for s in staff_pool}
    activities = []
    n_act = max(12, round(len(ACTIVITIES) * max(1.0, ctx.scale)))
    for i in range(min(n_act, len(ACTIVITIES))):
        kind, title, place, study, hours = ACTIVITIES[i]
        held_on = today - dt.timedelta(days=int(15 + i * 340 / len(ACTIVITIES)))
        organiser_org = committee if study else None
        if study and i % 2 and branch_of:
            organiser_org = rng.choice(list({o.pk: o for o in branch_of.values()}.values()))
        if organiser_org is not None and organiser_org.established_on > held_on:
            organiser_org = committee
        if organiser_org is not None and organiser_org.kind == PartyOrganisation.Kind.BRANCH:
            ids = members_by_org.get(organiser_org.pk, [])
            people = [staff_by_id[s] for s in ids if s in staff_by_id][:40]
            people += rng.sample(staff_pool, min(5, len(staff_pool)))
        else:
            people = rng.sample(staff_pool, min(len(staff_pool), rng.randint(25, 80)))
        people = list({p.pk: p for p in people}.values())
        awards = {}
        if kind in ("knowledge_contest", "skills", "performance", "sports"):
            for rank, person in zip(("一等奖", "二等奖", "二等奖", "三等奖"), people, strict=False):
                awards[person.pk] = rank
        by_pk = {p.pk: p for p in people}
        activity = services.activity_save(
            actor=editor,
            kind=kind,
            title=f"{held_on.year}年{title}" if kind != "red_base" else title,
            held_on=held_on,
            place=place,
            organiser_organisation=organiser_org,
            organiser_department=None,
            organiser_text="" if organiser_org else rng.choice(["院工会", "团委", "党委宣传部"]),
            summary=f"{title}，共有{len(people)}名职工参加。",
            results="、".join(f"{by_pk[k].name}获{v}" for k, v in awards.items()),
            counts_as_study=bool(study and organiser_org),
            study_hours=Decimal(hours) if hours and organiser_org else None,
            participants=people,
            awards=awards,
            today=today,
        )
        activities.append(activity)
        if i < 8:
            services.media_add(
                actor=editor,
                kind=MediaAsset.Kind.PHOTO,
                caption=f"{activity.title}现场",
                upload=SimpleUploadedFile(f"activity{i}.png", _png(i), "image/png"),
                taken_on=held_on,
                people=people[:3],
                activity=activity,
            )
    consent_photo = services.media_add(
        actor=editor,
        kind=MediaAsset.Kind.PHOTO,
        caption="党员志愿者为行动不便的患者上门换药",
        upload=SimpleUploadedFile("home-visit.png", _png(99), "image/png"),
        taken_on=today - dt.timedelta(days=40),
        shows_identifiable_patient=True,
        patient_consent=True,
        consent_reference="宣传知情同意书 2026-017",
    )

    # Stories over the last year: most published, some returned, rejected or still in review.
    platforms = list(Platform.objects.filter(is_active=True).order_by("sort_order"))
    n_stories = max(24, round(160 * ctx.scale))
    counts = {"stories": 0, "published": 0}
    for i in range(n_stories):
        corr = rng.choice(correspondents)
        dept = corr.department
        day = today - dt.timedelta(days=int(3 + (n_stories - i) * 350 / n_stories))
        day = max(day, corr.staff.hired_on + dt.timedelta(days=1))
        title = rng.choice(TITLES).format(
            d=dept.name,
            t=rng.choice(THEMES),
            x=rng.choice(TECH),
            h=rng.choice(HONOURS),
            p=rng.choice(PLACES),
        )
        paras = rng.sample(PARAGRAPHS, 3)
        flagged = rng.random() < 0.25
        if flagged:
            paras.insert(1, rng.choice(FLAGGED))
        body = "\n\n".join(
            p.format(
                d=dept.name, t=rng.choice(THEMES), n=rng.randint(60, 400), m=rng.randint(100, 800)
            )
            for p in paras
        )
        activity = rng.choice(activities) if rng.random() < 0.3 else None
        story = services.story_create(
            actor=author_user,
            author=corr.staff,
            department=dept,
            title=title[:200],
            body=body,
            related_activity=activity,
            media=[consent_photo]
            if i == n_stories - 5
            else (list(activity.media.all()[:1]) if activity else []),
            today=day,
        )
        counts["stories"] += 1
        fate = rng.random()
        if i >= n_stories - 3:
            fate = 0.99  # the newest stay drafts or in review
        if fate > 0.97:
            _backdate(story, day)
            continue  # a draft
        services.story_submit(story=story, actor=author_user)
        hour = 9
        if fate < 0.15:
            # Returned at the first review, corrected, resubmitted.
            _review(story, editor, "return", "标题请突出主题，补充活动成效数据。")
            story = services.story_update(
                story=story,
                actor=author_user,
                title=story.title,
                body=story.body + "\n\n本次活动共有党员20余人参加。",
                related_activity=story.related_activity,
                note="按初审意见补充活动成效",
            )
            services.story_submit(story=story, actor=author_user)
        if fate > 0.93:
            _review(story, editor, "reject", "与近期已发稿件内容重复。")
            _backdate(story, day)
            continue
        stop_at = 4
        if i >= n_stories - 6:
            stop_at = rng.choice([1, 2, 3])  # still in review
        for level, user in ((1, editor), (2, head), (3, leader)):
            if level >= stop_at:
                break
            for match in WordMatch.objects.filter(story=story, version=story.version):
                services.match_resolve(
                    match=match,
                    actor=user,
                    resolution=WordMatch.Resolution.ACCEPTED,
                    reason="表述符合事实，不属于违规宣传用语",
                )
            _review(story, user, "pass", "", "已校对：标点与数字格式统一。" if level == 1 else "")
            hour += rng.randint(2, 20)
        story.refresh_from_db()
        approved_day = _backdate(story, day)
        if story.status != Story.Status.APPROVED:
            continue
        for platform in rng.sample(platforms, rng.randint(1, 3)):
            pub_day = min(today, approved_day + dt.timedelta(days=rng.randint(0, 3)))
            pub = services.publication_plan(
                story=story, platform=platform, planned_on=pub_day, actor=editor
            )
            services.publication_record(
                publication=pub,
                actor=editor,
                published_on=pub_day,
                link=""
                if platform.uses_issue_numbers
                else f"https://www.hfxrmyy.example/news/{story.pk}-{platform.pk}",
                issue_number=f"总第{100 + pub_day.month + (pub_day.year - 2025) * 12}期"
                if platform.uses_issue_numbers
                else "",
                views=rng.randint(300, 12000),
                likes=rng.randint(10, 600),
                shares=rng.randint(5, 300),
                comments_count=rng.randint(0, 80),
                today=today,
            )
        counts["published"] += 1
    # Next week's plan on the calendar for the newest approved stories.
    return {
        "publicity correspondents": len(correspondents),
        "publicity stories": counts["stories"],
        "publicity stories published": counts["published"],
        "cultural activities": len(activities),
    }


def _review(story: Story, user: Any, decision: str, comments: str, proof: str = "") -> None:
    services.story_review(
        story=story, actor=user, decision=decision, comments=comments, proofreading=proof
    )


def _backdate(story: Story, day: dt.date) -> dt.date:
    """Move the story's timestamps to ``day`` (the services stamp them with now)."""
    story.refresh_from_db()
    created = _at(day, 8)
    Story.objects.filter(pk=story.pk).update(created_at=created)
    StoryVersion.objects.filter(story=story).update(changed_at=created)
    approved_day = day
    if story.submitted_at:
        Story.objects.filter(pk=story.pk).update(submitted_at=_at(day, 9))
        hours = 9
        for review in Review.objects.filter(story=story).order_by("pk"):
            hours += 5 + (review.pk % 17)
            Review.objects.filter(pk=review.pk).update(
                reviewed_at=_at(day, 0) + dt.timedelta(hours=hours)
            )
            approved_day = (_at(day, 0) + dt.timedelta(hours=hours)).date()
        if story.approved_at:
            Story.objects.filter(pk=story.pk).update(
                approved_at=_at(day, 0) + dt.timedelta(hours=hours)
            )
    return approved_day
