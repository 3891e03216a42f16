"""Default scorecards and red-flag weights (data; the office edits them on screen).

医德考评 [rule: 卫办发〔2007〕296号, DOMAIN.md §6]: eight content items carrying 100 points
together (the base 100), additions and deductions drawn from the ledger, manual deductions
and veto items; grades 优秀 ≥ 90 with no deduction (quota 15 %), 良好 ≥ 80, 一般 ≥ 60,
较差 below 60 or on any veto (fails the 定期考核).
Branch star rating [local, DOMAIN.md §2]: 标准化规范化 items, two filled automatically;
≥ 90 / 80 / 70 / 60 → 5 / 4 / 3 / 2 stars, 5 stars for at most 30 % of branches.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

from django.utils.translation import gettext_noop

_RATED = {"kind": "rated", "source": "manual", "min_points": D("0")}

ETHICS = {
    "code": "ETHICS",
    "name": "医德考评评分表",
    "purpose": "ethics",
    "base_score": D("0"),
    "rule_source": "卫办发〔2007〕296号《关于建立医务人员医德考评制度的指导意见（试行）》",
    "version_date": dt.date(2007, 11, 20),
    "description": "八项内容合计 100 分（基本分），加分、扣分按规则由医德档案自动计入，一票否决项直接评为较差。",  # noqa: E501
    "items": [
        {**_RATED, "code": "C1", "name": "救死扶伤，全心全意为人民服务", "max_points": D("15")},
        {
            **_RATED,
            "code": "C2",
            "name": "尊重患者的权利，为患者保守医疗秘密",
            "max_points": D("15"),
        },
        {
            **_RATED,
            "code": "C3",
            "name": "文明礼貌，优质服务，构建和谐医患关系",
            "max_points": D("10"),
        },
        {**_RATED, "code": "C4", "name": "遵纪守法，廉洁行医", "max_points": D("15")},
        {**_RATED, "code": "C5", "name": "因病施治，规范医疗服务行为", "max_points": D("15")},
        {**_RATED, "code": "C6", "name": "顾全大局，团结协作，和谐共事", "max_points": D("10")},
        {**_RATED, "code": "C7", "name": "严谨求实，努力提高专业技术水平", "max_points": D("10")},
        {**_RATED, "code": "C8", "name": "平等对待患者，不以貌取人", "max_points": D("10")},
        {
            "code": "A1",
            "name": "表扬、志愿服务、荣誉等加分（封顶 10 分）",
            "kind": "addition",
            "source": "ledger",
            "ledger_categories": "voice,outreach,publicity,integrity,manual",
            "ledger_sign": 1,
            "min_points": D("0"),
            "max_points": D("10"),
        },
        {
            "code": "D1",
            "name": "投诉、违规、不合理处方等扣分",
            "kind": "deduction",
            "source": "ledger",
            "ledger_categories": "voice,integrity,clinical,manual",
            "ledger_sign": -1,
            "min_points": D("-100"),
            "max_points": D("0"),
        },
        {
            "code": "D2",
            "name": "科室或单位核实的其他扣分",
            "kind": "deduction",
            "source": "manual",
            "min_points": D("-30"),
            "max_points": D("0"),
            "evidence_required": True,
            "description": "须写明事实与依据",
        },
        {
            "code": "V1",
            "name": "一票否决：收受红包回扣、伪造病历、欺诈骗保、违规造成医疗事故",
            "kind": "veto",
            "source": "manual",
            "min_points": D("0"),
            "max_points": D("1"),
            "evidence_required": True,
            "description": "填 1 表示适用否决，须写明依据",
        },
    ],
    "bands": [
        {
            "code": "excellent",
            "name": "优秀",
            "min_score": D("90"),
            "requires_no_deduction": True,
            "quota_percent": D("15"),
            "award_eligible": True,
            "pay_coefficient": D("1.10"),
        },
        {"code": "good", "name": "良好", "min_score": D("80"), "award_eligible": True},
        {"code": "fair", "name": "一般", "min_score": D("60"), "pay_coefficient": D("0.90")},
        {
            "code": "poor",
            "name": "较差",
            "min_score": D("-1000"),
            "is_veto_grade": True,
            "fails_periodic_review": True,
            "promotion_eligible": False,
            "appointment_eligible": False,
            "pay_coefficient": D("0.70"),
        },
    ],
}

_MANUAL = {"kind": "rated", "source": "manual", "min_points": D("0")}

BRANCH = {
    "code": "BRANCH-STAR",
    "name": "党支部标准化规范化建设星级评定表",
    "purpose": "branch",
    "base_score": D("0"),
    "rule_source": "《中国共产党支部工作条例（试行）》；省级星级评定办法（本地）",
    "version_date": dt.date(2018, 10, 28),
    "description": "组织生活规范化、党员教育管理由系统按组织生活达标率和学习覆盖率自动计分，其余由考评组评分。",  # noqa: E501
    "items": [
        {
            **_MANUAL,
            "code": "B1",
            "name": "组织设置规范化（支委会健全、按期换届）",
            "max_points": D("10"),
        },
        {
            "code": "B2",
            "name": "组织生活规范化（按条例频次达标率）",
            "kind": "rated",
            "source": "orglife.compliance",
            "min_points": D("0"),
            "max_points": D("25"),
        },
        {
            "code": "B3",
            "name": "党员教育管理规范化（学习覆盖率）",
            "kind": "rated",
            "source": "learning.coverage",
            "min_points": D("0"),
            "max_points": D("15"),
        },
        {
            **_MANUAL,
            "code": "B4",
            "name": "阵地建设规范化（党员活动室、宣传栏）",
            "max_points": D("10"),
        },
        {
            **_MANUAL,
            "code": "B5",
            "name": "制度落实规范化（三会一课记录、党费收缴）",
            "max_points": D("15"),
            "evidence_required": True,
        },
        {
            **_MANUAL,
            "code": "B6",
            "name": "作用发挥（业务融合、先锋岗、志愿服务）",
            "max_points": D("15"),
        },
        {**_MANUAL, "code": "B7", "name": "一支部一品牌与创新", "max_points": D("10")},
    ],
    "bands": [
        {
            "code": "star5",
            "name": "五星",
            "min_score": D("90"),
            "quota_percent": D("30"),
            "award_eligible": True,
        },
        {"code": "star4", "name": "四星", "min_score": D("80")},
        {"code": "star3", "name": "三星", "min_score": D("70")},
        {"code": "star2", "name": "二星", "min_score": D("60")},
        {"code": "star1", "name": "一星", "min_score": D("-1000"), "is_veto_grade": True},
    ],
}

RED_FLAG_COMPONENTS = [
    {
        "key": "satisfaction",
        "name": "患者满意度",
        "source": "indicator",
        "indicator_key": "voice.satisfaction",
        "weight": D("30"),
        "higher_is_better": True,
    },
    {
        "key": "complaints",
        "name": "核实投诉",
        "source": "indicator",
        "indicator_key": "voice.complaints_verified",
        "weight": D("20"),
        "higher_is_better": False,
    },
    {
        "key": "ethics",
        "name": "医德医风事件（人均分）",
        "source": "ledger",
        "ledger_categories": "voice,outreach,publicity",
        "weight": D("20"),
        "higher_is_better": True,
    },
    {
        "key": "integrity",
        "name": "廉洁从业事件（人均分）",
        "source": "ledger",
        "ledger_categories": "integrity",
        "weight": D("15"),
        "higher_is_better": True,
    },
    {
        "key": "prescribing",
        "name": "合理用药指标",
        "source": "indicator",
        "indicator_key": "clinical.*",
        "weight": D("15"),
        "higher_is_better": True,
    },
]


# The names of the ledger codes (hongfan/scoring/codes.py), for the catalogue: pages
# translate ``rule.name`` at run time.
CODE_NAMES = [
    gettext_noop("Praise from a patient"),
    gettext_noop("Praise for the department"),
    gettext_noop("Verified complaint"),
    gettext_noop("Verified complaint against the department"),
    gettext_noop("Patient wish fulfilled"),
    gettext_noop("Envelope or gift refused or handed in"),
    gettext_noop("Integrity violation"),
    gettext_noop("Veto: accepting envelopes, kickbacks, falsified records, insurance fraud"),
    gettext_noop("Integrity violation in the department"),
    gettext_noop("Organisational life complete for the month"),
    gettext_noop("Volunteer service (per hour)"),
    gettext_noop("National honour"),
    gettext_noop("Provincial honour"),
    gettext_noop("City honour"),
    gettext_noop("County honour"),
    gettext_noop("Hospital honour"),
    gettext_noop("Emergency deployment"),
    gettext_noop("Irrational prescription confirmed by a pharmacist"),
    gettext_noop("Formal talk (约谈) on prescribing or consumables"),
    gettext_noop("Prescribing indicator above target"),
    gettext_noop("Manual addition"),
    gettext_noop("Manual deduction"),
    gettext_noop("Story published on a hospital platform"),
]
