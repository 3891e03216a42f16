"""The closed-loop engine: typed matters that run through a per-type state machine.

A ``MatterType`` holds its workflow as data (states, transitions, who may fire them, which need
evidence), its deadline rule (N working days or N hours), escalation thresholds and visibility.
Every other module (complaints, integrity reports, clinical warnings, wishes, work orders,
resolutions, rectification tasks) opens ``Matter`` rows of its own type and moves them only
through ``hongfan.loops.services``. See docs/apps/loops.md.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext, pgettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from hongfan.audit.models import AuditedModel

# Actor roles a transition may require (computed per user and matter in services.actor_roles).
ACTOR_OWNER = "owner"
ACTOR_ORIGINATOR = "originator"
ACTOR_SUPERVISOR = "supervisor"
ACTOR_SUPERIOR = "superior"  # head of the owner's department
ACTOR_PARTICIPANT = "participant"
ACTOR_ROLES = (ACTOR_OWNER, ACTOR_ORIGINATOR, ACTOR_SUPERVISOR, ACTOR_SUPERIOR, ACTOR_PARTICIPANT)


def workflow_text(msgid: str) -> str:
    """Translate a workflow label (state, step, action) stored in a matter type.

    Labels such as "Close", "Cancel" and "Verify" mean something else in a workflow (办结,
    撤销, 核实) than on a button elsewhere (关闭, 取消, 验证), and Django picks the first
    catalogue that has a msgid. The loops catalogue therefore gives workflow meanings under
    the context "workflow"; without one the plain translation is used."""
    text = pgettext("workflow", msgid)
    return gettext(msgid) if text == msgid else text


# Workflow labels whose meaning differs from the same word elsewhere (kept for makemessages).
WORKFLOW_CONTEXT_LABELS = (
    pgettext_lazy("workflow", "Close"),
    pgettext_lazy("workflow", "Cancel"),
    pgettext_lazy("workflow", "Verify"),
    pgettext_lazy("workflow", "In progress"),
    pgettext_lazy("workflow", "Normal"),
)


class MatterType(AuditedModel):
    """A kind of matter and its workflow definition.

    ``workflow`` is a dict::

        {"initial": "open",
         "states": [{"code": "open", "label": "Open"},
                    {"code": "closed", "label": "Closed", "terminal": true}],
         "transitions": [{"action": "close", "label": "Close", "from": ["open"],
                          "to": "closed", "actors": ["owner", "supervisor"],
                          "evidence": true, "note": false}]}

    Labels are stored as English message ids and translated on display (other modules may
    store Chinese labels directly).
    """

    class DeadlineUnit(models.TextChoices):
        WORKING_DAYS = "working_days", _("Working days")
        HOURS = "hours", _("Hours")

    class Visibility(models.TextChoices):
        NORMAL = "normal", _("Normal")
        RESTRICTED = "restricted", _("Restricted")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    workflow = models.JSONField(_("workflow"))
    deadline_unit = models.CharField(
        _("deadline unit"),
        max_length=12,
        choices=DeadlineUnit.choices,
        default=DeadlineUnit.WORKING_DAYS,
    )
    deadline_amount = models.PositiveIntegerField(_("default deadline"), default=10)
    due_time = models.TimeField(
        _("time of day a working-day deadline ends"), default=dt.time(17, 30)
    )
    # Escalation thresholds, in the deadline unit, counted from the deadline.
    escalation_level1_after = models.PositiveIntegerField(
        _("level 1 escalation after the deadline"), default=0
    )
    escalation_level2_after = models.PositiveIntegerField(
        _("level 2 escalation after the deadline"), default=3
    )
    visibility = models.CharField(
        _("visibility"), max_length=12, choices=Visibility.choices, default=Visibility.NORMAL
    )
    restricted_capability = models.CharField(
        _("capability needed to see restricted matters"), max_length=60, blank=True
    )
    supervisor_capability = models.CharField(
        _("supervising capability"), max_length=60, default="loops.supervise"
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("matter type")
        verbose_name_plural = _("matter types")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(visibility="restricted") | ~Q(restricted_capability=""),
                name="loops_type_restricted_needs_capability",
                violation_error_message=_("A restricted matter type needs a capability."),
            ),
            models.CheckConstraint(
                condition=Q(escalation_level2_after__gte=models.F("escalation_level1_after")),
                name="loops_type_escalation_order",
                violation_error_message=_(
                    "Level 2 escalation cannot come before level 1 escalation."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return gettext(self.name)

    # Workflow helpers (pure, no queries).
    @property
    def initial_state(self) -> str:
        return str(self.workflow.get("initial") or self.workflow["states"][0]["code"])

    def state(self, code: str) -> dict[str, Any]:
        for st in self.workflow.get("states", []):
            if st["code"] == code:
                return st
        return {"code": code, "label": code}

    def state_label(self, code: str) -> str:
        return workflow_text(self.state(code).get("label", code))

    def is_terminal(self, code: str) -> bool:
        return bool(self.state(code).get("terminal"))

    def transition(self, action: str) -> dict[str, Any] | None:
        for tr in self.workflow.get("transitions", []):
            if tr["action"] == action:
                return tr
        return None

    def transitions_from(self, state: str) -> list[dict[str, Any]]:
        return [t for t in self.workflow.get("transitions", []) if state in t.get("from", [])]

    def state_choices(self) -> list[tuple[str, str]]:
        return [
            (s["code"], workflow_text(s.get("label", s["code"]))) for s in self.workflow["states"]
        ]

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        states = {s.get("code") for s in (self.workflow or {}).get("states", [])}
        if not states:
            raise ValidationError({"workflow": _("A workflow needs at least one state.")})
        for tr in self.workflow.get("transitions", []):
            if tr.get("to") not in states or not set(tr.get("from", [])) <= states:
                raise ValidationError(
                    {"workflow": _("Transition %(action)s uses an unknown state.")},
                    params={"action": tr.get("action")},
                )
            if not set(tr.get("actors", [])) <= set(ACTOR_ROLES):
                raise ValidationError(
                    {"workflow": _("Transition %(action)s names an unknown actor.")},
                    params={"action": tr.get("action")},
                )


class Matter(AuditedModel):
    """One tracked matter: an owner, a deadline, a state, a timeline."""

    type = models.ForeignKey(
        MatterType, verbose_name=_("type"), on_delete=models.PROTECT, related_name="matters"
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    source_content_type = models.ForeignKey(
        ContentType,
        verbose_name=_("source type"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    source_object_id = models.CharField(_("source id"), max_length=64, blank=True)
    source = GenericForeignKey("source_content_type", "source_object_id")
    originator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("originator"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="matters_originated",
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="matters_owned",
    )
    owner_department = models.ForeignKey(
        "org.Department",
        verbose_name=_("owner department"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="matters_owned",
    )
    participants = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("participants"),
        blank=True,
        related_name="matters_participating",
    )
    participant_departments = models.ManyToManyField(
        "org.Department",
        verbose_name=_("departments involved"),
        blank=True,
        related_name="matters_participating",
    )
    state = models.CharField(_("state"), max_length=40)
    opened_at = models.DateTimeField(_("opened at"), default=timezone.now)
    due_at = models.DateTimeField(_("deadline"))
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    escalation_level = models.PositiveSmallIntegerField(_("escalation level"), default=0)
    version = models.PositiveIntegerField(_("version"), default=1)
    reopened_count = models.PositiveSmallIntegerField(_("times reopened"), default=0)
    feedback_text = models.TextField(_("feedback"), blank=True)
    feedback_rating = models.PositiveSmallIntegerField(_("rating"), null=True, blank=True)
    feedback_at = models.DateTimeField(_("feedback at"), null=True, blank=True)

    class Meta:
        verbose_name = _("matter")
        verbose_name_plural = _("matters")
        ordering = ["due_at", "id"]
        indexes = [
            models.Index(fields=["closed_at", "due_at"], name="loops_matter_open_due_idx"),
            models.Index(fields=["type", "state"], name="loops_matter_type_state_idx"),
            models.Index(fields=["owner", "closed_at"], name="loops_matter_owner_idx"),
            models.Index(
                fields=["source_content_type", "source_object_id"], name="loops_matter_source_idx"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(due_at__gte=models.F("opened_at")),
                name="loops_matter_due_after_open",
                violation_error_message=_("The deadline cannot be before the matter is opened."),
            ),
            models.CheckConstraint(
                condition=Q(feedback_rating__isnull=True)
                | Q(feedback_rating__gte=1, feedback_rating__lte=5),
                name="loops_matter_rating_1_5",
                violation_error_message=_("The rating must be between 1 and 5."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None

    def is_overdue(self, now: dt.datetime | None = None) -> bool:
        """Open and past its deadline, or closed after it."""
        now = now or timezone.now()
        if self.closed_at is not None:
            return self.closed_at > self.due_at
        return now > self.due_at

    @property
    def overdue(self) -> bool:
        return self.is_overdue()

    @property
    def state_label(self) -> str:
        return self.type.state_label(self.state)

    @property
    def owner_label(self) -> str:
        if self.owner_id:
            return self.owner.display_name  # type: ignore[union-attr]
        if self.owner_department_id:
            return str(self.owner_department)
        return ""


class MatterEvent(AuditedModel):
    """One line of a matter's timeline."""

    class Action(models.TextChoices):
        OPEN = "open", _("Opened")
        HAND_OVER = "hand_over", _("Handed over")
        ESCALATE = "escalate", _("Escalated")
        FEEDBACK = "feedback", _("Feedback")
        COMMENT = "comment", _("Comment")
        EVIDENCE = "evidence", _("Evidence added")
        REOPEN = "reopen", _("Reopened")
        # Workflow transitions record their own action code (e.g. "close").

    matter = models.ForeignKey(
        Matter, verbose_name=_("matter"), on_delete=models.CASCADE, related_name="events"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    action = models.CharField(_("action"), max_length=40)
    from_state = models.CharField(_("from state"), max_length=40, blank=True)
    to_state = models.CharField(_("to state"), max_length=40, blank=True)
    note = models.TextField(_("note"), blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        verbose_name = _("matter event")
        verbose_name_plural = _("matter events")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.matter_id} {self.action}"

    @property
    def action_label(self) -> str:
        if self.action in self.Action.values:
            return str(self.Action(self.action).label)
        tr = self.matter.type.transition(self.action)
        return workflow_text(tr["label"]) if tr else self.action

    @property
    def to_state_label(self) -> str:
        return self.matter.type.state_label(self.to_state) if self.to_state else ""


def _evidence_path(instance: Evidence, filename: str) -> str:
    stamp = timezone.now()
    return f"loops/{stamp:%Y/%m}/{instance.matter_id}/{filename}"


class Evidence(AuditedModel):
    """A file or a note proving what was done."""

    matter = models.ForeignKey(
        Matter, verbose_name=_("matter"), on_delete=models.CASCADE, related_name="evidence"
    )
    event = models.ForeignKey(
        MatterEvent,
        verbose_name=_("event"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="evidence",
    )
    file = models.FileField(_("file"), upload_to=_evidence_path, blank=True)
    original_name = models.CharField(_("file name"), max_length=200, blank=True)
    size = models.PositiveIntegerField(_("size"), default=0)
    note = models.TextField(_("note"), blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(file="") | ~Q(note=""),
                name="loops_evidence_file_or_note",
                violation_error_message=_("Evidence needs a file or a note."),
            )
        ]

    def __str__(self) -> str:
        return self.original_name or self.note[:40]


class Comment(AuditedModel):
    matter = models.ForeignKey(
        Matter, verbose_name=_("matter"), on_delete=models.CASCADE, related_name="comments"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body = models.TextField(_("comment"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.body[:40]
