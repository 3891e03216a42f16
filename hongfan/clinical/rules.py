"""Prescription-review rules and prescribing indicators, written once as Ibis expressions.

The rules read the analytic store (``schema`` datasets) and run on embedded DuckDB by default
or on Spark (``engine.tables(backend="pyspark")``) with identical results. Every rule is a
``Rule`` (code, category, parameters, explanation) whose ``flag`` is a boolean expression over
one row per prescription (``features``); the screening is one pass over the prescription
lines. Sources:

- 《医院处方点评管理规范（试行）》(卫医管发〔2010〕28号) Art. 17 (不规范处方, 15 criteria),
  Art. 18 (用药不适宜处方, 9), Art. 19 (超常处方, 4);
- 《处方管理办法》(卫生部令第53号, 2007) Art. 19 (supply limits) and Art. 23 (controlled drugs);
- WHO/INRUD prescribing indicators (WHO/DAP/93.1);
- 三级公立医院绩效考核 (国考) national indicators.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy as _


class _LazyIbis:
    """Import Ibis on first use: it costs about a second, and every process loads this
    module at start-up (the app registers its indicators)."""

    def __getattr__(self, name: str) -> Any:
        import ibis as _ibis

        return getattr(_ibis, name)


ibis: Any = _LazyIbis()

Tables = dict[str, Any]  # dataset name -> Ibis table

VAGUE_WORDS = ("遵医嘱", "自用", "按医嘱", "遵嘱")
# ICD-10 prefixes of infections (A00–B99, acute respiratory and other bacterial infections).
INFECTION_PREFIXES = (
    "A",
    "B",
    "J0",
    "J1",
    "J20",
    "J21",
    "J22",
    "J85",
    "J86",
    "K35",
    "K65",
    "K81.0",
    "L0",
    "N10",
    "N30",
    "N39.0",
    "H66",
)
# Classes where two different drugs on one prescription are the same pharmacological action.
SAME_ACTION_CLASSES = (
    "质子泵抑制剂",
    "非甾体抗炎药",
    "头孢菌素类",
    "钙通道阻滞剂",
    "他汀类",
    "血管紧张素Ⅱ受体拮抗剂",
    "β受体阻滞剂",
)

DEFAULT_PARAMS: dict[str, Any] = {
    "max_drugs": 5,
    "max_days_outpatient": 7,
    "max_days_emergency": 3,
    "vague_words": list(VAGUE_WORDS),
    "infection_prefixes": list(INFECTION_PREFIXES),
    "same_action_classes": list(SAME_ACTION_CLASSES),
    "narcotic_injection_days": 1,
    "controlled_release_days": 7,
    "narcotic_other_days": 3,
    "psychotropic2_days": 7,
}


@dataclass(frozen=True)
class Rule:
    code: str
    category: str  # art17 / art18 / art19 / rx_admin
    name: Any
    explanation: Any
    params: tuple[str, ...]
    flag: Callable[[Any, dict[str, Any]], Any] = field(repr=False)
    value: Callable[[Any], Any] | None = field(default=None, repr=False)


class Category:
    ART17 = "art17"
    ART18 = "art18"
    ART19 = "art19"
    CHOICES = (
        (ART17, _("Non-standard prescription (Art. 17)")),
        (ART18, _("Inappropriate prescription (Art. 18)")),
        (ART19, _("Excessive prescription (Art. 19)")),
    )


def _op_em(f: Any) -> Any:
    return f.visit_type.isin(["outpatient", "emergency"])


RULES: list[Rule] = [
    Rule(
        "R17_04",
        Category.ART17,
        _("Infant without age in months or days"),
        _(
            "Art. 17 (4): a prescription for a newborn or infant must state the age in months "
            "or days; the patient is under one year and neither is given."
        ),
        (),
        lambda f, p: f.infant_no_age,
    ),
    Rule(
        "R17_06",
        Category.ART17,
        _("Non-standard drug name"),
        _(
            "Art. 17 (6): drugs must be prescribed under their standard (generic) name; the name "
            "on the prescription differs from the drug dictionary's generic name."
        ),
        (),
        lambda f, p: f.n_nonstandard > 0,
        lambda f: f.n_nonstandard,
    ),
    Rule(
        "R17_08",
        Category.ART17,
        _("Vague directions"),
        _(
            "Art. 17 (8): directions such as “遵医嘱” or “自用” are not allowed; state dose, "
            "frequency and route."
        ),
        ("vague_words",),
        lambda f, p: f.n_vague > 0,
        lambda f: f.n_vague,
    ),
    Rule(
        "R17_10",
        Category.ART17,
        _("Missing diagnosis"),
        _("Art. 17 (10): the prescription's visit has no clinical diagnosis."),
        (),
        lambda f, p: f.n_diagnoses == 0,
    ),
    Rule(
        "R17_11",
        Category.ART17,
        _("More than five drugs"),
        _(
            "Art. 17 (11): an outpatient or emergency prescription may carry at most {max_drugs} "
            "drugs."
        ),
        ("max_drugs",),
        lambda f, p: _op_em(f) & (f.n_drugs > p["max_drugs"]),
        lambda f: f.n_drugs,
    ),
    Rule(
        "R17_12",
        Category.ART17,
        _("Supply too long without a reason"),
        _(
            "Art. 17 (12), 处方管理办法 Art. 19: outpatient supply at most {max_days_outpatient} "
            "days, emergency at most {max_days_emergency} days, unless a reason (chronic disease, "
            "old age) is written."
        ),
        ("max_days_outpatient", "max_days_emergency"),
        lambda f, p: (
            (f.long_supply_reason == "")
            & (
                ((f.visit_type == "outpatient") & (f.max_days > p["max_days_outpatient"]))
                | ((f.visit_type == "emergency") & (f.max_days > p["max_days_emergency"]))
            )
        ),
        lambda f: f.max_days,
    ),
    Rule(
        "R17_13",
        Category.ART17,
        _("Controlled drug over its limit"),
        _(
            "Art. 17 (13), 处方管理办法 Art. 23–24: for outpatients a narcotic or class-1 "
            "psychotropic injection is one dose ({narcotic_injection_days} day), a "
            "controlled-release form at most {controlled_release_days} days, other forms at most "
            "{narcotic_other_days} days; class-2 psychotropics at most {psychotropic2_days} days."
        ),
        (
            "narcotic_injection_days",
            "controlled_release_days",
            "narcotic_other_days",
            "psychotropic2_days",
        ),
        lambda f, p: _op_em(f) & (f.n_controlled_over > 0),
        lambda f: f.n_controlled_over,
    ),
    Rule(
        "R18_01",
        Category.ART18,
        _("Antibiotic without an infection diagnosis"),
        _(
            "Art. 18 (1): indication not appropriate — an antibiotic is prescribed but none of the "
            "visit's diagnoses is an infection."
        ),
        ("infection_prefixes",),
        lambda f, p: f.has_antibiotic & (f.n_diagnoses > 0) & ~f.has_infection,
    ),
    Rule(
        "R18_04",
        Category.ART18,
        _("Essential drug not preferred"),
        _(
            "Art. 18 (4): a non-essential product is prescribed although an essential-list "
            "product of the same generic drug is in the dictionary."
        ),
        (),
        lambda f, p: f.n_essential_not_preferred > 0,
        lambda f: f.n_essential_not_preferred,
    ),
    Rule(
        "R18_07",
        Category.ART18,
        _("Duplicate drug"),
        _("Art. 18 (7): the same drug appears more than once on the prescription."),
        (),
        lambda f, p: f.n_lines > f.n_drugs,
        lambda f: f.n_lines - f.n_drugs,
    ),
    Rule(
        "R19_04",
        Category.ART19,
        _("Two drugs with the same action"),
        _(
            "Art. 19 (4): two or more different drugs of the same pharmacological class (e.g. two "
            "proton-pump inhibitors) are prescribed together."
        ),
        ("same_action_classes",),
        lambda f, p: f.n_same_action > 0,
        lambda f: f.n_same_action,
    ),
]
RULES_BY_CODE = {r.code: r for r in RULES}


def params_with(overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    p = copy.deepcopy(DEFAULT_PARAMS)
    p.update(overrides or {})
    return p


def _any_prefix(col: Any, prefixes: list[str]) -> Any:
    cond = ibis.literal(False)
    for prefix in prefixes:
        cond = cond | col.startswith(prefix)
    return cond


def _contains_any(col: Any, words: list[str]) -> Any:
    cond = ibis.literal(False)
    for w in words:
        cond = cond | col.contains(w)
    return cond


HEADER = ("rx_no", "month", "visit_no", "visit_type", "dept_code", "doctor_no")


def lines_enriched(t: Tables, p: dict[str, Any]) -> Any:
    """Prescription lines joined with the drug dictionary and per-line flags."""
    drugs = t["drugs"]
    essential_generics = (
        drugs.filter(drugs.is_essential).select(ess_generic=drugs.generic_name).distinct()
    )
    d = drugs.left_join(essential_generics, drugs.generic_name == essential_generics.ess_generic)
    d = d.select(
        "drug_code",
        "generic_name",
        "drug_class",
        "is_antibiotic",
        "ddd",
        "strength",
        "is_injection",
        "is_essential",
        "is_key_monitored",
        "controlled_class",
        "is_controlled_release",
        has_essential_variant=d.ess_generic.notnull(),
    )
    lines = t["prescriptions"]
    j = lines.inner_join(d, "drug_code")
    ctrl = j.controlled_class.fill_null("")
    limit = ibis.cases(
        (
            ctrl.isin(["narcotic", "psychotropic1"]) & j.is_injection,
            p["narcotic_injection_days"],
        ),
        (
            ctrl.isin(["narcotic", "psychotropic1"]) & j.is_controlled_release.fill_null(False),
            p["controlled_release_days"],
        ),
        (ctrl.isin(["narcotic", "psychotropic1"]), p["narcotic_other_days"]),
        (ctrl == "psychotropic2", p["psychotropic2_days"]),
        else_=None,
    )
    return j.mutate(
        is_controlled=ctrl != "",
        controlled_over=(ctrl != "") & (j.days > limit),
        nonstandard=j.drug_name.strip() != j.generic_name.strip(),
        vague=_contains_any(j.frequency.fill_null(""), p["vague_words"])
        | _contains_any(j.route.fill_null(""), p["vague_words"]),
        essential_not_preferred=~j.is_essential & j.has_essential_variant,
        same_action_class=j.drug_class.isin(p["same_action_classes"]),
        ddds=ibis.cases(
            (j.is_antibiotic & (j.ddd > 0), j.quantity * j.strength / j.ddd), else_=0.0
        ),
        key_amount=ibis.cases((j.is_key_monitored, j.amount), else_=0.0),
    )


# Per-prescription aggregates over the enriched lines; ``features(columns=...)`` computes only
# the ones a caller needs (the 8 core indicators need 7 of these 17).
_RX_AGGS: dict[str, Callable[[Any], Any]] = {
    "rx_date": lambda le: le.rx_date.min(),
    "age_years": lambda le: le.age_years.max(),
    "age_months": lambda le: le.age_months.max(),
    "age_days": lambda le: le.age_days.max(),
    "long_supply_reason": lambda le: le.long_supply_reason.fill_null("").max(),
    "n_lines": lambda le: le.count(),
    "n_drugs": lambda le: le.drug_code.nunique(),
    "has_antibiotic": lambda le: le.is_antibiotic.any(),
    "has_injection": lambda le: le.is_injection.any(),
    "n_essential": lambda le: le.is_essential.cast("int64").sum(),
    "n_nonstandard": lambda le: le.nonstandard.cast("int64").sum(),
    "n_vague": lambda le: le.vague.cast("int64").sum(),
    "n_controlled_over": lambda le: le.controlled_over.cast("int64").sum(),
    "n_essential_not_preferred": lambda le: le.essential_not_preferred.cast("int64").sum(),
    "max_days": lambda le: le.days.max(where=~le.is_controlled),
    "ddds": lambda le: le.ddds.sum(),
    "amount": lambda le: le.amount.sum(),
    "key_amount": lambda le: le.key_amount.sum(),
}
# derived feature -> the aggregates it is computed from
_DERIVED = {
    "infant_no_age": ("age_years", "age_months", "age_days"),
    "n_same_action": (),
    "n_diagnoses": (),
    "has_infection": (),
}
FEATURES = (*HEADER, *_RX_AGGS, *_DERIVED)


def features(t: Tables, params: dict[str, Any] | None = None, columns: Any = None) -> Any:
    """One row per prescription with everything the rules and indicators need.

    ``columns`` (optional) names the features wanted (the header is always there): only their
    aggregates and joins are computed — the same definitions, less work. The header fields are
    taken once per prescription: the importer refuses a file whose lines of one prescription
    disagree on them, so grouping by the prescription number alone is exact.
    """
    p = params_with(params)
    want = set(FEATURES if columns is None else columns)
    unknown = want - set(FEATURES)
    if unknown:
        raise ValueError(f"unknown features: {sorted(unknown)}")
    for name in list(want):
        want.update(_DERIVED.get(name, ()))
    le = lines_enriched(t, p)
    per_rx = le.group_by(["rx_no", "month"]).agg(
        visit_no=le.visit_no.arbitrary(),
        visit_type=le.visit_type.arbitrary(),
        dept_code=le.dept_code.arbitrary(),
        doctor_no=le.doctor_no.arbitrary(),
        **{name: fn(le) for name, fn in _RX_AGGS.items() if name in want},
    )
    f = per_rx
    if "n_same_action" in want:
        # same-action pairs: per prescription and class, more than one distinct drug
        sa = le.filter(le.same_action_class)
        sa = sa.group_by(["rx_no", "drug_class"]).agg(k=sa.drug_code.nunique())
        sa = sa.filter(sa.k > 1)
        sa = sa.group_by("rx_no").agg(n_same_action=sa.count())
        f = f.left_join(sa, "rx_no").drop("rx_no_right")
    if want & {"n_diagnoses", "has_infection"}:
        dg = t["diagnoses"]
        dv = dg.group_by("visit_no").agg(
            n_diagnoses=dg.count(),
            has_infection=_any_prefix(dg.icd_code, p["infection_prefixes"]).any(),
        )
        f = f.left_join(dv, "visit_no").drop("visit_no_right")
    fixes: dict[str, Any] = {}
    if "n_same_action" in want:
        fixes["n_same_action"] = f.n_same_action.fill_null(0)
    if "n_diagnoses" in want:
        fixes["n_diagnoses"] = f.n_diagnoses.fill_null(0)
    if "has_infection" in want:
        fixes["has_infection"] = f.has_infection.fill_null(False)
    if "max_days" in want:
        fixes["max_days"] = f.max_days.fill_null(0)
    if "infant_no_age" in want:
        fixes["infant_no_age"] = (f.age_years == 0) & f.age_months.isnull() & f.age_days.isnull()
    f = f.mutate(**fixes) if fixes else f
    drop = [c for c in f.columns if c not in want and c not in HEADER]
    return f.drop(*drop) if drop else f


def screen(t: Tables, params: dict[str, Any] | None = None, f: Any = None) -> Any:
    """The flagged prescriptions, one row each, with a flag and a measured value per rule.

    One pass over the prescriptions (the features are computed once; pass ``f`` to reuse
    features already computed); ``findings`` turns the result into one row per
    (prescription, rule).
    """
    p = params_with(params)
    f = features(t, p) if f is None else f
    cols: dict[str, Any] = {}
    any_flag = ibis.literal(False)
    for rule in RULES:
        flag = rule.flag(f, p).fill_null(False)
        cols[f"f_{rule.code}"] = flag
        cols[f"v_{rule.code}"] = (rule.value(f) if rule.value else ibis.literal(1)).cast("float64")
        any_flag = any_flag | flag
    return f.filter(any_flag).select(*HEADER, "rx_date", **cols)


def findings(wide: Any) -> Any:
    """One row per (prescription, rule) from the result of ``screen`` (a pandas DataFrame)."""
    import pandas as pd

    parts = []
    for rule in RULES:
        sel = wide[wide[f"f_{rule.code}"].astype(bool)]
        part = sel[[*HEADER, "rx_date"]].copy()
        part["rule_code"] = rule.code
        part["value"] = sel[f"v_{rule.code}"].astype(float)
        parts.append(part)
    if not parts:
        return pd.DataFrame(columns=[*HEADER, "rx_date", "rule_code", "value"])
    out = pd.concat(parts, ignore_index=True)
    return out.sort_values(["rx_no", "rule_code"]).reset_index(drop=True)


# -- indicators --------------------------------------------------------------------------------

KEYS = ("month", "dept_code", "doctor_no")


@dataclass(frozen=True)
class IndicatorDef:
    key: str
    label: Any
    unit: str  # "%", "", "DDDs"
    scale: float  # value = num / den * scale
    target: float | None
    higher_is_better: bool
    group: str  # core / who / national
    drill: str = ""  # a features filter for the drill-down ("" = none)


INDICATORS: list[IndicatorDef] = [
    IndicatorDef("drugs_per_rx", _("Drugs per prescription"), "", 1, 2.0, False, "core"),
    IndicatorDef(
        "pct_antibiotic",
        _("Prescriptions with an antibiotic"),
        "%",
        100,
        30.0,
        False,
        "core",
        "has_antibiotic",
    ),
    IndicatorDef(
        "pct_injection",
        _("Prescriptions with an injection"),
        "%",
        100,
        20.0,
        False,
        "core",
        "has_injection",
    ),
    IndicatorDef(
        "pct_essential", _("Drugs from the essential list"), "%", 100, 100.0, True, "core"
    ),
    IndicatorDef(
        "pct_over5",
        _("Prescriptions with more than five drugs"),
        "%",
        100,
        0.0,
        False,
        "core",
        "R17_11",
    ),
    IndicatorDef("pct_long_supply", _("Over-long supply"), "%", 100, 0.0, False, "core", "R17_12"),
    IndicatorDef("pct_duplicate", _("Duplicate drugs"), "%", 100, 0.0, False, "core", "duplicate"),
    IndicatorDef(
        "pct_abx_no_infection",
        _("Antibiotic without an infection diagnosis"),
        "%",
        100,
        0.0,
        False,
        "core",
        "R18_01",
    ),
    IndicatorDef(
        "pct_generic", _("Drugs prescribed by generic name"), "%", 100, 100.0, True, "who", "R17_06"
    ),
    IndicatorDef(
        "abx_rate_outpatient",
        _("Antibiotic prescription rate, outpatient"),
        "%",
        100,
        20.0,
        False,
        "national",
        "abx_outpatient",
    ),
    IndicatorDef(
        "abx_rate_emergency",
        _("Antibiotic prescription rate, emergency"),
        "%",
        100,
        40.0,
        False,
        "national",
        "abx_emergency",
    ),
    IndicatorDef(
        "abx_rate_inpatient",
        _("Antibiotic use rate, inpatients"),
        "%",
        100,
        60.0,
        False,
        "national",
        "abx_inpatient",
    ),
    IndicatorDef(
        "aud",
        _("Antibiotic use density (DDDs per 100 patient-days)"),
        "DDDs",
        100,
        40.0,
        False,
        "national",
    ),
    IndicatorDef(
        "op_essential_rx_share",
        _("Outpatient prescriptions with an essential drug"),
        "%",
        100,
        None,
        True,
        "national",
    ),
    IndicatorDef(
        "ip_essential_use_rate",
        _("Inpatients using essential drugs"),
        "%",
        100,
        None,
        True,
        "national",
    ),
    IndicatorDef(
        "key_drug_share",
        _("Revenue share of key-monitored drugs"),
        "%",
        100,
        None,
        False,
        "national",
    ),
    IndicatorDef(
        "key_consumable_share",
        _("Revenue share of key-governed consumables"),
        "%",
        100,
        None,
        False,
        "national",
    ),
]
INDICATORS_BY_KEY = {i.key: i for i in INDICATORS}
CORE = [i.key for i in INDICATORS if i.group == "core"]


def indicators(
    t: Tables, params: dict[str, Any] | None = None, f: Any = None
) -> tuple[Any, Any, Any]:
    """Numerators and denominators per (month, dept_code, doctor_no): three expressions —
    prescriptions, antibiotic DDDs against patient-days, consumables — in wide form;
    ``indicator_rows`` turns their results into (…, indicator, num, den) rows."""
    p = params_with(params)
    f = features(t, p) if f is None else f
    flags = {r.code: r.flag(f, p).fill_null(False) for r in RULES}
    op = f.visit_type == "outpatient"
    em = f.visit_type == "emergency"
    ip = f.visit_type == "inpatient"
    op_em = op | em
    i64 = "int64"
    rx = f.group_by(list(KEYS)).agg(
        n_rx=f.count(),
        n_drugs=f.n_drugs.sum(),
        n_lines=f.n_lines.sum(),
        n_abx=f.has_antibiotic.cast(i64).sum(),
        n_inj=f.has_injection.cast(i64).sum(),
        n_essential=f.n_essential.sum(),
        n_nonstandard=f.n_nonstandard.sum(),
        n_op_em=op_em.cast(i64).sum(),
        n_over5=flags["R17_11"].cast(i64).sum(),
        n_long=flags["R17_12"].cast(i64).sum(),
        n_dup=(flags["R18_07"] | flags["R19_04"]).cast(i64).sum(),
        n_abx_noinf=flags["R18_01"].cast(i64).sum(),
        n_op=op.cast(i64).sum(),
        n_op_abx=(op & f.has_antibiotic).cast(i64).sum(),
        n_em=em.cast(i64).sum(),
        n_em_abx=(em & f.has_antibiotic).cast(i64).sum(),
        n_op_essential=(op & (f.n_essential > 0)).cast(i64).sum(),
        ip_visits=f.visit_no.nunique(where=ip),
        ip_visits_abx=f.visit_no.nunique(where=ip & f.has_antibiotic),
        ip_visits_essential=f.visit_no.nunique(where=ip & (f.n_essential > 0)),
        ip_ddds=f.ddds.sum(where=ip),
        amount=f.amount.sum(),
        key_amount=f.key_amount.sum(),
    )
    dis = t["discharges"]
    days = dis.group_by(list(KEYS)).agg(patient_days=dis.patient_days.sum().cast("float64"))
    c = t["consumables"]
    cons = c.group_by(list(KEYS)).agg(
        amount=c.amount.sum(),
        key_amount=ibis.cases((c.is_key_monitored, c.amount), else_=0.0).sum(),
    )
    return rx, days, cons


# indicator -> (source frame, numerator column, denominator column)
INDICATOR_COLUMNS: dict[str, tuple[str, str, str]] = {
    "drugs_per_rx": ("rx", "n_drugs", "n_rx"),
    "pct_antibiotic": ("rx", "n_abx", "n_rx"),
    "pct_injection": ("rx", "n_inj", "n_rx"),
    "pct_essential": ("rx", "n_essential", "n_lines"),
    "pct_over5": ("rx", "n_over5", "n_op_em"),
    "pct_long_supply": ("rx", "n_long", "n_op_em"),
    "pct_duplicate": ("rx", "n_dup", "n_rx"),
    "pct_abx_no_infection": ("rx", "n_abx_noinf", "n_rx"),
    "pct_generic": ("rx", "n_standard", "n_lines"),
    "abx_rate_outpatient": ("rx", "n_op_abx", "n_op"),
    "abx_rate_emergency": ("rx", "n_em_abx", "n_em"),
    "abx_rate_inpatient": ("rx", "ip_visits_abx", "ip_visits"),
    "op_essential_rx_share": ("rx", "n_op_essential", "n_op"),
    "ip_essential_use_rate": ("rx", "ip_visits_essential", "ip_visits"),
    "key_drug_share": ("rx", "key_amount", "amount"),
    "aud": ("aud", "ip_ddds", "patient_days"),
    "key_consumable_share": ("cons", "key_amount", "amount"),
}


def indicator_rows(rx: Any, days: Any, cons: Any) -> Any:
    """Long (month, dept_code, doctor_no, indicator, num, den) rows from the three results."""
    import pandas as pd

    keys = list(KEYS)
    rx = rx.copy()
    rx["n_standard"] = rx["n_lines"] - rx["n_nonstandard"]
    aud = pd.merge(rx[[*keys, "ip_ddds"]], days, on=keys, how="outer").fillna(
        {"ip_ddds": 0.0, "patient_days": 0.0}
    )
    frames = {"rx": rx, "aud": aud, "cons": cons}
    parts = []
    for key, (src, num, den) in INDICATOR_COLUMNS.items():
        fr = frames[src]
        part = fr[keys].copy()
        part["indicator"] = key
        part["num"] = fr[num].fillna(0).astype(float)
        part["den"] = fr[den].fillna(0).astype(float)
        parts.append(part[(part["num"] != 0) | (part["den"] != 0)])
    out = pd.concat(parts, ignore_index=True)
    return out.sort_values([*keys, "indicator"]).reset_index(drop=True)


CORE_FEATURES = (
    "n_lines",
    "n_drugs",
    "has_antibiotic",
    "has_injection",
    "n_essential",
    "max_days",
    "long_supply_reason",
    "n_same_action",
    "n_diagnoses",
    "has_infection",
)


def core_by_doctor(t: Tables) -> Any:
    """The 8 core indicators per doctor × department over all the data (benchmark)."""
    p = params_with()
    f = features(t, p, columns=CORE_FEATURES)
    used = ("R17_11", "R17_12", "R18_07", "R19_04", "R18_01")
    flags = {c: RULES_BY_CODE[c].flag(f, p) for c in used}
    op_em = _op_em(f).cast("int64")
    g = f.mutate(
        op_em=op_em,
        f_over5=flags["R17_11"].cast("int64"),
        f_long=flags["R17_12"].cast("int64"),
        f_dup=(flags["R18_07"] | flags["R19_04"]).cast("int64"),
        f_abx_noinf=flags["R18_01"].cast("int64"),
    )
    return g.group_by(["doctor_no", "dept_code"]).agg(
        rx=g.count(),
        drugs_per_rx=g.n_drugs.mean(),
        pct_antibiotic=g.has_antibiotic.cast("float64").mean() * 100,
        pct_injection=g.has_injection.cast("float64").mean() * 100,
        pct_essential=g.n_essential.sum().cast("float64") * 100 / g.n_lines.sum(),
        pct_over5=g.f_over5.sum().cast("float64") * 100 / g.op_em.sum().nullif(0),
        pct_long_supply=g.f_long.sum().cast("float64") * 100 / g.op_em.sum().nullif(0),
        pct_duplicate=g.f_dup.cast("float64").mean() * 100,
        pct_abx_no_infection=g.f_abx_noinf.cast("float64").mean() * 100,
    )


def drill_filter(f: Any, drill: str, params: dict[str, Any] | None = None) -> Any:
    """A boolean over ``features`` selecting the prescriptions behind an indicator or rule."""
    p = params_with(params)
    if drill in RULES_BY_CODE:
        return RULES_BY_CODE[drill].flag(f, p)
    return {
        "has_antibiotic": f.has_antibiotic,
        "has_injection": f.has_injection,
        "duplicate": RULES_BY_CODE["R18_07"].flag(f, p) | RULES_BY_CODE["R19_04"].flag(f, p),
        "abx_outpatient": f.has_antibiotic & (f.visit_type == "outpatient"),
        "abx_emergency": f.has_antibiotic & (f.visit_type == "emergency"),
        "abx_inpatient": f.has_antibiotic & (f.visit_type == "inpatient"),
    }.get(drill, ibis.literal(True))


def evaluate(t: Tables, params: dict[str, Any] | None = None) -> tuple[Any, Any]:
    """Run the screening and the indicators: (findings, indicator rows) as pandas frames."""
    import pandas as pd

    p = params_with(params)
    # The features feed both the screening and the indicators: materialise them once (a
    # temporary table on DuckDB, a cached DataFrame on Spark) instead of computing them twice.
    from hongfan.clinical import engine

    f = engine.materialize(features(t, p), "hf_features")
    try:
        wide = screen(t, p, f).to_pandas()
        if len(wide):
            wide["rx_date"] = pd.to_datetime(wide["rx_date"]).dt.date
        rx, days, cons = (e.to_pandas() for e in indicators(t, p, f))
    finally:
        engine.release(f, "hf_features")
    return findings(wide), indicator_rows(rx, days, cons)
