"""Models of patient voice: hotline contacts and complaints, satisfaction surveys, discharge
follow-up, reception days and the wish tree.

Complaints and wishes are matters of the closed-loop engine (``hongfan.loops``): these models
hold what is specific (the patient's account, causes, people involved) and point at their
matter. Survey responses and answers are deliberately *not* audited models: they are
anonymous, hold no personal data, and the public submit path must sustain hundreds of writes
per second (an audited write appends to the single hash chain); see docs/apps/voice.md.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from hongfan.audit.models import AuditedModel
from hongfan.core.fields import EncryptedTextField
from hongfan.core.masking import mask_name, mask_phone


class Contact(AuditedModel):
    """One hotline call, visit, letter or phone-page submission (来电来访登记)."""

    class Kind(models.TextChoices):
        CONSULTATION = "consultation", _("Consultation")
        FEEDBACK = "feedback", _("Feedback")
        COMPLAINT = "complaint", _("Complaint")
        SUGGESTION = "suggestion", _("Suggestion")
        PRAISE = "praise", _("Praise")

    class Channel(models.TextChoices):
        HOTLINE = "hotline", _("Hotline (24 h)")
        PHONE_PAGE = "phone_page", _("Patient phone page")
        VISIT = "visit", _("Visit in person")
        LETTER = "letter", _("Letter or e-mail")
        RECEPTION = "reception", _("Reception day")

    class Cause(models.TextChoices):
        ATTITUDE = "attitude", _("Service attitude")
        COST = "cost", _("Charges and costs")
        WAITING = "waiting", _("Waiting time")
        COMMUNICATION = "communication", _("Communication")
        TECHNIQUE = "technique", _("Medical technique")
        ETHICS = "ethics", _("Medical ethics")
        ENVELOPE = "envelope", _("Red envelopes or gifts")
        ENVIRONMENT = "environment", _("Environment and facilities")
        PROCESS = "process", _("Procedures and processes")
        OTHER = "other", _("Other")

    number = models.CharField(_("number"), max_length=20, unique=True)
    kind = models.CharField(_("type"), max_length=16, choices=Kind.choices)
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    received_at = models.DateTimeField(_("received at"), db_index=True)
    caller_name = EncryptedTextField(_("caller's name"), blank=True)
    phone = EncryptedTextField(_("phone"), blank=True)
    content = models.TextField(_("content"))
    causes = models.JSONField(_("causes"), default=list, blank=True)
    departments = models.ManyToManyField(
        "org.Department", verbose_name=_("departments involved"), blank=True, related_name="+"
    )
    staff = models.ManyToManyField(
        "org.Staff", verbose_name=_("staff involved"), blank=True, related_name="+"
    )
    first_receiver = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("first person approached"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    settled_on_spot = models.BooleanField(_("settled on the spot"), default=False)
    on_spot_answer = models.TextField(_("answer given on the spot"), blank=True)
    query_hash = models.CharField(max_length=64, blank=True, db_index=True)
    consent_version = models.CharField(_("consent text version"), max_length=20, blank=True)
    consent_at = models.DateTimeField(_("consent given at"), null=True, blank=True)
    matter = models.OneToOneField(
        "loops.Matter", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    answered_at = models.DateTimeField(_("feedback given at"), null=True, blank=True)
    handling_rating = models.PositiveSmallIntegerField(
        _("satisfaction with the handling"), null=True, blank=True
    )

    class Meta:
        ordering = ["-received_at", "-pk"]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(handling_rating__isnull=True)
                | models.Q(handling_rating__gte=1, handling_rating__lte=5),
                name="voice_contact_rating_1_5",
                violation_error_message=_("The rating is from 1 to 5."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.get_kind_display()}"

    def get_absolute_url(self) -> str:
        return reverse("voice:contact_detail", args=[self.pk])

    @property
    def phone_masked(self) -> str:
        return mask_phone(self.phone)

    @property
    def caller_masked(self) -> str:
        return mask_name(self.caller_name)

    def cause_labels(self) -> list[str]:
        labels = dict(self.Cause.choices)
        return [str(labels.get(c, c)) for c in self.causes]


def new_version() -> int:
    """A random version number for ``Survey.version``."""
    return secrets.randbits(62)


class Survey(AuditedModel):
    """A questionnaire (门诊 / 住院 / 职工 / 出院随访)."""

    class Kind(models.TextChoices):
        OUTPATIENT = "outpatient", _("Outpatient")
        INPATIENT = "inpatient", _("Inpatient")
        STAFF = "staff", _("Staff")
        DISCHARGE = "discharge", _("Discharge follow-up")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Collecting")
        CLOSED = "closed", _("Closed")

    title = models.CharField(_("title"), max_length=100)
    kind = models.CharField(_("type"), max_length=16, choices=Kind.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    intro = models.TextField(_("introduction"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # Drawn again whenever the questions change: the public pages cache a survey's questions
    # per process under (id, version) (selectors.survey_questions). Random rather than a
    # counter, so that a re-used id (a restored or test database) never matches an old entry.
    version = models.BigIntegerField(default=new_version, editable=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("voice:survey_detail", args=[self.pk])


class Question(AuditedModel):
    class Scale(models.TextChoices):
        LIKERT5 = "likert5", _("Five-point (very dissatisfied … very satisfied)")
        SCALE10 = "scale10", _("0–10")

    class Dimension(models.TextChoices):
        OVERALL = "overall", _("Overall")
        ATTITUDE = "attitude", _("Service attitude")
        COMMUNICATION = "communication", _("Communication")
        WAITING = "waiting", _("Waiting time")
        ENVIRONMENT = "environment", _("Environment")
        COST = "cost", _("Costs")
        TECHNIQUE = "technique", _("Medical technique")
        ETHICS = "ethics", _("Medical ethics")
        DISCHARGE = "discharge", _("Discharge guidance")
        WORKPLACE = "workplace", _("Workplace")

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveSmallIntegerField(_("order"))
    text = models.CharField(_("question"), max_length=200)
    scale = models.CharField(_("scale"), max_length=10, choices=Scale.choices)
    dimension = models.CharField(_("dimension"), max_length=16, choices=Dimension.choices)
    required = models.BooleanField(_("required"), default=True)

    class Meta:
        ordering = ["survey", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "order"],
                name="voice_question_order_unique",
                violation_error_message=_("Two questions cannot have the same position."),
            )
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def max_value(self) -> int:
        return 5 if self.scale == self.Scale.LIKERT5 else 10

    @property
    def min_value(self) -> int:
        return 1 if self.scale == self.Scale.LIKERT5 else 0

    @property
    def top_box(self) -> int:
        """Lowest value counted as top box: 5 of 5, 9–10 of 0–10 (HCAHPS)."""
        return 5 if self.scale == self.Scale.LIKERT5 else 9

    def choices(self) -> list[int]:
        return list(range(self.min_value, self.max_value + 1))


class Poster(AuditedModel):
    """A printable QR poster for one department or ward (扫码评价)."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="posters")
    department = models.ForeignKey(
        "org.Department", on_delete=models.PROTECT, related_name="+", verbose_name=_("department")
    )
    place = models.CharField(_("ward or place"), max_length=60, blank=True)
    code = models.CharField(max_length=16, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["department__code", "place"]

    def __str__(self) -> str:
        return f"{self.department} {self.place}".strip()


class ContactList(AuditedModel):
    """A list of people invited to a survey (通讯录分发)."""

    name = models.CharField(_("name"), max_length=100)
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="contact_lists")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.name


class Invitation(AuditedModel):
    """A personal survey link (one response per token)."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="invitations")
    contact_list = models.ForeignKey(
        ContactList, null=True, blank=True, on_delete=models.CASCADE, related_name="invitations"
    )
    department = models.ForeignKey(
        "org.Department", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    name = EncryptedTextField(_("name"), blank=True)
    phone = EncryptedTextField(_("phone"), blank=True)
    token = models.CharField(max_length=32, unique=True)
    responded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]

    @property
    def phone_masked(self) -> str:
        return mask_phone(self.phone)

    @property
    def name_masked(self) -> str:
        return mask_name(self.name)


class Response(models.Model):  # noqa: DJ008 (anonymous, shown only in aggregates)
    """One completed questionnaire. Not audited (anonymous, see the module docstring)."""

    class Channel(models.TextChoices):
        POSTER = "poster", _("QR poster")
        INVITATION = "invitation", _("Personal link")
        PHONE = "phone", _("Phone follow-up")

    survey = models.ForeignKey(Survey, on_delete=models.PROTECT, related_name="responses")
    department = models.ForeignKey(
        "org.Department", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    channel = models.CharField(max_length=12, choices=Channel.choices)
    poster = models.ForeignKey(Poster, null=True, blank=True, on_delete=models.SET_NULL)
    invitation = models.OneToOneField(
        Invitation, null=True, blank=True, on_delete=models.SET_NULL, related_name="response"
    )
    token = models.CharField(max_length=64)
    submitted_at = models.DateTimeField(db_index=True)
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["-submitted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["token"],
                name="voice_response_one_per_token",
                violation_error_message=_("This questionnaire has already been submitted."),
            )
        ]


class Answer(models.Model):  # noqa: DJ008 (rows of a response, never shown alone)
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    value = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["response", "question"], name="voice_answer_one_per_question"
            ),
            models.CheckConstraint(condition=models.Q(value__lte=10), name="voice_answer_max_10"),
        ]


class Discharge(AuditedModel):
    """One discharged inpatient from the imported discharge list (出院名单)."""

    department = models.ForeignKey(
        "org.Department", on_delete=models.PROTECT, related_name="+", verbose_name=_("department")
    )
    inpatient_no = models.CharField(_("inpatient number"), max_length=32)
    discharged_on = models.DateField(_("discharged on"), db_index=True)
    admitted_on = models.DateField(_("admitted on"), null=True, blank=True)
    name = EncryptedTextField(_("name"))
    phone = EncryptedTextField(_("phone"), blank=True)
    birth_date = models.DateField(_("date of birth"))
    deceased = models.BooleanField(_("died in hospital"), default=False)
    opted_out = models.BooleanField(_("declined follow-up"), default=False)

    class Meta:
        ordering = ["-discharged_on", "inpatient_no"]
        constraints = [
            models.UniqueConstraint(
                fields=["inpatient_no", "discharged_on"],
                name="voice_discharge_unique",
                violation_error_message=_("This discharge is already on the list."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.inpatient_no} {self.discharged_on}"

    @property
    def phone_masked(self) -> str:
        return mask_phone(self.phone)

    @property
    def name_masked(self) -> str:
        return mask_name(self.name)

    def age_on(self, day: object) -> int:
        d = day  # a date
        b = self.birth_date
        return d.year - b.year - ((d.month, d.day) < (b.month, b.day))  # type: ignore[attr-defined]


class Sample(AuditedModel):
    """A random draw of discharged patients for phone follow-up (季度随机抽样)."""

    survey = models.ForeignKey(Survey, on_delete=models.PROTECT, related_name="samples")
    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"))
    drawn_on = models.DateField(_("drawn on"))
    rate = models.PositiveSmallIntegerField(_("sampling rate (%)"))
    seed = models.CharField(max_length=40)
    eligible = models.PositiveIntegerField(default=0)
    drawn = models.PositiveIntegerField(default=0)
    exclusions = models.JSONField(default=dict)
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-drawn_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.year}Q{self.quarter} {self.drawn_on}"


class FollowUp(AuditedModel):
    """A phone follow-up call to a sampled discharged patient (出院随访)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("To call")
        CALLBACK = "callback", _("Call back")
        COMPLETED = "completed", _("Interview completed")
        NO_ANSWER = "no_answer", _("No answer")
        REFUSED = "refused", _("Declined")
        WRONG_NUMBER = "wrong_number", _("Wrong number")

    OPEN_STATUSES = (Status.PENDING, Status.CALLBACK, Status.NO_ANSWER)

    sample = models.ForeignKey(Sample, on_delete=models.CASCADE, related_name="followups")
    discharge = models.OneToOneField(Discharge, on_delete=models.PROTECT, related_name="followup")
    status = models.CharField(max_length=14, choices=Status.choices, default=Status.PENDING)
    operator = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    last_called_at = models.DateTimeField(null=True, blank=True)
    callback_at = models.DateTimeField(_("call back at"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    response = models.OneToOneField(
        Response, null=True, blank=True, on_delete=models.SET_NULL, related_name="followup"
    )

    class Meta:
        ordering = ["discharge__discharged_on", "pk"]


class ReceptionDay(AuditedModel):
    """院长接待日, 医患沟通会 or a social supervisors' forum."""

    class Kind(models.TextChoices):
        PRESIDENT = "president", _("President's reception day")
        COMMUNICATION = "communication", _("Doctor–patient communication meeting")
        SUPERVISORS = "supervisors", _("Social supervisors' forum")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        HELD = "held", _("Held")
        CANCELLED = "cancelled", _("Cancelled")

    kind = models.CharField(_("type"), max_length=16, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=100)
    starts_at = models.DateTimeField(_("time"))
    location = models.CharField(_("place"), max_length=100)
    hosts = models.CharField(_("hosts"), max_length=200)
    capacity = models.PositiveSmallIntegerField(_("places"), default=20)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PLANNED
    )
    summary = models.TextField(_("summary"), blank=True)

    class Meta:
        ordering = ["-starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(capacity__gte=1),
                name="voice_reception_capacity_positive",
                violation_error_message=_("There must be at least one place."),
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("voice:reception_detail", args=[self.pk])


class Registration(AuditedModel):
    day = models.ForeignKey(ReceptionDay, on_delete=models.CASCADE, related_name="registrations")
    name = EncryptedTextField(_("name"))
    phone = EncryptedTextField(_("phone"), blank=True)
    topic = models.TextField(_("topic"))
    consent_version = models.CharField(max_length=20, blank=True)
    attended = models.BooleanField(_("attended"), default=False)
    registered_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["registered_at", "pk"]

    @property
    def phone_masked(self) -> str:
        return mask_phone(self.phone)

    @property
    def name_masked(self) -> str:
        return mask_name(self.name)


class RaisedIssue(AuditedModel):
    """An issue raised at a reception day; it becomes a matter."""

    day = models.ForeignKey(ReceptionDay, on_delete=models.CASCADE, related_name="issues")
    registration = models.ForeignKey(
        Registration, null=True, blank=True, on_delete=models.SET_NULL, related_name="issues"
    )
    text = models.TextField(_("issue"))
    department = models.ForeignKey(
        "org.Department", on_delete=models.PROTECT, related_name="+", verbose_name=_("department")
    )
    matter = models.OneToOneField(
        "loops.Matter", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.text[:40]

    def get_absolute_url(self) -> str:
        return reverse("voice:reception_detail", args=[self.day_id])


class Wish(AuditedModel):
    """A wish on the wish tree (心愿树)."""

    class Origin(models.TextChoices):
        PATIENT = "patient", _("Patient")
        STAFF = "staff", _("Staff")

    number = models.CharField(_("number"), max_length=20, unique=True)
    origin = models.CharField(_("from"), max_length=10, choices=Origin.choices)
    text = models.TextField(_("wish"))
    wisher_name = EncryptedTextField(_("name"), blank=True)
    phone = EncryptedTextField(_("phone"), blank=True)
    department = models.ForeignKey(
        "org.Department",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("department"),
    )
    place = models.CharField(_("ward and bed"), max_length=60, blank=True)
    consent_version = models.CharField(max_length=20, blank=True)
    query_hash = models.CharField(max_length=64, blank=True, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(db_index=True)
    responsible = models.ForeignKey(
        "org.Staff",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("responsible person"),
    )
    matter = models.OneToOneField(
        "loops.Matter", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    fulfilled_at = models.DateTimeField(null=True, blank=True)
    feedback = models.TextField(_("how it was fulfilled"), blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("wish")
        verbose_name_plural = _("wishes")

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("voice:wish_detail", args=[self.pk])

    @property
    def phone_masked(self) -> str:
        return mask_phone(self.phone)

    @property
    def wisher_masked(self) -> str:
        return mask_name(self.wisher_name)
