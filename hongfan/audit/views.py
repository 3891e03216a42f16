"""Pages of the audit log, for the audit administrator only."""

from __future__ import annotations

import json

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from hongfan.accounts.roles import Cap
from hongfan.audit import selectors, services
from hongfan.audit.forms import AuditSearchForm
from hongfan.audit.models import AuditEntry
from hongfan.core.access import capability_required
from hongfan.core.exports import xlsx_response


@capability_required(Cap.AUDIT_VIEW)
def log(request: HttpRequest) -> HttpResponse:
    qs = selectors.audit_entries_visible_to(request.user)
    form = AuditSearchForm(request.GET or None)
    if form.is_valid():
        qs = selectors.audit_entries_search(qs, **form.cleaned_data)
    elif form.is_bound:
        qs = qs.none()
    else:
        qs = qs.order_by("-id")
    if request.GET.get("export") == "xlsx":
        return xlsx_response(  # type: ignore[return-value]
            request,
            filename=_("audit log"),
            headers=[
                _("Id"),
                _("Time"),
                _("User"),
                _("Action"),
                _("Object type"),
                _("Object id"),
                _("Object"),
                _("Outcome"),
                _("Source address"),
                _("Detail"),
                _("Hash"),
            ],
            rows=(
                (
                    e.pk,
                    e.at_text,
                    e.username,
                    e.get_action_display(),
                    e.object_type,
                    e.object_id,
                    e.object_repr,
                    e.get_outcome_display(),
                    e.source_ip,
                    json.dumps(e.detail, ensure_ascii=False) if e.detail else "",
                    e.hash,
                )
                for e in qs.iterator(chunk_size=1000)
            ),
            object_type="audit.auditentry",
            sheet_title=_("Audit log"),
        )
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "audit/log.html", {"filter_form": form, "page_obj": page})


@capability_required(Cap.AUDIT_VIEW)
def verify(request: HttpRequest) -> HttpResponse:
    """Run the same check as ``manage.py verify_audit_chain`` (on POST) and show the result."""
    report = None
    if request.method == "POST":
        report = services.check_chain()
        services.record(
            AuditEntry.Action.OTHER,
            object_type="audit.chain",
            object_repr=_("Audit chain verification"),
            outcome=AuditEntry.Outcome.SUCCESS if report.ok else AuditEntry.Outcome.FAILURE,
            detail={
                "verify_chain": True,
                "checked": report.checked,
                "broken_id": report.broken.pk if report.broken else None,
                "tail_mismatch": report.tail_mismatch,
            },
        )
    return render(
        request, "audit/verify.html", {"report": report, "checked_at": timezone.localtime()}
    )
