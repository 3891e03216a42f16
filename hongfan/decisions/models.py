"""Decision meetings (党委会, 院长办公会), their agenda items, votes and resolutions.

Rules (DOMAIN.md §5): "三重一大" items are decided collectively by the Party committee; a
院长办公会 may discuss them but only refer them (提交党委会). Quorum, money thresholds and the
professional committees are data (``DecisionConfig``, ``ProfessionalCommittee``). Every rule is
enforced in ``hongfan.decisions.services``; the "no final 三重一大 decision by the 院长办公会"
rule is also a database constraint. See docs/apps/decisions.md.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from hongfan.audit.models import AuditedModel


class MeetingKind(models.TextChoices):
    PARTY_COMMITTEE = "party_committee", _("Party committee meeting")  # 党委会
    PRESIDENT_OFFICE = "president_office", _("President's office meeting")  # 院长办公会


class DecisionConfig(AuditedModel):
    """Thresholds and quorum rules (one row; ``selectors.decision_config`` gives defaults).

    Quorum for an item: ``present × den > entitled × num`` when ``strict`` (more than), else
    ``≥``. Defaults: 三重一大 at least 2/3, ordinary items more than 1/2 [local].
    """

    large_funds_threshold = models.DecimalField(
        _("large-fund threshold (yuan)"),
        max_digits=14,
        decimal_places=2,
        default=Decimal("500000"),
        help_text=_("An amount at or above this is 大额资金使用 (三重一大)."),
    )
    major_project_threshold = models.DecimalField(
        _("major-project threshold (yuan)"),
        max_digits=14,
        decimal_places=2,
        default=Decimal("1000000"),
        help_text=_("A project at or above this is 重大项目安排 (三重一大)."),
    )
    major_quorum_num = models.PositiveSmallIntegerField(_("三重一大 quorum numerator"), default=2)
    major_quorum_den = models.PositiveSmallIntegerField(_("三重一大 quorum denominator"), default=3)
    major_quorum_strict = models.BooleanField(_("三重一大 quorum: more than"), default=False)
    ordinary_quorum_num = models.PositiveSmallIntegerField(
        _("ordinary quorum numerator"), default=1
    )
    ordinary_quorum_den = models.PositiveSmallIntegerField(
        _("ordinary quorum denominator"), default=2
    )
    ordinary_quorum_strict = models.BooleanField(_("ordinary quorum: more than"), default=True)
    resolution_deadline_days = models.PositiveSmallIntegerField(
        _("default resolution deadline (working days)"), default=20
    )

    class Meta:
        verbose_name = _("decision rules")
        verbose_name_plural = _("decision rules")
        constraints = [
            models.CheckConstraint(
                condition=Q(major_quorum_den__gt=0)
                & Q(ordinary_quorum_den__gt=0)
                & Q(major_quorum_num__lte=models.F("major_quorum_den"))
                & Q(ordinary_quorum_num__lte=models.F("ordinary_quorum_den")),
                name="decisions_config_quorum_fraction",
                violation_error_message=_("A quorum is a fraction between 0 and 1."),
            ),
        ]

    def __str__(self) -> str:
        return str(_("decision rules"))


class ProfessionalCommittee(AuditedModel):
    """One of the hospital's professional committees that review items in advance."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    scope = models.CharField(_("reviews"), max_length=200, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("professional committee")
        verbose_name_plural = _("professional committees")
        ordering = ["sort_order", "id"]

    def __str__(self) -> str:
        return self.name


class OfficeMeetingMember(AuditedModel):
    """A person entitled to attend the 院长办公会 (the configurable member list)."""

    staff = models.OneToOneField(
        "org.Staff",
        verbose_name=_("staff member"),
        on_delete=models.CASCADE,
        related_name="office_meeting_seat",
    )
    title = models.CharField(_("position"), max_length=50, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("president's office meeting member")
        verbose_name_plural = _("president's office meeting members")
        ordering = ["sort_order", "id"]

    def __str__(self) -> str:
        return str(self.staff)


class Meeting(AuditedModel):
    Kind = MeetingKind

    institution = models.ForeignKey(
        "org.Institution",
        verbose_name=_("institution"),
        on_delete=models.PROTECT,
        related_name="decision_meetings",
    )
    kind = models.CharField(_("meeting"), max_length=20, choices=MeetingKind.choices)
    number = models.CharField(_("session"), max_length=30, blank=True, help_text=_("e.g. 2026-07"))
    held_on = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=100)
    chair = models.ForeignKey(
        "org.Staff", verbose_name=_("chair"), on_delete=models.PROTECT, related_name="+"
    )
    recorder = models.ForeignKey(
        "org.Staff", verbose_name=_("recorder"), on_delete=models.PROTECT, related_name="+"
    )
    first_topic_title = models.CharField(
        _("first agenda item (study)"), max_length=200, blank=True, help_text=_("第一议题")
    )
    first_topic_source = models.CharField(
        _("source of the study material"), max_length=200, blank=True
    )
    observers = models.CharField(_("attending without a vote"), max_length=300, blank=True)
    minutes = models.TextField(_("minutes"), blank=True)
    minutes_recorded_at = models.DateTimeField(_("minutes recorded at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("decision meeting")
        verbose_name_plural = _("decision meetings")
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["kind", "held_on"], name="decisions_meeting_kind_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.held_on:%Y-%m-%d}"

    @property
    def is_committee(self) -> bool:
        return self.kind == MeetingKind.PARTY_COMMITTEE


class Attendance(AuditedModel):
    """A member entitled to attend a meeting, and whether they came."""

    class Status(models.TextChoices):
        UNKNOWN = "unknown", _("Not recorded")
        PRESENT = "present", _("Present")
        ABSENT = "absent", _("Absent")

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="attendance"
    )
    staff = models.ForeignKey(
        "org.Staff", verbose_name=_("member"), on_delete=models.PROTECT, related_name="+"
    )
    seat = models.CharField(_("position"), max_length=50, blank=True)
    status = models.CharField(
        _("attendance"), max_length=10, choices=Status.choices, default=Status.UNKNOWN
    )
    absence_reason = models.CharField(_("reason for absence"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        ordering = ["meeting_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "staff"],
                name="decisions_attendance_unique",
                violation_error_message=_("This member is already on the attendance list."),
            ),
            models.CheckConstraint(
                condition=~Q(status="absent") | ~Q(absence_reason=""),
                name="decisions_absence_needs_reason",
                violation_error_message=_("Give the reason for the absence."),
            ),
        ]

    def __str__(self) -> str:
        return str(self.staff)

    @property
    def is_present(self) -> bool:
        return self.status == self.Status.PRESENT


class AgendaItem(AuditedModel):
    class Category(models.TextChoices):
        ORDINARY = "ordinary", _("Ordinary item")
        MAJOR_DECISION = "major_decision", _("Major decision")  # 重大决策
        CADRE_APPOINTMENT = "cadre_appointment", _("Important cadre appointment")  # 重要干部任免
        MAJOR_PROJECT = "major_project", _("Major project")  # 重大项目安排
        LARGE_FUNDS = "large_funds", _("Use of large funds")  # 大额资金使用

    class Decision(models.TextChoices):
        PENDING = "pending", _("Pending")
        PASSED = "passed", _("Passed")  # 通过
        REJECTED = "rejected", _("Not passed")  # 不通过
        DEFERRED = "deferred", _("Deferred")  # 暂缓
        REFERRED = "referred", _("Referred to the Party committee")  # 提交党委会

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="items"
    )
    # Copied from the meeting so that the database can enforce the 三重一大 rule.
    meeting_kind = models.CharField(_("meeting"), max_length=20, choices=MeetingKind.choices)
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    title = models.CharField(_("title"), max_length=200)
    proposer_department = models.ForeignKey(
        "org.Department",
        verbose_name=_("proposing department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    description = models.TextField(_("description"), blank=True)
    category = models.CharField(
        _("classification"), max_length=20, choices=Category.choices, default=Category.ORDINARY
    )
    is_project = models.BooleanField(_("project arrangement"), default=False)
    amount = models.DecimalField(
        _("amount (yuan)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    auto_classified = models.BooleanField(_("classified by amount"), default=False)
    prior_reviews = models.ManyToManyField(
        ProfessionalCommittee,
        verbose_name=_("reviewed in advance by"),
        blank=True,
        related_name="items",
    )
    prior_review_note = models.CharField(_("prior review opinion"), max_length=300, blank=True)
    referred_item = models.ForeignKey(
        "self",
        verbose_name=_("item referred by the president's office meeting"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="committee_items",
    )
    decision = models.CharField(
        _("decision"), max_length=10, choices=Decision.choices, default=Decision.PENDING
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    quorum_present = models.PositiveSmallIntegerField(_("present (counted)"), null=True, blank=True)
    quorum_entitled = models.PositiveSmallIntegerField(_("entitled"), null=True, blank=True)
    decision_note = models.CharField(_("decision note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["meeting_id", "order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~(
                    Q(meeting_kind="president_office")
                    & ~Q(category="ordinary")
                    & Q(decision__in=["passed", "rejected"])
                ),
                name="decisions_major_item_needs_committee",
                violation_error_message=_(
                    "A 三重一大 item cannot be finally decided by the president's office "
                    "meeting: refer it to the Party committee."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(decision="referred") | Q(meeting_kind="president_office"),
                name="decisions_only_office_refers",
                violation_error_message=_("Only the president's office meeting refers items."),
            ),
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gte=0),
                name="decisions_amount_not_negative",
                violation_error_message=_("The amount cannot be negative."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_major(self) -> bool:
        """A "三重一大" item."""
        return self.category != self.Category.ORDINARY

    @property
    def final_decision(self) -> str:
        """The item's final status: a referred item waits for the committee's decision."""
        if self.decision != self.Decision.REFERRED:
            return self.decision
        for linked in self.committee_items.all():
            if linked.decision != self.Decision.PENDING:
                return linked.decision
        return self.Decision.PENDING

    @property
    def final_decision_label(self) -> str:
        return str(self.Decision(self.final_decision).label)


class Recusal(AuditedModel):
    item = models.ForeignKey(
        AgendaItem, verbose_name=_("agenda item"), on_delete=models.CASCADE, related_name="recusals"
    )
    staff = models.ForeignKey(
        "org.Staff", verbose_name=_("member"), on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=200)

    class Meta:
        verbose_name = _("recusal")
        verbose_name_plural = _("recusals")
        constraints = [
            models.UniqueConstraint(
                fields=["item", "staff"],
                name="decisions_recusal_unique",
                violation_error_message=_("This member already recuses themselves."),
            )
        ]

    def __str__(self) -> str:
        return str(self.staff)


class Vote(AuditedModel):
    class Choice(models.TextChoices):
        YES = "yes", pgettext_lazy("vote", "Yes")  # 同意, not the 是 of a yes/no field
        NO = "no", pgettext_lazy("vote", "No")  # 不同意
        ABSTAIN = "abstain", _("Abstain")

    item = models.ForeignKey(
        AgendaItem, verbose_name=_("agenda item"), on_delete=models.CASCADE, related_name="votes"
    )
    staff = models.ForeignKey(
        "org.Staff", verbose_name=_("member"), on_delete=models.PROTECT, related_name="+"
    )
    choice = models.CharField(_("vote"), max_length=8, choices=Choice.choices)

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        constraints = [
            models.UniqueConstraint(
                fields=["item", "staff"],
                name="decisions_vote_unique",
                violation_error_message=_("This member has already voted on this item."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.staff}: {self.get_choice_display()}"


class Resolution(AuditedModel):
    """A passed item's resolution (议定事项), supervised to closure as a loops matter."""

    item = models.OneToOneField(
        AgendaItem,
        verbose_name=_("agenda item"),
        on_delete=models.PROTECT,
        related_name="resolution",
    )
    number = models.CharField(_("number"), max_length=30, unique=True)
    text = models.TextField(_("resolution"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    owner_department = models.ForeignKey(
        "org.Department",
        verbose_name=_("owner department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    deadline_days = models.PositiveSmallIntegerField(_("deadline (working days)"))
    matter = models.OneToOneField(
        "loops.Matter",
        verbose_name=_("supervised matter"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    is_published = models.BooleanField(_("published (院务公开)"), default=False)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("resolution")
        verbose_name_plural = _("resolutions")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(owner__isnull=False) | Q(owner_department__isnull=False),
                name="decisions_resolution_has_owner",
                violation_error_message=_("A resolution needs an owner or an owner department."),
            ),
            models.CheckConstraint(
                condition=Q(deadline_days__gte=1),
                name="decisions_resolution_deadline_positive",
                violation_error_message=_("The deadline is at least one working day."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.item.title}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("decisions:resolution_detail", args=[self.pk])
