"""The HIS export datasets kept in the analytic store (hongfan.core.analytics), not in the ORM.

Each dataset has canonical English column names (what the rules read), a type, the Chinese
headers HIS exports commonly use (the default column-mapping profile), a natural key and the
date column that decides its month partition. A hospital whose export names a column
differently saves a ``ColumnProfile`` (canonical → its header).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

# Partition column of every monthly dataset, and of the drug dictionary (one snapshot).
MONTH = "month"
SNAPSHOT = "snapshot"
CURRENT = "current"

VISIT_TYPES = {"门诊": "outpatient", "急诊": "emergency", "住院": "inpatient"}
CONTROLLED_CLASSES = {
    "": "",
    "无": "",
    "麻醉药品": "narcotic",
    "第一类精神药品": "psychotropic1",
    "第二类精神药品": "psychotropic2",
}

# The 18 categories of high-value consumables under key national governance (国卫办医函〔2020〕
# 《第一批国家高值医用耗材重点治理清单》 lists 18 kinds).
KEY_CONSUMABLE_CATEGORIES = (
    "单/多部件金属骨固定器械及附件",
    "导丝",
    "耳内假体",
    "颌面部赝复及修复重建材料及制品",
    "脊柱椎体间固定/置换系统",
    "可吸收外科止血材料",
    "髋关节假体",
    "颅骨矫形器械",
    "刨骨器",
    "球囊扩张导管",
    "托槽",
    "吻合器（带钉）",
    "血管支架",
    "血管介入导管",
    "血液净化用耗材（透析器等）",
    "阴茎假体",
    "植入式神经刺激器",
    "椎体成形导向系统",
)


@dataclass(frozen=True)
class Col:
    name: str
    kind: str  # str, int, float, date, bool, visit_type, controlled
    header: str
    required: bool = True
    aliases: tuple[str, ...] = ()
    non_negative: bool = False


@dataclass(frozen=True)
class Dataset:
    key: str
    label: object
    columns: tuple[Col, ...]
    natural_key: tuple[str, ...]
    date_column: str | None  # None: a dictionary (one snapshot, not by month)
    extra: dict[str, str] = field(default_factory=dict)

    def col(self, name: str) -> Col:
        return next(c for c in self.columns if c.name == name)


PRESCRIPTIONS = Dataset(
    "prescriptions",
    _("Prescriptions (header and lines)"),
    (
        Col("rx_no", "str", "处方号", aliases=("处方编号", "处方ID")),
        Col("line_no", "int", "明细序号", aliases=("序号", "行号"), non_negative=True),
        Col("visit_no", "str", "就诊号", aliases=("门诊号", "住院号", "就诊流水号")),
        Col("visit_type", "visit_type", "就诊类型", aliases=("处方类别",)),
        Col("rx_date", "date", "开方日期", aliases=("处方日期",)),
        Col("dept_code", "str", "科室编码", aliases=("开方科室编码",)),
        Col("doctor_no", "str", "开方医生", aliases=("医生工号", "开方医生工号")),
        Col("patient_id", "str", "患者ID", aliases=("病人ID", "患者编号")),
        Col("age_years", "int", "年龄(岁)", required=False, aliases=("年龄",), non_negative=True),
        Col("age_months", "int", "年龄(月)", required=False, non_negative=True),
        Col("age_days", "int", "年龄(天)", required=False, non_negative=True),
        Col("long_supply_reason", "str", "超量理由", required=False, aliases=("超量说明",)),
        Col("drug_code", "str", "药品编码"),
        Col("drug_name", "str", "药品名称"),
        Col("dose", "float", "用量", required=False, aliases=("单次用量",), non_negative=True),
        Col("dose_unit", "str", "剂量单位", required=False),
        Col("frequency", "str", "频次", required=False, aliases=("用药频次",)),
        Col("days", "int", "天数", aliases=("用药天数",), non_negative=True),
        Col("route", "str", "给药途径", required=False, aliases=("用法",)),
        Col("quantity", "float", "数量", aliases=("总量",), non_negative=True),
        Col("amount", "float", "金额", aliases=("金额(元)",), non_negative=True),
    ),
    ("rx_no", "line_no"),
    "rx_date",
)

DRUGS = Dataset(
    "drugs",
    _("Drug dictionary"),
    (
        Col("drug_code", "str", "药品编码"),
        Col("generic_name", "str", "通用名"),
        Col("trade_name", "str", "商品名", required=False),
        Col("drug_class", "str", "药理分类", aliases=("药品分类",)),
        Col("is_antibiotic", "bool", "抗菌药物"),
        Col("ddd", "float", "DDD值(g)", required=False, aliases=("DDD",), non_negative=True),
        Col("strength", "float", "规格含量(g)", required=False, non_negative=True),
        Col("route", "str", "给药途径", required=False),
        Col("is_injection", "bool", "注射剂"),
        Col("is_essential", "bool", "基本药物"),
        Col("is_key_monitored", "bool", "重点监控"),
        Col("controlled_class", "controlled", "管制类别", required=False),
        Col("is_controlled_release", "bool", "缓控释制剂", required=False),
    ),
    ("drug_code",),
    None,
)

DIAGNOSES = Dataset(
    "diagnoses",
    _("Diagnoses"),
    (
        Col("visit_no", "str", "就诊号", aliases=("门诊号", "住院号")),
        Col("seq", "int", "诊断序号", non_negative=True),
        Col("icd_code", "str", "诊断编码", aliases=("ICD编码", "ICD-10")),
        Col("diag_name", "str", "诊断名称"),
        Col("diag_date", "date", "诊断日期"),
    ),
    ("visit_no", "seq"),
    "diag_date",
)

CONSUMABLES = Dataset(
    "consumables",
    _("Consumable use"),
    (
        Col("use_id", "str", "使用流水号"),
        Col("use_date", "date", "使用日期"),
        Col("visit_no", "str", "就诊号", aliases=("住院号",)),
        Col("dept_code", "str", "科室编码"),
        Col("doctor_no", "str", "医生工号", aliases=("主治医生",)),
        Col("item_code", "str", "耗材编码"),
        Col("item_name", "str", "耗材名称"),
        Col("category", "str", "耗材类别"),
        Col("is_key_monitored", "bool", "重点治理"),
        Col("quantity", "float", "数量", non_negative=True),
        Col("amount", "float", "金额", non_negative=True),
    ),
    ("use_id",),
    "use_date",
)

DISCHARGES = Dataset(
    "discharges",
    _("Discharges"),
    (
        Col("visit_no", "str", "住院号"),
        Col("patient_id", "str", "患者ID", aliases=("病人ID",)),
        Col("dept_code", "str", "科室编码", aliases=("出院科室编码",)),
        Col("doctor_no", "str", "主治医生", aliases=("医生工号",)),
        Col("admit_date", "date", "入院日期"),
        Col("discharge_date", "date", "出院日期"),
        Col("main_icd", "str", "主要诊断编码"),
        Col("patient_days", "int", "住院天数", non_negative=True),
        Col("amount", "float", "总费用", non_negative=True),
    ),
    ("visit_no",),
    "discharge_date",
)

CLAIMS = Dataset(
    "claims",
    _("Insurance claims"),
    (
        Col("claim_id", "str", "结算明细号"),
        Col("visit_no", "str", "就诊号", aliases=("住院号",)),
        Col("patient_id", "str", "患者ID"),
        Col("charge_date", "date", "收费日期"),
        Col("item_code", "str", "项目编码"),
        Col("item_name", "str", "项目名称"),
        Col("quantity", "float", "数量", non_negative=True),
        Col("unit_price", "float", "单价", non_negative=True),
        Col("amount", "float", "金额", non_negative=True),
    ),
    ("claim_id",),
    "charge_date",
)

DATASETS: dict[str, Dataset] = {
    d.key: d for d in (DRUGS, PRESCRIPTIONS, DIAGNOSES, CONSUMABLES, DISCHARGES, CLAIMS)
}
