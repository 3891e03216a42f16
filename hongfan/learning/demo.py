"""Demo data of learning: a year of study activities, a question bank, a contest with
answers, and brands for most branches."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hongfan.demo.extensions import DemoContext
from hongfan.learning.models import (
    BranchBrand,
    Contest,
    ContestAttempt,
    Question,
    StudyActivity,
    StudyParticipation,
)
from hongfan.learning.services import score_answers
from hongfan.party.models import PartyMember, PartyOrganisation

K = StudyActivity.Kind
TITLES = {
    K.CENTRAL_GROUP: [
        "学习习近平总书记关于卫生健康工作的重要论述",
        "学习贯彻党的二十届四中全会精神",
        "学习《关于加强公立医院党的建设工作的意见》",
        "学习《中国共产党纪律处分条例》",
    ],
    K.READING_CLASS: [
        "党纪学习教育专题读书班",
        "《习近平谈治国理政》第五卷读书班",
        "医德医风专题读书班",
    ],
    K.RED_BASE: ["赴西柏坡纪念馆开展红色教育", "参观李大钊纪念馆", "参观冀南烈士陵园"],
    K.MICRO_LECTURE: [
        "微党课：支部建在科室上",
        "微党课：白求恩精神的当代传承",
        "微党课：清廉医院从我做起",
        "微党课：医者仁心与初心使命",
    ],
    K.OTHER: ["观看警示教育片", "学习强国知识分享会", "廉洁从医承诺学习会"],
}
PLACES = ["党员活动室", "科室示教室", "医院学术报告厅", "线上（腾讯会议）"]
HOURS = {
    K.CENTRAL_GROUP: "3",
    K.READING_CLASS: "8",
    K.RED_BASE: "6",
    K.MICRO_LECTURE: "1",
    K.OTHER: "2",
}

S, M, T = Question.Kind.SINGLE, Question.Kind.MULTIPLE, Question.Kind.TRUE_FALSE
QUESTIONS = [
    (
        S,
        "党章",
        "中国共产党的最高理想和最终目标是？",
        ["实现共产主义", "全面建成小康社会", "实现现代化"],
        [0],
    ),
    (
        S,
        "党章",
        "党员必须按照规定交纳党费，连续几个月不交纳党费又没有正当理由的，视为自行脱党？",
        ["三个月", "六个月", "一年"],
        [1],
    ),
    (S, "条例", "支部委员会会议一般每月召开几次？", ["一次", "两次", "每季度一次"], [0]),
    (S, "细则", "预备党员的预备期为多长时间？", ["半年", "一年", "两年"], [1]),
    (
        S,
        "细则",
        "入党积极分子经过多长时间的培养教育和考察，方可列为发展对象？",
        ["半年以上", "一年以上", "两年以上"],
        [1],
    ),
    (
        S,
        "党费",
        "在职党员月工资收入（税后）3000元以下（含3000元）的，党费交纳比例为？",
        ["0.5%", "1%", "1.5%"],
        [0],
    ),
    (
        M,
        "条例",
        "“三会一课”中的“三会”指的是？",
        ["支部党员大会", "支部委员会", "党小组会", "职工代表大会"],
        [0, 1, 2],
    ),
    (
        M,
        "医德",
        "医务人员“九不准”包括？",
        ["不准收受患者红包", "不准违规私收费用", "不准参加学术会议", "不准开单提成"],
        [0, 1, 3],
    ),
    (
        M,
        "党建",
        "公立医院党委“把方向、管大局、作决策、促改革、保落实”中，以下属于党委职责的是？",
        ["把方向", "管大局", "作决策", "具体诊疗"],
        [0, 1, 2],
    ),
    (T, "党章", "党员的党龄从预备期满转为正式党员之日算起。", [], [0]),
    (T, "条例", "组织生活会一般每年召开一次。", [], [0]),
    (T, "细则", "入党介绍人可以由预备党员担任。", [], [1]),
    (T, "纪律", "党员受到留党察看处分期间，没有表决权、选举权和被选举权。", [], [0]),
    (T, "条例", "主题党日每季度开展一次。", [], [1]),
    (S, "纪律", "党的纪律处分有几种？", ["三种", "五种", "七种"], [1]),
]
BRANDS = [
    (
        "心佑先锋",
        "党建引领护心路，先锋示范守初心",
        "胸痛中心党员先锋岗\n“心”连心社区义诊\n党员医师带教制",
    ),
    (
        "仁心护航",
        "把支部建在病房上，把初心写在床旁",
        "党员责任病房\n护理质量党员攻坚组\n出院患者随访",
    ),
    (
        "无影灯下党旗红",
        "手术台上见党性，无影灯下守初心",
        "党员技术攻关小组\n日间手术流程再造\n下乡手术带教",
    ),
    ("红色哨兵", "早发现、早报告、早处置", "发热门诊党员突击队\n院感防控巡查\n健康科普进校园"),
    ("童心向党", "用党员的爱守护每一个孩子", "儿童哮喘之家\n新生儿转运绿色通道\n“六一”义诊"),
    ("智慧药学", "合理用药，党员先行", "处方点评党员示范岗\n用药咨询门诊\n基层药师培训"),
    ("影像先锋", "精准诊断，服务临床", "急诊影像30分钟报告承诺\n远程影像会诊\n党员读片会"),
    ("温暖后勤", "服务一线，保障有力", "党员维修快速响应\n节能降耗攻坚\n病区满意度回访"),
]


def seed(ctx: DemoContext) -> dict[str, int]:
    rng = ctx.rng("learning")
    branches = list(
        PartyOrganisation.objects.filter(kind=PartyOrganisation.Kind.BRANCH, is_temporary=False)
        .select_related("parent")
        .order_by("sort_order", "code")
    )
    members = list(PartyMember.objects.filter(status=PartyMember.Status.NORMAL).order_by("pk"))
    by_branch: dict[int, list[PartyMember]] = {}
    for m in members:
        by_branch.setdefault(m.organisation_id, []).append(m)
    kinds = [K.READING_CLASS, K.RED_BASE, K.MICRO_LECTURE, K.MICRO_LECTURE, K.OTHER]
    per_branch = max(3, round(8 * min(ctx.scale, 1.5)))
    activities: list[StudyActivity] = []
    rosters: list[list[PartyMember]] = []
    for branch in branches:
        people = by_branch.get(branch.pk, [])
        if not people:
            continue
        for _ in range(per_branch):
            kind = rng.choice(kinds)
            held_on = ctx.today - dt.timedelta(days=rng.randint(3, 360))
            if held_on < branch.established_on:
                continue
            share = rng.uniform(0.55, 0.95)
            roster = sorted(
                rng.sample(people, max(1, round(len(people) * share))), key=lambda m: m.pk
            )
            activities.append(
                StudyActivity(
                    organisation=branch,
                    kind=kind,
                    title=rng.choice(TITLES[kind]),
                    held_on=held_on,
                    place=rng.choice(PLACES),
                    hours=Decimal(HOURS[kind]),
                    summary="由支部书记主持，党员结合岗位实际交流学习体会。",
                )
            )
            rosters.append(roster)
    # The Party committee's central group: monthly, the committee's own members.
    committee = branches[0].parent if branches and branches[0].parent else None
    while committee is not None and committee.kind != PartyOrganisation.Kind.COMMITTEE:
        committee = committee.parent
    if committee is not None and members:
        leaders = sorted(rng.sample(members, min(len(members), 11)), key=lambda m: m.pk)
        for month_back in range(12):
            held_on = ctx.today - dt.timedelta(days=30 * month_back + 7)
            activities.append(
                StudyActivity(
                    organisation=committee,
                    kind=K.CENTRAL_GROUP,
                    title=TITLES[K.CENTRAL_GROUP][month_back % len(TITLES[K.CENTRAL_GROUP])],
                    held_on=held_on,
                    place="医院第一会议室",
                    hours=Decimal(HOURS[K.CENTRAL_GROUP]),
                    summary="党委理论学习中心组集体学习，班子成员逐一发言。",
                )
            )
            rosters.append(leaders)
    StudyActivity.objects.bulk_create(activities, batch_size=500)
    participations = [
        StudyParticipation(activity=a, member=m, hours=a.hours)
        for a, roster in zip(activities, rosters, strict=True)
        for m in roster
    ]
    StudyParticipation.objects.bulk_create(participations, batch_size=1000)

    questions = Question.objects.bulk_create(
        [
            Question(kind=kind, category=cat, text=text, options=opts, answer=ans)
            for kind, cat, text, opts, ans in QUESTIONS
        ]
    )
    closed = Contest.objects.create(
        title="“七一”党章党规知识竞赛",
        opens_on=ctx.today - dt.timedelta(days=150),
        closes_on=ctx.today - dt.timedelta(days=140),
        points_per_question=10,
    )
    closed.questions.set(questions[:10])
    current = Contest.objects.create(
        title="发展党员工作细则与党费知识测试",
        opens_on=ctx.today - dt.timedelta(days=5),
        closes_on=ctx.today + dt.timedelta(days=25),
        points_per_question=10,
    )
    current.questions.set(questions[3:13])
    attempts: list[ContestAttempt] = []
    for contest, share in ((closed, 0.7), (current, 0.3)):
        qs = list(contest.questions.all())
        for m in rng.sample(members, round(len(members) * share)):
            answers = {
                q.pk: list(q.answer)
                if rng.random() < 0.82
                else [(q.answer[0] + 1) % max(2, len(q.options))]
                for q in qs
            }
            correct = score_answers(qs, answers)
            attempts.append(
                ContestAttempt(
                    contest=contest,
                    member=m,
                    correct=correct,
                    score=correct * contest.points_per_question,
                    max_score=len(qs) * contest.points_per_question,
                    answers={str(k): v for k, v in answers.items()},
                )
            )
    ContestAttempt.objects.bulk_create(attempts, batch_size=1000)

    brands = []
    for i, branch in enumerate(b for b in branches if rng.random() < 0.7):
        name, slogan, featured = BRANDS[i % len(BRANDS)]
        scored = rng.random() < 0.6
        brands.append(
            BranchBrand(
                organisation=branch,
                name=name if i < len(BRANDS) else f"{name}·{branch.name[:4]}",
                slogan=slogan,
                description=f"{branch.name}围绕科室业务打造的党建品牌。",
                featured_activities=featured,
                score=Decimal(rng.randint(72, 98)) if scored else None,
                evaluated_on=ctx.today - dt.timedelta(days=rng.randint(10, 90)) if scored else None,
                evaluated_by=ctx.office_user if scored else None,
            )
        )
    BranchBrand.objects.bulk_create(brands)
    return {
        "study activities": len(activities),
        "study participations": len(participations),
        "contest questions": len(questions),
        "contest attempts": len(attempts),
        "branch brands": len(brands),
    }
