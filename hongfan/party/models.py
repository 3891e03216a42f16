"""Party organisations, committees, members and their links (DOMAIN.md §1)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from hongfan.audit.models import AuditedModel


class PartyOrganisation(AuditedModel):
    """A node of the tree 党委 → 党总支 → 党支部 → 党小组."""

    class Kind(models.TextChoices):
        COMMITTEE = "committee", _("Party committee")  # 党委 (基层党委)
        GENERAL_BRANCH = "general_branch", _("General branch")  # 党总支
        BRANCH = "branch", _("Branch")  # 党支部
        GROUP = "group", _("Party group")  # 党小组

    # Which kinds may sit directly under which.
    ALLOWED_CHILDREN = {
        Kind.COMMITTEE: {Kind.COMMITTEE, Kind.GENERAL_BRANCH, Kind.BRANCH},
        Kind.GENERAL_BRANCH: {Kind.BRANCH},
        Kind.BRANCH: {Kind.GROUP},
        Kind.GROUP: set(),
    }

    institution = models.ForeignKey(
        "org.Institution",
        verbose_name=_("institution"),
        on_delete=models.PROTECT,
        related_name="party_organisations",
    )
    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("superior organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    departments = models.ManyToManyField(
        "org.Department",
        verbose_name=_("bound departments"),
        blank=True,
        related_name="party_organisations",
    )
    is_joint = models.BooleanField(
        _("joint branch"),
        default=False,
        help_text=_("联合党支部: several units with fewer than 3 full members each (at most 5)."),
    )
    is_temporary = models.BooleanField(_("temporary branch"), default=False)
    temporary_task = models.CharField(_("task of the temporary branch"), max_length=200, blank=True)
    approved_by = models.ForeignKey(
        "self",
        verbose_name=pgettext_lazy("party", "approved by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    established_on = models.DateField(_("established on"))
    dissolved_on = models.DateField(_("dissolved on"), null=True, blank=True)
    term_years = models.PositiveSmallIntegerField(_("term (years)"), default=3)
    term_started_on = models.DateField(_("current term started on"), null=True, blank=True)
    sort_order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("Party organisation")
        verbose_name_plural = _("Party organisations")
        ordering = ["sort_order", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(is_temporary=False) | Q(kind="branch"),
                name="party_org_temporary_is_branch",
                violation_error_message=_("Only a branch can be temporary."),
            ),
            models.CheckConstraint(
                condition=Q(dissolved_on__isnull=True)
                | Q(dissolved_on__gte=models.F("established_on")),
                name="party_org_dissolved_after_established",
                violation_error_message=_(
                    "An organisation cannot be dissolved before it is established."
                ),
            ),
            models.CheckConstraint(
                condition=Q(term_years__gte=1) & Q(term_years__lte=5),
                name="party_org_term_years_range",
                violation_error_message=_("A term lasts 1 to 5 years."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_branch(self) -> bool:
        return self.kind == self.Kind.BRANCH

    @property
    def may_develop_members(self) -> bool:
        """Temporary branches develop no members, discipline no one and collect no dues."""
        return not self.is_temporary

    @property
    def collects_dues(self) -> bool:
        return not self.is_temporary


class PartyMember(AuditedModel):
    """A CPC member (or probationary member) and their organisational relationship."""

    class Category(models.TextChoices):
        FULL = "full", _("Full member")
        PROBATIONARY = "probationary", _("Probationary member")

    class Status(models.TextChoices):
        NORMAL = "normal", pgettext_lazy("party", "Normal")
        SUSPENDED = "suspended", _("Membership suspended")  # 停止党籍
        EXPELLED = "expelled", _("Left the Party")  # 出党
        TRANSFERRED_OUT = "transferred_out", _("Transferred out")
        DECEASED = "deceased", _("Deceased")

    staff = models.OneToOneField(
        "org.Staff",
        verbose_name=_("staff member"),
        on_delete=models.PROTECT,
        related_name="party_member",
    )
    # A member belongs to exactly one regular branch (the OneToOne on staff and this single
    # FK make "a member in two branches" unrepresentable). Temporary-branch participation
    # is recorded separately (TemporaryAssignment).
    organisation = models.ForeignKey(
        PartyOrganisation,
        verbose_name=_("branch"),
        on_delete=models.PROTECT,
        related_name="members",
    )
    group = models.ForeignKey(
        PartyOrganisation,
        verbose_name=_("Party group"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="group_members",
    )
    category = models.CharField(_("category"), max_length=16, choices=Category.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.NORMAL
    )
    applied_on = models.DateField(_("applied on"), null=True, blank=True)
    joined_on = models.DateField(_("joined on (branch meeting)"))
    confirmed_on = models.DateField(_("became full member on"), null=True, blank=True)
    left_on = models.DateField(pgettext_lazy("party", "left on"), null=True, blank=True)
    is_mobile = models.BooleanField(_("mobile member"), default=False)
    is_lost_contact = models.BooleanField(_("lost contact"), default=False)
    under_probation = models.BooleanField(
        _("under probation within the Party"),
        default=False,
        help_text=_("留党察看"),
    )
    is_retired = models.BooleanField(_("retired"), default=False)

    class Meta:
        verbose_name = _("Party member")
        verbose_name_plural = _("Party members")
        ordering = ["organisation_id", "staff__employee_no"]
        constraints = [
            models.CheckConstraint(
                condition=Q(confirmed_on__isnull=True) | Q(confirmed_on__gte=models.F("joined_on")),
                name="party_member_confirmed_after_joined",
                violation_error_message=_("A member cannot become full before joining."),
            ),
            models.CheckConstraint(
                condition=Q(category="probationary") | Q(confirmed_on__isnull=False),
                name="party_member_full_has_confirmation",
                violation_error_message=_("A full member needs the date they became full."),
            ),
        ]

    def __str__(self) -> str:
        return str(self.staff)

    @property
    def is_full(self) -> bool:
        return self.category == self.Category.FULL

    @property
    def is_active_member(self) -> bool:
        return self.status == self.Status.NORMAL


class MemberTransfer(AuditedModel):
    """A transfer of a member's organisational relationship (in, out, or between branches)."""

    class Direction(models.TextChoices):
        IN = "in", _("Transfer in")
        OUT = "out", _("Transfer out")
        INTERNAL = "internal", _("Between branches")

    member = models.ForeignKey(
        PartyMember,
        verbose_name=pgettext_lazy("party", "member"),
        on_delete=models.PROTECT,
        related_name="transfers",
    )
    direction = models.CharField(_("direction"), max_length=10, choices=Direction.choices)
    from_organisation = models.ForeignKey(
        PartyOrganisation,
        verbose_name=pgettext_lazy("party", "from"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    to_organisation = models.ForeignKey(
        PartyOrganisation,
        verbose_name=pgettext_lazy("party", "to"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    external_organisation = models.CharField(
        _("outside organisation"),
        max_length=200,
        blank=True,
        help_text=_("Where the member came from or went to outside this deployment."),
    )
    transferred_on = models.DateField(_("date"))
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("member transfer")
        verbose_name_plural = _("member transfers")
        ordering = ["-transferred_on", "-id"]


class CommitteeMember(AuditedModel):
    """A seat on an organisation's committee (支委会 / 党委) for a term."""

    class Position(models.TextChoices):
        SECRETARY = "secretary", _("Secretary")
        DEPUTY_SECRETARY = "deputy_secretary", _("Deputy secretary")
        ORGANISATION = "organisation", _("Organisation member")  # 组织委员
        PUBLICITY = "publicity", _("Publicity member")  # 宣传委员
        DISCIPLINE = "discipline", _("Discipline member")  # 纪检委员
        YOUTH = "youth", _("Youth member")
        MEMBER = "member", _("Committee member")

    organisation = models.ForeignKey(
        PartyOrganisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="committee",
    )
    member = models.ForeignKey(
        PartyMember,
        verbose_name=pgettext_lazy("party", "member"),
        on_delete=models.PROTECT,
        related_name="committee_seats",
    )
    position = models.CharField(_("position"), max_length=20, choices=Position.choices)
    term_start = models.DateField(_("term start"))
    term_end = models.DateField(_("term end"))
    ended_on = models.DateField(_("left the committee on"), null=True, blank=True)

    class Meta:
        verbose_name = _("committee member")
        verbose_name_plural = _("committee members")
        ordering = ["organisation_id", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(term_end__gt=models.F("term_start")),
                name="party_committee_term_order",
                violation_error_message=_("A term must end after it starts."),
            ),
        ]


class TemporaryAssignment(AuditedModel):
    """A member's participation in a temporary branch (their relationship stays put)."""

    organisation = models.ForeignKey(
        PartyOrganisation,
        verbose_name=_("temporary branch"),
        on_delete=models.CASCADE,
        related_name="temporary_assignments",
        limit_choices_to={"is_temporary": True},
    )
    member = models.ForeignKey(
        PartyMember,
        verbose_name=pgettext_lazy("party", "member"),
        on_delete=models.CASCADE,
        related_name="temporary_assignments",
    )
    joined_on = models.DateField(_("joined on"))
    left_on = models.DateField(pgettext_lazy("party", "left on"), null=True, blank=True)

    class Meta:
        verbose_name = _("temporary branch assignment")
        verbose_name_plural = _("temporary branch assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "member"],
                name="party_temporary_unique",
                violation_error_message=_("This member is already in the temporary branch."),
            )
        ]


class DualCultivation(AuditedModel):
    """双培养: backbones cultivated into members, and members into management backbones."""

    class Track(models.TextChoices):
        BACKBONE_TO_MEMBER = "backbone_to_member", _("Business backbone → Party member")
        MEMBER_TO_BACKBONE = "member_to_backbone", _("Party member → management backbone")

    class Status(models.TextChoices):
        ACTIVE = "active", pgettext_lazy("party", "In progress")
        ACHIEVED = "achieved", _("Achieved")
        STOPPED = "stopped", _("Stopped")

    staff = models.ForeignKey(
        "org.Staff",
        verbose_name=_("staff member"),
        on_delete=models.PROTECT,
        related_name="dual_cultivations",
    )
    track = models.CharField(_("track"), max_length=24, choices=Track.choices)
    mentor = models.ForeignKey(
        "org.Staff",
        verbose_name=_("mentor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    started_on = models.DateField(_("started on"))
    goal = models.CharField(_("goal"), max_length=200, blank=True)
    progress = models.TextField(pgettext_lazy("party", "progress"), blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.ACTIVE
    )
    achieved_on = models.DateField(_("achieved on"), null=True, blank=True)

    class Meta:
        verbose_name = _("dual cultivation")
        verbose_name_plural = _("dual cultivation")
        constraints = [
            models.UniqueConstraint(
                fields=["staff", "track"],
                name="party_dual_unique",
                violation_error_message=_("This person is already on this list."),
            )
        ]


class ThreeLink(AuditedModel):
    """三联: committee member ↔ branch, branch committee member ↔ member, member ↔ masses."""

    class Level(models.TextChoices):
        COMMITTEE_BRANCH = "committee_branch", _("Committee member ↔ branch")
        BRANCH_MEMBER = "branch_member", _("Branch committee member ↔ member")
        MEMBER_MASSES = "member_masses", _("Member ↔ masses")

    level = models.CharField(pgettext_lazy("party", "level"), max_length=20, choices=Level.choices)
    linker = models.ForeignKey(
        "org.Staff",
        verbose_name=_("linked by"),
        on_delete=models.PROTECT,
        related_name="links_made",
    )
    branch = models.ForeignKey(
        PartyOrganisation,
        verbose_name=_("branch"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="links",
    )
    target_staff = models.ForeignKey(
        "org.Staff",
        verbose_name=_("linked person"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="links_received",
    )
    target_name = models.CharField(
        _("linked person (outside the staff)"),
        max_length=100,
        blank=True,
        help_text=_("A patient or resident linked by a member."),
    )
    started_on = models.DateField(_("started on"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    contact_interval_days = models.PositiveSmallIntegerField(
        _("contact at least every (days)"), default=90
    )

    class Meta:
        verbose_name = _("three-link pairing")
        verbose_name_plural = _("three-link pairings")


class ContactRecord(AuditedModel):
    """A contact made through a 三联 pairing."""

    class Mode(models.TextChoices):
        VISIT = "visit", _("Visit")
        TALK = "talk", _("Talk")
        PHONE = "phone", _("Phone")
        ONLINE = "online", _("Online")
        ACTIVITY = "activity", _("Joint activity")

    link = models.ForeignKey(
        ThreeLink, verbose_name=_("pairing"), on_delete=models.CASCADE, related_name="contacts"
    )
    contacted_on = models.DateField(_("date"))
    mode = models.CharField(_("mode"), max_length=12, choices=Mode.choices)
    summary = models.TextField(pgettext_lazy("party", "summary"))
    recorded_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("recorded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("contact record")
        verbose_name_plural = _("contact records")
        ordering = ["-contacted_on", "-id"]
