"""Static material for the demo hospital: names, departments, regions, distributions.

Everything here is data (Chinese as the hospitals write it), not interface text. The
distributions follow the brief of issue 2 and the seed articles (磁县, 沧州, 清河县 …).
"""

from __future__ import annotations

from dataclasses import dataclass

# Surnames with their share (‰) in the 2020 census (the most common ~100 cover ~85 %).
SURNAMES: tuple[tuple[str, float], ...] = (
    ("王", 71.2), ("李", 70.0), ("张", 67.4), ("刘", 51.0), ("陈", 46.1), ("杨", 32.2),
    ("黄", 24.5), ("赵", 21.9), ("吴", 20.8), ("周", 20.5), ("徐", 16.7), ("孙", 15.4),
    ("马", 14.8), ("朱", 14.2), ("胡", 13.3), ("郭", 13.0), ("何", 11.7), ("林", 11.3),
    ("高", 11.3), ("罗", 11.0), ("郑", 10.2), ("梁", 9.5), ("谢", 8.2), ("宋", 7.7),
    ("唐", 7.7), ("许", 7.3), ("韩", 7.1), ("冯", 7.0), ("邓", 6.9), ("曹", 6.8),
    ("彭", 6.7), ("曾", 6.4), ("肖", 6.3), ("田", 6.2), ("董", 6.0), ("潘", 5.5),
    ("袁", 5.5), ("蔡", 5.3), ("蒋", 5.2), ("余", 5.2), ("于", 5.1), ("杜", 5.0),
    ("叶", 4.9), ("程", 4.9), ("魏", 4.7), ("苏", 4.6), ("吕", 4.6), ("丁", 4.5),
    ("任", 4.4), ("卢", 4.3), ("姚", 4.2), ("沈", 4.2), ("钟", 4.1), ("姜", 4.1),
    ("崔", 4.0), ("谭", 3.9), ("陆", 3.8), ("范", 3.6), ("汪", 3.6), ("廖", 3.5),
    ("石", 3.4), ("金", 3.4), ("韦", 3.3), ("贾", 3.3), ("夏", 3.2), ("付", 3.1),
    ("方", 3.1), ("邹", 3.0), ("熊", 3.0), ("白", 2.9), ("孟", 2.9), ("秦", 2.8),
    ("邱", 2.8), ("侯", 2.7), ("江", 2.7), ("尹", 2.6), ("薛", 2.5), ("闫", 2.5),
    ("段", 2.4), ("雷", 2.4), ("龙", 2.3), ("黎", 2.2), ("史", 2.2), ("陶", 2.1),
    ("贺", 2.1), ("毛", 2.0), ("郝", 2.0), ("顾", 2.0), ("龚", 2.0), ("邵", 1.9),
    ("万", 1.9), ("武", 1.8), ("钱", 1.8), ("戴", 1.7), ("严", 1.7), ("孔", 1.6),
    ("常", 1.6), ("康", 1.5), ("乔", 1.5), ("申", 1.4), ("牛", 1.4), ("靳", 1.2),
)  # fmt: skip

MALE_GIVEN = (
    "伟强磊军勇杰涛斌超明刚平辉鹏华飞鑫波宇浩凯健俊帆旭宁龙林峰建国志文海东亮博振兴晨阳"
    "天昊轩铭泽毅成永新立庆松力彬瑞锋震"
)
FEMALE_GIVEN = (
    "芳娜敏静丽艳娟霞秀英玲燕红梅琳婷雪倩颖洁慧佳欣悦晶璐蕾薇丹莉萍月琪瑶怡雅晓宁茜楠妍淑"
    "兰凤翠玉春利冉爽岚蓉"
)
SHARED_GIVEN = "子一思嘉雨梓文欣明佳浩晨宇若心诗"

# Hebei administrative divisions (GB/T 2260): the demo county sits where 磁县 does, so most
# staff were born there or nearby; a few came from elsewhere in the province.
HEBEI_REGIONS: tuple[tuple[str, float], ...] = (
    ("130427", 55.0),  # 磁县
    ("130402", 4.0),  # 邯山区
    ("130403", 4.0),  # 丛台区
    ("130404", 3.0),  # 复兴区
    ("130406", 4.0),  # 峰峰矿区
    ("130407", 2.0),  # 肥乡区
    ("130408", 3.0),  # 永年区
    ("130423", 3.0),  # 临漳县
    ("130424", 2.0),  # 成安县
    ("130426", 2.0),  # 涉县
    ("130481", 3.0),  # 武安市
    ("130534", 2.0),  # 清河县
    ("130102", 2.0),  # 石家庄市长安区
    ("130104", 2.0),  # 石家庄市桥西区
    ("130602", 2.0),  # 保定市竞秀区
    ("130903", 2.0),  # 沧州市运河区
    ("130502", 2.0),  # 邢台市襄都区
    ("131102", 1.0),  # 衡水市桃城区
)

PHONE_PREFIXES = tuple(
    str(p)
    for p in (*range(130, 140), 150, 151, 152, 155, 156, 157, 158, 159, 166, 176, 177, 178,
              180, 181, 182, 183, 185, 186, 187, 188, 189, 191, 198, 199)
)  # fmt: skip

# Post category shares (the brief: doctors 35 %, nurses 45 %, technicians 8 %, pharmacists
# 4 %, management 5 %, support 3 %).
POST_SHARES = (
    ("doctor", 0.35),
    ("nurse", 0.45),
    ("technician", 0.08),
    ("pharmacist", 0.04),
    ("management", 0.05),
    ("support", 0.03),
)

D, M, B, CO, OT = "doctorate", "master", "bachelor", "college", "other"

# Education by post category; weighted together they give ≈ 博士 3 %, 硕士 15 %, 本科 55 %,
# 大专 22 %, 其他 5 %.
EDUCATION_BY_POST: dict[str, tuple[tuple[str, float], ...]] = {
    # (博士, 硕士, 本科, 大专, 其他)
    "doctor": ((D, 10), (M, 33), (B, 55), (CO, 2), (OT, 0)),
    "nurse": ((D, 0), (M, 3), (B, 56), (CO, 37), (OT, 4)),
    "technician": ((D, 1), (M, 12), (B, 60), (CO, 25), (OT, 2)),
    "pharmacist": ((D, 2), (M, 15), (B, 60), (CO, 20), (OT, 3)),
    "management": ((D, 2), (M, 15), (B, 58), (CO, 17), (OT, 8)),
    "support": ((D, 0), (M, 0), (B, 5), (CO, 30), (OT, 65)),
}  # fmt: skip

# Age bands of staff in post (22–60), skewed young as in a growing county hospital.
AGE_BANDS = ((22, 29, 0.30), (30, 39, 0.36), (40, 49, 0.21), (50, 60, 0.13))

# Professional title by age: gives ≈ 正高 5 %, 副高 12 %, 中级 30 %, 初级 40 %, 无 the rest.
TITLE_BY_AGE: tuple[tuple[int, tuple[tuple[str, float], ...]], ...] = (
    (26, (("junior", 72), ("none", 28))),
    (31, (("junior", 78), ("intermediate", 12), ("none", 10))),
    (36, (("junior", 56), ("intermediate", 34), ("associate_senior", 4), ("none", 6))),
    (44, (("junior", 25), ("intermediate", 49), ("associate_senior", 18), ("senior", 3),
          ("none", 5))),
    (52, (("junior", 9), ("intermediate", 42), ("associate_senior", 30), ("senior", 13),
          ("none", 6))),
    (61, (("junior", 7), ("intermediate", 34), ("associate_senior", 32), ("senior", 21),
          ("none", 6))),
)  # fmt: skip

C, MT, N, A, L = "clinical", "medical_technical", "nursing", "administrative", "logistics"


@dataclass(frozen=True)
class CentreSpec:
    name: str
    general_branch: str
    departments: tuple[tuple[str, str], ...]


# 学科中心 (沧州: 8 centres, each with a 党总支). The first ones are used first; 医技中心 always.
CENTRES: tuple[CentreSpec, ...] = (
    CentreSpec("心血管病中心", "心血管病中心党总支", (
        ("心血管内科", C), ("心脏大血管外科", C), ("心电诊断科", MT))),
    CentreSpec("神经医学中心", "神经医学中心党总支", (
        ("神经内科", C), ("神经外科", C), ("康复医学科", C))),
    CentreSpec("呼吸与危重症医学中心", "呼吸与危重症医学中心党总支", (
        ("呼吸与危重症医学科", C), ("重症医学科", C), ("急诊科", C))),
    CentreSpec("消化病中心", "消化病中心党总支", (
        ("消化内科", C), ("胃肠外科", C), ("肝胆胰外科", C))),
    CentreSpec("外科中心", "外科中心党总支", (
        ("骨科", C), ("泌尿外科", C), ("胸外科", C), ("麻醉科", C), ("手术室", N))),
    CentreSpec("妇女儿童医学中心", "妇女儿童医学中心党总支", (
        ("产科", C), ("妇科", C), ("儿科", C), ("新生儿科", C))),
    CentreSpec("肿瘤中心", "肿瘤中心党总支", (
        ("肿瘤内科", C), ("放射治疗科", C), ("血液内科", C))),
    CentreSpec("内分泌与肾病中心", "内分泌与肾病中心党总支", (
        ("内分泌科", C), ("肾内科", C), ("风湿免疫科", C))),
    CentreSpec("五官医学中心", "五官医学中心党总支", (
        ("眼科", C), ("耳鼻咽喉头颈外科", C), ("口腔科", C))),
    CentreSpec("中医医学中心", "中医医学中心党总支", (
        ("中医科", C), ("针灸推拿科", C), ("治未病科", C))),
    CentreSpec("老年医学中心", "老年医学中心党总支", (
        ("老年医学科", C), ("全科医学科", C), ("感染性疾病科", C))),
)  # fmt: skip
MEDTECH_CENTRE = CentreSpec("医技中心", "医技中心党总支", (
    ("医学影像科", MT), ("超声医学科", MT), ("检验科", MT), ("病理科", MT),
    ("药剂科", MT)))  # fmt: skip

SMALL_CENTRES: tuple[CentreSpec, ...] = (
    CentreSpec("内科中心", "内科中心党总支", (("心血管内科", C), ("消化内科", C), ("急诊科", C))),
    CentreSpec("外科中心", "外科中心党总支", (("普外科", C), ("骨科", C), ("妇产科", C))),
    CentreSpec("医技中心", "医技中心党总支", (("医学影像科", MT), ("检验科", MT), ("药剂科", MT))),
)

# 职能科室, in the order they are used (the first four host demo accounts).
ADMIN_DEPARTMENTS = (
    ("党委办公室", A), ("院长办公室", A), ("医务科", A), ("纪检监察室", A), ("护理部", N),
    ("人力资源科", A), ("财务科", A), ("质量控制科", A), ("信息科", A), ("医保办", A),
    ("宣传科", A), ("科教科", A), ("审计科", A), ("门诊部", A), ("预防保健科", A),
    ("病案统计科", A), ("工会办公室", A), ("采购中心", A),
)  # fmt: skip
LOGISTICS_DEPARTMENTS = (
    ("总务科", L), ("设备物资科", L), ("保卫科", L), ("后勤服务中心", L), ("膳食科", L),
    ("基建科", L),
)  # fmt: skip

# Township health centres of the 医共体 (磁县 leads 12).
TOWNSHIPS = (
    "红旗镇", "东风镇", "向阳镇", "前进镇", "新华镇", "光明镇", "胜利乡", "和平乡",
    "永安乡", "长乐乡", "太平镇", "丰收乡",
)  # fmt: skip
HEALTH_CENTRE_DEPARTMENTS = (
    ("全科医疗科", C),
    ("公共卫生科", C),
    ("综合办公室", A),
    ("中医康复科", C),
)

WARD_NUMERALS = "一二三四五六七八九十"
CHINESE_ORDINALS = (
    "一", "二", "三", "四", "五", "六", "七", "八", "九", "十",
    "十一", "十二", "十三", "十四", "十五", "十六", "十七", "十八", "十九", "二十",
)  # fmt: skip

TEMPORARY_BRANCH = "援疆医疗队临时党支部"
TEMPORARY_TASK = "援疆医疗队赴新疆巴音郭楞州若羌县人民医院开展为期一年的组团式医疗帮扶"

TRANSFER_SOURCES = (
    "河北医科大学第二医院党委",
    "邯郸市第一医院党委",
    "河北工程大学附属医院党委",
    "河北医科大学研究生党支部",
    "峰峰集团总医院党委",
)
TRANSFER_DESTINATIONS = (
    "邯郸市中心医院党委",
    "石家庄市人民医院党委",
    "北京大学第三医院党委",
)

MASSES_CONTACTS = (
    "张大爷（慢病随访患者）",
    "李奶奶（高血压签约居民）",
    "王女士（孕产妇随访）",
    "赵师傅（糖尿病患者）",
    "刘大娘（脑卒中康复患者）",
    "陈先生（出院随访患者）",
)

CONTACT_SUMMARIES = {
    "committee_branch": (
        "参加支部主题党日，听取支部“三会一课”落实情况汇报",
        "走访联系支部，指导“一支部一品牌”创建",
        "与支部书记谈心谈话，了解科室医德医风和党风廉政建设情况",
    ),
    "branch_member": (
        "与联系党员谈心谈话，了解思想、工作和生活情况",
        "提醒按时参加组织生活、按月交纳党费",
        "走访慰问联系党员家属",
    ),
    "member_masses": (
        "电话随访，提醒规律服药并预约复诊",
        "入户走访，开展健康宣教",
        "征求对科室服务的意见建议并及时反馈",
    ),
}
