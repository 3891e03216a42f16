"""Organisational life: 三会一课 and other meetings, sign-in, compliance rules, 民主评议党员.

Rules and numbers: DOMAIN.md §2 (《中国共产党支部工作条例（试行）》2018).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hongfan.audit.models import AuditedModel
from hongfan.core.fields import EncryptedTextField


class OrglifeSettings(AuditedModel):
    """The single configuration row of the app (``OrglifeSettings.current()``)."""

    backfill_days = models.PositiveSmallIntegerField(
        _("back-fill window (days)"),
        default=7,
        help_text=_("A meeting may be recorded at most this many days after its date."),
    )
    sign_in_hours = models.PositiveSmallIntegerField(
        _("sign-in code valid for (hours after the start)"), default=2
    )
    reminder_days = models.PositiveSmallIntegerField(
        _("remind secretaries this many days before a month ends"), default=7
    )
    reminder_days_long = models.PositiveSmallIntegerField(
        _("remind secretaries this many days before a quarter or a year ends"),
        default=45,
        help_text=_(
            "A branch general assembly or a Party lecture needs more notice than a monthly meeting."
        ),
    )
    reminders_in_app = models.BooleanField(
        _("send reminders to the secretaries' inboxes"), default=True
    )
    reminder_robot = models.CharField(
        _("also post reminders to a group robot"),
        max_length=10,
        choices=[
            ("", _("None")),
            ("wecom", _("WeCom group robot (企业微信)")),
            ("dingtalk", _("DingTalk group robot (钉钉)")),
        ],
        blank=True,
        default="",
    )
    # The robot address carries its access key: stored encrypted.
    reminder_robot_url = EncryptedTextField(_("robot webhook address"), blank=True)
    reminder_robot_secret = EncryptedTextField(_("robot signing secret (DingTalk)"), blank=True)
    excellent_numerator = models.PositiveSmallIntegerField(_("优秀 quota numerator"), default=1)
    excellent_denominator = models.PositiveSmallIntegerField(_("优秀 quota denominator"), default=3)
    max_attachment_bytes = models.PositiveIntegerField(
        _("largest attachment (bytes)"), default=10 * 1024 * 1024
    )

    class Meta:
        verbose_name = _("organisational life settings")
        verbose_name_plural = _("organisational life settings")
        constraints = [
            models.CheckConstraint(
                condition=Q(excellent_denominator__gt=0)
                & Q(excellent_numerator__lte=models.F("excellent_denominator")),
                name="orglife_settings_quota_fraction",
                violation_error_message=_("The 优秀 quota must be a fraction between 0 and 1."),
            ),
            models.CheckConstraint(
                condition=Q(reminder_robot="") | ~Q(reminder_robot_url=""),
                name="orglife_settings_robot_needs_url",
                violation_error_message=_("A group robot needs its webhook address."),
            ),
        ]

    def __str__(self) -> str:
        return str(_("organisational life settings"))

    @classmethod
    def current(cls) -> OrglifeSettings:
        row = cls.objects.order_by("pk").first()
        return row if row is not None else cls()


class MeetingKind(models.TextChoices):
    GENERAL_ASSEMBLY = "general_assembly", _("Branch general assembly")  # 支部党员大会
    COMMITTEE = "committee", _("Branch committee meeting")  # 支部委员会
    GROUP = "group", _("Party group meeting")  # 党小组会
    LECTURE = "lecture", _("Party lecture")  # 党课
    THEME_DAY = "theme_day", _("Theme Party day")  # 主题党日
    LIFE_MEETING = "life_meeting", _("Organisational life meeting")  # 组织生活会
    REVIEW = "review", _("Democratic review session")  # 民主评议
    CENTRAL_GROUP = "central_group", _("Central group theory study")  # 党委理论学习中心组学习


class Meeting(AuditedModel):
    """One meeting, first planned, then recorded."""

    Kind = MeetingKind

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        RECORDED = "recorded", _("Recorded")

    organisation = models.ForeignKey(
        "party.PartyOrganisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="meetings",
    )
    group = models.ForeignKey(
        "party.PartyOrganisation",
        verbose_name=_("Party group"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="group_meetings",
    )
    kind = models.CharField(_("type"), max_length=20, choices=MeetingKind.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PLANNED
    )
    topic = models.CharField(_("topic"), max_length=200)
    planned_on = models.DateField(_("planned date"))
    planned_place = models.CharField(_("planned place"), max_length=100, blank=True)
    held_on = models.DateField(_("date held"), null=True, blank=True)
    starts_at = models.TimeField(_("start time"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=100, blank=True)
    host = models.ForeignKey(
        "party.PartyMember",
        verbose_name=_("host"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorder = models.ForeignKey(
        "party.PartyMember",
        verbose_name=_("recorder"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    lecturer = models.ForeignKey(
        "party.PartyMember",
        verbose_name=_("lecturer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="meeting_lectures",
        help_text=_("For a Party lecture: who gave it."),
    )
    first_topic_title = models.CharField(
        _("first agenda item (第一议题)"), max_length=200, blank=True
    )
    first_topic_source = models.CharField(
        _("source of the first agenda item"), max_length=200, blank=True
    )
    agenda = models.TextField(_("further agenda items"), blank=True, help_text=_("One per line."))
    resolutions = models.TextField(_("resolutions"), blank=True)
    minutes = models.TextField(_("minutes"), blank=True)
    quorum_required = models.PositiveSmallIntegerField(_("quorum required"), null=True, blank=True)
    quorum_present = models.PositiveSmallIntegerField(
        _("committee members present"), null=True, blank=True
    )
    is_valid = models.BooleanField(_("valid"), default=False)
    backfill_reason = models.CharField(_("reason for late recording"), max_length=300, blank=True)
    recorded_at = models.DateTimeField(_("recorded at"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-planned_on", "-id"]
        indexes = [
            models.Index(
                fields=["organisation", "kind", "held_on"], name="orglife_meeting_held_idx"
            )
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="planned") | Q(held_on__isnull=False),
                name="orglife_meeting_recorded_has_date",
                violation_error_message=_("A recorded meeting needs the date it was held."),
            ),
            models.CheckConstraint(
                condition=Q(is_valid=False) | Q(status="recorded"),
                name="orglife_meeting_valid_is_recorded",
                violation_error_message=_("Only a recorded meeting can be valid."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.topic}"

    @property
    def day(self):
        return self.held_on or self.planned_on

    @property
    def quorum_met(self) -> bool | None:
        if self.quorum_required is None or self.quorum_present is None:
            return None
        return self.quorum_present >= self.quorum_required

    @property
    def agenda_items(self) -> list[str]:
        return [line.strip() for line in self.agenda.splitlines() if line.strip()]


class Attendance(AuditedModel):
    """A member's place on a meeting's list: invited, present or absent (with a reason)."""

    class Status(models.TextChoices):
        UNKNOWN = "unknown", _("Not yet recorded")
        PRESENT = "present", _("Present")
        ABSENT = "absent", _("Absent")

    class Reason(models.TextChoices):
        SICK = "sick", _("Sick leave")  # 病假
        PERSONAL = "personal", _("Personal leave")  # 事假
        DUTY = "duty", _("On official duty")  # 公差
        OTHER = "other", _("Other")

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="attendances"
    )
    member = models.ForeignKey(
        "party.PartyMember",
        verbose_name=_("member"),
        on_delete=models.PROTECT,
        related_name="meeting_attendances",
    )
    invited = models.BooleanField(_("invited"), default=True)
    status = models.CharField(
        _("attendance"), max_length=10, choices=Status.choices, default=Status.UNKNOWN
    )
    absence_reason = models.CharField(
        _("reason for absence"), max_length=10, choices=Reason.choices, blank=True
    )
    absence_note = models.CharField(_("note"), max_length=200, blank=True)
    signed_in_at = models.DateTimeField(_("signed in at"), null=True, blank=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        ordering = ["meeting_id", "member_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "member"],
                name="orglife_attendance_unique",
                violation_error_message=_("This member is already on the meeting's list."),
            ),
            models.CheckConstraint(
                condition=Q(status="absent") | Q(absence_reason=""),
                name="orglife_attendance_reason_only_absent",
                violation_error_message=_("Only an absent member has a reason for absence."),
            ),
        ]


def _attachment_path(instance: MeetingFile, filename: str) -> str:
    return f"orglife/{instance.meeting_id}/{filename}"


class MeetingFile(AuditedModel):
    """A photo or document of a meeting."""

    class Kind(models.TextChoices):
        PHOTO = "photo", _("Photo")
        DOCUMENT = "document", _("Document")

    PHOTO_EXTENSIONS = ("jpg", "jpeg", "png", "webp")
    DOCUMENT_EXTENSIONS = ("pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "txt")

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="files"
    )
    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices)
    file = models.FileField(_("file"), upload_to=_attachment_path)
    name = models.CharField(_("name"), max_length=200)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("meeting file")
        verbose_name_plural = _("meeting files")
        ordering = ["meeting_id", "id"]

    def __str__(self) -> str:
        return self.name


class FrequencyRule(AuditedModel):
    """How often a kind of meeting must be held (DOMAIN.md §2), as data."""

    class Period(models.TextChoices):
        MONTH = "month", _("Month")
        QUARTER = "quarter", _("Quarter")
        YEAR = "year", _("Year")

    class AppliesTo(models.TextChoices):
        REGULAR = "regular", _("Regular branches")
        TEMPORARY = "temporary", _("Temporary branches")
        ALL = "all", _("All branches")

    kind = models.CharField(_("meeting type"), max_length=20, choices=MeetingKind.choices)
    period = models.CharField(_("period"), max_length=10, choices=Period.choices)
    minimum = models.PositiveSmallIntegerField(_("minimum count"), default=1)
    applies_to = models.CharField(
        _("applies to"), max_length=10, choices=AppliesTo.choices, default=AppliesTo.REGULAR
    )
    only_with_groups = models.BooleanField(_("only branches with Party groups"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("frequency rule")
        verbose_name_plural = _("frequency rules")
        ordering = ["kind", "period"]
        constraints = [
            models.CheckConstraint(
                condition=Q(minimum__gte=1),
                name="orglife_rule_minimum_positive",
                violation_error_message=_("The minimum count must be at least 1."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ≥ {self.minimum} / {self.get_period_display()}"

    def applies(self, *, is_temporary: bool, has_groups: bool) -> bool:
        if not self.is_active:
            return False
        if self.applies_to == self.AppliesTo.REGULAR and is_temporary:
            return False
        if self.applies_to == self.AppliesTo.TEMPORARY and not is_temporary:
            return False
        return not (self.only_with_groups and not has_groups)


class ReviewGrade(models.TextChoices):
    EXCELLENT = "excellent", _("Excellent")  # 优秀
    QUALIFIED = "qualified", _("Qualified")  # 合格
    BASIC = "basic", _("Basically qualified")  # 基本合格
    UNQUALIFIED = "unqualified", _("Unqualified")  # 不合格


class ReviewCampaign(AuditedModel):
    """民主评议党员 of one branch for one year: 自评 → 互评/测评 → the branch decides."""

    class Stage(models.TextChoices):
        SELF = "self", _("Self-assessment")
        MUTUAL = "mutual", _("Mutual assessment")
        VOTING = "voting", _("Vote")
        DECIDED = "decided", _("Decided")

    organisation = models.ForeignKey(
        "party.PartyOrganisation",
        verbose_name=_("branch"),
        on_delete=models.PROTECT,
        related_name="review_campaigns",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    stage = models.CharField(_("stage"), max_length=10, choices=Stage.choices, default=Stage.SELF)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decided_by = models.CharField(
        _("decided by"), max_length=100, blank=True, help_text=_("支委会 or 支部党员大会")
    )

    class Meta:
        verbose_name = _("democratic review campaign")
        verbose_name_plural = _("democratic review campaigns")
        ordering = ["-year", "organisation_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year"],
                name="orglife_campaign_unique_year",
                violation_error_message=_("This branch already has a review for this year."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} · {self.year}"


class SelfAssessment(AuditedModel):
    campaign = models.ForeignKey(
        ReviewCampaign, verbose_name=_("review"), on_delete=models.CASCADE, related_name="selfs"
    )
    member = models.ForeignKey(
        "party.PartyMember", verbose_name=_("member"), on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField(_("self-assessment"))
    submitted_at = models.DateTimeField(_("submitted at"), auto_now=True)

    class Meta:
        verbose_name = _("self-assessment")
        verbose_name_plural = _("self-assessments")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "member"],
                name="orglife_self_unique",
                violation_error_message=_("This member has already written a self-assessment."),
            )
        ]


class MutualAssessment(AuditedModel):
    """互评: one member's comments on another member of the branch."""

    campaign = models.ForeignKey(
        ReviewCampaign, verbose_name=_("review"), on_delete=models.CASCADE, related_name="mutuals"
    )
    author = models.ForeignKey(
        "party.PartyMember",
        verbose_name=_("written by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    subject = models.ForeignKey(
        "party.PartyMember",
        verbose_name=_("member assessed"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    text = models.TextField(_("comments"))
    submitted_at = models.DateTimeField(_("submitted at"), auto_now=True)

    class Meta:
        verbose_name = _("mutual assessment")
        verbose_name_plural = _("mutual assessments")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "author", "subject"],
                name="orglife_mutual_unique",
                violation_error_message=_("You have already commented on this member."),
            ),
            models.CheckConstraint(
                condition=~Q(author=models.F("subject")),
                name="orglife_mutual_not_self",
                violation_error_message=_("Your own assessment is the self-assessment."),
            ),
        ]


class ReviewBallot(AuditedModel):
    """One voter's grade for one candidate; one ballot per voter per candidate."""

    campaign = models.ForeignKey(
        ReviewCampaign, verbose_name=_("review"), on_delete=models.CASCADE, related_name="ballots"
    )
    voter = models.ForeignKey(
        "party.PartyMember", verbose_name=_("voter"), on_delete=models.PROTECT, related_name="+"
    )
    candidate = models.ForeignKey(
        "party.PartyMember",
        verbose_name=_("member assessed"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    grade = models.CharField(_("grade"), max_length=12, choices=ReviewGrade.choices)

    class Meta:
        verbose_name = _("review ballot")
        verbose_name_plural = _("review ballots")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "voter", "candidate"],
                name="orglife_ballot_unique",
                violation_error_message=_("You have already voted for this member."),
            ),
            models.CheckConstraint(
                condition=~Q(voter=models.F("candidate")),
                name="orglife_ballot_not_self",
                violation_error_message=_("A member does not vote for themselves."),
            ),
        ]


class ReviewResult(AuditedModel):
    """The grade the branch decided: part of the member's record."""

    campaign = models.ForeignKey(
        ReviewCampaign, verbose_name=_("review"), on_delete=models.CASCADE, related_name="results"
    )
    member = models.ForeignKey(
        "party.PartyMember",
        verbose_name=_("member"),
        on_delete=models.PROTECT,
        related_name="review_results",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    grade = models.CharField(_("grade"), max_length=12, choices=ReviewGrade.choices)
    votes = models.JSONField(_("vote counts"), default=dict, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("review result")
        verbose_name_plural = _("review results")
        ordering = ["-year", "member_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "year"],
                name="orglife_result_unique_year",
                violation_error_message=_("This member already has a grade for this year."),
            )
        ]


class RobotReminder(AuditedModel):
    """One reminder posted to the group robot: keeps the robot from repeating itself."""

    dedup_key = models.CharField(_("de-duplication key"), max_length=200)
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("group robot reminder")
        verbose_name_plural = _("group robot reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["dedup_key"],
                name="orglife_robot_reminder_unique",
                violation_error_message=_("This reminder was already posted."),
            )
        ]

    def __str__(self) -> str:
        return self.dedup_key
