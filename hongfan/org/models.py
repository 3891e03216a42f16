"""Institutions, departments, 学科中心 and staff (DOMAIN.md §1)."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from hongfan.audit.models import AuditedModel
from hongfan.core.fields import EncryptedTextField
from hongfan.core.masking import mask_id_card, mask_phone


class Institution(AuditedModel):
    """A hospital, or a member of the 医共体 it leads (township health centre)."""

    class Kind(models.TextChoices):
        HOSPITAL = "hospital", _("Hospital")
        HEALTH_CENTRE = "health_centre", _("Township health centre")
        OTHER = "other", _("Other")

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100, unique=True)
    short_name = models.CharField(_("short name"), max_length=40, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.HOSPITAL)
    leading = models.ForeignKey(
        "self",
        verbose_name=_("leading institution"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
        help_text=_("The hospital that leads the county medical community (医共体)."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("institution")
        verbose_name_plural = _("institutions")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class DisciplineCentre(AuditedModel):
    """学科中心: a group of departments (沧州 has 8, each with a 党总支)."""

    institution = models.ForeignKey(
        Institution,
        verbose_name=_("institution"),
        on_delete=models.PROTECT,
        related_name="centres",
    )
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        verbose_name = _("discipline centre")
        verbose_name_plural = _("discipline centres")
        ordering = ["institution_id", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "name"],
                name="org_centre_unique_name",
                violation_error_message=_("A centre with this name already exists."),
            )
        ]

    def __str__(self) -> str:
        return self.name


class Department(AuditedModel):
    """科室."""

    class Category(models.TextChoices):
        CLINICAL = "clinical", _("Clinical")
        MEDICAL_TECHNICAL = "medical_technical", _("Medical-technical")
        NURSING = "nursing", _("Nursing")
        ADMINISTRATIVE = "administrative", _("Administrative")
        LOGISTICS = "logistics", _("Logistics")

    institution = models.ForeignKey(
        Institution,
        verbose_name=_("institution"),
        on_delete=models.PROTECT,
        related_name="departments",
    )
    code = models.CharField(_("code"), max_length=32)
    name = models.CharField(_("name"), max_length=100)
    category = models.CharField(_("category"), max_length=24, choices=Category.choices)
    centre = models.ForeignKey(
        DisciplineCentre,
        verbose_name=_("discipline centre"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="departments",
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["institution_id", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "code"],
                name="org_department_unique_code",
                violation_error_message=_("A department with this code already exists."),
            ),
            models.UniqueConstraint(
                fields=["institution", "name"],
                name="org_department_unique_name",
                violation_error_message=_("A department with this name already exists."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Staff(AuditedModel):
    """职工. The ID-card number and phone are encrypted at rest and masked on screen."""

    class Gender(models.TextChoices):
        MALE = "M", _("Male")
        FEMALE = "F", _("Female")

    class PostCategory(models.TextChoices):
        DOCTOR = "doctor", _("Physician")
        NURSE = "nurse", _("Nurse")
        TECHNICIAN = "technician", _("Medical technician")
        PHARMACIST = "pharmacist", _("Pharmacist")
        MANAGEMENT = "management", _("Management")
        SUPPORT = "support", _("Support worker")

    # 医/护/技/药 are 专业技术人员 (professional-technical staff).
    PROFESSIONAL_CATEGORIES = (
        PostCategory.DOCTOR,
        PostCategory.NURSE,
        PostCategory.TECHNICIAN,
        PostCategory.PHARMACIST,
    )

    class TitleLevel(models.TextChoices):
        SENIOR = "senior", _("Senior (正高)")
        ASSOCIATE_SENIOR = "associate_senior", _("Associate senior (副高)")
        INTERMEDIATE = "intermediate", _("Intermediate")
        JUNIOR = "junior", _("Junior")
        NONE = "none", _("None")

    SENIOR_TITLES = (TitleLevel.SENIOR, TitleLevel.ASSOCIATE_SENIOR)

    class Education(models.TextChoices):
        DOCTORATE = "doctorate", _("Doctorate")
        MASTER = "master", _("Master")
        BACHELOR = "bachelor", _("Bachelor")
        COLLEGE = "college", _("College")
        OTHER = "other", _("Other")

    POSTGRADUATE = (Education.DOCTORATE, Education.MASTER)

    class PoliticalStatus(models.TextChoices):
        MEMBER = "member", _("CPC member")
        PROBATIONARY = "probationary", _("Probationary CPC member")
        LEAGUE = "league", _("Communist Youth League member")
        DEMOCRATIC_PARTY = "democratic_party", _("Democratic party member")
        MASSES = "masses", _("The masses")

    class EmploymentStatus(models.TextChoices):
        IN_POST = "in_post", _("In post")
        RETIRED = "retired", _("Retired")
        LEFT = "left", _("Left")

    institution = models.ForeignKey(
        Institution, verbose_name=_("institution"), on_delete=models.PROTECT, related_name="staff"
    )
    employee_no = models.CharField(_("employee number"), max_length=32)
    name = models.CharField(pgettext_lazy("person", "name"), max_length=50)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices)
    birth_date = models.DateField(_("birth date"))
    id_card = EncryptedTextField(_("ID-card number"), blank=True)
    id_card_digest = models.CharField(
        _("ID-card number digest"), max_length=64, null=True, blank=True, editable=False
    )
    phone = EncryptedTextField(_("phone"), blank=True)
    department = models.ForeignKey(
        Department, verbose_name=_("department"), on_delete=models.PROTECT, related_name="staff"
    )
    post_category = models.CharField(
        _("post category"), max_length=16, choices=PostCategory.choices
    )
    title_level = models.CharField(
        _("professional title level"),
        max_length=20,
        choices=TitleLevel.choices,
        default=TitleLevel.NONE,
    )
    education = models.CharField(_("education"), max_length=16, choices=Education.choices)
    is_department_head = models.BooleanField(_("department head"), default=False)
    political_status = models.CharField(
        _("political status"),
        max_length=20,
        choices=PoliticalStatus.choices,
        default=PoliticalStatus.MASSES,
    )
    employment_status = models.CharField(
        _("employment status"),
        max_length=12,
        choices=EmploymentStatus.choices,
        default=EmploymentStatus.IN_POST,
    )
    hired_on = models.DateField(_("hired on"))
    left_on = models.DateField(_("left on"), null=True, blank=True)

    class Meta:
        verbose_name = _("staff member")
        verbose_name_plural = _("staff")
        ordering = ["institution_id", "employee_no"]
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "employee_no"],
                name="org_staff_unique_employee_no",
                violation_error_message=_("A staff member with this employee number exists."),
            ),
            models.UniqueConstraint(
                fields=["id_card_digest"],
                name="org_staff_unique_id_card",
                violation_error_message=_("A staff member with this ID-card number exists."),
            ),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=models.F("hired_on")),
                name="org_staff_left_after_hired",
                violation_error_message=_("The leaving date cannot precede the hiring date."),
            ),
        ]
        indexes = [models.Index(fields=["name"], name="org_staff_name_idx")]

    def __str__(self) -> str:
        return f"{self.name}（{self.employee_no}）"

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)

    @property
    def masked_id_card(self) -> str:
        return mask_id_card(self.id_card)

    @property
    def is_professional(self) -> bool:
        return self.post_category in self.PROFESSIONAL_CATEGORIES

    def save(self, *args: object, **kwargs: object) -> None:
        # The digest is derived from the encrypted column; keeping it in step here means no
        # write path (service, admin, import) can leave the unique look-up key stale.
        from hongfan.core.crypto import blind_index

        self.id_card_digest = blind_index(self.id_card, purpose="id_card") if self.id_card else None
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def in_post_on(self, day: dt.date) -> bool:
        return self.hired_on <= day and (self.left_on is None or self.left_on > day)
