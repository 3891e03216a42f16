"""One-stop logistics service (一站式后勤服务, the "9199" desk): service teams and work orders.

Each work order runs as a closed-loop matter (``hongfan.loops``, type ``logistics_work_order``,
deadlines in clock hours); this model keeps what is specific to the service desk: category,
place, the team and worker it was dispatched to and the result.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from hongfan.audit.models import AuditedModel
from hongfan.core.fields import EncryptedTextField


class Category(models.TextChoices):
    REPAIR = "repair", _("Repair")
    TRANSPORT = "transport", _("Transport")
    CLEANING = "cleaning", _("Cleaning")
    SUPPLIES = "supplies", _("Supplies")
    IT = "it", _("IT support")


class Urgency(models.TextChoices):
    NORMAL = "normal", _("Normal")
    URGENT = "urgent", _("Urgent")


# Deadline in clock hours by category and urgency (the service desk's commitments: a patient
# transport within 2 hours, an urgent one within 1; a repair within 24 hours, urgent 4 …).
DEADLINE_HOURS: dict[str, dict[str, int]] = {
    Category.REPAIR: {Urgency.NORMAL: 24, Urgency.URGENT: 4},
    Category.TRANSPORT: {Urgency.NORMAL: 2, Urgency.URGENT: 1},
    Category.CLEANING: {Urgency.NORMAL: 4, Urgency.URGENT: 1},
    Category.SUPPLIES: {Urgency.NORMAL: 24, Urgency.URGENT: 4},
    Category.IT: {Urgency.NORMAL: 8, Urgency.URGENT: 2},
}


class ServiceTeam(AuditedModel):
    """A team of the service centre (维修班, 运送中心, 保洁组 …) that takes one category."""

    name = models.CharField(_("name"), max_length=60)
    category = models.CharField(_("category"), max_length=16, choices=Category.choices)
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("team leader"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("members"), blank=True, related_name="+"
    )
    phone = models.CharField(_("duty phone"), max_length=20, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("service team")
        verbose_name_plural = _("service teams")
        ordering = ["category", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["name"],
                name="logistics_team_name_unique",
                violation_error_message=_("A team with this name already exists."),
            )
        ]

    def __str__(self) -> str:
        return self.name


class WorkOrder(AuditedModel):
    """A request to the service desk (报修、运送、保洁、物资、信息), tracked to closure."""

    number = models.CharField(_("number"), max_length=20, unique=True)
    category = models.CharField(_("category"), max_length=16, choices=Category.choices)
    urgency = models.CharField(
        _("urgency"), max_length=8, choices=Urgency.choices, default=Urgency.NORMAL
    )
    title = models.CharField(_("what is needed"), max_length=120)
    description = models.TextField(_("details"), blank=True)
    location = models.CharField(_("place"), max_length=120)
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requester"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    department = models.ForeignKey(
        "org.Department",
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    contact_phone = EncryptedTextField(_("contact phone"), blank=True)
    team = models.ForeignKey(
        ServiceTeam, verbose_name=_("team"), on_delete=models.PROTECT, related_name="orders"
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("worker"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    matter = models.OneToOneField(
        "loops.Matter", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    filed_at = models.DateTimeField(_("filed at"))
    result = models.TextField(_("result"), blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    source_label = models.CharField(_("raised by"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("work order")
        verbose_name_plural = _("work orders")
        ordering = ["-filed_at"]
        indexes = [models.Index(fields=["category", "filed_at"], name="logistics_wo_cat_filed")]
        constraints = [
            models.CheckConstraint(
                condition=Q(finished_at__isnull=True) | ~Q(result=""),
                name="logistics_finished_needs_result",
                violation_error_message=_("A work order cannot be finished without a result."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("logistics:detail", args=[self.pk])

    @property
    def deadline_hours(self) -> int:
        return DEADLINE_HOURS[self.category][self.urgency]
