"""Integrity (廉政) work of the discipline-inspection office (DOMAIN.md §6).

Responsibility letters signed level by level, the risk register of key posts, reminder
campaigns before festivals, festival self-checks, the 红包 register, 四必谈 family events,
warning education, reports (举报, anonymous or named) and the service code library.
Follow-ups run on ``hongfan.loops`` (types ``integrity_report``, ``formal_talk`` and this
app's ``integrity_followup``); ethics-file events go through ``hongfan.scoring``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hongfan.audit.models import AuditedModel
from hongfan.core.fields import EncryptedTextField

# ------------------------------------------------------------------ letters and pledges


class LetterTemplate(AuditedModel):
    """The text of a responsibility letter or pledge for one level (党委 → 科室 → 个人)."""

    class Level(models.TextChoices):
        COMMITTEE = "committee", _("Party committee")  # 党委 (班子成员)
        DEPARTMENT = "department", _("Department")  # 科室负责人
        INDIVIDUAL = "individual", _("Individual")  # 个人 (廉洁承诺书)

    class Kind(models.TextChoices):
        RESPONSIBILITY = "responsibility", _("Responsibility letter")  # 党风廉政建设责任书
        PLEDGE = "pledge", _("Integrity pledge")  # 廉洁承诺书

    title = models.CharField(_("title"), max_length=120)
    level = models.CharField(_("level"), max_length=16, choices=Level.choices)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    body = models.TextField(_("text"))
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["level", "title"]
        verbose_name = _("letter template")
        verbose_name_plural = _("letter templates")

    def __str__(self) -> str:
        return self.title


class SigningCampaign(AuditedModel):
    """A year's signing round of one template; a signature row per person to sign."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    year = models.PositiveSmallIntegerField(_("year"))
    template = models.ForeignKey(
        LetterTemplate, verbose_name=_("template"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("title"), max_length=120)
    deadline = models.DateField(_("deadline"))
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.OPEN
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )

    class Meta:
        ordering = ["-year", "template__level", "pk"]
        verbose_name = _("signing campaign")
        verbose_name_plural = _("signing campaigns")
        constraints = [
            models.UniqueConstraint(
                fields=["year", "template"],
                name="integrity_campaign_year_template_unique",
                violation_error_message=_("This template already has a campaign this year."),
            )
        ]

    def __str__(self) -> str:
        return self.title


class Signature(AuditedModel):
    """One person's signature of a campaign: their typed name and the time."""

    campaign = models.ForeignKey(
        SigningCampaign, on_delete=models.CASCADE, related_name="signatures"
    )
    staff = models.ForeignKey("org.Staff", on_delete=models.PROTECT, related_name="+")
    department = models.ForeignKey("org.Department", on_delete=models.PROTECT, related_name="+")
    typed_name = models.CharField(_("typed name"), max_length=50, blank=True)
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )

    class Meta:
        ordering = ["department__code", "staff__employee_no"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "staff"],
                name="integrity_signature_unique",
                violation_error_message=_("This person is already in the campaign."),
            )
        ]


# ------------------------------------------------------------------ risk register


class RiskPoint(AuditedModel):
    """An integrity risk point at a key post, its controls and review schedule."""

    class Area(models.TextChoices):
        PHARMACY = "pharmacy", _("Pharmacy")  # 药剂
        EQUIPMENT = "equipment", _("Equipment")  # 设备
        CONSUMABLES = "consumables", _("Consumables")  # 耗材
        PROCUREMENT = "procurement", _("Procurement")  # 采购
        CONSTRUCTION = "construction", _("Construction")  # 基建
        FINANCE = "finance", _("Finance")  # 财务
        PERSONNEL = "personnel", _("Personnel")  # 人事
        MEDICAL = "medical", _("Medical services")  # 医疗服务
        OTHER = "other", _("Other")

    class Level(models.TextChoices):
        HIGH = "high", _("High")
        MEDIUM = "medium", _("Medium")
        LOW = "low", _("Low")

    code = models.CharField(_("code"), max_length=20, unique=True)
    area = models.CharField(_("post area"), max_length=16, choices=Area.choices)
    title = models.CharField(_("risk point"), max_length=120)
    description = models.TextField(_("risk description"), blank=True)
    level = models.CharField(_("risk level"), max_length=8, choices=Level.choices)
    controls = models.TextField(_("controls"))
    department = models.ForeignKey(
        "org.Department", verbose_name=_("department"), on_delete=models.PROTECT, related_name="+"
    )
    responsible = models.ManyToManyField(
        "org.Staff", verbose_name=_("responsible people"), related_name="+"
    )
    review_interval_months = models.PositiveSmallIntegerField(_("review every (months)"), default=6)
    next_review_on = models.DateField(_("next review"))
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("risk point")
        verbose_name_plural = _("risk points")
        constraints = [
            models.CheckConstraint(
                condition=Q(review_interval_months__gte=1, review_interval_months__lte=24),
                name="integrity_risk_interval_range",
                violation_error_message=_("The review interval is 1 to 24 months."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class RiskIndicator(AuditedModel):
    """A figure that monitors a risk point; clinical analytics feeds warnings by ``code``."""

    point = models.ForeignKey(RiskPoint, on_delete=models.CASCADE, related_name="indicators")
    code = models.CharField(_("indicator code"), max_length=64)
    name = models.CharField(_("indicator"), max_length=120)
    threshold = models.CharField(_("warning threshold"), max_length=60, blank=True)

    class Meta:
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(
                fields=["point", "code"],
                name="integrity_indicator_unique",
                violation_error_message=_("This point already has this indicator."),
            )
        ]

    def __str__(self) -> str:
        return self.name


class RiskWarning(AuditedModel):
    """A warning fed into an indicator (by the clinical analytics module or by hand)."""

    indicator = models.ForeignKey(RiskIndicator, on_delete=models.CASCADE, related_name="warnings")
    occurred_on = models.DateField(_("date"))
    value = models.CharField(_("value"), max_length=60, blank=True)
    summary = models.CharField(_("summary"), max_length=200)
    source = models.CharField(_("source"), max_length=40, default="manual")
    key = models.CharField(max_length=120, blank=True)

    class Meta:
        ordering = ["-occurred_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "source", "key"],
                condition=~Q(key=""),
                name="integrity_warning_idempotent",
            )
        ]


class RiskReview(AuditedModel):
    """A periodic review of a risk point."""

    point = models.ForeignKey(RiskPoint, on_delete=models.CASCADE, related_name="reviews")
    reviewed_on = models.DateField(_("reviewed on"))
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    findings = models.TextField(_("findings"))
    level_after = models.CharField(
        _("risk level after review"), max_length=8, choices=RiskPoint.Level.choices
    )

    class Meta:
        ordering = ["-reviewed_on", "-pk"]


# ------------------------------------------------------------------ reminder campaigns


class KeyDate(AuditedModel):
    """A festival or key date before which a reminder letter goes out."""

    class Kind(models.TextChoices):
        NEW_YEAR = "new_year", _("New Year's Day")
        SPRING = "spring", _("Spring Festival")
        LANTERN = "lantern", _("Lantern Festival")
        LABOUR = "labour", _("Labour Day")
        DRAGON_BOAT = "dragon_boat", _("Dragon Boat Festival")
        MID_AUTUMN = "mid_autumn", _("Mid-Autumn Festival")
        NATIONAL = "national", _("National Day")
        CUSTOM = "custom", _("Custom date")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=60)
    custom_date = models.DateField(_("date"), null=True, blank=True)
    days_before = models.PositiveSmallIntegerField(_("draft days before"), default=7)
    auto_send = models.BooleanField(_("send automatically when drafted"), default=False)
    use_webhook = models.BooleanField(_("also post to the group robots"), default=False)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("key date")
        verbose_name_plural = _("key dates")
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="custom") | Q(custom_date__isnull=False),
                name="integrity_keydate_custom_has_date",
                violation_error_message=_("A custom key date needs a date."),
            ),
            models.CheckConstraint(
                condition=Q(days_before__gte=1, days_before__lte=60),
                name="integrity_keydate_days_range",
                violation_error_message=_("Draft the letter 1 to 60 days before."),
            ),
            models.UniqueConstraint(
                fields=["kind"],
                condition=~Q(kind="custom"),
                name="integrity_keydate_festival_unique",
                violation_error_message=_("This festival is already configured."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ReminderCampaign(AuditedModel):
    """A reminder letter before one occurrence of a key date, with read receipts."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SENT = "sent", _("Sent")

    key_date = models.ForeignKey(KeyDate, on_delete=models.PROTECT, related_name="campaigns")
    festival_on = models.DateField(_("festival date"))
    title = models.CharField(_("title"), max_length=120)
    body = models.TextField(_("letter"))
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.DRAFT
    )
    drafted_at = models.DateTimeField(_("drafted at"))
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    recipients = models.PositiveIntegerField(_("recipients"), default=0)

    class Meta:
        ordering = ["-festival_on"]
        verbose_name = _("reminder campaign")
        constraints = [
            models.UniqueConstraint(
                fields=["key_date", "festival_on"],
                name="integrity_reminder_once",
                violation_error_message=_("A letter for this date already exists."),
            )
        ]

    def __str__(self) -> str:
        return self.title


class ReminderReceipt(AuditedModel):
    """That a staff member received (and when they read) a reminder letter.

    A send creates one per recipient inside ``bulk_summary()`` (one audit entry per 1,000).
    """

    campaign = models.ForeignKey(
        ReminderCampaign, on_delete=models.CASCADE, related_name="receipts"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    department = models.ForeignKey(
        "org.Department", on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["campaign", "user"], name="integrity_receipt_unique")
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id}:{self.user_id}"


# ------------------------------------------------------------------ festival self-check

DEFAULT_QUESTIONS: list[list[str]] = [
    ["gifts", "收受患者、供应商或下属赠送的礼品、礼金、消费卡、有价证券"],
    ["banquets", "接受可能影响公正执行公务的宴请或参加高消费娱乐活动"],
    ["cards", "收受购物卡、电子红包、预付卡"],
    ["vehicles", "公车私用或违规使用公务车辆"],
    ["red_envelope", "收受患者及其亲属“红包”"],
    ["kickbacks", "接受医药企业回扣、提成或赞助"],
    ["banquet_events", "借婚丧喜庆等事宜大操大办、借机敛财"],
]


class SelfCheckCampaign(AuditedModel):
    """A festival self-check (廉洁过节自查): open from ``opens_on`` to ``closes_on``."""

    title = models.CharField(_("title"), max_length=120)
    reminder = models.ForeignKey(
        ReminderCampaign,
        verbose_name=_("reminder letter"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))
    questions = models.JSONField(_("questions"), default=list)

    class Meta:
        ordering = ["-opens_on"]
        verbose_name = _("self-check campaign")
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_on__gte=models.F("opens_on")),
                name="integrity_selfcheck_dates",
                violation_error_message=_("The closing date cannot be before the opening date."),
            )
        ]

    def __str__(self) -> str:
        return self.title


class SelfCheck(AuditedModel):
    """One staff member's answers; any "yes" opens a follow-up matter."""

    campaign = models.ForeignKey(SelfCheckCampaign, on_delete=models.CASCADE, related_name="checks")
    staff = models.ForeignKey("org.Staff", on_delete=models.PROTECT, related_name="+")
    department = models.ForeignKey("org.Department", on_delete=models.PROTECT, related_name="+")
    answers = models.JSONField(default=dict)
    declaration = models.TextField(_("declaration"), blank=True)
    submitted_at = models.DateTimeField()
    matter = models.OneToOneField(
        "loops.Matter", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-submitted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "staff"],
                name="integrity_selfcheck_once",
                violation_error_message=_("You have already submitted this self-check."),
            )
        ]

    @property
    def yes_count(self) -> int:
        return sum(1 for v in self.answers.values() if v)


# ------------------------------------------------------------------ 红包 register


class EnvelopeEntry(AuditedModel):
    """An envelope or gift a staff member refused or handed in."""

    class Kind(models.TextChoices):
        CASH = "cash", _("Red envelope (cash)")
        GIFT = "gift", _("Gift")
        CARD = "card", _("Shopping card / voucher")
        DIGITAL = "digital", _("Digital red envelope")

    class Handling(models.TextChoices):
        RETURNED = "returned", _("Returned to the patient")
        PAID_IN = "paid_in", _("Paid into the patient's hospital account")
        HANDED_OVER = "handed_over", _("Handed to the discipline office")

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Awaiting confirmation")
        CONFIRMED = "confirmed", _("Confirmed")
        REJECTED = "rejected", _("Rejected")

    number = models.CharField(_("receipt number"), max_length=20, unique=True)
    staff = models.ForeignKey(
        "org.Staff", verbose_name=_("staff member"), on_delete=models.PROTECT, related_name="+"
    )
    department = models.ForeignKey("org.Department", on_delete=models.PROTECT, related_name="+")
    occurred_on = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    amount = models.DecimalField(_("amount (yuan)"), max_digits=10, decimal_places=2)
    description = models.CharField(_("description"), max_length=200, blank=True)
    patient_name = EncryptedTextField(_("patient name"))
    patient_ward = models.CharField(_("ward / bed"), max_length=40, blank=True)
    handling = models.CharField(_("handling"), max_length=12, choices=Handling.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.SUBMITTED
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    office_note = models.CharField(_("office note"), max_length=200, blank=True)

    class Meta:
        ordering = ["-occurred_on", "-pk"]
        verbose_name = _("envelope entry")
        verbose_name_plural = _("envelope register")
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gte=0),
                name="integrity_envelope_amount_positive",
                violation_error_message=_("The amount cannot be negative."),
            )
        ]

    def __str__(self) -> str:
        return self.number


# ------------------------------------------------------------------ 四必谈


class FamilyEvent(AuditedModel):
    """A wedding, funeral or other family event a staff member reports (四必谈)."""

    class Kind(models.TextChoices):
        WEDDING = "wedding", _("Wedding")
        FUNERAL = "funeral", _("Funeral")
        CHILD = "child", _("Child's birth or coming of age")
        STUDY = "study", _("Child going to university")
        OTHER = "other", _("Other family event")

    staff = models.ForeignKey(
        "org.Staff", verbose_name=_("staff member"), on_delete=models.PROTECT, related_name="+"
    )
    department = models.ForeignKey("org.Department", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("event"), max_length=10, choices=Kind.choices)
    event_on = models.DateField(_("event date"))
    scale = models.CharField(_("planned scale"), max_length=120, blank=True)
    reported_at = models.DateTimeField()
    matter = models.OneToOneField(
        "loops.Matter", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    talk_at = models.DateTimeField(_("talk held at"), null=True, blank=True)
    talk_points = models.TextField(_("points made"), blank=True)
    talked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )

    class Meta:
        ordering = ["-event_on", "-pk"]
        verbose_name = _("family event (四必谈)")

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("integrity:talk_detail", args=[self.pk])


# ------------------------------------------------------------------ warning education


class EducationSession(AuditedModel):
    """A warning-education session (警示教育)."""

    class Kind(models.TextChoices):
        FILM = "film", _("Warning film")
        EXHIBITION = "exhibition", _("Exhibition")
        PRISON = "prison", _("Prison visit")
        CASE = "case", _("Case study")
        LECTURE = "lecture", _("Integrity lecture")

    title = models.CharField(_("title"), max_length=120)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    held_on = models.DateField(_("held on"))
    location = models.CharField(_("location"), max_length=100)
    summary = models.TextField(_("summary"), blank=True)
    attendees = models.ManyToManyField("org.Staff", related_name="+", blank=True)

    class Meta:
        ordering = ["-held_on"]
        verbose_name = _("education session")

    def __str__(self) -> str:
        return self.title


class EducationMaterial(AuditedModel):
    session = models.ForeignKey(
        EducationSession, on_delete=models.CASCADE, related_name="materials"
    )
    title = models.CharField(_("title"), max_length=120)
    file = models.FileField(_("file"), upload_to="integrity/education/%Y/")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )


# ------------------------------------------------------------------ reports (举报)


class Category(models.TextChoices):
    """The articles of 《医疗机构工作人员廉洁从业九项准则》 (2021)."""

    A1 = "1", _("1 Commercial commissions")  # 合法按劳取酬，不接受商业提成
    A2 = "2", _("2 Insurance fraud")  # 严守诚信原则，不参与欺诈骗保
    A3 = "3", _("3 Excessive treatment")  # 依据规范行医，不实施过度诊疗
    A4 = "4", _("4 Irregular donations")  # 遵守工作规程，不违规接受捐赠
    A5 = "5", _("5 Leaking patient privacy")  # 恪守保密准则，不泄露患者隐私
    A6 = "6", _("6 Referring patients for profit")  # 服从诊疗需要，不牟利转介患者
    A7 = "7", _("7 Undermining fair access")  # 维护诊疗秩序，不破坏就医公平
    A8 = "8", _("8 Red envelopes")  # 共建和谐关系，不收受患方"红包"
    A9 = "9", _("9 Kickbacks")  # 恪守交往底线，不收受企业回扣
    OTHER = "other", _("Other integrity problem")


class Report(AuditedModel):
    """A report (举报). Text, reported person, reporter identity and files are encrypted.

    Anonymous reports keep no trace of the sender: the receipt code is split into a public
    4-digit ``bucket`` and 16 secret digits whose Argon2 hash is ``receipt_hash``.
    """

    class Channel(models.TextChoices):
        ANONYMOUS = "anonymous", _("Anonymous")
        NAMED = "named", _("Named")

    number = models.CharField(_("number"), max_length=20, unique=True)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    category = models.CharField(_("category"), max_length=8, choices=Category.choices)
    subject = EncryptedTextField(_("person or department reported"), blank=True)
    body = EncryptedTextField(_("report"))
    reporter_identity = EncryptedTextField(_("reporter identity"), blank=True)
    reporter_digest = models.CharField(max_length=64, blank=True, db_index=True)
    receipt_bucket = models.CharField(max_length=4, blank=True, db_index=True)
    receipt_hash = models.CharField(max_length=200, blank=True)
    received_on = models.DateField(_("received on"))
    matter = models.OneToOneField(
        "loops.Matter", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-received_on", "-pk"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("integrity:report_detail", args=[self.pk])


class ReportMessage(AuditedModel):
    """Additional information from the reporter, or a reply from the office."""

    class Direction(models.TextChoices):
        REPORTER = "reporter", _("Reporter")
        OFFICE = "office", _("Discipline office")

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="messages")
    direction = models.CharField(max_length=10, choices=Direction.choices)
    body = EncryptedTextField(_("message"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    sent_on = models.DateField()

    class Meta:
        ordering = ["pk"]


class ReportAttachment(AuditedModel):
    """A file of a report, its bytes encrypted (base64 inside an encrypted text column)."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="attachments")
    name = EncryptedTextField()
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    data = EncryptedTextField()


class ReportFinding(AuditedModel):
    """A staff member found to have violated the code in a concluded report."""

    class Kind(models.TextChoices):
        VIOLATION = "violation", _("Violation")
        VETO = "veto", _("Veto item (one-vote veto)")

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="findings")
    staff = models.ForeignKey(
        "org.Staff", verbose_name=_("staff member"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("finding"), max_length=10, choices=Kind.choices)
    summary = models.CharField(_("summary"), max_length=200)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["report", "staff", "kind"],
                name="integrity_finding_unique",
                violation_error_message=_("This finding is already recorded."),
            )
        ]


class ReceiptThrottle(models.Model):
    """Wrong receipt-code attempts per bucket ("*" counts all buckets). Holds no address."""

    bucket = models.CharField(max_length=4, unique=True)
    failures = models.PositiveIntegerField(default=0)
    window_started_at = models.DateTimeField()
    locked_until = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.bucket


# ------------------------------------------------------------------ service code


class CodeDocument(AuditedModel):
    """A document of the hospital's service norms (e.g. 十二章六十九条)."""

    title = models.CharField(_("title"), max_length=120)
    version = models.CharField(_("version"), max_length=20)
    effective_on = models.DateField(_("effective from"))
    body = models.TextField(_("text"))
    requires_acknowledgement = models.BooleanField(_("staff must acknowledge"), default=True)

    class Meta:
        ordering = ["-effective_on", "title"]
        verbose_name = _("service code document")

    def __str__(self) -> str:
        return f"{self.title}（{self.version}）"


class CodeAcknowledgement(AuditedModel):
    document = models.ForeignKey(CodeDocument, on_delete=models.CASCADE, related_name="acks")
    staff = models.ForeignKey("org.Staff", on_delete=models.PROTECT, related_name="+")
    department = models.ForeignKey("org.Department", on_delete=models.PROTECT, related_name="+")
    acknowledged_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["document", "staff"],
                name="integrity_ack_once",
                violation_error_message=_("You have already acknowledged this document."),
            )
        ]
