"""All writes to matters. Every other module opens and moves matters through these functions.

Concurrency: every change locks the row (``select_for_update``; SQLite serialises writers with
``BEGIN IMMEDIATE``), compares the caller's ``expected_version`` and writes with
``UPDATE … WHERE version = old``, so two people acting on one matter never lose an update: the
second gets a "someone else changed this matter" error and reloads.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from hongfan.accounts.models import RoleAssignment
from hongfan.accounts.roles import ROLE_CAPABILITIES, Role
from hongfan.audit import services as audit_services
from hongfan.loops import hooks
from hongfan.loops.models import (
    ACTOR_ORIGINATOR,
    ACTOR_OWNER,
    ACTOR_PARTICIPANT,
    ACTOR_SUPERIOR,
    ACTOR_SUPERVISOR,
    Comment,
    Evidence,
    Matter,
    MatterEvent,
    MatterType,
    workflow_text,
)
from hongfan.notifications.models import Notification
from hongfan.notifications.services import NotificationItem, notify_many
from hongfan.workdays.services import add_working_days

ALLOWED_EVIDENCE_EXTENSIONS = frozenset(
    {".pdf", ".jpg", ".jpeg", ".png", ".doc", ".docx", ".xls", ".xlsx", ".txt", ".ofd"}
)
# Leading bytes of the binary formats above; text files are checked for NUL bytes instead.
_SIGNATURES: dict[str, tuple[bytes, ...]] = {
    ".pdf": (b"%PDF",),
    ".png": (b"\x89PNG",),
    ".jpg": (b"\xff\xd8",),
    ".jpeg": (b"\xff\xd8",),
    ".docx": (b"PK",),
    ".xlsx": (b"PK",),
    ".ofd": (b"PK",),
    ".doc": (b"\xd0\xcf\x11\xe0",),
    ".xls": (b"\xd0\xcf\x11\xe0",),
}


def _stale() -> ValidationError:
    return ValidationError(
        _("Someone else changed this matter in the meantime. Reload the page and try again."),
        code="stale",
    )


# ---------------------------------------------------------------- types and deadlines


@transaction.atomic
def matter_type_ensure(*, code: str, **fields: Any) -> MatterType:
    """Create the type ``code`` or update its fields (idempotent; used by seeding)."""
    obj = MatterType.objects.filter(code=code).first() or MatterType(code=code)
    for key, value in fields.items():
        setattr(obj, key, value)
    obj.full_clean()
    obj.save()
    return obj


def matter_type_get(code: str) -> MatterType:
    """Return the type ``code``; a default type missing from the table is created first."""
    try:
        return MatterType.objects.get(code=code)
    except MatterType.DoesNotExist as exc:
        from hongfan.loops.workflows import DEFAULT_TYPES

        if code in DEFAULT_TYPES:
            return matter_type_ensure(code=code, **DEFAULT_TYPES[code])
        raise ValidationError(_("Unknown matter type %(code)s.") % {"code": code}) from exc


def _local(value: dt.datetime) -> dt.datetime:
    return timezone.localtime(value) if timezone.is_aware(value) else value


def compute_due(
    matter_type: MatterType, opened_at: dt.datetime, amount: int | None = None
) -> dt.datetime:
    """Return the deadline ``amount`` (default: the type's) units after ``opened_at``.

    Working days end at the type's ``due_time`` (17:30 Asia/Shanghai by default) of the due
    working day, counted with the official calendar; hours are clock hours.
    """
    n = matter_type.deadline_amount if amount is None else amount
    if matter_type.deadline_unit == MatterType.DeadlineUnit.HOURS:
        return opened_at + dt.timedelta(hours=n)
    day = add_working_days(_local(opened_at).date(), n)
    due = dt.datetime.combine(day, matter_type.due_time)
    return timezone.make_aware(due) if settings.USE_TZ else due


def escalation_threshold(matter_type: MatterType, due_at: dt.datetime, after: int) -> dt.datetime:
    """Return when a matter due at ``due_at`` reaches an escalation ``after`` units late."""
    if after == 0:
        return due_at
    if matter_type.deadline_unit == MatterType.DeadlineUnit.HOURS:
        return due_at + dt.timedelta(hours=after)
    local = _local(due_at)
    day = add_working_days(local.date(), after)
    return local.replace(year=day.year, month=day.month, day=day.day)


# ---------------------------------------------------------------- who is who on a matter


def department_head_ids(department_ids: Iterable[int]) -> dict[int, set[int]]:
    """Map department id → user ids of its heads (one query)."""
    out: dict[int, set[int]] = defaultdict(set)
    ids = {d for d in department_ids if d}
    if not ids:
        return out
    for dept, user in RoleAssignment.objects.filter(
        role=Role.DEPARTMENT_HEAD, department_id__in=ids, user__is_active=True
    ).values_list("department_id", "user_id"):
        out[dept].add(user)
    return out


def capability_holder_ids(capability: str) -> set[int]:
    """Return the ids of active users holding ``capability`` through any role (one query)."""
    roles = [role for role, caps in ROLE_CAPABILITIES.items() if capability in caps]
    if not roles:
        return set()
    return set(
        RoleAssignment.objects.filter(role__in=roles, user__is_active=True).values_list(
            "user_id", flat=True
        )
    )


def headed_department_ids(user: Any) -> frozenset[int]:
    """Departments ``user`` heads (cached on the user object)."""
    cached = getattr(user, "_loops_headed_departments", None)
    if cached is None:
        cached = frozenset(
            user.role_assignments.filter(
                role=Role.DEPARTMENT_HEAD, department__isnull=False
            ).values_list("department_id", flat=True)
        )
        user._loops_headed_departments = cached
    return cached


def owner_department_id(matter: Matter) -> int | None:
    if matter.owner_department_id:
        return matter.owner_department_id
    owner = matter.owner
    if owner is not None and owner.staff_id:
        return owner.staff.department_id  # type: ignore[union-attr]
    return None


def actor_roles(matter: Matter, user: Any) -> set[str]:
    """Return the actor roles ``user`` plays on ``matter`` (owner, supervisor, …)."""
    roles: set[str] = set()
    if user is None or not user.is_authenticated:
        return roles
    heads = headed_department_ids(user)
    if matter.owner_id == user.pk:
        roles.add(ACTOR_OWNER)
    elif matter.owner_id is None and matter.owner_department_id in heads:
        roles.add(ACTOR_OWNER)  # a department owns it: its head acts for it
    dept = owner_department_id(matter)
    if dept in heads:
        roles.add(ACTOR_SUPERIOR)
    if matter.originator_id == user.pk:
        roles.add(ACTOR_ORIGINATOR)
    if user.has_capability(matter.type.supervisor_capability):
        roles.add(ACTOR_SUPERVISOR)
    if matter.pk and matter.participants.filter(pk=user.pk).exists():
        roles.add(ACTOR_PARTICIPANT)
    return roles


def allowed_transitions(matter: Matter, user: Any) -> list[dict[str, Any]]:
    """Return the transitions ``user`` may fire on ``matter`` now."""
    roles = actor_roles(matter, user)
    return [
        t for t in matter.type.transitions_from(matter.state) if roles & set(t.get("actors", []))
    ]


def can_hand_over(matter: Matter, user: Any) -> bool:
    if matter.is_closed:
        return False
    return bool(actor_roles(matter, user) & {ACTOR_OWNER, ACTOR_SUPERIOR, ACTOR_SUPERVISOR})


# ---------------------------------------------------------------- open


def _event(
    matter: Matter,
    *,
    action: str,
    actor: Any = None,
    from_state: str = "",
    to_state: str = "",
    note: str = "",
    data: dict[str, Any] | None = None,
    at: dt.datetime | None = None,
) -> MatterEvent:
    event = MatterEvent(
        matter=matter,
        actor=actor if actor is not None and getattr(actor, "pk", None) else None,
        action=action,
        from_state=from_state,
        to_state=to_state,
        note=note,
        data=data or {},
        at=at or timezone.now(),
    )
    event.full_clean()
    event.save()
    hooks.fire(matter=matter, event=event)
    return event


def matter_url(matter: Matter | int) -> str:
    return reverse("loops:detail", args=[matter if isinstance(matter, int) else matter.pk])


@transaction.atomic
def matter_open(
    *,
    type: MatterType | str,
    title: str,
    description: str = "",
    originator: Any = None,
    owner: Any = None,
    owner_department: Any = None,
    participants: Sequence[Any] = (),
    participant_departments: Sequence[Any] = (),
    source: models.Model | None = None,
    opened_at: dt.datetime | None = None,
    due_at: dt.datetime | None = None,
    deadline_amount: int | None = None,
    note: str = "",
    notify_owner: bool = True,
) -> Matter:
    """Open a matter; the deadline is ``due_at`` or ``deadline_amount`` units (type default).

    A deadline before the opening time is refused.
    """
    matter_type = matter_type_get(type) if isinstance(type, str) else type
    opened = opened_at or timezone.now()
    if due_at is not None and due_at < opened:
        raise ValidationError({"due_at": _("The deadline cannot be before the matter is opened.")})
    if deadline_amount is not None and deadline_amount < 0:
        raise ValidationError({"due_at": _("The deadline cannot be before the matter is opened.")})
    if owner is None and owner_department is None:
        raise ValidationError({"owner": _("A matter needs an owner or an owner department.")})
    matter = Matter(
        type=matter_type,
        title=title,
        description=description,
        originator=originator if getattr(originator, "pk", None) else None,
        owner=owner,
        owner_department=owner_department,
        state=matter_type.initial_state,
        opened_at=opened,
        due_at=due_at or compute_due(matter_type, opened, deadline_amount),
    )
    if source is not None:
        matter.source_content_type = ContentType.objects.get_for_model(source)
        matter.source_object_id = str(source.pk)
    matter.full_clean()
    matter.save()
    if participants:
        matter.participants.set(participants)
    if participant_departments:
        matter.participant_departments.set(participant_departments)
    _event(
        matter,
        action=MatterEvent.Action.OPEN,
        actor=originator,
        to_state=matter.state,
        note=note,
        at=opened,
    )
    if notify_owner:
        recipients = {owner} if owner is not None else set()
        if owner is None and owner_department is not None:
            from hongfan.accounts.models import User

            heads = department_head_ids([owner_department.pk]).get(owner_department.pk, set())
            recipients = set(User.objects.filter(pk__in=heads))
        _notify(
            matter,
            recipients,
            _("New matter for you: %(title)s") % {"title": matter.title},
            dedup=f"loops:{matter.pk}:opened",
        )
    return matter


def _notify(
    matter: Matter, users: Iterable[Any], title: str, *, dedup: str = "", level: str = "info"
) -> None:
    ids = {u.pk for u in users if u is not None and getattr(u, "pk", None)}
    if not ids:
        return
    notify_many(
        [
            NotificationItem(
                user_ids=ids,
                title=title,
                url=matter_url(matter),
                level=level,
                dedup_key=dedup,
                source_type="loops.matter",
                source_id=str(matter.pk),
            )
        ]
    )


# ---------------------------------------------------------------- evidence and comments


def validate_evidence_file(
    upload: UploadedFile, allowed: Mapping[str, tuple[bytes, ...]] | None = None
) -> None:
    """Refuse files of a type not allowed or larger than HONGFAN_UPLOAD_MAX_BYTES.

    ``allowed`` maps the accepted extensions to their leading bytes (other modules pass their
    own list, e.g. photos only); by default the evidence types above."""
    limit = settings.HONGFAN_UPLOAD_MAX_BYTES
    if upload.size is not None and upload.size > limit:
        raise ValidationError(
            _("The file is too large (at most %(mb)s MB).") % {"mb": round(limit / 1048576, 1)},
            code="too_large",
        )
    suffix = Path(upload.name or "").suffix.lower()
    extensions = ALLOWED_EVIDENCE_EXTENSIONS if allowed is None else frozenset(allowed)
    if suffix not in extensions:
        raise ValidationError(
            _("Files of this type are not allowed. Allowed: %(types)s.")
            % {"types": " ".join(sorted(extensions))},
            code="file_type",
        )
    head = upload.read(8)
    upload.seek(0)
    signatures = (_SIGNATURES if allowed is None else allowed).get(suffix)
    if (signatures and not head.startswith(signatures)) or (suffix == ".txt" and b"\x00" in head):
        raise ValidationError(
            _("The file's content does not match its extension."), code="file_type"
        )


def _evidence_create(
    matter: Matter,
    *,
    actor: Any,
    files: Sequence[UploadedFile] = (),
    note: str = "",
    event: MatterEvent | None = None,
) -> list[Evidence]:
    created = []
    for upload in files:
        validate_evidence_file(upload)
        ev = Evidence(
            matter=matter,
            event=event,
            file=upload,
            original_name=Path(upload.name or "").name[:200],
            size=upload.size or 0,
            uploaded_by=actor,
        )
        ev.full_clean()
        ev.save()
        created.append(ev)
    if note.strip():
        ev = Evidence(matter=matter, event=event, note=note.strip(), uploaded_by=actor)
        ev.full_clean()
        ev.save()
        created.append(ev)
    return created


def _require_visible_actor(matter: Matter, actor: Any) -> set[str]:
    roles = actor_roles(matter, actor)
    if not roles:
        raise ValidationError(_("You are not involved in this matter."), code="forbidden")
    return roles


@transaction.atomic
def evidence_add(
    *,
    matter: Matter,
    actor: Any,
    files: Sequence[UploadedFile] = (),
    note: str = "",
) -> list[Evidence]:
    """Attach files and/or a note to an open matter."""
    if not files and not note.strip():
        raise ValidationError(_("Add a file or a note."))
    _require_visible_actor(matter, actor)
    if matter.is_closed:
        raise ValidationError(_("This matter is closed."))
    created = _evidence_create(matter, actor=actor, files=files, note=note)
    _event(
        matter,
        action=MatterEvent.Action.EVIDENCE,
        actor=actor,
        note=note.strip(),
        data={"files": [e.original_name for e in created if e.file]},
    )
    return created


@transaction.atomic
def comment_add(*, matter: Matter, author: Any, body: str) -> Comment:
    if not body.strip():
        raise ValidationError({"body": _("Write a comment.")})
    comment = Comment(matter=matter, author=author, body=body.strip())
    comment.full_clean()
    comment.save()
    return comment


# ---------------------------------------------------------------- transitions


def _lock(matter: Matter, expected_version: int | None) -> Matter:
    locked = (
        Matter.objects.select_for_update(of=("self",))  # PostgreSQL: not the outer joins
        .select_related("type", "owner", "owner__staff")
        .get(pk=matter.pk)
    )
    if expected_version is not None and locked.version != expected_version:
        raise _stale()
    return locked


def _save_versioned(matter: Matter, fields: Sequence[str]) -> None:
    """Write ``fields`` only if nobody bumped the version since it was read."""
    old = matter.version
    matter.version = old + 1
    matter.full_clean(exclude=["type", "owner", "owner_department", "originator"])
    values = {f: getattr(matter, f) for f in fields}
    updated = Matter.objects.filter(pk=matter.pk, version=old).update(
        version=matter.version, **values
    )
    if updated != 1:
        raise _stale()


def _has_evidence_since_reopen(matter: Matter) -> bool:
    last_reopen = (
        matter.events.filter(action=MatterEvent.Action.REOPEN)
        .order_by("-at")
        .values_list("at", flat=True)
        .first()
    )
    qs = matter.evidence.all()
    if last_reopen is not None:
        qs = qs.filter(created_at__gte=last_reopen)
    return qs.exists()


@transaction.atomic
def matter_transition(
    *,
    matter: Matter,
    action: str,
    actor: Any,
    note: str = "",
    evidence_files: Sequence[UploadedFile] = (),
    evidence_note: str = "",
    expected_version: int | None = None,
    due_at: dt.datetime | None = None,
    now: dt.datetime | None = None,
) -> Matter:
    """Fire the workflow transition ``action``; return the updated matter.

    Refused (``ValidationError``): an action not allowed from the current state or for this
    actor, a missing note where the transition needs one, missing evidence where it needs
    evidence, a stale ``expected_version``. A transition from a terminal state is a reopening
    (``reopened_count`` + 1, ``closed_at`` cleared, optional new ``due_at``).
    """
    locked = _lock(matter, expected_version)
    mtype = locked.type
    tr = mtype.transition(action)
    if tr is None or locked.state not in tr.get("from", []):
        raise ValidationError(
            _("“%(action)s” is not possible while the matter is “%(state)s”.")
            % {
                "action": action if tr is None else workflow_text(tr["label"]),
                "state": locked.state_label,
            }
        )
    roles = actor_roles(locked, actor)
    if not roles & set(tr.get("actors", [])):
        raise ValidationError(_("You may not do this on this matter."), code="forbidden")
    if tr.get("note") and not note.strip():
        raise ValidationError({"note": _("Give a reason.")})
    provided = bool(evidence_files) or bool(evidence_note.strip())
    if tr.get("evidence") and not provided and not _has_evidence_since_reopen(locked):
        raise ValidationError(
            {"evidence": _("This step needs evidence: upload a file or write a note.")}
        )
    now = now or timezone.now()
    old_state = locked.state
    fields = ["state"]
    locked.state = tr["to"]
    reopening = mtype.is_terminal(old_state) and not mtype.is_terminal(tr["to"])
    if mtype.is_terminal(tr["to"]):
        locked.closed_at = now
        fields.append("closed_at")
    elif reopening:
        locked.closed_at = None
        locked.reopened_count += 1
        locked.escalation_level = 0
        fields += ["closed_at", "reopened_count", "escalation_level"]
        if due_at is not None:
            if due_at < now:
                raise ValidationError({"due_at": _("The new deadline cannot be in the past.")})
            locked.due_at = due_at
            fields.append("due_at")
    _save_versioned(locked, fields)
    event = _event(
        locked,
        action=MatterEvent.Action.REOPEN if reopening else action,
        actor=actor,
        from_state=old_state,
        to_state=locked.state,
        note=note.strip(),
        data={"transition": action},
        at=now,
    )
    if provided:
        _evidence_create(locked, actor=actor, files=evidence_files, note=evidence_note, event=event)
    # Tell the other side: the originator when the matter closes, the owner otherwise.
    label = workflow_text(tr["label"])
    others = [locked.originator] if mtype.is_terminal(locked.state) else [locked.owner]
    _notify(
        locked,
        [u for u in others if u is not None and u.pk != getattr(actor, "pk", None)],
        _("%(action)s: %(title)s") % {"action": label, "title": locked.title},
    )
    return locked


def matter_reopen(
    *,
    matter: Matter,
    actor: Any,
    note: str,
    expected_version: int | None = None,
    due_at: dt.datetime | None = None,
) -> Matter:
    """Reopen a closed matter through its type's ``reopen`` transition."""
    return matter_transition(
        matter=matter,
        action="reopen",
        actor=actor,
        note=note,
        expected_version=expected_version,
        due_at=due_at,
    )


@transaction.atomic
def matter_hand_over(
    *,
    matter: Matter,
    actor: Any,
    new_owner: Any = None,
    new_department: Any = None,
    note: str = "",
    expected_version: int | None = None,
) -> Matter:
    """Transfer ownership (首诉负责制: the first owner keeps it until handed over)."""
    locked = _lock(matter, expected_version)
    if not can_hand_over(locked, actor):
        raise ValidationError(_("You may not hand this matter over."), code="forbidden")
    if new_owner is None and new_department is None:
        raise ValidationError({"owner": _("Choose the new owner.")})
    if new_owner is not None and new_owner.pk == locked.owner_id:
        raise ValidationError({"owner": _("This person already owns the matter.")})
    before = {"owner": locked.owner_id, "owner_department": locked.owner_department_id}
    locked.owner = new_owner
    if new_department is not None:
        locked.owner_department = new_department
    _save_versioned(locked, ["owner", "owner_department"])
    _event(
        locked,
        action=MatterEvent.Action.HAND_OVER,
        actor=actor,
        from_state=locked.state,
        to_state=locked.state,
        note=note.strip(),
        data={
            "before": before,
            "after": {"owner": locked.owner_id, "owner_department": locked.owner_department_id},
        },
    )
    if new_owner is not None:
        _notify(
            locked,
            [new_owner],
            _("A matter was handed over to you: %(title)s") % {"title": locked.title},
        )
    return locked


@transaction.atomic
def matter_feedback(*, matter: Matter, actor: Any, text: str, rating: int) -> Matter:
    """Record the originator's feedback and rating (1–5) on a closed matter."""
    locked = _lock(matter, None)
    if locked.originator_id is None or getattr(actor, "pk", None) != locked.originator_id:
        raise ValidationError(_("Only the originator can give feedback."), code="forbidden")
    if not locked.is_closed:
        raise ValidationError(_("Feedback can be given once the matter is closed."))
    if not 1 <= int(rating) <= 5:
        raise ValidationError({"feedback_rating": _("The rating must be between 1 and 5.")})
    locked.feedback_text = text.strip()
    locked.feedback_rating = int(rating)
    locked.feedback_at = timezone.now()
    _save_versioned(locked, ["feedback_text", "feedback_rating", "feedback_at"])
    _event(
        locked,
        action=MatterEvent.Action.FEEDBACK,
        actor=actor,
        note=locked.feedback_text,
        data={"rating": locked.feedback_rating},
    )
    return locked


# ---------------------------------------------------------------- escalation

CHUNK = 5000


def escalate_overdue(
    *, now: dt.datetime | None = None, type_codes: Iterable[str] | None = None
) -> dict[str, int]:
    """Escalate open matters past their thresholds; return counts.

    Level 1 (``escalation_level1_after`` units after the deadline) tells the owner and the
    heads of the owner's department; level 2 (``escalation_level2_after``) tells the owner and
    every holder of the type's supervising capability (the office). A matter that jumps
    straight to level 2 still warns the heads. Each person gets one message per level and
    batch: about the matter when only one concerns them, else a digest that lists the first
    titles and links to their overdue list. Matters are processed in batches of ``CHUNK``, each
    in one transaction with its messages.

    Idempotent: a matter's level only rises (guarded in the UPDATE) and per-matter messages
    carry a de-duplication key, so running twice escalates and notifies nothing.
    ``type_codes`` limits the run to those matter types (default: all).
    """
    now = now or timezone.now()
    types = {t.pk: t for t in MatterType.objects.all()}
    candidates = Matter.objects.filter(
        closed_at__isnull=True, escalation_level__lt=2, due_at__lt=now
    )
    if type_codes is not None:
        candidates = candidates.filter(type__code__in=list(type_codes))
    rows = list(candidates.order_by().values_list("pk", "type_id", "due_at", "escalation_level"))
    memo: dict[tuple[int, dt.datetime, int], dt.datetime] = {}

    def reached(type_id: int, due: dt.datetime, after: int) -> bool:
        key = (type_id, due, after)
        if key not in memo:
            memo[key] = escalation_threshold(types[type_id], due, after)
        # Strictly after, like ``Matter.is_overdue``: at its deadline a matter is not late.
        return now > memo[key]

    targets: dict[int, list[int]] = {1: [], 2: []}
    for pk, type_id, due, level in rows:
        mtype = types[type_id]
        target = 0
        if reached(type_id, due, mtype.escalation_level2_after):
            target = 2
        elif reached(type_id, due, mtype.escalation_level1_after):
            target = 1
        if target > level:
            targets[target].append(pk)
    counts = {"checked": len(rows), "level1": 0, "level2": 0, "notifications": 0}
    holders: dict[str, set[int]] = {}
    # bulk_summary: the level update and the timeline events of a batch are audited as one
    # entry per 1,000 matters naming each id, not one entry per matter (docs/performance.md).
    with translation.override(settings.LANGUAGE_CODE), audit_services.bulk_summary():
        for level in (1, 2):
            ids = targets[level]
            for start in range(0, len(ids), CHUNK):
                done, sent = _escalate_chunk(ids[start : start + CHUNK], level, now, holders)
                counts[f"level{level}"] += done
                counts["notifications"] += sent
    return counts


def _matter_item(row: dict[str, Any], user_id: int, level: int) -> NotificationItem:
    if level == 1:
        title = _("Overdue: %(title)s") % {"title": row["title"]}
        body = _("The matter has passed its deadline and is escalated to level 1.")
    else:
        title = _("Seriously overdue: %(title)s") % {"title": row["title"]}
        body = _("The matter is still open long after its deadline (level 2).")
    return NotificationItem(
        user_ids={user_id},
        title=title,
        body=body,
        url=matter_url(row["pk"]),
        level=Notification.Level.ESCALATION,
        dedup_key=f"loops:{row['pk']}:r{row['reopened_count']}:escalation:{level}",
        source_type="loops.matter",
        source_id=str(row["pk"]),
    )


def _digest_item(
    rows: list[dict[str, Any]], user_id: int, level: int, *, supervisor: bool
) -> NotificationItem:
    ids = ",".join(str(r["pk"]) for r in sorted(rows, key=lambda r: r["pk"]))
    digest = hashlib.sha256(ids.encode()).hexdigest()[:24]
    titles = [r["title"] for r in rows[:5]]
    more = len(rows) - len(titles)
    body = "\n".join(titles)
    if more > 0:
        body += "\n" + _("… and %(n)s more.") % {"n": more}
    if level == 1:
        title = _("%(n)s matters are overdue (level 1)") % {"n": len(rows)}
    else:
        title = _("%(n)s matters are seriously overdue (level 2)") % {"n": len(rows)}
    if supervisor:
        url = reverse("loops:board") + "?status=open&overdue=1"
    else:
        url = reverse("loops:inbox") + "?tab=overdue"
    return NotificationItem(
        user_ids={user_id},
        title=title,
        body=body,
        url=url,
        level=Notification.Level.ESCALATION,
        dedup_key=f"loops:escalation:{level}:{digest}",
        source_type="loops.matter",
    )


@transaction.atomic
def _escalate_chunk(
    ids: list[int], level: int, now: dt.datetime, holders: dict[str, set[int]]
) -> tuple[int, int]:
    """Raise the matters ``ids`` to ``level``, write their events, tell who must know."""
    qs = Matter.objects.select_for_update(of=("self",)).filter(
        pk__in=ids, closed_at__isnull=True, escalation_level__lt=level
    )
    rows = list(
        qs.order_by().values(
            "pk",
            "title",
            "escalation_level",
            "reopened_count",
            "owner_id",
            "owner_department_id",
            "owner__staff__department_id",
            "type__code",
            "type__supervisor_capability",
        )
    )
    if not rows:
        return 0, 0
    locked_ids = [r["pk"] for r in rows]
    Matter.objects.filter(pk__in=locked_ids, escalation_level__lt=level).update(
        escalation_level=level, version=F("version") + 1
    )
    MatterEvent.objects.bulk_create(
        [
            MatterEvent(
                matter_id=r["pk"],
                action=MatterEvent.Action.ESCALATE,
                at=now,
                data={"level": level, "from_level": r["escalation_level"]},
            )
            for r in rows
        ],
        batch_size=1000,
    )
    heads = department_head_ids(
        r["owner_department_id"] or r["owner__staff__department_id"] for r in rows
    )
    # (user, level) -> matters; supervisors are kept apart for their link to the board.
    inbox: dict[tuple[int, int], list[dict[str, Any]]] = defaultdict(list)
    office: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        dept = r["owner_department_id"] or r["owner__staff__department_id"]
        owner = {r["owner_id"]} if r["owner_id"] else set()
        if r["escalation_level"] < 1:  # level 1 goes out also when a matter jumps to 2
            for user_id in heads.get(dept, set()) | (owner if level == 1 else set()):
                inbox[(user_id, 1)].append(r)
        if level >= 2:
            for user_id in owner:
                inbox[(user_id, 2)].append(r)
            cap = r["type__supervisor_capability"]
            if cap not in holders:
                holders[cap] = capability_holder_ids(cap)
            for user_id in holders[cap] - owner:
                office[user_id].append(r)
    items: list[NotificationItem] = []
    for (user_id, lvl), matters in inbox.items():
        if len(matters) == 1:
            items.append(_matter_item(matters[0], user_id, lvl))
        else:
            items.append(_digest_item(matters, user_id, lvl, supervisor=False))
    for user_id, matters in office.items():
        if len(matters) == 1:
            items.append(_matter_item(matters[0], user_id, 2))
        else:
            items.append(_digest_item(matters, user_id, 2, supervisor=True))
    sent = len(notify_many(items))
    if any(hooks.has_hooks(r["type__code"], MatterEvent.Action.ESCALATE) for r in rows):
        for event in MatterEvent.objects.filter(
            matter_id__in=locked_ids, action=MatterEvent.Action.ESCALATE, at=now
        ).select_related("matter__type"):
            hooks.fire(matter=event.matter, event=event)
    return len(rows), sent
