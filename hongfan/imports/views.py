"""Upload, preview, confirm and the history of imports."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hongfan.audit import services as audit
from hongfan.audit.models import AuditEntry
from hongfan.core.access import get_visible_or_404, require
from hongfan.core.exports import XLSX, xlsx_response
from hongfan.imports import registry, selectors, services
from hongfan.imports.forms import RunFilterForm, UploadForm
from hongfan.imports.framework import FileRejected, check_size
from hongfan.imports.models import ImportRun
from hongfan.imports.templates_xlsx import template_bytes


def _require_any(request: HttpRequest) -> None:
    require(request, *selectors.import_capabilities())


def _kind_labels() -> dict[str, str]:
    return {cls.kind: str(cls.label) for cls in registry.all_importers()}


@login_required
def index(request: HttpRequest) -> HttpResponse:
    _require_any(request)
    importers = selectors.importers_for(request.user)
    recent = list(selectors.runs_visible_to(request.user)[:10])
    labels = _kind_labels()
    for run in recent:
        run.kind_label = labels.get(run.kind, run.kind)  # type: ignore[attr-defined]
    return render(request, "imports/index.html", {"importers": importers, "recent": recent})


@login_required
def upload(request: HttpRequest, kind: str) -> HttpResponse:
    importer = registry.get(kind)
    require(request, importer.capability)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload_file = form.cleaned_data["file"]
        try:
            check_size(upload_file.size)
        except FileRejected as exc:
            form.add_error("file", exc.message)
        else:
            data = upload_file.read()
            run = services.import_validate(
                kind=kind, data=data, file_name=upload_file.name, user=request.user
            )
            return redirect("imports:run_detail", pk=run.pk)
    return render(request, "imports/upload.html", {"importer": importer, "form": form})


@login_required
def template(request: HttpRequest, kind: str) -> HttpResponse:
    importer = registry.get(kind)
    require(request, importer.capability)
    name = _("%(kind)s import template") % {"kind": importer.label}
    response = HttpResponse(template_bytes(importer), content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}.xlsx"
    return response


@login_required
def run_list(request: HttpRequest) -> HttpResponse:
    _require_any(request)
    labels = _kind_labels()
    kinds = [(cls.kind, str(cls.label)) for cls in selectors.importers_for(request.user)]
    form = RunFilterForm(request.GET or None, kinds=kinds)
    qs = selectors.runs_visible_to(request.user)
    if form.is_valid():
        if form.cleaned_data["q"]:
            qs = qs.filter(file_name__icontains=form.cleaned_data["q"])
        if form.cleaned_data["kind"]:
            qs = qs.filter(kind=form.cleaned_data["kind"])
        if form.cleaned_data["outcome"]:
            qs = qs.filter(outcome=form.cleaned_data["outcome"])
    if request.GET.get("export") == "xlsx":
        return xlsx_response(
            request,
            filename=_("Import history"),
            headers=[
                _("Started"),
                _("Kind"),
                _("File name"),
                _("User"),
                _("Outcome"),
                _("Created"),
                _("Updated"),
                _("Unchanged"),
                _("Errors"),
                "SHA-256",
            ],
            rows=(
                (
                    r.started_at,
                    labels.get(r.kind, r.kind),
                    r.file_name,
                    r.user.username if r.user else "",
                    r.get_outcome_display(),
                    r.created_count,
                    r.updated_count,
                    r.unchanged_count,
                    r.error_count,
                    r.sha256,
                )
                for r in qs.iterator()
            ),
            object_type="imports.importrun",
        )
    page = Paginator(qs.defer("pending_payload", "notes"), 50).get_page(request.GET.get("page"))
    for run in page:
        run.kind_label = labels.get(run.kind, run.kind)  # type: ignore[attr-defined]
    return render(request, "imports/run_list.html", {"form": form, "page_obj": page})


@login_required
def run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require_any(request)
    run = get_visible_or_404(
        selectors.runs_visible_to(request.user).defer("pending_payload"), pk=pk
    )
    importer = registry.get(run.kind)
    errors = run.errors or []
    if request.GET.get("export") == "xlsx":
        return xlsx_response(
            request,
            filename=_("Import errors"),
            headers=[_("Row"), _("Column"), _("Reason")],
            rows=((e.get("row") or "", e.get("column", ""), e.get("message", "")) for e in errors),
            object_type="imports.importrun",
            detail={"run": run.pk},
        )
    page = Paginator(errors, 50).get_page(request.GET.get("page"))
    expired = (
        run.outcome == ImportRun.Outcome.PENDING
        and timezone.now() - run.started_at > services.PENDING_LIFETIME
    )
    return render(
        request,
        "imports/run_detail.html",
        {"run": run, "importer": importer, "page_obj": page, "expired": expired},
    )


def _pending_run(request: HttpRequest, pk: int) -> ImportRun:
    _require_any(request)
    run = get_visible_or_404(selectors.runs_visible_to(request.user), pk=pk)
    if not request.user.has_capability(registry.get(run.kind).capability):  # type: ignore[union-attr]
        raise PermissionDenied
    return run


@require_POST
@login_required
def run_apply(request: HttpRequest, pk: int) -> HttpResponse:
    run = _pending_run(request, pk)
    try:
        run = services.import_apply(run=run, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("imports:run_detail", pk=run.pk)
    if run.outcome == ImportRun.Outcome.APPLIED:
        messages.success(
            request,
            _("Imported: %(c)d created, %(u)d updated, %(n)d unchanged.")
            % {"c": run.created_count, "u": run.updated_count, "n": run.unchanged_count},
        )
    else:
        messages.error(request, _("The data changed since the preview; nothing was saved."))
    return redirect("imports:run_detail", pk=run.pk)


@require_POST
@login_required
def run_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    run = _pending_run(request, pk)
    try:
        services.import_cancel(run=run, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        audit.record(AuditEntry.Action.OTHER, run, detail={"import": "cancelled"})
        messages.info(request, _("The import was cancelled; nothing was saved."))
    return redirect("imports:run_detail", pk=run.pk)
