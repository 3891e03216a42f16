"""Send notifications: in-app always; e-mail and group-robot webhooks by each user's preference.

Channels outside the inbox are chosen per user: a default (``Preference``: e-mail on/off, a
group robot, from which level) and, per kind of notification (the sending module, see
``kinds``), an explicit choice (``KindPreference``: inbox only / + e-mail / + robot / both)
that wins over the default, whatever the level. E-mail goes through Django's e-mail backend
(``EMAIL_BACKEND``; locmem in tests).

``notify`` (one message, many users) and ``notify_many`` (many messages in one go, used by
bulk escalation) share one path. With a ``dedup_key`` a message reaches each user at most
once, so periodic reminder commands can run any number of times. Delivery outside the inbox
happens after the transaction commits and never breaks the caller: failures are logged.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hongfan.notifications import kinds, webhooks
from hongfan.notifications.models import KindPreference, Notification, Preference

log = logging.getLogger(__name__)

_LEVEL_ORDER = {lvl: i for i, lvl in enumerate(Notification.Level.values)}

# Tests replace this with a fake transport; None means real urllib.
webhook_transport: webhooks.Transport | None = None


@dataclass
class NotificationItem:
    user_ids: set[int]
    title: str
    body: str = ""
    url: str = ""
    level: str = Notification.Level.INFO
    dedup_key: str = ""
    source_type: str = ""
    source_id: str = ""
    extra: dict[str, Any] = field(default_factory=dict)
    kind: str = ""


@transaction.atomic
def notify_many(items: Sequence[NotificationItem]) -> list[Notification]:
    """Create the inbox rows of many messages with a constant number of queries."""
    keys = {i.dedup_key for i in items if i.dedup_key}
    already: set[tuple[int, str]] = set()
    if keys:
        for chunk in _chunks(sorted(keys), 900):
            already |= set(
                Notification.objects.filter(dedup_key__in=chunk).values_list(
                    "recipient_id", "dedup_key"
                )
            )
    rows: list[Notification] = []
    for item in items:
        for pk in sorted(item.user_ids):
            if item.dedup_key and (pk, item.dedup_key) in already:
                continue
            if item.dedup_key:
                already.add((pk, item.dedup_key))
            rows.append(
                Notification(
                    recipient_id=pk,
                    level=item.level,
                    title=item.title[:200],
                    body=item.body,
                    url=item.url[:300],
                    dedup_key=item.dedup_key,
                    source_type=item.source_type,
                    source_id=item.source_id,
                    kind=kinds.kind_for(kind=item.kind, source_type=item.source_type),
                )
            )
    if not rows:
        return []
    created = Notification.objects.bulk_create(rows, batch_size=1000)
    transaction.on_commit(lambda: deliver(created))
    return created


def notify(
    *,
    users: Iterable[Any],
    title: str,
    body: str = "",
    url: str = "",
    level: str = Notification.Level.INFO,
    source: models.Model | None = None,
    dedup_key: str = "",
    kind: str = "",
) -> list[Notification]:
    """Put a notification in each user's inbox; with ``dedup_key``, at most once per user.

    ``kind`` (default: the app label of ``source``) selects the user's channel preference.
    Returns the notifications created (already-sent duplicates are skipped).
    """
    ids = {u.pk for u in users if u is not None and getattr(u, "pk", None)}
    source_type = f"{source._meta.app_label}.{source._meta.model_name}" if source else ""
    source_id = str(source.pk) if source is not None else ""
    return notify_many(
        [
            NotificationItem(
                user_ids=ids,
                title=title,
                body=body,
                url=url,
                level=level,
                dedup_key=dedup_key,
                source_type=source_type,
                source_id=source_id,
                kind=kind,
            )
        ]
    )


def _chunks(seq: Sequence[Any], size: int) -> Iterable[Sequence[Any]]:
    for start in range(0, len(seq), size):
        yield seq[start : start + size]


def _channels(
    n: Notification, pref: Preference | None, rule: KindPreference | None
) -> tuple[bool, bool]:
    """Return (e-mail, robot) wanted for ``n``: the kind's choice, else the default."""
    if rule is not None:
        return rule.email, rule.robot
    if pref is None or _LEVEL_ORDER.get(n.level, 0) < _LEVEL_ORDER.get(pref.min_level, 0):
        return False, False
    return pref.email, bool(pref.webhook)


def deliver(notifications: Sequence[Notification]) -> dict[str, int]:
    """Send ``notifications`` by e-mail / webhook to users who asked for it; return counts.

    Three queries whatever the number of notifications.
    """
    from hongfan.accounts.models import User

    counts = {"email": 0, "webhook": 0, "failed": 0}
    recipient_ids = {n.recipient_id for n in notifications}
    if not recipient_ids:
        return counts
    ids = sorted(recipient_ids)
    prefs = {p.user_id: p for p in Preference.objects.filter(user_id__in=ids)}
    rules = {
        (r.user_id, r.kind): r
        for r in KindPreference.objects.filter(user_id__in=ids).exclude(
            channels=KindPreference.Channels.INBOX
        )
    }
    interested = {p.user_id for p in prefs.values() if p.email or p.webhook}
    interested |= {uid for uid, _kind in rules}
    if not interested:
        return counts
    emails = dict(User.objects.filter(pk__in=sorted(interested)).values_list("pk", "email"))
    inbox_only = {
        (uid, kind)
        for uid, kind in KindPreference.objects.filter(
            user_id__in=sorted(interested), channels=KindPreference.Channels.INBOX
        ).values_list("user_id", "kind")
    }
    for n in notifications:
        if n.recipient_id not in interested:
            continue
        kind = n.kind or kinds.GENERAL
        if (n.recipient_id, kind) in inbox_only:
            continue
        pref = prefs.get(n.recipient_id)
        want_email, want_robot = _channels(n, pref, rules.get((n.recipient_id, kind)))
        text = "\n".join(x for x in (n.body, _absolute(n.url)) if x)
        address = emails.get(n.recipient_id) or ""
        if want_email and address:
            try:
                send_mail(n.title, text, None, [address], fail_silently=False)
                counts["email"] += 1
            except Exception:  # delivery must never break the caller
                log.warning("notification e-mail to user %s failed", n.recipient_id, exc_info=True)
                counts["failed"] += 1
        if want_robot and pref is not None and pref.webhook and pref.webhook_url:
            try:
                webhooks.robot_for(
                    pref.webhook,
                    pref.webhook_url,
                    secret=pref.webhook_secret,
                    transport=webhook_transport,
                ).send(n.title, text)
                counts["webhook"] += 1
            except webhooks.WebhookError as exc:
                log.warning("notification webhook for user %s failed: %s", n.recipient_id, exc)
                counts["failed"] += 1
    return counts


def _absolute(url: str) -> str:
    base = getattr(settings, "HONGFAN_SITE_URL", "")
    return f"{base.rstrip('/')}{url}" if url and base else url


@transaction.atomic
def notification_mark_read(*, notification: Notification) -> Notification:
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


@transaction.atomic
def notifications_mark_all_read(*, user: Any) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


@transaction.atomic
def preference_set(
    *,
    user: Any,
    email: bool,
    webhook: str = "",
    webhook_url: str | None = None,
    webhook_secret: str | None = None,
    min_level: str = Notification.Level.REMINDER,
) -> Preference:
    """Save the user's delivery preference; ``None`` keeps the stored robot address/secret."""
    pref = Preference.objects.filter(user=user).first() or Preference(user=user)
    pref.email = email
    pref.webhook = webhook
    pref.min_level = min_level
    if webhook_url is not None:
        pref.webhook_url = webhook_url.strip()
    if webhook_secret is not None:
        pref.webhook_secret = webhook_secret.strip()
    if not webhook:
        pref.webhook_url = ""
        pref.webhook_secret = ""
    if webhook and not pref.webhook_url:
        raise ValidationError({"webhook_url": _("A group robot needs its webhook address.")})
    if pref.webhook_url and not pref.webhook_url.startswith("https://"):
        raise ValidationError({"webhook_url": _("The webhook address must start with https://.")})
    if email and not getattr(user, "email", ""):
        raise ValidationError({"email": _("Your account has no e-mail address.")})
    pref.full_clean()
    pref.save()
    return pref


def preference_test_send(*, user: Any) -> None:
    """Send a test message through the user's robot; raise ValidationError on failure."""
    pref = Preference.objects.filter(user=user).first()
    if pref is None or not pref.webhook:
        raise ValidationError(_("No group robot is set up."))
    try:
        webhooks.robot_for(
            pref.webhook, pref.webhook_url, secret=pref.webhook_secret, transport=webhook_transport
        ).send(_("Hongfan test message"), _("The group robot is connected."))
    except webhooks.WebhookError as exc:
        raise ValidationError(
            _("The group robot did not accept the message: %(e)s") % {"e": exc}
        ) from exc


@transaction.atomic
def kind_preferences_set(*, user: Any, choices: dict[str, str]) -> int:
    """Save the user's channels per kind; ``""`` means "follow the default". Return the number
    of kinds with an explicit choice.

    E-mail needs an address on the account, a group robot a configured robot.
    """
    known = {code for code, _label in kinds.choices()}
    unknown = sorted(set(choices) - known)
    if unknown:
        raise ValidationError(
            _("Unknown kind of notification: %(kinds)s.") % {"kinds": ", ".join(unknown)}
        )
    valid = set(KindPreference.Channels.values) | {""}
    pref = Preference.objects.filter(user=user).first()
    errors: list[str] = []
    for code, channels in choices.items():
        if channels not in valid:
            errors.append(_("Unknown channel choice: %(c)s.") % {"c": channels})
            continue
        rule = KindPreference(user=user, kind=code, channels=channels or "inbox")
        if channels and rule.email and not getattr(user, "email", ""):
            errors.append(
                _("%(kind)s: your account has no e-mail address.") % {"kind": kinds.label_for(code)}
            )
        if channels and rule.robot and (pref is None or not pref.webhook):
            errors.append(
                _("%(kind)s: set up a group robot first.") % {"kind": kinds.label_for(code)}
            )
    if errors:
        raise ValidationError(errors)
    existing = {r.kind: r for r in KindPreference.objects.filter(user=user)}
    for code, channels in choices.items():
        row = existing.get(code)
        if not channels:
            if row is not None:
                row.delete()
            continue
        if row is None:
            row = KindPreference(user=user, kind=code)
        if row.channels != channels:
            row.channels = channels
            row.full_clean()
            row.save()
    return KindPreference.objects.filter(user=user).count()
