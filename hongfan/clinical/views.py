"""Clinical integrity pages: dashboard, drill-down, findings, imports, screening, the review
sample and the pharmacists' workstation, warnings and the printable feedback forms."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hongfan.accounts.roles import Cap
from hongfan.clinical import forms, rules, schema, selectors, services
from hongfan.clinical.models import (
    ClinicalWarning,
    ColumnProfile,
    Finding,
    HisImport,
    ReviewSample,
    SampleItem,
)
from hongfan.core import analytics
from hongfan.core.access import get_visible_or_404, require
from hongfan.core.exports import xlsx_response
from hongfan.org.models import Department

VIEW_CAPS = (Cap.CLINICAL_VIEW, Cap.CLINICAL_REVIEW, Cap.CLINICAL_MANAGE)


def _errors(exc: ValidationError) -> str:
    return "；".join(str(m) for m in exc.messages)


def _month(request: HttpRequest, months: list[str]) -> str:
    m = request.GET.get("month", "")
    if m in months:
        return m
    return months[0] if months else ""


def _visible_departments(request: HttpRequest) -> list[Department]:
    ids = selectors.department_ids_visible(request.user)
    qs = Department.objects.filter(is_active=True).order_by("code")
    return list(qs if ids is None else qs.filter(pk__in=ids))


# -- dashboard ------------------------------------------------------------------------------------


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    require(request, *VIEW_CAPS)
    months = selectors.months_available()
    month = _month(request, months)
    dept_ids = selectors.department_ids_visible(request.user)
    key = request.GET.get("indicator", "pct_antibiotic")
    if key not in rules.INDICATORS_BY_KEY:
        key = "pct_antibiotic"
    ctx: dict[str, Any] = {
        "months": months,
        "month": month,
        "key": key,
        "indicators": rules.INDICATORS,
    }
    if month:
        summary = selectors.indicator_summary([month], dept_ids)
        trend = selectors.trend(key, dept_ids)
        ind = rules.INDICATORS_BY_KEY[key]
        target = next(r["target"] for r in summary if r["key"] == key)
        chart = {
            "tooltip": {"trigger": "axis"},
            "grid": {"left": 48, "right": 16, "top": 24, "bottom": 32},
            "xAxis": {"type": "category", "data": [t["month"] for t in trend]},
            "yAxis": {"type": "value", "name": ind.unit},
            "series": [
                {
                    "type": "line",
                    "name": str(ind.label),
                    "data": [None if t["value"] is None else round(t["value"], 2) for t in trend],
                    **(
                        {
                            "markLine": {
                                "data": [{"yAxis": target, "name": _("Target")}],
                                "symbol": "none",
                            }
                        }
                        if target is not None
                        else {}
                    ),
                }
            ],
        }
        ctx.update(
            summary=summary,
            chart=chart,
            current=rules.INDICATORS_BY_KEY[key],
            current_row=next(r for r in summary if r["key"] == key),
            dept_ranking=selectors.ranking(key, [month], "dept", dept_ids),
            doctor_ranking=selectors.ranking(key, [month], "doctor", dept_ids, limit=20),
            flagged=selectors.flagged_doctors([month], dept_ids, services.IRRATIONAL_LIMIT),
            runs=selectors.latest_runs(),
            can_manage=request.user.has_capability(Cap.CLINICAL_MANAGE),
            data_months=analytics.partitions("prescriptions"),
        )
    else:
        ctx.update(
            can_manage=request.user.has_capability(Cap.CLINICAL_MANAGE),
            data_months=analytics.partitions("prescriptions"),
        )
    return render(request, "clinical/dashboard.html", ctx)


@login_required
@require_POST
def screen(request: HttpRequest) -> HttpResponse:
    require(request, Cap.CLINICAL_MANAGE)
    form = forms.MonthForm(request.POST)
    if not form.is_valid():
        messages.error(
            request, _errors(ValidationError(form.errors.get("month", [_("Invalid month.")])))
        )
        return redirect("clinical:dashboard")
    month = form.cleaned_data["month"]
    try:
        run = services.screening_run(
            month=month, backend=form.cleaned_data.get("backend") or "duckdb", actor=request.user
        )
    except ValidationError as exc:
        messages.error(request, _errors(exc))
        return redirect("clinical:dashboard")
    messages.success(
        request,
        _("%(month)s screened: %(rx)d prescriptions, %(f)d findings, %(w)d warnings in %(s).1f s.")
        % {
            "month": month,
            "rx": run.prescriptions,
            "f": run.findings,
            "w": run.warnings,
            "s": run.duration_ms / 1000,
        },
    )
    return redirect(f"{_url('clinical:dashboard')}?month={month}")


def _url(name: str, *args: Any) -> str:
    from django.urls import reverse

    return reverse(name, args=args)


# -- drill-down -----------------------------------------------------------------------------------


@login_required
def prescription_list(request: HttpRequest) -> HttpResponse:
    require(request, *VIEW_CAPS)
    data_months = sorted(analytics.partitions("prescriptions"), reverse=True)
    month = _month(request, data_months)
    codes = selectors.dept_codes_visible(request.user)
    filters = {
        k: request.GET.get(k, "").strip() for k in ("dept", "doctor", "drill", "visit_type", "q")
    }
    drills = [
        (i.drill, i.label)
        for i in rules.INDICATORS
        if i.drill and i.drill not in rules.RULES_BY_CODE
    ]
    drills += [(r.code, f"{r.code} {r.name}") for r in rules.RULES]
    if filters["drill"] and filters["drill"] not in dict(drills):
        filters["drill"] = ""
    try:
        page_no = max(1, int(request.GET.get("page", "1")))
    except ValueError:
        page_no = 1
    export = request.GET.get("export") == "xlsx"
    total, rows = (0, [])
    if month:
        total, rows = selectors.prescriptions(
            month=month,
            dept_codes=codes,
            offset=0 if export else (page_no - 1) * 50,
            limit=10000 if export else 50,
            **filters,
        )
    if export:
        vt = dict(schema_visit_labels())
        return xlsx_response(
            request,
            filename=f"处方明细-{month}",
            headers=[
                _("Prescription"),
                _("Visit"),
                _("Visit type"),
                _("Date"),
                _("Department code"),
                _("Doctor"),
                _("Drugs"),
                _("Antibiotic"),
                _("Injection"),
                _("Amount"),
            ],
            rows=[
                [
                    r["rx_no"],
                    r["visit_no"],
                    vt.get(r["visit_type"], r["visit_type"]),
                    r["rx_date"],
                    r["dept_code"],
                    r["doctor_no"],
                    r["n_drugs"],
                    _("Yes") if r["has_antibiotic"] else "",
                    _("Yes") if r["has_injection"] else "",
                    round(r["amount"], 2),
                ]
                for r in rows
            ],
            object_type="clinical.prescription",
        )
    pages = max(1, (total + 49) // 50)
    names = _doctor_names({r["doctor_no"] for r in rows})
    for r in rows:
        r["doctor_name"] = names.get(r["doctor_no"], "")
    return render(
        request,
        "clinical/prescriptions.html",
        {
            "rows": rows,
            "total": total,
            "month": month,
            "months": data_months,
            "filters": filters,
            "drills": drills,
            "departments": _visible_departments(request),
            "page_no": page_no,
            "pages": pages,
            "visit_types": schema_visit_labels(),
        },
    )


def schema_visit_labels() -> list[tuple[str, Any]]:
    from hongfan.clinical.models import VisitType

    return list(VisitType.choices)


def _doctor_names(nos: set[str]) -> dict[str, str]:
    from hongfan.org.models import Staff

    return dict(Staff.objects.filter(employee_no__in=nos).values_list("employee_no", "name"))


@login_required
def prescription_detail(request: HttpRequest, rx_no: str) -> HttpResponse:
    require(request, *VIEW_CAPS)
    detail = selectors.prescription_detail(rx_no)
    if detail is None:
        raise Http404
    codes = selectors.dept_codes_visible(request.user)
    if codes is not None and detail["header"]["dept_code"] not in codes:
        raise Http404
    from hongfan.audit.services import record_read

    findings = list(
        selectors.findings_visible_to(request.user)
        .filter(rx_no=rx_no)
        .select_related("reviewed_by")
    )
    first = findings[0] if findings else None
    if first is not None:
        record_read(first, user=request.user, what="prescription")
    return render(
        request,
        "clinical/prescription.html",
        {
            "d": detail,
            "findings": _with_rules(findings),
            "doctor": _doctor_names({detail["header"]["doctor_no"]}).get(
                detail["header"]["doctor_no"], ""
            ),
            "department": Department.objects.filter(code=detail["header"]["dept_code"]).first(),
        },
    )


def _with_rules(findings: list[Finding]) -> list[Finding]:
    p = services.parameters()
    for f in findings:
        rule = rules.RULES_BY_CODE.get(f.rule_code)
        f.rule = rule
        f.explanation = (
            str(rule.explanation).format(**{k: p.get(k) for k in rule.params}) if rule else ""
        )
        f.rule_name = rule.name if rule else _("Pharmacist's finding")
    return findings


# -- findings -------------------------------------------------------------------------------------


@login_required
def finding_list(request: HttpRequest) -> HttpResponse:
    require(request, *VIEW_CAPS)
    keys = ("month", "rule", "status", "dept", "category", "q")
    filters = {k: request.GET.get(k, "").strip() for k in keys}
    qs = selectors.findings_visible_to(request.user)
    if filters["month"]:
        qs = qs.filter(month=filters["month"])
    if filters["rule"]:
        qs = qs.filter(rule_code=filters["rule"])
    if filters["status"]:
        qs = qs.filter(status=filters["status"])
    if filters["category"]:
        qs = qs.filter(category=filters["category"])
    if filters["dept"]:
        qs = qs.filter(dept_code=filters["dept"])
    if filters["q"]:
        qs = qs.filter(
            Q(rx_no__icontains=filters["q"])
            | Q(doctor__name__icontains=filters["q"])
            | Q(doctor_no=filters["q"])
        )
    if request.GET.get("export") == "xlsx":
        return xlsx_response(
            request,
            filename="处方点评发现",
            headers=[
                _("Month"),
                _("Prescription"),
                _("Date"),
                _("Department"),
                _("Doctor"),
                _("Rule"),
                _("Category"),
                _("Value"),
                _("Source"),
                _("Status"),
                _("Note"),
            ],
            rows=[
                [
                    f.month,
                    f.rx_no,
                    f.rx_date,
                    f.department.name if f.department else f.dept_code,
                    f.doctor.name if f.doctor else f.doctor_no,
                    f"{f.rule_code} {rules.RULES_BY_CODE[f.rule_code].name}"
                    if f.rule_code in rules.RULES_BY_CODE
                    else "",
                    f.get_category_display(),
                    f.value,
                    f.get_source_display(),
                    f.get_status_display(),
                    f.note,
                ]
                for f in qs[:50000]
            ],
            object_type="clinical.finding",
        )
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    _with_rules(list(page.object_list))
    return render(
        request,
        "clinical/findings.html",
        {
            "page_obj": page,
            "filters": filters,
            "rules": rules.RULES,
            "months": selectors.months_available(),
            "statuses": Finding.Status.choices,
            "categories": Finding.Category.choices,
            "departments": _visible_departments(request),
        },
    )


# -- imports --------------------------------------------------------------------------------------


@login_required
def import_list(request: HttpRequest) -> HttpResponse:
    require(request, Cap.CLINICAL_MANAGE)
    form = forms.ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        with tempfile.TemporaryDirectory(dir=analytics.root()) as tmp:
            path = Path(tmp) / "upload"
            with open(path, "wb") as fh:
                for chunk in upload.chunks():
                    fh.write(chunk)
            record = services.his_import(
                path=path,
                file_name=upload.name,
                dataset=form.cleaned_data["dataset"],
                period=form.cleaned_data["period"],
                profile=form.cleaned_data.get("profile"),
                actor=request.user,
            )
        if record.status == HisImport.Status.IMPORTED:
            messages.success(
                request,
                _("Imported %(file)s: %(c)d new, %(u)d changed, %(n)d unchanged rows.")
                % {
                    "file": record.file_name,
                    "c": record.created,
                    "u": record.updated,
                    "n": record.unchanged,
                },
            )
        else:
            messages.error(
                request,
                _("%(file)s was refused: %(why)s")
                % {"file": record.file_name, "why": record.message},
            )
        return redirect("clinical:import_detail", pk=record.pk)
    qs = selectors.imports_visible_to(request.user)
    filters = {k: request.GET.get(k, "").strip() for k in ("dataset", "status", "q")}
    if filters["dataset"]:
        qs = qs.filter(dataset=filters["dataset"])
    if filters["status"]:
        qs = qs.filter(status=filters["status"])
    if filters["q"]:
        qs = qs.filter(file_name__icontains=filters["q"])
    if request.GET.get("export") == "xlsx":
        return xlsx_response(
            request,
            filename="HIS导入记录",
            headers=[
                _("Time"),
                _("Dataset"),
                _("Import period"),
                _("File name"),
                _("Status"),
                _("Rows"),
                _("New"),
                _("Changed"),
                _("Unchanged"),
                _("Errors"),
                _("Imported by"),
            ],
            rows=[
                [
                    r.at,
                    str(schema.DATASETS[r.dataset].label)
                    if r.dataset in schema.DATASETS
                    else r.dataset,
                    r.period,
                    r.file_name,
                    r.get_status_display(),
                    r.rows,
                    r.created,
                    r.updated,
                    r.unchanged,
                    r.error_count,
                    str(r.imported_by or ""),
                ]
                for r in qs[:10000]
            ],
            object_type="clinical.his_import",
        )
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    labels = {k: d.label for k, d in schema.DATASETS.items()}
    for r in page.object_list:
        r.dataset_label = labels.get(r.dataset, r.dataset)
    return render(
        request,
        "clinical/imports.html",
        {
            "form": form,
            "page_obj": page,
            "filters": filters,
            "datasets": list(labels.items()),
            "statuses": HisImport.Status.choices,
            "store": _store_overview(),
        },
    )


def _store_overview() -> list[dict[str, Any]]:
    return [
        {"label": d.label, "partitions": analytics.partitions(d.key)}
        for d in schema.DATASETS.values()
    ]


@login_required
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require(request, Cap.CLINICAL_MANAGE)
    record = get_visible_or_404(selectors.imports_visible_to(request.user), pk=pk)
    if request.GET.get("export") == "xlsx":
        return xlsx_response(
            request,
            filename=f"导入错误-{record.file_name}",
            headers=[_("Row"), _("Column"), _("Reason")],
            rows=[[e["row"], e["column"], e["reason"]] for e in record.errors],
            object_type="clinical.his_import",
        )
    page = Paginator(record.errors, 50).get_page(request.GET.get("page"))
    label = (
        schema.DATASETS[record.dataset].label
        if record.dataset in schema.DATASETS
        else record.dataset
    )
    return render(
        request, "clinical/import_detail.html", {"r": record, "page_obj": page, "label": label}
    )


@login_required
def profile_list(request: HttpRequest) -> HttpResponse:
    require(request, Cap.CLINICAL_MANAGE)
    return _profile_form(request, None)


@login_required
def profile_edit(request: HttpRequest, pk: int) -> HttpResponse:
    require(request, Cap.CLINICAL_MANAGE)
    profile = get_visible_or_404(ColumnProfile.objects.all(), pk=pk)
    return _profile_form(request, profile)


def _profile_form(request: HttpRequest, profile: ColumnProfile | None) -> HttpResponse:
    initial = {}
    if profile is not None:
        ds = schema.DATASETS.get(profile.dataset)
        heads = {c.name: c.header for c in ds.columns} if ds else {}
        initial = {
            "dataset": profile.dataset,
            "name": profile.name,
            "note": profile.note,
            "mapping": "\n".join(f"{heads.get(k, k)}={v}" for k, v in profile.mapping.items()),
        }
    form = forms.ProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.profile_save(
                dataset=form.cleaned_data["dataset"],
                name=form.cleaned_data["name"],
                mapping=form.cleaned_data["mapping_dict"],
                note=form.cleaned_data["note"],
                profile=profile,
            )
        except ValidationError as exc:
            from hongfan.core.forms import apply_service_errors

            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Profile saved."))
            return redirect("clinical:profiles")
    profiles = list(ColumnProfile.objects.all())
    labels = {k: d.label for k, d in schema.DATASETS.items()}
    for p in profiles:
        p.dataset_label = labels.get(p.dataset, p.dataset)
    standard = [
        (d.label, [(c.header, c.aliases, c.required) for c in d.columns])
        for d in schema.DATASETS.values()
    ]
    return render(
        request,
        "clinical/profiles.html",
        {"form": form, "profiles": profiles, "profile": profile, "standard": standard},
    )


# -- samples and the workstation


@login_required
def sample_list(request: HttpRequest) -> HttpResponse:
    require(request, Cap.CLINICAL_REVIEW, Cap.CLINICAL_MANAGE)
    samples = list(
        selectors.samples_visible_to(request.user)
        .annotate(
            total=Count("items"),
            reviewed=Count("items", filter=Q(items__status=SampleItem.Status.REVIEWED)),
            irrational=Count("items", filter=Q(items__verdict=SampleItem.Verdict.IRRATIONAL)),
        )
        .order_by("-month", "setting")
    )
    drawn = {s.month for s in samples}
    return render(
        request,
        "clinical/samples.html",
        {
            "samples": samples,
            "undrawn": [
                m
                for m in sorted(analytics.partitions("prescriptions"), reverse=True)
                if m not in drawn
            ],
            "can_manage": request.user.has_capability(Cap.CLINICAL_MANAGE),
        },
    )


@login_required
@require_POST
def sample_draw(request: HttpRequest) -> HttpResponse:
    require(request, Cap.CLINICAL_MANAGE)
    form = forms.MonthForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the month as YYYY-MM, e.g. 2026-03."))
        return redirect("clinical:samples")
    try:
        samples = services.sample_draw(month=form.cleaned_data["month"], actor=request.user)
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(
            request,
            _("Sample drawn: %(n)s.")
            % {"n": "，".join(f"{s.get_setting_display()} {s.required}" for s in samples)},
        )
    return redirect("clinical:samples")


@login_required
def sample_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require(request, Cap.CLINICAL_REVIEW, Cap.CLINICAL_MANAGE)
    sample = get_visible_or_404(selectors.samples_visible_to(request.user), pk=pk)
    filters = {k: request.GET.get(k, "").strip() for k in ("status", "dept", "q")}
    qs = SampleItem.objects.filter(sample=sample).select_related(
        "department", "doctor", "reviewed_by"
    )
    if filters["status"]:
        qs = qs.filter(status=filters["status"])
    if filters["dept"]:
        qs = qs.filter(dept_code=filters["dept"])
    if filters["q"]:
        qs = qs.filter(Q(key__icontains=filters["q"]) | Q(doctor__name__icontains=filters["q"]))
    if request.GET.get("export") == "xlsx":
        return xlsx_response(
            request,
            filename=f"点评样本-{sample.month}",
            headers=[
                _("Record"),
                _("Date"),
                _("Department"),
                _("Doctor"),
                _("Machine findings"),
                _("Status"),
                _("Verdict"),
                _("Note"),
            ],
            rows=[
                [
                    i.key,
                    i.rx_date,
                    i.department.name if i.department else i.dept_code,
                    i.doctor.name if i.doctor else i.doctor_no,
                    i.machine_findings,
                    i.get_status_display(),
                    i.get_verdict_display(),
                    i.note,
                ]
                for i in qs
            ],
            object_type="clinical.sample_item",
        )
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    by_dept = list(
        SampleItem.objects.filter(sample=sample)
        .values("dept_code", "department__name")
        .annotate(
            n=Count("pk"),
            done=Count("pk", filter=Q(status=SampleItem.Status.REVIEWED)),
            bad=Count("pk", filter=Q(verdict=SampleItem.Verdict.IRRATIONAL)),
        )
        .order_by("dept_code")
    )
    return render(
        request,
        "clinical/sample.html",
        {
            "sample": sample,
            "page_obj": page,
            "filters": filters,
            "statuses": SampleItem.Status.choices,
            "by_dept": by_dept,
            "progress": selectors.sample_progress(sample),
        },
    )


def _item(request: HttpRequest, pk: int) -> SampleItem:
    require(request, Cap.CLINICAL_REVIEW)
    return get_visible_or_404(selectors.items_visible_to(request.user), pk=pk)


def _item_prescriptions(item: SampleItem) -> list[str]:
    if item.sample.setting == ReviewSample.Setting.OUTPATIENT:
        return [item.key]
    return selectors.visit_prescriptions(item.visit_no, item.sample.month)


@login_required
def workstation(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item(request, pk)
    rx_nos = _item_prescriptions(item)
    details = [d for d in (selectors.prescription_detail(r) for r in rx_nos) if d]
    findings = list(
        Finding.objects.filter(month=item.sample.month, rx_no__in=rx_nos)
        .select_related("reviewed_by")
        .order_by("rx_no", "source", "rule_code")
    )
    _with_rules(findings)
    by_rx: dict[str, list[Finding]] = {}
    for f in findings:
        by_rx.setdefault(f.rx_no, []).append(f)
    for d in details:
        d["findings"] = by_rx.get(d["header"]["rx_no"], [])
    from hongfan.audit.services import record_read

    record_read(item, user=request.user, what="prescription review")
    siblings = (
        SampleItem.objects.filter(sample=item.sample, status=SampleItem.Status.PENDING)
        .exclude(pk=item.pk)
        .order_by("dept_code", "key")
    )
    return render(
        request,
        "clinical/workstation.html",
        {
            "item": item,
            "details": details,
            "open": sum(1 for f in findings if f.status == Finding.Status.OPEN),
            "add_form": forms.AddFindingForm(rx_choices=rx_nos),
            "complete_form": forms.CompleteForm(
                initial={"version": item.version, "note": item.note}
            ),
            "next_item": siblings.first(),
            "doctor_flagged": _doctor_count(item),
        },
    )


def _doctor_count(item: SampleItem) -> int:
    return (
        Finding.objects.filter(
            month=item.sample.month, doctor_no=item.doctor_no, status=Finding.Status.CONFIRMED
        )
        .values("rx_no")
        .distinct()
        .count()
    )


@login_required
@require_POST
def finding_review(request: HttpRequest, pk: int, finding_pk: int) -> HttpResponse:
    item = _item(request, pk)
    finding = get_visible_or_404(
        Finding.objects.filter(month=item.sample.month, rx_no__in=_item_prescriptions(item)),
        pk=finding_pk,
    )
    form = forms.ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose confirm or override."))
    else:
        try:
            services.finding_review(
                finding=finding,
                decision=form.cleaned_data["decision"],
                actor=request.user,
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            messages.error(request, _errors(exc))
    return redirect("clinical:workstation", pk=item.pk)


@login_required
@require_POST
def finding_add(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item(request, pk)
    form = forms.AddFindingForm(request.POST, rx_choices=_item_prescriptions(item))
    if not form.is_valid():
        messages.error(request, "；".join(str(e) for errs in form.errors.values() for e in errs))
    else:
        try:
            services.finding_add(item=item, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, _errors(exc))
        else:
            messages.success(request, _("Finding added."))
    return redirect("clinical:workstation", pk=item.pk)


@login_required
@require_POST
def item_complete(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item(request, pk)
    form = forms.CompleteForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Reload the page and try again."))
        return redirect("clinical:workstation", pk=item.pk)
    try:
        item = services.item_complete(
            item=item,
            actor=request.user,
            note=form.cleaned_data["note"],
            expected_version=form.cleaned_data["version"],
        )
    except ValidationError as exc:
        messages.error(request, _errors(exc))
        return redirect("clinical:workstation", pk=item.pk)
    messages.success(request, _("Review saved: %(v)s.") % {"v": item.get_verdict_display()})
    nxt = (
        SampleItem.objects.filter(sample=item.sample, status=SampleItem.Status.PENDING)
        .order_by("dept_code", "key")
        .first()
    )
    return (
        redirect("clinical:workstation", pk=nxt.pk)
        if nxt
        else redirect("clinical:sample", pk=item.sample_id)
    )


# -- warnings and feedback forms


@login_required
def warning_list(request: HttpRequest) -> HttpResponse:
    require(request, *VIEW_CAPS)
    filters = {k: request.GET.get(k, "").strip() for k in ("month", "kind", "dept", "state", "q")}
    qs = selectors.warnings_visible_to(request.user)
    if filters["month"]:
        qs = qs.filter(month=filters["month"])
    if filters["kind"]:
        qs = qs.filter(kind=filters["kind"])
    if filters["dept"]:
        qs = qs.filter(dept_code=filters["dept"])
    if filters["state"] == "open":
        qs = qs.filter(matter__closed_at__isnull=True)
    elif filters["state"] == "closed":
        qs = qs.filter(matter__closed_at__isnull=False)
    if filters["q"]:
        qs = qs.filter(
            Q(detail__icontains=filters["q"])
            | Q(doctor__name__icontains=filters["q"])
            | Q(subject__icontains=filters["q"])
        )
    if request.GET.get("export") == "xlsx":
        return xlsx_response(
            request,
            filename="耗材与医保预警",
            headers=[
                _("Month"),
                _("Kind"),
                _("Department"),
                _("Doctor"),
                _("Subject"),
                _("Value"),
                _("Threshold"),
                _("Detail"),
                _("Risk point"),
                _("约谈 state"),
            ],
            rows=[
                [
                    w.month,
                    w.get_kind_display(),
                    w.department.name if w.department else w.dept_code,
                    w.doctor.name if w.doctor else w.doctor_no,
                    w.subject,
                    w.value,
                    w.threshold,
                    w.detail,
                    w.risk_point,
                    w.matter.state if w.matter else "",
                ]
                for w in qs[:20000]
            ],
            object_type="clinical.warning",
        )
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    months = sorted(
        set(ClinicalWarning.objects.values_list("month", flat=True).distinct()), reverse=True
    )
    return render(
        request,
        "clinical/warnings.html",
        {
            "page_obj": page,
            "filters": filters,
            "kinds": ClinicalWarning.Kind.choices,
            "months": months,
            "departments": _visible_departments(request),
        },
    )


def _warning(request: HttpRequest, pk: int) -> ClinicalWarning:
    require(request, *VIEW_CAPS)
    return get_visible_or_404(selectors.warnings_visible_to(request.user), pk=pk)


@login_required
def warning_detail(request: HttpRequest, pk: int) -> HttpResponse:
    w = _warning(request, pk)
    return render(request, "clinical/warning.html", {"w": w, "params": services.parameters()})


@login_required
def warning_form(request: HttpRequest, pk: int) -> HttpResponse:
    """The printable 约谈 feedback form of one warning."""
    w = _warning(request, pk)
    events = list(w.matter.events.select_related("actor").order_by("at")) if w.matter else []
    return render(request, "clinical/warning_form.html", {"w": w, "events": events})


@login_required
def feedback_form(request: HttpRequest) -> HttpResponse:
    """质量考核反馈表: a department's review results and indicators for a month (printable)."""
    require(request, *VIEW_CAPS)
    months = selectors.months_available()
    month = _month(request, months)
    departments = _visible_departments(request)
    dept = next(
        (d for d in departments if str(d.pk) == request.GET.get("dept", "")),
        departments[0] if departments else None,
    )
    data = selectors.department_feedback(month, dept) if (dept and month) else None
    return render(
        request,
        "clinical/feedback.html",
        {"month": month, "months": months, "departments": departments, "dept": dept, "data": data},
    )


# -- parameters


@login_required
def parameter_list(request: HttpRequest) -> HttpResponse:
    require(request, Cap.CLINICAL_MANAGE)
    if request.method == "POST":
        form = forms.ParameterForm(request.POST)
        if form.is_valid():
            try:
                value = json.loads(form.cleaned_data["value"])
            except json.JSONDecodeError:
                messages.error(
                    request, _('Write a number, or a JSON list such as ["遵医嘱", "自用"].')
                )
            else:
                try:
                    services.parameter_set(
                        key=form.cleaned_data["key"], value=value, actor=request.user
                    )
                except ValidationError as exc:
                    messages.error(request, _errors(exc))
                else:
                    messages.success(
                        request, _("Parameter saved; it applies from the next screening.")
                    )
        return redirect("clinical:parameters")
    values = services.parameters()
    overridden = set(services.Parameter.objects.values_list("key", flat=True))
    rows = [
        {
            "key": k,
            "value": json.dumps(v, ensure_ascii=False),
            "overridden": k in overridden,
            "label": PARAM_LABELS.get(k, ""),
        }
        for k, v in sorted(values.items())
    ]
    return render(request, "clinical/parameters.html", {"rows": rows, "rules": rules.RULES})


def _param_labels() -> dict[str, Any]:
    from django.utils.translation import gettext_lazy

    labels: dict[str, Any] = {
        "max_drugs": gettext_lazy("Most drugs on an outpatient or emergency prescription"),
        "max_days_outpatient": gettext_lazy("Longest outpatient supply (days) without a reason"),
        "max_days_emergency": gettext_lazy("Longest emergency supply (days) without a reason"),
        "vague_words": gettext_lazy("Words that make directions vague"),
        "infection_prefixes": gettext_lazy("ICD-10 prefixes of infection diagnoses"),
        "same_action_classes": gettext_lazy("Classes where two drugs have the same action"),
        "narcotic_injection_days": gettext_lazy("Narcotic injection: days (one dose)"),
        "controlled_release_days": gettext_lazy("Narcotic controlled-release: most days"),
        "narcotic_other_days": gettext_lazy("Narcotic, other forms: most days"),
        "psychotropic2_days": gettext_lazy("Class-2 psychotropic: most days"),
        "peer_z": gettext_lazy("Robust z-score against department peers that raises a warning"),
        "peer_min_peers": gettext_lazy("Fewest doctors in a department for a peer comparison"),
        "growth_pct": gettext_lazy(
            "Month-on-month growth (%) of consumable revenue that raises a warning"
        ),
        "growth_min_base": gettext_lazy(
            "Smallest previous-month revenue (yuan) for the growth warning"
        ),
        "key_share_pct": gettext_lazy(
            "Share (%) of key-governed consumables that raises a warning"
        ),
        "readmission_days": gettext_lazy("Readmission window (days) for split admissions"),
        "unbundling_pairs": gettext_lazy("Package and component item codes (unbundling)"),
    }
    for i in rules.INDICATORS:
        labels[f"target.{i.key}"] = i.label
    return labels


class _Labels(dict):
    def get(self, key: str, default: Any = None) -> Any:  # type: ignore[override]
        return _param_labels().get(key, default)


PARAM_LABELS = _Labels()
