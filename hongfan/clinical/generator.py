"""Synthetic HIS exports of any size with planted violations whose labels are known.

``generate(...)`` returns one pyarrow table per dataset (canonical column names, see
``schema``) and ``labels``: every (rx_no, rule_code) pair that the screening must find. The
clean prescriptions are built so that no rule fires on them (one drug per pharmacological
group, antibiotics only with an infection diagnosis, supplies within the limits, essential
drugs where an essential variant exists, ...); each planted violation breaks exactly one rule.
Consumables, discharges and claims carry planted anomalies too (``warning_labels``).

Vectorised with numpy: a year for a large hospital (3 M prescriptions, 12 M lines) takes about
a minute. Used by the tests, the demo (``seed_demo``) and ``benchmarks/bench_clinical.py``;
``manage.py clinical_generate`` writes the exports as CSV / Excel / Parquet files with the
Chinese headers of the default column-mapping profile.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from hongfan.clinical import schema

# code, generic name, trade name, class, antibiotic, DDD g, strength g, route, injection,
# essential, key-monitored, controlled class, controlled-release
DRUGS: list[tuple] = [
    (
        "A01",
        "阿莫西林胶囊",
        "阿莫仙",
        "青霉素类",
        True,
        1.0,
        0.25,
        "口服",
        False,
        True,
        False,
        "",
        False,
    ),
    (
        "A02",
        "头孢呋辛酯片",
        "西力欣",
        "头孢菌素类",
        True,
        0.5,
        0.25,
        "口服",
        False,
        True,
        False,
        "",
        False,
    ),
    (
        "A03",
        "左氧氟沙星片",
        "可乐必妥",
        "喹诺酮类",
        True,
        0.5,
        0.5,
        "口服",
        False,
        True,
        False,
        "",
        False,
    ),
    (
        "A04",
        "注射用头孢曲松钠",
        "罗氏芬",
        "头孢菌素类",
        True,
        2.0,
        1.0,
        "静脉滴注",
        True,
        True,
        False,
        "",
        False,
    ),
    (
        "A05",
        "阿奇霉素片",
        "希舒美",
        "大环内酯类",
        True,
        0.3,
        0.25,
        "口服",
        False,
        True,
        False,
        "",
        False,
    ),
    (
        "A06",
        "注射用头孢他啶",
        "复达欣",
        "头孢菌素类",
        True,
        4.0,
        1.0,
        "静脉滴注",
        True,
        False,
        False,
        "",
        False,
    ),
    (
        "C01",
        "苯磺酸氨氯地平片",
        "络活喜",
        "钙通道阻滞剂",
        False,
        0.005,
        0.005,
        "口服",
        False,
        True,
        False,
        "",
        False,
    ),
    (
        "C02",
        "硝苯地平控释片",
        "拜新同",
        "钙通道阻滞剂",
        False,
        0.03,
        0.03,
        "口服",
        False,
        True,
        False,
        "",
        True,
    ),
    (
        "C03",
        "缬沙坦胶囊",
        "代文",
        "血管紧张素Ⅱ受体拮抗剂",
        False,
        0.08,
        0.08,
        "口服",
        False,
        True,
        False,
        "",
        False,
    ),
    (
        "C04",
        "琥珀酸美托洛尔缓释片",
        "倍他乐克",
        "β受体阻滞剂",
        False,
        0.15,
        0.0475,
        "口服",
        False,
        False,
        False,
        "",
        True,
    ),
    (
        "D101",
        "奥美拉唑肠溶胶囊",
        "奥克",
        "质子泵抑制剂",
        False,
        0.02,
        0.02,
        "口服",
        False,
        True,
        False,
        "",
        False,
    ),
    (
        "D102",
        "奥美拉唑肠溶胶囊",
        "洛赛克",
        "质子泵抑制剂",
        False,
        0.02,
        0.02,
        "口服",
        False,
        False,
        False,
        "",
        False,
    ),
    (
        "D103",
        "泮托拉唑钠肠溶片",
        "潘妥洛克",
        "质子泵抑制剂",
        False,
        0.04,
        0.04,
        "口服",
        False,
        False,
        False,
        "",
        False,
    ),
    (
        "D104",
        "注射用泮托拉唑钠",
        "泰美尼克",
        "质子泵抑制剂",
        False,
        0.04,
        0.04,
        "静脉滴注",
        True,
        False,
        True,
        "",
        False,
    ),
    (
        "E01",
        "布洛芬缓释胶囊",
        "芬必得",
        "非甾体抗炎药",
        False,
        1.2,
        0.3,
        "口服",
        False,
        True,
        False,
        "",
        True,
    ),
    (
        "E02",
        "双氯芬酸钠肠溶片",
        "扶他林",
        "非甾体抗炎药",
        False,
        0.1,
        0.025,
        "口服",
        False,
        True,
        False,
        "",
        False,
    ),
    (
        "E03",
        "塞来昔布胶囊",
        "西乐葆",
        "非甾体抗炎药",
        False,
        0.2,
        0.2,
        "口服",
        False,
        False,
        False,
        "",
        False,
    ),
    ("F01", "维生素B6片", "", "维生素类", False, 0.16, 0.01, "口服", False, True, False, "", False),
    (
        "F02",
        "复合维生素B片",
        "",
        "维生素类",
        False,
        1.0,
        1.0,
        "口服",
        False,
        True,
        False,
        "",
        False,
    ),
    (
        "F03",
        "注射用水溶性维生素",
        "水乐维他",
        "维生素类",
        False,
        1.0,
        1.0,
        "静脉滴注",
        True,
        False,
        True,
        "",
        False,
    ),
    (
        "F04",
        "注射用磷酸肌酸钠",
        "里尔统",
        "心肌保护药",
        False,
        2.0,
        1.0,
        "静脉滴注",
        True,
        False,
        True,
        "",
        False,
    ),
    (
        "H01",
        "盐酸氨溴索片",
        "沐舒坦",
        "祛痰药",
        False,
        0.09,
        0.03,
        "口服",
        False,
        True,
        False,
        "",
        False,
    ),
    ("H02", "复方甘草片", "", "镇咳药", False, 1.0, 1.0, "口服", False, True, False, "", False),
    (
        "H03",
        "盐酸氨溴索注射液",
        "沐舒坦",
        "祛痰药",
        False,
        0.09,
        0.015,
        "静脉注射",
        True,
        True,
        False,
        "",
        False,
    ),
    (
        "K01",
        "盐酸二甲双胍片",
        "格华止",
        "双胍类",
        False,
        2.0,
        0.5,
        "口服",
        False,
        True,
        False,
        "",
        False,
    ),
    (
        "K02",
        "阿托伐他汀钙片",
        "立普妥",
        "他汀类",
        False,
        0.02,
        0.02,
        "口服",
        False,
        True,
        False,
        "",
        False,
    ),
    (
        "M01",
        "阿司匹林肠溶片",
        "拜阿司匹灵",
        "抗血小板药",
        False,
        0.1,
        0.1,
        "口服",
        False,
        True,
        False,
        "",
        False,
    ),
    (
        "M02",
        "硫酸氢氯吡格雷片",
        "波立维",
        "抗血小板药",
        False,
        0.075,
        0.075,
        "口服",
        False,
        True,
        False,
        "",
        False,
    ),
    (
        "N01",
        "盐酸吗啡注射液",
        "",
        "阿片类镇痛药",
        False,
        0.03,
        0.01,
        "皮下注射",
        True,
        True,
        False,
        "麻醉药品",
        False,
    ),
    (
        "N02",
        "硫酸吗啡缓释片",
        "美施康定",
        "阿片类镇痛药",
        False,
        0.1,
        0.03,
        "口服",
        False,
        True,
        False,
        "麻醉药品",
        True,
    ),
    (
        "N03",
        "磷酸可待因片",
        "",
        "阿片类镇咳药",
        False,
        0.1,
        0.03,
        "口服",
        False,
        True,
        False,
        "麻醉药品",
        False,
    ),
    (
        "N04",
        "艾司唑仑片",
        "舒乐安定",
        "镇静催眠药",
        False,
        0.003,
        0.001,
        "口服",
        False,
        True,
        False,
        "第二类精神药品",
        False,
    ),
]
# One pharmacological group per line of a clean prescription: the classes of different groups
# never overlap, so a clean prescription has no duplicate and no same-class pair.
GROUPS: list[list[str]] = [
    ["C01", "C02", "C03", "C04"],  # replaced by ABX for a visit with an infection diagnosis
    ["D101", "D103"],
    ["E01", "E02", "E03"],
    ["F01", "F02", "F03", "F04"],
    ["H01", "H02", "H03"],
    ["K01", "K02"],
    ["M01", "M02"],
]
ABX = ["A01", "A02", "A03", "A04", "A05", "A06"]
INFECTIONS = [
    ("J06.9", "急性上呼吸道感染"),
    ("J18.9", "肺炎"),
    ("J20.9", "急性支气管炎"),
    ("N39.0", "泌尿道感染"),
    ("L03.1", "蜂窝织炎"),
]
OTHER_DIAGNOSES = [
    ("I10", "原发性高血压"),
    ("E11.9", "2型糖尿病"),
    ("K21.0", "胃食管反流病"),
    ("M54.5", "腰痛"),
    ("I25.1", "冠状动脉粥样硬化性心脏病"),
    ("J45.9", "支气管哮喘"),
    ("R51", "头痛"),
]
FREQUENCIES = [("每日一次", 1), ("每日两次", 2), ("每日三次", 3), ("每晚一次", 1)]
PRICES = {d[0]: p for d, p in zip(DRUGS, np.linspace(3.5, 96.0, len(DRUGS)), strict=True)}
# Consumables: (code, name, category, key-governed, unit price)
CONSUMABLES = [
    ("HV01", "药物洗脱冠脉支架", "血管支架", True, 6800.0),
    ("HV02", "PTCA球囊扩张导管", "球囊扩张导管", True, 2300.0),
    ("HV03", "冠脉造影导丝", "导丝", True, 650.0),
    ("HV04", "一次性使用吻合器", "吻合器（带钉）", True, 3200.0),
    ("HV05", "可吸收止血纱布", "可吸收外科止血材料", True, 480.0),
    ("HV06", "一次性使用血液透析器", "血液净化用耗材（透析器等）", True, 260.0),
    ("GC01", "一次性使用静脉留置针", "普通耗材", False, 18.0),
    ("GC02", "医用防粘连冲洗液", "普通耗材", False, 120.0),
    ("GC03", "一次性使用负压引流装置", "普通耗材", False, 210.0),
]
# Package charge and one of its components (charging both on one day is unbundling).
PACKAGE = ("TC01", "腹腔镜手术器械包（含穿刺器）", 1500.0)
COMPONENT = ("TC01-1", "一次性使用腹腔镜穿刺器", 600.0)
BED = ("BED01", "普通病房床位费", 40.0)

RX_RULES = (
    "R17_04",
    "R17_06",
    "R17_08",
    "R17_10",
    "R17_11",
    "R17_12",
    "R17_13",
    "R18_01",
    "R18_04",
    "R18_07",
    "R19_04",
)

DEFAULT_DEPARTMENTS: list[tuple[str, str]] = [
    ("NK01", "心内科"),
    ("NK02", "消化内科"),
    ("NK03", "呼吸内科"),
    ("NK04", "内分泌科"),
    ("WK01", "普外科"),
    ("WK02", "骨科"),
    ("EK01", "儿科"),
    ("JZ01", "急诊科"),
]


@dataclass
class Generated:
    tables: dict[str, pa.Table]
    labels: pa.Table  # rx_no, rule_code
    warning_labels: dict[str, list[tuple]] = field(default_factory=dict)

    @property
    def lines(self) -> int:
        return self.tables["prescriptions"].num_rows


def default_doctors(per_department: int = 6) -> dict[str, list[str]]:
    return {
        code: [f"D{i:02d}{j:03d}" for j in range(1, per_department + 1)]
        for i, (code, _) in enumerate(DEFAULT_DEPARTMENTS, start=1)
    }


def drug_table() -> pa.Table:
    cols = list(zip(*DRUGS, strict=True))
    names = [c.name for c in schema.DRUGS.columns]
    controlled = [schema.CONTROLLED_CLASSES[v] for v in cols[11]]
    arrays = [*cols[:11], controlled, cols[12]]
    return pa.table(dict(zip(names, [pa.array(list(a)) for a in arrays], strict=True)))


def _month_days(months: list[str]) -> list[list[dt.date]]:
    out = []
    for m in months:
        y, mo = (int(x) for x in m.split("-"))
        start = dt.date(y, mo, 1)
        end = dt.date(y + (mo == 12), mo % 12 + 1, 1)
        out.append([start + dt.timedelta(d) for d in range((end - start).days)])
    return out


def generate(
    *,
    prescriptions: int,
    months: list[str],
    doctors: dict[str, list[str]] | None = None,
    seed: int = 7,
    violation_rate: float = 0.002,
) -> Generated:
    """Generate ``prescriptions`` prescriptions spread over ``months`` (``YYYY-MM``).

    ``doctors`` maps a department code to its doctors' staff numbers; ``violation_rate`` is
    the share of prescriptions planted with each rule's violation (at least one per rule).
    """
    rng = np.random.default_rng(seed)
    doctors = doctors or default_doctors()
    dept_codes = list(doctors)
    pairs = [(d, doc) for d in dept_codes for doc in doctors[d]]
    n = int(prescriptions)
    ids = np.arange(n)
    month_idx = np.sort(rng.integers(0, len(months), n))
    days_of = _month_days(months)
    day_in_month = (rng.random(n) * np.array([len(days_of[i]) for i in month_idx])).astype(int)
    rx_dates = np.array(
        [np.datetime64(days_of[m][d]) for m, d in zip(month_idx, day_in_month, strict=True)]
        if n < 50_000
        else _vector_dates(months, month_idx, day_in_month),
        dtype="datetime64[D]",
    )
    pair_idx = rng.integers(0, len(pairs), n)
    dept = np.array([p[0] for p in pairs])[pair_idx]
    doctor = np.array([p[1] for p in pairs])[pair_idx]
    vt_roll = rng.random(n)
    visit_type = np.where(
        vt_roll < 0.8, "outpatient", np.where(vt_roll < 0.9, "emergency", "inpatient")
    )
    infection = rng.random(n) < 0.25

    # -- planted prescriptions: disjoint sets of ids, one rule each ---------------------------
    k_plant = max(1, round(n * violation_rate))
    perm = rng.permutation(n)
    planted: dict[str, np.ndarray] = {}
    pos = 0
    for code in RX_RULES:
        take = min(k_plant, max(0, (n - pos) // (len(RX_RULES) + 1)))
        planted[code] = np.sort(perm[pos : pos + max(take, 1)])
        pos += max(take, 1)
    # Rules that apply only to outpatient / emergency prescriptions
    for code in ("R17_11", "R17_12", "R17_13"):
        visit_type[planted[code]] = np.where(
            rng.random(len(planted[code])) < 0.8, "outpatient", "emergency"
        )
    infection[planted["R18_01"]] = False
    infection[planted["R18_04"]] = False
    infection[planted["R17_10"]] = False

    # -- line counts ---------------------------------------------------------------------------
    n_lines = rng.choice([1, 2, 3, 4, 5], n, p=[0.2, 0.3, 0.25, 0.15, 0.1])
    n_lines[planted["R17_11"]] = rng.integers(6, 8, len(planted["R17_11"]))
    n_lines[planted["R19_04"]] = np.maximum(n_lines[planted["R19_04"]], 2)
    extra = np.zeros(n, dtype=int)  # the planted exact duplicate is an extra last line
    extra[planted["R18_07"]] = 1
    return _build(rng, locals())


def _isin(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.isin(a, b, assume_unique=False)


def _vector_dates(months: list[str], month_idx: np.ndarray, day_in_month: np.ndarray) -> np.ndarray:
    starts = np.array([np.datetime64(f"{m}-01") for m in months], dtype="datetime64[D]")
    return starts[month_idx] + day_in_month.astype("timedelta64[D]")


def _build(rng: np.random.Generator, v: dict) -> Generated:
    """Build the lines and every dataset once the line counts are final."""
    n, ids, planted = v["n"], v["ids"], v["planted"]
    n_lines, extra, infection = v["n_lines"], v["extra"], v["infection"]
    visit_type, dept, doctor, rx_dates = v["visit_type"], v["dept"], v["doctor"], v["rx_dates"]
    months, month_idx = v["months"], v["month_idx"]
    total_lines = n_lines + extra
    line_rx = np.repeat(ids, total_lines)
    starts = np.concatenate([[0], np.cumsum(total_lines)[:-1]])
    line_no = np.arange(len(line_rx)) - np.repeat(starts, total_lines)
    over5 = np.zeros(n, dtype=bool)
    over5[planted["R17_11"]] = True
    order = np.argsort(rng.random((n, len(GROUPS))), axis=1)
    safe_no = np.minimum(line_no, len(GROUPS) - 1)
    group = np.where(over5[line_rx], safe_no, order[line_rx, safe_no])
    codes = np.empty(len(line_rx), dtype=object)
    pick = rng.random(len(line_rx))
    for g, members in enumerate(GROUPS):
        mask = group == g
        codes[mask] = np.array(members, dtype=object)[(pick[mask] * len(members)).astype(int)]
    abx_line = (group == 0) & infection[line_rx] & ~over5[line_rx]
    codes[abx_line] = np.array(ABX, dtype=object)[(pick[abx_line] * len(ABX)).astype(int)]
    first = line_no == 0
    second = line_no == 1
    in_ = {k: _isin(line_rx, p) for k, p in planted.items()}
    m = first & in_["R18_01"]
    codes[m] = np.array(ABX, dtype=object)[(pick[m] * len(ABX)).astype(int)]
    # antibiotic planted on line 0: drop any other antibiotic (no infection → none) — and the
    # group-0 line elsewhere is a cardiovascular drug, so no duplicate arises.
    m = first & in_["R18_04"]
    codes[m] = "D102"
    # same-class pair on lines 0 and 1: 奥美拉唑 + 泮托拉唑; other PPI lines become F01/F02
    m19 = in_["R19_04"]
    codes[m19 & first] = "D101"
    codes[m19 & second] = "D103"
    # exact duplicate: the extra (last) line repeats the first line's drug
    last = np.zeros(len(line_rx), dtype=bool)
    last[np.cumsum(total_lines) - 1] = True
    dup_rows = in_["R18_07"] & last
    first_pos = starts[line_rx[dup_rows]]
    codes[dup_rows] = codes[first_pos]
    # controlled drugs beyond their limit (outpatient / emergency, one line replaced)
    ctrl = in_["R17_13"] & first
    ctrl_pick = (pick[ctrl] * 4).astype(int)
    codes[ctrl] = np.array(["N01", "N02", "N03", "N04"], dtype=object)[ctrl_pick]

    # de-duplicate accidental collisions introduced by the replacements above (M01 twice etc.)
    codes = _fix_collisions(line_rx, codes, dup_rows, m19 & (first | second))

    info = {d[0]: d for d in DRUGS}
    generic = np.array([info[c][1] for c in codes], dtype=object)
    trade = np.array([info[c][2] for c in codes], dtype=object)
    is_inj = np.array([info[c][8] for c in codes])
    strength = np.array([info[c][6] for c in codes])
    ctrl_kind = np.array([schema.CONTROLLED_CLASSES[info[c][11]] for c in codes], dtype=object)
    cr = np.array([info[c][12] for c in codes])

    freq_i = rng.integers(0, len(FREQUENCIES), len(line_rx))
    frequency = np.array([f for f, _ in FREQUENCIES], dtype=object)[freq_i]
    times = np.array([t for _, t in FREQUENCIES])[freq_i]
    vt_line = visit_type[line_rx]
    max_days = np.where(vt_line == "outpatient", 7, np.where(vt_line == "emergency", 3, 3))
    days = 1 + (rng.random(len(line_rx)) * max_days).astype(int)
    # controlled drugs: clean lines within their own limits (all planted are replaced below)
    limit = np.where(
        ctrl_kind == "narcotic",
        np.where(is_inj, 1, np.where(cr, 7, 3)),
        np.where(ctrl_kind == "psychotropic2", 7, 99),
    )
    days = np.where(ctrl_kind != "", np.minimum(days, limit), days)
    over_ctrl = ctrl & True
    days[over_ctrl] = limit[over_ctrl] + 1 + (pick[over_ctrl] * 3).astype(int)
    # planted long supply: outpatient > 7 / emergency > 3 without a reason
    ls = in_["R17_12"]
    days[ls] = np.where(vt_line[ls] == "outpatient", 8, 4) + (pick[ls] * 20).astype(int)
    # a few clean long supplies carry a reason (chronic disease) and must not be flagged
    reason = np.full(n, "", dtype=object)
    chronic = (visit_type == "outpatient") & (rng.random(n) < 0.01)
    for code in planted:
        chronic[planted[code]] = False
    reason[chronic] = "慢性病长期用药"
    days[chronic[line_rx]] = 28
    # narcotic / psychotropic on a chronic script stays within its limit
    days = np.where(chronic[line_rx] & (ctrl_kind != ""), np.minimum(days, limit), days)
    dose = strength * np.where(strength < 0.05, 1, 2)
    quantity = np.ceil(times * days * np.where(strength < 0.05, 1, 2)).astype(float)
    price = np.array([PRICES[c] for c in codes])
    amount = np.round(quantity * price / 10, 2)
    drug_name = generic.copy()
    nonstd = in_["R17_06"] & first
    drug_name[nonstd] = np.where(trade[nonstd] != "", trade[nonstd], generic[nonstd] + "（进口）")
    vague = in_["R17_08"] & first
    frequency[vague] = "遵医嘱"
    route = np.array([info[c][7] for c in codes], dtype=object)
    dose_unit = np.where(strength < 0.05, "mg", "g")

    # -- patients, visits, ages, diagnoses -----------------------------------------------------
    age_years = np.clip(rng.normal(48, 20, n).astype(int), 1, 95).astype(object)
    age_months = np.full(n, None, dtype=object)
    age_days = np.full(n, None, dtype=object)
    infants = (rng.random(n) < 0.02) & ~_isin(ids, planted["R17_04"])
    age_years[infants] = 0
    age_months[infants] = rng.integers(1, 12, infants.sum())
    age_years[planted["R17_04"]] = 0
    patient = np.array([f"P{x:08d}" for x in rng.integers(0, max(10, n // 3), n)], dtype=object)
    rx_no = np.array([f"RX{x:09d}" for x in ids], dtype=object)
    visit_no = np.char.add("V", np.char.zfill(ids.astype(str), 9)).astype(object)
    inpatient = visit_type == "inpatient"
    visit_no[inpatient] = np.char.add("Z", np.char.zfill(ids[inpatient].astype(str), 9))
    month_str = np.array(months, dtype=object)[month_idx]

    diag_rx = ~_isin(ids, planted["R17_10"])
    di = ids[diag_rx]
    infect_pick = rng.integers(0, len(INFECTIONS), len(di))
    other_pick = rng.integers(0, len(OTHER_DIAGNOSES), len(di))
    icd = np.where(
        infection[di],
        np.array([c for c, _ in INFECTIONS], dtype=object)[infect_pick],
        np.array([c for c, _ in OTHER_DIAGNOSES], dtype=object)[other_pick],
    )
    dname = np.where(
        infection[di],
        np.array([x for _, x in INFECTIONS], dtype=object)[infect_pick],
        np.array([x for _, x in OTHER_DIAGNOSES], dtype=object)[other_pick],
    )

    lines = pa.table(
        {
            "rx_no": pa.array(rx_no[line_rx], pa.string()),
            "line_no": pa.array(line_no + 1, pa.int32()),
            "visit_no": pa.array(visit_no[line_rx], pa.string()),
            "visit_type": pa.array(visit_type[line_rx], pa.string()),
            "rx_date": pa.array(rx_dates[line_rx], pa.date32()),
            "dept_code": pa.array(dept[line_rx], pa.string()),
            "doctor_no": pa.array(doctor[line_rx], pa.string()),
            "patient_id": pa.array(patient[line_rx], pa.string()),
            "age_years": pa.array(age_years[line_rx], pa.int32()),
            "age_months": pa.array(age_months[line_rx], pa.int32()),
            "age_days": pa.array(age_days[line_rx], pa.int32()),
            "long_supply_reason": pa.array(reason[line_rx], pa.string()),
            "drug_code": pa.array(codes, pa.string()),
            "drug_name": pa.array(drug_name, pa.string()),
            "dose": pa.array(dose, pa.float64()),
            "dose_unit": pa.array(dose_unit, pa.string()),
            "frequency": pa.array(frequency, pa.string()),
            "days": pa.array(days, pa.int32()),
            "route": pa.array(route, pa.string()),
            "quantity": pa.array(quantity, pa.float64()),
            "amount": pa.array(amount, pa.float64()),
            "month": pa.array(month_str[line_rx], pa.string()),
        }
    )
    diagnoses = pa.table(
        {
            "visit_no": pa.array(visit_no[di], pa.string()),
            "seq": pa.array(np.ones(len(di), dtype=np.int32)),
            "icd_code": pa.array(icd, pa.string()),
            "diag_name": pa.array(dname, pa.string()),
            "diag_date": pa.array(rx_dates[di], pa.date32()),
            "month": pa.array(month_str[di], pa.string()),
        }
    )
    labels = pa.table(
        {
            "rx_no": pa.array(np.concatenate([rx_no[p] for p in planted.values()]), pa.string()),
            "rule_code": pa.array(
                np.concatenate([np.full(len(p), c, dtype=object) for c, p in planted.items()]),
                pa.string(),
            ),
        }
    )
    disch, cons, claims, wl = _inpatient(rng, v, visit_no, patient, month_str)
    tables = {
        "drugs": drug_table(),
        "prescriptions": lines,
        "diagnoses": diagnoses,
        "discharges": disch,
        "consumables": cons,
        "claims": claims,
    }
    return Generated(tables=tables, labels=labels, warning_labels=wl)


def _fix_collisions(
    line_rx: np.ndarray, codes: np.ndarray, keep_dup: np.ndarray, keep_pair: np.ndarray
) -> np.ndarray:
    """Replace a drug that repeats the code or class of an earlier line of its prescription.

    Only the planted exact duplicate (``keep_dup``) and the planted same-class pair
    (``keep_pair``) may repeat; any other collision (a by-product of the planting) becomes a
    drug from a class that prescription does not use yet.
    """
    info = {d[0]: d for d in DRUGS}
    cls = np.array([info[c][3] for c in codes], dtype=object)
    key = np.char.add(line_rx.astype(str), np.char.add("|", cls.astype(str)))
    _, first_idx = np.unique(key, return_index=True)
    repeated = np.ones(len(codes), dtype=bool)
    repeated[first_idx] = False
    bad = np.flatnonzero(repeated & ~keep_dup & ~keep_pair)
    if not bad.size:
        return codes
    fillers = ["F01", "H02", "K02", "M02", "C03", "E02", "H01", "K01", "F02"]
    for i in bad:
        rx = line_rx[i]
        lo = np.searchsorted(line_rx, rx)
        hi = np.searchsorted(line_rx, rx, side="right")
        used = {info[c][3] for j, c in enumerate(codes[lo:hi]) if lo + j != i}
        for f in fillers:
            if info[f][3] not in used:
                codes[i] = f
                break
    return codes


def _inpatient(rng, v: dict, visit_no: np.ndarray, patient: np.ndarray, month_str: np.ndarray):
    """Discharges (one per inpatient visit), consumable use and insurance claims."""
    visit_type, dept, doctor, rx_dates = (
        v["visit_type"],
        v["dept"],
        v["doctor"],
        v["rx_dates"],
    )
    ip = np.flatnonzero(visit_type == "inpatient")
    k = len(ip)
    stay = rng.integers(3, 15, k)
    discharge = rx_dates[ip] + rng.integers(0, 3, k).astype("timedelta64[D]")
    # keep the discharge in the prescription's month (the import period of the month file)
    month_end = (rx_dates[ip].astype("datetime64[M]") + 1).astype("datetime64[D]") - 1
    discharge = np.minimum(discharge, month_end)
    admit = discharge - stay.astype("timedelta64[D]")
    main_icd = np.array(["I25.1", "K80.1", "J18.9", "E11.9", "S72.0", "I63.9"], dtype=object)[
        rng.integers(0, 6, k)
    ]
    ip_patients = np.array([f"Q{x:08d}" for x in range(k)], dtype=object)  # unique: no readmissions
    wl: dict[str, list[tuple]] = {
        "split_admission": [],
        "peer_outlier": [],
        "duplicate_charge": [],
        "unbundled_charge": [],
    }
    # planted split admissions: a patient readmitted 2..7 days after discharge with the same
    # main diagnosis, both stays inside one month (early discharges only)
    day = (discharge - discharge.astype("datetime64[M]").astype("datetime64[D]")).astype(int)
    early = np.flatnonzero(day <= 10)
    n_split = max(1, k // 200) if k > 20 else 0
    for j in range(min(n_split, len(early) // 2)):
        a, b = int(early[2 * j]), int(early[2 * j + 1])
        if month_str[ip[a]] != month_str[ip[b]]:
            continue
        ip_patients[b] = ip_patients[a]
        main_icd[b] = main_icd[a]
        admit[b] = discharge[a] + np.timedelta64(2 + j % 6, "D")
        discharge[b] = admit[b] + np.timedelta64(int(min(stay[b], 5)), "D")
        stay[b] = min(stay[b], 5)
        wl["split_admission"].append((visit_no[ip[a]], visit_no[ip[b]]))
    disch_month = discharge.astype("datetime64[M]").astype(str).astype(object)
    amount = np.round(stay * 800.0 + rng.random(k) * 2000, 2)
    discharges = pa.table(
        {
            "visit_no": pa.array(visit_no[ip], pa.string()),
            "patient_id": pa.array(ip_patients, pa.string()),
            "dept_code": pa.array(dept[ip], pa.string()),
            "doctor_no": pa.array(doctor[ip], pa.string()),
            "admit_date": pa.array(admit, pa.date32()),
            "discharge_date": pa.array(discharge, pa.date32()),
            "main_icd": pa.array(main_icd, pa.string()),
            "patient_days": pa.array(stay.astype(np.int32)),
            "amount": pa.array(amount),
            "month": pa.array(disch_month, pa.string()),
        }
    )
    # consumables: each inpatient visit uses 2 items, priced ±15 % (peers stay close)
    per = 2
    cv = np.repeat(np.arange(k), per)
    # key-governed items are a minority of uses (but most of the revenue: they are dear)
    weights = np.array([0.01 if c[3] else 0.3 for c in CONSUMABLES])
    items = rng.choice(len(CONSUMABLES), len(cv), p=weights / weights.sum())
    # one outlier doctor per department-month: 4× the usual quantity on all of their visits
    qty = np.ones(len(cv))
    factor = 1 + (rng.random(len(cv)) - 0.5) * 0.3
    outlier_doctors: set[tuple[str, str, str]] = set()
    if k:
        months_present = sorted(set(disch_month))
        for m in months_present[:1]:
            for d in sorted(set(dept[ip])):
                docs = sorted(set(doctor[ip][(dept[ip] == d) & (disch_month == m)]))
                if len(docs) >= 4:
                    outlier_doctors.add((m, d, docs[0]))
        for m, d, doc in outlier_doctors:
            sel = (disch_month[cv] == m) & (dept[ip][cv] == d) & (doctor[ip][cv] == doc)
            qty[sel] = 4
            wl["peer_outlier"].append((m, d, doc))
    price = np.array([c[4] for c in CONSUMABLES])[items] * factor
    use_date = discharge[cv]
    cons_amount = np.round(qty * price, 2)
    consumables = pa.table(
        {
            "use_id": pa.array([f"U{i:010d}" for i in range(len(cv))], pa.string()),
            "use_date": pa.array(use_date, pa.date32()),
            "visit_no": pa.array(visit_no[ip][cv], pa.string()),
            "dept_code": pa.array(dept[ip][cv], pa.string()),
            "doctor_no": pa.array(doctor[ip][cv], pa.string()),
            "item_code": pa.array(
                np.array([c[0] for c in CONSUMABLES], dtype=object)[items], pa.string()
            ),
            "item_name": pa.array(
                np.array([c[1] for c in CONSUMABLES], dtype=object)[items], pa.string()
            ),
            "category": pa.array(
                np.array([c[2] for c in CONSUMABLES], dtype=object)[items], pa.string()
            ),
            "is_key_monitored": pa.array(np.array([c[3] for c in CONSUMABLES])[items]),
            "quantity": pa.array(qty),
            "amount": pa.array(cons_amount),
            "month": pa.array(disch_month[cv], pa.string()),
        }
    )
    # claims: the bed charge of each visit + each consumable; planted duplicates / unbundling
    cl_visit = list(visit_no[ip]) + list(visit_no[ip][cv])
    cl_patient = list(ip_patients) + list(ip_patients[cv])
    cl_date = list(discharge) + list(use_date)
    cl_item = [BED[0]] * k + list(consumables["item_code"].to_pylist())
    cl_name = [BED[1]] * k + list(consumables["item_name"].to_pylist())
    cl_qty = list(stay.astype(float)) + list(qty)
    cl_price = [BED[2]] * k + list(np.round(price, 2))
    n_plant = max(1, k // 300) if k else 0
    for j in range(n_plant):
        i = (j * 7919) % k
        cl_visit.append(cl_visit[i])
        cl_patient.append(cl_patient[i])
        cl_date.append(cl_date[i])
        cl_item.append(cl_item[i])
        cl_name.append(cl_name[i])
        cl_qty.append(cl_qty[i])
        cl_price.append(cl_price[i])
        wl["duplicate_charge"].append((cl_visit[i], cl_item[i]))
        u = (j * 104729 + 13) % k
        if cl_visit[u] == cl_visit[i]:
            continue
        for code, name, p in (PACKAGE, COMPONENT):
            cl_visit.append(visit_no[ip][u])
            cl_patient.append(ip_patients[u])
            cl_date.append(discharge[u])
            cl_item.append(code)
            cl_name.append(name)
            cl_qty.append(1.0)
            cl_price.append(p)
        wl["unbundled_charge"].append((visit_no[ip][u], PACKAGE[0]))
    cl_amount = np.round(np.array(cl_qty, dtype=float) * np.array(cl_price, dtype=float), 2)
    cl_dates = np.array(cl_date, dtype="datetime64[D]")
    claims = pa.table(
        {
            "claim_id": pa.array([f"C{i:010d}" for i in range(len(cl_visit))], pa.string()),
            "visit_no": pa.array(cl_visit, pa.string()),
            "patient_id": pa.array(cl_patient, pa.string()),
            "charge_date": pa.array(cl_dates, pa.date32()),
            "item_code": pa.array(cl_item, pa.string()),
            "item_name": pa.array(cl_name, pa.string()),
            "quantity": pa.array(cl_qty, pa.float64()),
            "unit_price": pa.array(cl_price, pa.float64()),
            "amount": pa.array(cl_amount, pa.float64()),
            "month": pa.array(cl_dates.astype("datetime64[M]").astype(str), pa.string()),
        }
    )
    return discharges, consumables, claims, wl


def store(data: Generated) -> dict[str, int]:
    """Write generated tables straight into the analytic store (month partitions)."""
    from hongfan.core import analytics

    counts: dict[str, int] = {}
    for name, table in data.tables.items():
        if name == "drugs":
            analytics.write_partition("drugs", schema.SNAPSHOT, schema.CURRENT, table)
        else:
            for m in sorted(set(pc.unique(table["month"]).to_pylist())):
                part = table.filter(pc.equal(table["month"], m)).drop_columns(["month"])
                analytics.write_partition(name, schema.MONTH, m, part)
        counts[name] = table.num_rows
    return counts


def export(data: Generated, directory: Path, fmt: str = "csv") -> list[Path]:
    """Write each dataset as an HIS-style export with the default Chinese headers."""
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    directory.mkdir(parents=True, exist_ok=True)
    out: list[Path] = []
    reverse_vt = {v: k for k, v in schema.VISIT_TYPES.items()}
    reverse_ctrl = {
        "": "",
        "narcotic": "麻醉药品",
        "psychotropic1": "第一类精神药品",
        "psychotropic2": "第二类精神药品",
    }
    for name, table in data.tables.items():
        ds = schema.DATASETS[name]
        cols = {}
        for c in ds.columns:
            arr = table[c.name]
            if c.kind == "visit_type":
                arr = pa.array([reverse_vt[x] for x in arr.to_pylist()], pa.string())
            elif c.kind == "controlled":
                arr = pa.array([reverse_ctrl[x] for x in arr.to_pylist()], pa.string())
            elif c.kind == "bool":
                arr = pc.if_else(arr, "是", "否")
            cols[c.header] = arr
        t = pa.table(cols)
        path = directory / f"{name}.{'xlsx' if fmt == 'xlsx' else fmt}"
        if fmt == "parquet":
            pq.write_table(t, path)
        elif fmt == "xlsx":
            from openpyxl import Workbook

            wb = Workbook(write_only=True)
            ws = wb.create_sheet(name)
            ws.append(t.column_names)
            for row in zip(*[t[c].to_pylist() for c in t.column_names], strict=True):
                ws.append(list(row))
            wb.save(path)
        else:
            pacsv.write_csv(t, path)
        out.append(path)
    return out
