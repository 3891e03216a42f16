"""Writes of the clinical module: imports, screening, sampling, review, warnings."""

from __future__ import annotations

import datetime as dt
import itertools
import math
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import numpy as np
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from hongfan.clinical import engine, importing, rules, schema
from hongfan.clinical.models import (
    ClinicalWarning,
    ColumnProfile,
    Finding,
    HisImport,
    IndicatorValue,
    Parameter,
    ReviewSample,
    SampleItem,
    ScreeningRun,
)
from hongfan.org.models import Department, Staff

# Review norms (《医院处方点评管理规范（试行）》2010, Art. 10)
OUTPATIENT_RATE = 0.001
OUTPATIENT_MIN = 100
INPATIENT_RATE = 0.01
INPATIENT_MIN = 30
# Physicians with this many irrational prescriptions in a review cycle fail 定期考核.
IRRATIONAL_LIMIT = 5

WARNING_DEFAULTS: dict[str, Any] = {
    "peer_z": 3.0,  # robust z-score against department peers
    "peer_min_peers": 4,
    "growth_pct": 50.0,  # month-on-month growth of a department's consumable revenue
    "growth_min_base": 10000.0,  # yuan: smaller bases are noise
    "key_share_pct": 80.0,  # share of key-governed consumables in a department
    "readmission_days": 15,  # split admission window
    "unbundling_pairs": [["TC01", "TC01-1"]],  # package code, component code
}


# -- parameters ---------------------------------------------------------------------------------


def parameters() -> dict[str, Any]:
    """Rule parameters, warning thresholds and targets: defaults overridden by ``Parameter``."""
    values: dict[str, Any] = {**rules.DEFAULT_PARAMS, **WARNING_DEFAULTS}
    for i in rules.INDICATORS:
        values[f"target.{i.key}"] = i.target
    values.update({p.key: p.value for p in Parameter.objects.all()})
    return values


def target(indicator: str, params: dict[str, Any] | None = None) -> float | None:
    p = params if params is not None else parameters()
    value = p.get(f"target.{indicator}")
    return None if value is None else float(value)


@transaction.atomic
def parameter_set(*, key: str, value: Any, actor: Any = None) -> Parameter:
    defaults = parameters()
    if key not in defaults:
        raise ValidationError(_("Unknown parameter."))
    current = defaults[key]
    if isinstance(current, int | float) and not isinstance(value, int | float):
        raise ValidationError(_("This parameter must be a number."))
    if isinstance(value, int | float) and value < 0:
        raise ValidationError(_("This parameter must not be negative."))
    obj, _created = Parameter.objects.get_or_create(key=key, defaults={"value": value})
    obj.value = value
    obj.full_clean()
    obj.save()
    return obj


# -- imports ------------------------------------------------------------------------------------


@transaction.atomic
def profile_save(
    *,
    dataset: str,
    name: str,
    mapping: dict[str, str],
    note: str = "",
    profile: ColumnProfile | None = None,
) -> ColumnProfile:
    ds = schema.DATASETS.get(dataset)
    if ds is None:
        raise ValidationError(_("Unknown dataset."))
    known = {c.name for c in ds.columns}
    unknown = sorted(set(mapping) - known)
    if unknown:
        raise ValidationError(
            _("Unknown columns in the mapping: %(c)s") % {"c": "、".join(unknown)}
        )
    clean = {k: v.strip() for k, v in mapping.items() if v and v.strip()}
    obj = profile or ColumnProfile(dataset=dataset)
    obj.dataset, obj.name, obj.mapping, obj.note = dataset, name.strip(), clean, note
    obj.full_clean()
    obj.save()
    return obj


def his_import(
    *,
    path: Path,
    file_name: str,
    dataset: str,
    period: str = "",
    profile: ColumnProfile | None = None,
    actor: Any = None,
) -> HisImport:
    """Load one HIS export into the analytic store and record the attempt.

    The store write happens first (each partition replaced atomically); the record of the
    attempt is one transaction. A refused file writes nothing to the store.
    """
    started = time.monotonic()
    record = HisImport(
        dataset=dataset,
        period=period
        if schema.DATASETS.get(dataset) and schema.DATASETS[dataset].date_column
        else "",
        profile=profile,
        file_name=file_name[:255],
        imported_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    try:
        outcome = importing.import_file(
            path, dataset=dataset, period=period, mapping=profile.mapping if profile else None
        )
    except importing.FileRefused as exc:
        record.status = HisImport.Status.REFUSED
        record.message = str(exc)[:300]
        record.sha256 = importing.sha256_of(path) if path.exists() and path.stat().st_size else ""
        record.size = path.stat().st_size if path.exists() else 0
    else:
        record.sha256, record.size, record.rows = outcome.sha256, outcome.size, outcome.rows
        record.errors, record.error_count = outcome.errors, outcome.error_count
        if outcome.ok:
            record.status = HisImport.Status.IMPORTED
            record.created, record.updated = outcome.created, outcome.updated
            record.unchanged = outcome.unchanged
            before = HisImport.objects.filter(
                sha256=outcome.sha256, dataset=dataset, status=HisImport.Status.IMPORTED
            ).exists()
            record.message = (
                _("The same file was imported before; nothing changed.")
                if before and not (outcome.created or outcome.updated)
                else ""
            )
        else:
            record.status = HisImport.Status.REFUSED
            record.message = _("%(n)d bad rows: nothing was imported.") % {"n": outcome.error_count}
    record.duration_ms = int((time.monotonic() - started) * 1000)
    with transaction.atomic():
        record.full_clean()
        record.save()
    return record


# -- screening ----------------------------------------------------------------------------------


def _month_tables(t: dict[str, Any], month: str) -> dict[str, Any]:
    prev = _prev_month(month)
    out = dict(t)
    for name in ("prescriptions", "consumables", "discharges", "claims"):
        out[name] = t[name].filter(t[name].month == month)
    d = t["diagnoses"]
    out["diagnoses"] = d.filter(d.month.isin([prev, month, _next_month(month)]))
    return out


def _prev_month(month: str) -> str:
    y, m = (int(x) for x in month.split("-"))
    return f"{y - (m == 1)}-{(m - 2) % 12 + 1:02d}"


def _next_month(month: str) -> str:
    y, m = (int(x) for x in month.split("-"))
    return f"{y + (m == 12)}-{m % 12 + 1:02d}"


def _lookups() -> tuple[dict[str, Department], dict[str, Staff]]:
    depts = {d.code: d for d in Department.objects.order_by("-is_active", "pk")[::-1]}
    staff = {s.employee_no: s for s in Staff.objects.order_by("pk")}
    return depts, staff


def screening_run(
    *, month: str, backend: str = "duckdb", actor: Any = None, warnings: bool = True
) -> ScreeningRun:
    """Screen every prescription of ``month`` against every rule, recompute the indicators and
    raise the month's consumable and insurance warnings.

    Findings already reviewed by a pharmacist are kept; machine findings that no longer hold
    (data re-imported, parameters changed) and were never reviewed are removed. Idempotent.
    """
    if month not in set(importing_months()):
        raise ValidationError(_("No prescriptions have been imported for %(m)s.") % {"m": month})
    started = time.monotonic()
    params = parameters()
    rule_params = {k: params[k] for k in rules.DEFAULT_PARAMS}
    _con, tables = engine.tables(backend)
    t = _month_tables(tables, month)
    found, ind = rules.evaluate(t, rule_params)
    n_rx = int(t["prescriptions"].rx_no.nunique().to_pandas())
    depts, staff = _lookups()
    with transaction.atomic():
        run = ScreeningRun.objects.create(
            month=month,
            backend=backend,
            prescriptions=n_rx,
            triggered_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        n_findings = _store_findings(month, found, depts, staff)
        _store_indicators(month, ind, depts, staff)
        n_warnings = (
            warnings_raise(month=month, tables=tables, params=params, actor=actor)
            if warnings
            else 0
        )
        run.findings = n_findings
        run.warnings = n_warnings
        run.duration_ms = int((time.monotonic() - started) * 1000)
        run.save(update_fields=["findings", "warnings", "duration_ms"])
    return run


def screen_months(*, months: list[str], actor: Any = None) -> list[ScreeningRun]:
    """Screen several months in one pass over the store (a year at once: the demo, a backlog)."""
    missing = sorted(set(months) - set(importing_months()))
    if missing:
        raise ValidationError(
            _("No prescriptions have been imported for %(m)s.") % {"m": "、".join(missing)}
        )
    started = time.monotonic()
    params = parameters()
    rule_params = {k: params[k] for k in rules.DEFAULT_PARAMS}
    _con, tables = engine.tables()
    t = dict(tables)
    rx = tables["prescriptions"]
    t["prescriptions"] = rx.filter(rx.month.isin(months))
    found, ind = rules.evaluate(t, rule_params)
    counts = (
        t["prescriptions"].group_by("month").agg(n=t["prescriptions"].rx_no.nunique()).to_pandas()
    )
    per_month = dict(zip(counts["month"], counts["n"], strict=True))
    depts, staff = _lookups()
    share = int((time.monotonic() - started) * 1000 / max(1, len(months)))
    runs = []
    for month in sorted(months):
        with transaction.atomic():
            run = ScreeningRun.objects.create(
                month=month,
                prescriptions=int(per_month.get(month, 0)),
                triggered_by=actor if getattr(actor, "is_authenticated", False) else None,
            )
            run.findings = _store_findings(month, found[found["month"] == month], depts, staff)
            _store_indicators(month, ind[ind["month"] == month], depts, staff)
            run.warnings = warnings_raise(month=month, tables=tables, params=params, actor=actor)
            run.duration_ms = share
            run.save(update_fields=["findings", "warnings", "duration_ms"])
        runs.append(run)
    return runs


def importing_months() -> list[str]:
    from hongfan.core import analytics

    return analytics.partitions("prescriptions")


def _store_findings(month: str, found: Any, depts: dict, staff: dict) -> int:
    existing = {
        (f.rx_no, f.rule_code): f
        for f in Finding.objects.filter(month=month, source=Finding.Source.MACHINE)
    }
    keep: set[tuple[str, str]] = set()
    new = []
    for r in found.itertuples(index=False):
        key = (r.rx_no, r.rule_code)
        keep.add(key)
        if key in existing:
            continue
        new.append(
            Finding(
                month=month,
                rx_no=r.rx_no,
                visit_no=r.visit_no,
                visit_type=r.visit_type,
                rx_date=r.rx_date,
                dept_code=r.dept_code,
                department=depts.get(r.dept_code),
                doctor_no=r.doctor_no,
                doctor=staff.get(r.doctor_no),
                rule_code=r.rule_code,
                category=rules.RULES_BY_CODE[r.rule_code].category,
                value=float(r.value),
                source=Finding.Source.MACHINE,
            )
        )
    stale = [f.pk for k, f in existing.items() if k not in keep and f.status == Finding.Status.OPEN]
    if stale:
        Finding.objects.filter(pk__in=stale).delete()
    Finding.objects.bulk_create(new, batch_size=2000)
    return len(keep)


def _store_indicators(month: str, ind: Any, depts: dict, staff: dict) -> None:
    IndicatorValue.objects.filter(month=month).delete()
    rows = [
        IndicatorValue(
            month=month,
            dept_code=r.dept_code,
            department=depts.get(r.dept_code),
            doctor_no=r.doctor_no,
            doctor=staff.get(r.doctor_no),
            indicator=r.indicator,
            num=float(r.num),
            den=float(r.den),
        )
        for r in ind.itertuples(index=False)
        if r.den or r.num
    ]
    IndicatorValue.objects.bulk_create(rows, batch_size=2000)


# -- warnings -----------------------------------------------------------------------------------


def warning_candidates(
    *, month: str, tables: dict[str, Any], params: dict[str, Any]
) -> list[dict[str, Any]]:
    """Compute the month's consumable and insurance anomalies (no writes)."""
    out: list[dict[str, Any]] = []
    c = tables["consumables"]
    per_doc = (
        c.filter(c.month == month)
        .group_by(["dept_code", "doctor_no"])
        .agg(amount=c.amount.sum(), visits=c.visit_no.nunique())
        .execute()
    )
    # robust z-score of amount per visit against department peers
    for dept, grp in per_doc.groupby("dept_code"):
        if len(grp) < int(params["peer_min_peers"]):
            continue
        x = (grp["amount"] / grp["visits"]).to_numpy()
        med = float(np.median(x))
        mad = float(np.median(np.abs(x - med)))
        if mad == 0:
            continue
        for doc, value in zip(grp["doctor_no"], x, strict=True):
            z = 0.6745 * (value - med) / mad
            if z >= float(params["peer_z"]):
                out.append(
                    dict(
                        kind=ClinicalWarning.Kind.PEER_OUTLIER,
                        dept_code=dept,
                        doctor_no=doc,
                        subject="",
                        value=round(float(value), 2),
                        baseline=round(med, 2),
                        threshold=float(params["peer_z"]),
                        detail=_(
                            "Consumables per inpatient %(v).2f yuan against a department median of %(m).2f (robust z = %(z).1f, threshold %(t)s)."  # noqa: E501
                        )
                        % {"v": value, "m": med, "z": z, "t": params["peer_z"]},
                    )
                )
    prev = _prev_month(month)
    per_dept = (
        c.filter(c.month.isin([prev, month]))
        .group_by(["dept_code", "month"])
        .agg(
            amount=c.amount.sum(),
            key=c.amount.sum(where=c.is_key_monitored),
        )
        .execute()
    )
    by = {(r.dept_code, r.month): r for r in per_dept.itertuples(index=False)}
    for (dept, m), r in sorted(by.items()):
        if m != month:
            continue
        before = by.get((dept, prev))
        if before is not None and before.amount >= float(params["growth_min_base"]):
            growth = (r.amount - before.amount) / before.amount * 100
            if growth > float(params["growth_pct"]):
                out.append(
                    dict(
                        kind=ClinicalWarning.Kind.GROWTH,
                        dept_code=dept,
                        doctor_no="",
                        subject="",
                        value=round(growth, 1),
                        baseline=round(float(before.amount), 2),
                        threshold=float(params["growth_pct"]),
                        detail=_(
                            "Consumable revenue %(a).2f yuan, %(g).1f%% above last month's %(b).2f yuan (threshold %(t)s%%)."  # noqa: E501
                        )
                        % {
                            "a": r.amount,
                            "g": growth,
                            "b": before.amount,
                            "t": params["growth_pct"],
                        },
                    )
                )
        share = (float(r.key or 0) / r.amount * 100) if r.amount else 0.0
        if share > float(params["key_share_pct"]):
            out.append(
                dict(
                    kind=ClinicalWarning.Kind.KEY_SHARE,
                    dept_code=dept,
                    doctor_no="",
                    subject="",
                    value=round(share, 1),
                    baseline=None,
                    threshold=float(params["key_share_pct"]),
                    detail=_(
                        "Key-governed consumables are %(s).1f%% of the department's consumable revenue (threshold %(t)s%%)."  # noqa: E501
                    )
                    % {"s": share, "t": params["key_share_pct"]},
                )
            )
    # split admissions: same patient, same main diagnosis (3 characters), readmitted within N days
    d = tables["discharges"]
    dd = (
        d.filter(d.month.isin([prev, month]))
        .select(
            "visit_no",
            "patient_id",
            "dept_code",
            "doctor_no",
            "admit_date",
            "discharge_date",
            "main_icd",
            "month",
        )
        .execute()
    )
    window = int(params["readmission_days"])
    dd["icd3"] = dd["main_icd"].str[:3]
    dd = dd.sort_values(["patient_id", "admit_date"])
    for _pid, grp in dd.groupby("patient_id"):
        if len(grp) < 2:
            continue
        rows = list(grp.itertuples(index=False))
        for a, b in itertools.pairwise(rows):
            gap = (b.admit_date - a.discharge_date).days
            if b.month == month and a.icd3 == b.icd3 and 0 <= gap <= window:
                out.append(
                    dict(
                        kind=ClinicalWarning.Kind.SPLIT_ADMISSION,
                        dept_code=b.dept_code,
                        doctor_no=b.doctor_no,
                        subject=b.visit_no,
                        value=float(gap),
                        baseline=None,
                        threshold=float(window),
                        detail=_(
                            "Patient readmitted %(g)d days after discharge (record %(a)s) with the same main diagnosis %(icd)s (window %(w)d days)."  # noqa: E501
                        )
                        % {"g": gap, "a": a.visit_no, "icd": b.main_icd, "w": window},
                    )
                )
    # duplicate and unbundled charges
    cl = tables["claims"]
    cm = cl.filter(cl.month == month)
    dup = cm.group_by(
        ["visit_no", "item_code", "item_name", "charge_date", "quantity", "amount"]
    ).agg(n=cm.count())
    dup = dup.filter(dup.n > 1).execute()
    visits = d.select("visit_no", "dept_code", "doctor_no").execute()
    owner = {r.visit_no: (r.dept_code, r.doctor_no) for r in visits.itertuples(index=False)}
    for r in dup.itertuples(index=False):
        dept, doc = owner.get(r.visit_no, ("", ""))
        out.append(
            dict(
                kind=ClinicalWarning.Kind.DUPLICATE_CHARGE,
                dept_code=dept,
                doctor_no=doc,
                subject=f"{r.visit_no}:{r.item_code}:{r.charge_date:%Y%m%d}"[:80],
                value=float(r.n),
                baseline=None,
                threshold=1.0,
                detail=_(
                    "%(item)s charged %(n)d times on %(d)s for record %(v)s with the same quantity and amount."  # noqa: E501
                )
                % {"item": r.item_name, "n": r.n, "d": r.charge_date, "v": r.visit_no},
            )
        )
    for package, component in params["unbundling_pairs"]:
        p_ = cm.filter(cm.item_code == package).select(
            "visit_no", "charge_date", p_name="item_name"
        )
        q_ = cm.filter(cm.item_code == component).select(
            q_visit="visit_no", q_date="charge_date", q_name="item_name"
        )
        both = p_.inner_join(q_, [p_.visit_no == q_.q_visit, p_.charge_date == q_.q_date]).execute()
        for r in both.drop_duplicates(["visit_no", "charge_date"]).itertuples(index=False):
            dept, doc = owner.get(r.visit_no, ("", ""))
            out.append(
                dict(
                    kind=ClinicalWarning.Kind.UNBUNDLED_CHARGE,
                    dept_code=dept,
                    doctor_no=doc,
                    subject=f"{r.visit_no}:{package}:{r.charge_date:%Y%m%d}"[:80],
                    value=1.0,
                    baseline=None,
                    threshold=0.0,
                    detail=_(
                        "%(c)s was charged separately on %(d)s although the package %(p)s that contains it was charged for record %(v)s."  # noqa: E501
                    )
                    % {"c": r.q_name, "p": r.p_name, "d": r.charge_date, "v": r.visit_no},
                )
            )
    return out


def warnings_raise(
    *,
    month: str,
    tables: dict[str, Any] | None = None,
    params: dict[str, Any] | None = None,
    actor: Any = None,
) -> int:
    """Create the month's new warnings, each with its 约谈 matter; return how many hold now."""
    from hongfan.loops import services as loops

    if tables is None:
        _con, tables = engine.tables()
    params = params or parameters()
    candidates = warning_candidates(month=month, tables=tables, params=params)
    depts, staff = _lookups()
    existing = {
        (w.kind, w.dept_code, w.doctor_no, w.subject)
        for w in ClinicalWarning.objects.filter(month=month)
    }
    opener = actor if getattr(actor, "is_authenticated", False) else None
    for cand in candidates:
        key = (cand["kind"], cand["dept_code"], cand["doctor_no"], cand["subject"])
        if key in existing:
            continue
        existing.add(key)
        w = ClinicalWarning(
            month=month,
            department=depts.get(cand["dept_code"]),
            doctor=staff.get(cand["doctor_no"]) if cand["doctor_no"] else None,
            **cand,
        )
        w.full_clean()
        w.save()
        if w.department is not None:
            who = w.doctor.name if w.doctor else w.department.name
            w.matter = loops.matter_open(
                type="clinical_warning",
                title=_("约谈: %(kind)s — %(who)s (%(month)s)")
                % {"kind": w.get_kind_display(), "who": who, "month": month},
                description=w.detail,
                originator=opener,
                owner_department=w.department,
                participants=_doctor_users(w.doctor),
                source=w,
            )
            w.save(update_fields=["matter"])
    return len(candidates)


def formal_talk_held(*, matter: Any, actor: Any = None) -> None:
    """Record the 约谈 in the doctor's ethics file (hook of the clinical_warning 'hold' step)."""
    from hongfan.scoring.services import record_event

    warning = ClinicalWarning.objects.filter(matter=matter).select_related("doctor").first()
    if warning is None or warning.doctor is None:
        return
    record_event(
        code="clinical.formal_talk",
        subject=warning.doctor,
        occurred_on=timezone.localdate(),
        source=warning,
        summary=str(warning.get_kind_display()) + "：" + warning.detail[:150],
        source_url=reverse("clinical:warning", args=[warning.pk]),
        actor=actor,
    )


# -- sampling -----------------------------------------------------------------------------------


def required_size(population: int, setting: str) -> int:
    """Sample size per the review norms, never more than the population."""
    if setting == ReviewSample.Setting.OUTPATIENT:
        n = max(math.ceil(population * OUTPATIENT_RATE), OUTPATIENT_MIN)
    else:
        n = max(math.ceil(population * INPATIENT_RATE), INPATIENT_MIN)
    return min(n, population)


def allocate(counts: dict[str, int], n: int) -> dict[str, int]:
    """Proportional allocation over strata (largest remainder), capped by each stratum."""
    total = sum(counts.values())
    if total == 0 or n == 0:
        return {k: 0 for k in counts}
    quotas = {k: n * c / total for k, c in counts.items()}
    alloc = {k: min(counts[k], int(q)) for k, q in quotas.items()}
    rest = n - sum(alloc.values())
    for k in sorted(counts, key=lambda k: (-(quotas[k] - int(quotas[k])), k)):
        if rest <= 0:
            break
        if alloc[k] < counts[k]:
            alloc[k] += 1
            rest -= 1
    return alloc


@transaction.atomic
def sample_draw(*, month: str, actor: Any = None, seed: int | None = None) -> list[ReviewSample]:
    """Draw the month's review samples (outpatient/emergency and inpatient), stratified by
    department. Refused when the month has no data or the sample was already drawn."""
    if month not in set(importing_months()):
        raise ValidationError(_("No prescriptions have been imported for %(m)s.") % {"m": month})
    if ReviewSample.objects.filter(month=month).exists():
        raise ValidationError(_("The sample of this month has already been drawn."))
    _con, tables = engine.tables()
    rx = tables["prescriptions"]
    rx = rx.filter(rx.month == month)
    op = (
        rx.filter(rx.visit_type.isin(["outpatient", "emergency"]))
        .group_by(["rx_no", "visit_no", "dept_code", "doctor_no"])
        .agg(rx_date=rx.rx_date.min())
        .execute()
    )
    dis = tables["discharges"]
    ip = (
        dis.filter(dis.month == month)
        .select("visit_no", "dept_code", "doctor_no", rx_date="discharge_date")
        .execute()
    )
    ip["rx_no"] = ip["visit_no"]
    rng = np.random.default_rng(seed if seed is not None else int(month.replace("-", "")))
    depts, staff = _lookups()
    finding_counts: dict[str, int] = defaultdict(int)
    for rx_no, visit_no in Finding.objects.filter(
        month=month, source=Finding.Source.MACHINE
    ).values_list("rx_no", "visit_no"):
        finding_counts[rx_no] += 1
        finding_counts[visit_no] += 1
    samples = []
    for setting, frame in (
        (ReviewSample.Setting.OUTPATIENT, op),
        (ReviewSample.Setting.INPATIENT, ip),
    ):
        population = len(frame)
        if population == 0:
            continue
        need = required_size(population, setting)
        sample = ReviewSample(
            month=month,
            setting=setting,
            population=population,
            required=need,
            drawn_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        sample.full_clean()
        sample.save()
        frame = frame.sort_values("rx_no").reset_index(drop=True)
        counts = frame.groupby("dept_code").size().to_dict()
        alloc = allocate(counts, need)
        items = []
        for dept, k in sorted(alloc.items()):
            if k == 0:
                continue
            rows = frame[frame.dept_code == dept]
            chosen = rows.iloc[np.sort(rng.choice(len(rows), size=k, replace=False))]
            for r in chosen.itertuples(index=False):
                items.append(
                    SampleItem(
                        sample=sample,
                        key=r.rx_no,
                        visit_no=r.visit_no,
                        rx_date=r.rx_date,
                        dept_code=r.dept_code,
                        department=depts.get(r.dept_code),
                        doctor_no=r.doctor_no,
                        doctor=staff.get(r.doctor_no),
                        machine_findings=finding_counts.get(r.rx_no, 0),
                    )
                )
        SampleItem.objects.bulk_create(items, batch_size=2000)
        samples.append(sample)
    return samples


# -- review (pharmacists' workstation)


def _event_for(finding: Finding, actor: Any) -> None:
    from hongfan.scoring.services import record_event

    if finding.doctor is None:
        return
    rule = rules.RULES_BY_CODE.get(finding.rule_code)
    record_event(
        code="clinical.prescription_finding",
        subject=finding.doctor,
        occurred_on=finding.rx_date,
        source=finding,
        summary=_("Prescription %(rx)s: %(what)s")
        % {"rx": finding.rx_no, "what": rule.name if rule else finding.note[:80]},
        source_url=reverse("clinical:prescription", args=[finding.rx_no]),
        actor=actor,
    )


@transaction.atomic
def finding_review(*, finding: Finding, decision: str, actor: Any, note: str = "") -> Finding:
    """Confirm (the prescription is irrational on this criterion) or override a finding."""
    finding = Finding.objects.select_for_update().get(pk=finding.pk)
    if decision not in (Finding.Status.CONFIRMED, Finding.Status.OVERRIDDEN):
        raise ValidationError(_("Choose confirm or override."))
    if decision == Finding.Status.OVERRIDDEN and not note.strip():
        raise ValidationError(_("Give the reason for overriding the machine's finding."))
    was = finding.status
    finding.status = decision
    finding.note = note.strip()
    finding.reviewed_by = actor
    finding.reviewed_at = timezone.now()
    finding.full_clean()
    finding.save()
    if decision == Finding.Status.CONFIRMED:
        _event_for(finding, actor)
    elif was == Finding.Status.CONFIRMED:
        from hongfan.scoring.services import void_events_for_source

        void_events_for_source(
            source=finding, reason=note.strip() or _("Overridden on review"), actor=actor
        )
    return finding


@transaction.atomic
def finding_add(*, item: SampleItem, rx_no: str, category: str, note: str, actor: Any) -> Finding:
    """A pharmacist's own finding on a sampled prescription (confirmed at once)."""
    from hongfan.clinical.selectors import prescription_detail

    if category not in Finding.Category.values:
        raise ValidationError(_("Choose a category."))
    if not note.strip():
        raise ValidationError(_("Describe the problem."))
    detail = prescription_detail(rx_no)
    if detail is None or (rx_no != item.key and detail["header"]["visit_no"] != item.key):
        raise ValidationError(_("This prescription is not part of the sampled record."))
    h = detail["header"]
    depts, staff = _lookups()
    f = Finding(
        month=item.sample.month,
        rx_no=rx_no,
        visit_no=h["visit_no"],
        visit_type=h["visit_type"],
        rx_date=h["rx_date"],
        dept_code=h["dept_code"],
        department=depts.get(h["dept_code"]),
        doctor_no=h["doctor_no"],
        doctor=staff.get(h["doctor_no"]),
        rule_code="",
        category=category,
        source=Finding.Source.PHARMACIST,
        status=Finding.Status.CONFIRMED,
        note=note.strip(),
        reviewed_by=actor,
        reviewed_at=timezone.now(),
    )
    f.full_clean()
    f.save()
    _event_for(f, actor)
    return f


@transaction.atomic
def item_complete(
    *, item: SampleItem, actor: Any, note: str = "", expected_version: int | None = None
) -> SampleItem:
    """Finish the review of a sampled record: every machine finding must have been judged."""
    item = SampleItem.objects.select_for_update().get(pk=item.pk)
    if expected_version is not None and item.version != expected_version:
        raise ValidationError(_("Someone else changed this review; reload the page."), code="stale")
    keys = [item.key] if item.sample.setting == ReviewSample.Setting.OUTPATIENT else []
    qs = Finding.objects.filter(month=item.sample.month)
    qs = qs.filter(rx_no__in=keys) if keys else qs.filter(visit_no=item.visit_no)
    if qs.filter(status=Finding.Status.OPEN).exists():
        raise ValidationError(_("Confirm or override every machine finding first."))
    irrational = qs.filter(status=Finding.Status.CONFIRMED).exists()
    item.verdict = SampleItem.Verdict.IRRATIONAL if irrational else SampleItem.Verdict.RATIONAL
    item.status = SampleItem.Status.REVIEWED
    item.note = note.strip()
    item.reviewed_by = actor
    item.reviewed_at = timezone.now()
    item.version += 1
    item.full_clean()
    item.save()
    return item


def month_bounds(month: str) -> tuple[dt.date, dt.date]:
    y, m = (int(x) for x in month.split("-"))
    start = dt.date(y, m, 1)
    end = dt.date(y + (m == 12), m % 12 + 1, 1) - dt.timedelta(days=1)
    return start, end


def _doctor_users(doctor: Staff | None) -> list[Any]:
    if doctor is None:
        return []
    from hongfan.accounts.models import User

    return list(User.objects.filter(staff=doctor, is_active=True))
