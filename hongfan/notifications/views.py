"""The inbox, the unread badge (HTMX) and delivery preferences."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from hongfan.core.access import get_visible_or_404
from hongfan.notifications import selectors, services
from hongfan.notifications.forms import KindPreferenceForm, PreferenceForm
from hongfan.notifications.models import Notification


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    qs = selectors.notifications_visible_to(request.user)
    show = request.GET.get("show", "")
    if show == "unread":
        qs = qs.filter(read_at__isnull=True)
    level = request.GET.get("level", "")
    if level in Notification.Level.values:
        qs = qs.filter(level=level)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/inbox.html",
        {
            "page_obj": page,
            "show": show,
            "level": level,
            "levels": Notification.Level.choices,
            "unread": selectors.unread_count(request.user),
        },
    )


@login_required
@require_POST
def read(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark one notification read (pk 0: all of them) and follow its link."""
    if pk == 0:
        services.notifications_mark_all_read(user=request.user)
        return redirect("notifications:inbox")
    note = get_visible_or_404(selectors.notifications_visible_to(request.user), pk=pk)
    services.notification_mark_read(notification=note)
    if request.headers.get("HX-Request"):
        return render(
            request, "notifications/_badge.html", {"unread": selectors.unread_count(request.user)}
        )
    if note.url and url_has_allowed_host_and_scheme(note.url, allowed_hosts={request.get_host()}):
        return redirect(note.url)
    return redirect("notifications:inbox")


@login_required
def badge(request: HttpRequest) -> HttpResponse:
    return render(
        request, "notifications/_badge.html", {"unread": selectors.unread_count(request.user)}
    )


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest) -> HttpResponse:
    pref = selectors.preference_for(request.user)
    initial = {
        "email": pref.email if pref else False,
        "webhook": pref.webhook if pref else "",
        "min_level": pref.min_level if pref else Notification.Level.REMINDER,
    }
    saving_kinds = request.method == "POST" and request.POST.get("section") == "kinds"
    saving_default = request.method == "POST" and not saving_kinds
    form = PreferenceForm(request.POST if saving_default else None, initial=initial)
    kind_initial = {
        KindPreferenceForm.PREFIX + k: v
        for k, v in selectors.kind_choices_for(request.user).items()
    }
    kind_form = KindPreferenceForm(request.POST if saving_kinds else None, initial=kind_initial)
    if saving_kinds and kind_form.is_valid():
        try:
            services.kind_preferences_set(user=request.user, choices=kind_form.choices())
        except ValidationError as exc:
            kind_form.add_error(None, exc)
        else:
            messages.success(request, _("Your choices per kind of notification were saved."))
            return redirect("notifications:preferences")
    if saving_default and form.is_valid():
        data = form.cleaned_data
        try:
            services.preference_set(
                user=request.user,
                email=data["email"],
                webhook=data["webhook"],
                webhook_url=data["webhook_url"] or None,
                webhook_secret=data["webhook_secret"] or None,
                min_level=data["min_level"],
            )
            if request.POST.get("test"):
                services.preference_test_send(user=request.user)
                messages.success(request, _("The test message was sent."))
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, exc)
        else:
            messages.success(request, _("Your preferences were saved."))
            return redirect("notifications:preferences")
    return render(
        request,
        "notifications/preferences.html",
        {
            "form": form,
            "kind_form": kind_form,
            "has_robot": bool(pref and pref.webhook_url),
            "account_email": getattr(request.user, "email", ""),
        },
    )
