"""Outreach and volunteering, the honours register and emergency mobilisation (DOMAIN.md §9)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from uuid import uuid4

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from hongfan.audit.models import AuditedModel


def _upload(prefix: str, filename: str) -> str:
    return f"outreach/{prefix}/{uuid4().hex}{Path(filename).suffix.lower()}"


def _photo_path(instance: ActivityPhoto, filename: str) -> str:
    return _upload("photos", filename)


def _honour_path(instance: Honour, filename: str) -> str:
    return _upload("honours", filename)


class Activity(AuditedModel):
    """One outreach or volunteering activity (义诊, 健康夜市, 上门服务 …) with its counts."""

    class Kind(models.TextChoices):
        FREE_CLINIC = "free_clinic", _("Free clinic (义诊)")
        NIGHT_MARKET = "night_market", _("Health night market (健康夜市)")
        HOME_VISIT = "home_visit", _("Home visit (上门服务)")
        INTERNET_NURSING = "internet_nursing", _("Internet + nursing (互联网+护理)")
        RURAL_VISIT = "rural_visit", _("Doctors to the countryside (送医下乡)")
        HEALTH_TALK = "health_talk", _("Health talk (健康讲座)")
        SCHOOL_SCREENING = "school_screening", _("School screening")
        SERVICE_DESK = "service_desk", _("Hongfan service desk duty (红帆驿站)")

    title = models.CharField(_("title"), max_length=120)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    held_on = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=120)
    organisation = models.ForeignKey(
        "party.PartyOrganisation",
        verbose_name=_("organising branch"),
        on_delete=models.PROTECT,
        related_name="outreach_activities",
    )
    departments = models.ManyToManyField(
        "org.Department",
        verbose_name=_("departments"),
        blank=True,
        related_name="outreach_activities",
    )
    hours = models.DecimalField(
        _("hours per person"),
        max_digits=4,
        decimal_places=1,
        help_text=_("Service time of each participant, 0.5 to 24 hours."),
    )
    people_served = models.PositiveIntegerField(_("people served"), default=0)
    people_cap = models.PositiveIntegerField(
        _("stated cap on people"),
        null=True,
        blank=True,
        help_text=_("E.g. the number of appointment slots; people served may not exceed it."),
    )
    examinations = models.PositiveIntegerField(_("examinations done"), default=0)
    materials = models.PositiveIntegerField(_("materials handed out"), default=0)
    fees_waived = models.DecimalField(
        _("fees waived (yuan)"), max_digits=12, decimal_places=2, default=Decimal("0")
    )
    partners = models.CharField(_("partner institutions"), max_length=300, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Bumped whenever hours or participants change: the key of the scoring events.
    revision = models.PositiveIntegerField(_("revision"), default=1)

    class Meta:
        verbose_name = _("outreach activity")
        verbose_name_plural = _("outreach activities")
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["held_on"], name="outreach_activity_held_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(hours__gte=Decimal("0.5")) & Q(hours__lte=Decimal("24")),
                name="outreach_activity_hours_range",
                violation_error_message=_("Hours per person must be between 0.5 and 24."),
            ),
            models.CheckConstraint(
                condition=Q(fees_waived__gte=0),
                name="outreach_activity_fees_not_negative",
                violation_error_message=_("Fees waived cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(people_cap__isnull=True) | Q(people_served__lte=F("people_cap")),
                name="outreach_activity_people_within_cap",
                violation_error_message=_("More people served than the stated cap."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.held_on:%Y-%m-%d} {self.title}"


class Participant(AuditedModel):
    """A staff member taking part in an activity; ``is_member`` is a snapshot at recording."""

    activity = models.ForeignKey(
        Activity, verbose_name=_("activity"), on_delete=models.CASCADE, related_name="participants"
    )
    staff = models.ForeignKey(
        "org.Staff",
        verbose_name=_("staff member"),
        on_delete=models.PROTECT,
        related_name="outreach_participations",
    )
    is_member = models.BooleanField(_("Party member"), default=False)

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "staff"],
                name="outreach_participant_unique",
                violation_error_message=_("This person is already listed for the activity."),
            )
        ]

    def __str__(self) -> str:
        return str(self.staff)


class ActivityPhoto(AuditedModel):
    activity = models.ForeignKey(
        Activity, verbose_name=_("activity"), on_delete=models.CASCADE, related_name="photos"
    )
    file = models.FileField(_("photo"), upload_to=_photo_path)
    original_name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveIntegerField(_("size"), default=0)

    class Meta:
        verbose_name = _("activity photo")
        verbose_name_plural = _("activity photos")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.original_name


class Honour(AuditedModel):
    """An honour of the hospital, a branch or a person (先进基层党组织, 党员示范岗 …)."""

    class Level(models.TextChoices):
        NATIONAL = "national", _("National")
        PROVINCIAL = "provincial", _("Provincial")
        CITY = "city", _("City")
        COUNTY = "county", _("County")
        HOSPITAL = "hospital", _("Hospital")

    class Holder(models.TextChoices):
        HOSPITAL = "hospital", _("The hospital")
        BRANCH = "branch", _("A Party organisation")
        PERSON = "person", _("A person")

    title = models.CharField(_("honour"), max_length=120)
    level = models.CharField(_("level"), max_length=12, choices=Level.choices)
    holder = models.CharField(_("awarded to"), max_length=10, choices=Holder.choices)
    institution = models.ForeignKey(
        "org.Institution",
        verbose_name=_("institution"),
        on_delete=models.PROTECT,
        related_name="honours",
    )
    organisation = models.ForeignKey(
        "party.PartyOrganisation",
        verbose_name=_("Party organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="honours",
    )
    staff = models.ForeignKey(
        "org.Staff",
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="honours",
    )
    awarded_by = models.CharField(_("awarded by"), max_length=120)
    awarded_on = models.DateField(_("awarded on"))
    document_no = models.CharField(_("document number"), max_length=80, blank=True)
    evidence = models.FileField(_("evidence"), upload_to=_honour_path, blank=True)
    evidence_name = models.CharField(_("evidence file name"), max_length=200, blank=True)
    note = models.TextField(_("note"), blank=True)
    revoked_on = models.DateField(_("revoked on"), null=True, blank=True)
    revoke_reason = models.CharField(_("reason for revoking"), max_length=200, blank=True)
    revision = models.PositiveIntegerField(_("revision"), default=1)

    class Meta:
        verbose_name = _("honour")
        verbose_name_plural = _("honours")
        ordering = ["-awarded_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(holder="hospital") & Q(organisation__isnull=True) & Q(staff__isnull=True)
                )
                | (Q(holder="branch") & Q(organisation__isnull=False) & Q(staff__isnull=True))
                | (Q(holder="person") & Q(staff__isnull=False) & Q(organisation__isnull=True)),
                name="outreach_honour_holder_matches",
                violation_error_message=_("Name exactly the holder the honour is awarded to."),
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def holder_name(self) -> str:
        if self.holder == self.Holder.PERSON and self.staff_id:
            return self.staff.name
        if self.holder == self.Holder.BRANCH and self.organisation_id:
            return self.organisation.name
        return self.institution.name


class EmergencyCall(AuditedModel):
    """A call for volunteers (动员令) answered with e-signed 请战书."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open for sign-up")
        CLOSED = "closed", _("Closed")

    title = models.CharField(_("title"), max_length=120)
    task = models.TextField(_("task"))
    institution = models.ForeignKey(
        "org.Institution",
        verbose_name=_("institution"),
        on_delete=models.PROTECT,
        related_name="emergency_calls",
    )
    issued_on = models.DateField(_("issued on"))
    sign_up_until = models.DateField(_("sign-up until"))
    people_needed = models.PositiveIntegerField(_("people needed"), default=0)
    pledge_text = models.TextField(
        _("text of the pledge"),
        help_text=_("The 请战书 every volunteer signs."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    temporary_branch = models.ForeignKey(
        "party.PartyOrganisation",
        verbose_name=_("temporary branch"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="emergency_calls",
    )

    class Meta:
        verbose_name = _("emergency call")
        verbose_name_plural = _("emergency calls")
        ordering = ["-issued_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(sign_up_until__gte=F("issued_on")),
                name="outreach_call_sign_up_after_issue",
                violation_error_message=_("Sign-up cannot close before the call is issued."),
            )
        ]

    def __str__(self) -> str:
        return self.title


class Pledge(AuditedModel):
    """A 请战书 signed by typing one's name; the signature time is kept and audited."""

    call = models.ForeignKey(
        EmergencyCall, verbose_name=_("call"), on_delete=models.CASCADE, related_name="pledges"
    )
    staff = models.ForeignKey(
        "org.Staff", verbose_name=_("volunteer"), on_delete=models.PROTECT, related_name="pledges"
    )
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("signed by account"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    typed_name = models.CharField(_("signature (typed name)"), max_length=50)
    text = models.TextField(_("text of the pledge"))
    statement = models.CharField(_("own words"), max_length=300, blank=True)
    signed_at = models.DateTimeField(_("signed at"))
    is_member = models.BooleanField(_("Party member"), default=False)

    class Meta:
        verbose_name = _("pledge (请战书)")
        verbose_name_plural = _("pledges (请战书)")
        ordering = ["signed_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["call", "staff"],
                name="outreach_pledge_unique",
                violation_error_message=_("You have already signed this call."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.typed_name} {self.signed_at:%Y-%m-%d %H:%M}"


class TaskTeam(AuditedModel):
    call = models.ForeignKey(
        EmergencyCall, verbose_name=_("call"), on_delete=models.CASCADE, related_name="teams"
    )
    name = models.CharField(_("team"), max_length=80)
    task = models.CharField(_("task"), max_length=200, blank=True)
    leader = models.ForeignKey(
        "org.Staff",
        verbose_name=_("team leader"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("task team")
        verbose_name_plural = _("task teams")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["call", "name"],
                name="outreach_team_unique_name",
                violation_error_message=_("A team of this name already exists for the call."),
            )
        ]

    def __str__(self) -> str:
        return self.name


class Deployment(AuditedModel):
    """Who went where, from when to when, in which role."""

    call = models.ForeignKey(
        EmergencyCall,
        verbose_name=_("call"),
        on_delete=models.CASCADE,
        related_name="deployments",
    )
    staff = models.ForeignKey(
        "org.Staff",
        verbose_name=_("staff member"),
        on_delete=models.PROTECT,
        related_name="deployments",
    )
    team = models.ForeignKey(
        TaskTeam,
        verbose_name=_("task team"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="deployments",
    )
    place = models.CharField(_("where"), max_length=120)
    role = models.CharField(_("role"), max_length=80)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"), null=True, blank=True)
    is_member = models.BooleanField(_("Party member"), default=False)

    class Meta:
        verbose_name = _("deployment")
        verbose_name_plural = _("deployments")
        ordering = ["starts_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="outreach_deployment_ends_after_start",
                violation_error_message=_("A deployment cannot end before it starts."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.staff} @ {self.place}"


class DutyShift(AuditedModel):
    """A volunteer's turn at the 红帆驿站 service desk (the roster; served counts are recorded
    as an activity of type "service desk duty")."""

    class Slot(models.TextChoices):
        MORNING = "am", _("Morning")
        AFTERNOON = "pm", _("Afternoon")

    desk = models.CharField(_("service desk"), max_length=60)
    on = models.DateField(_("date"))
    slot = models.CharField(_("shift"), max_length=2, choices=Slot.choices)
    staff = models.ForeignKey(
        "org.Staff",
        verbose_name=_("volunteer"),
        on_delete=models.PROTECT,
        related_name="duty_shifts",
    )
    organisation = models.ForeignKey(
        "party.PartyOrganisation",
        verbose_name=_("responsible branch"),
        on_delete=models.PROTECT,
        related_name="duty_shifts",
    )

    class Meta:
        verbose_name = _("service desk shift")
        verbose_name_plural = _("service desk shifts")
        ordering = ["on", "slot", "desk", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["on", "slot", "staff"],
                name="outreach_shift_one_place_at_a_time",
                violation_error_message=_("This person already has a shift at that time."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.on} {self.get_slot_display()} {self.desk}"
