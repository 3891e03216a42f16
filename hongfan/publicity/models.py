"""Publicity and culture (宣传与文化建设).

Correspondents (通讯员) and any staff member submit stories; each story passes a recorded
three-level review (三审: 初审 → 复审 → 终审, with proofreading) by reviewers appointed per
level, with sensitive-word matches resolved by a reviewer, before it is published on the
hospital's platforms (院刊, 网站, 微信服务号/订阅号, 手机网站, 英文网站, 抖音, 头条 — "八大平台").
The media library keeps photos and videos with consent for identifiable patients; cultural
activities record who took part. See docs/apps/publicity.md.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from hongfan.audit.models import AuditedModel

REVIEW_LEVELS = (1, 2, 3)


class ReviewLevel(models.IntegerChoices):
    FIRST = 1, _("First review (初审)")
    SECOND = 2, _("Second review (复审)")
    FINAL = 3, _("Final review (终审)")


class Platform(AuditedModel):
    """One of the hospital's publishing platforms."""

    class Kind(models.TextChoices):
        JOURNAL = "journal", _("Hospital journal")
        WEBSITE = "website", _("Website")
        WECHAT_SERVICE = "wechat_service", _("WeChat service account")
        WECHAT_SUBSCRIPTION = "wechat_subscription", _("WeChat subscription account")
        MOBILE_SITE = "mobile_site", _("Mobile website")
        ENGLISH_SITE = "english_site", _("English website")
        DOUYIN = "douyin", _("Douyin")
        TOUTIAO = "toutiao", _("Toutiao")
        VIDEO_CHANNEL = "video_channel", _("WeChat video channel")
        OTHER = "other", _("Other platform")

    name = models.CharField(_("name"), max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    adapter = models.CharField(
        _("publishing adapter"),
        max_length=32,
        default="manual",
        help_text=_("How stories reach the platform: 'manual' means staff publish by hand."),
    )
    # A journal is published in issues (第N期); the others by link.
    uses_issue_numbers = models.BooleanField(_("published in numbered issues"), default=False)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("platform")
        verbose_name_plural = _("platforms")

    def __str__(self) -> str:
        return self.name


class Correspondent(AuditedModel):
    """A staff member appointed as correspondent (通讯员) for a department or branch."""

    staff = models.ForeignKey(
        "org.Staff",
        on_delete=models.PROTECT,
        related_name="correspondent_terms",
        verbose_name=_("staff member"),
    )
    department = models.ForeignKey(
        "org.Department",
        on_delete=models.PROTECT,
        related_name="correspondents",
        verbose_name=_("department"),
    )
    organisation = models.ForeignKey(
        "party.PartyOrganisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="correspondents",
        verbose_name=_("Party branch"),
    )
    appointed_on = models.DateField(_("appointed on"))
    term_ends_on = models.DateField(_("term ends on"))
    yearly_target = models.PositiveSmallIntegerField(
        _("yearly target (published pieces)"), default=6
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["department__name", "staff__name"]
        verbose_name = _("correspondent")
        verbose_name_plural = _("correspondents")
        constraints = [
            models.CheckConstraint(
                condition=Q(term_ends_on__gt=models.F("appointed_on")),
                name="publicity_correspondent_term_order",
                violation_error_message=_("The term must end after the appointment."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.staff.name}（{self.department.name}）"

    def active_on(self, day: dt.date) -> bool:
        return self.appointed_on <= day <= self.term_ends_on


class ReviewerAssignment(AuditedModel):
    """Who may review at which level (初审 editors, 复审 the publicity head, 终审 the leader)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="publicity_review_levels",
        verbose_name=_("reviewer"),
    )
    level = models.PositiveSmallIntegerField(_("review level"), choices=ReviewLevel.choices)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["level", "user__username"]
        verbose_name = _("reviewer")
        verbose_name_plural = _("reviewers")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "level"],
                name="publicity_reviewer_unique",
                violation_error_message=_("This person already reviews at this level."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_level_display()} {self.user}"


class SensitiveWord(AuditedModel):
    """A word or phrase that a reviewer must look at before a story passes a review."""

    word = models.CharField(_("word or phrase"), max_length=50, unique=True)
    category = models.CharField(_("category"), max_length=50, blank=True)
    note = models.CharField(_("guidance for reviewers"), max_length=200, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["category", "word"]
        verbose_name = _("sensitive word")
        verbose_name_plural = _("sensitive words")

    def __str__(self) -> str:
        return self.word


class CulturalActivity(AuditedModel):
    """A cultural activity with its participants (contest, choir, sports day, film, visit…)."""

    class Kind(models.TextChoices):
        KNOWLEDGE_CONTEST = "knowledge_contest", _("Knowledge contest")
        PERFORMANCE = "performance", _("Performance or choir")
        SPORTS = "sports", _("Sports day")
        FILM = "film", _("Film viewing")
        RED_BASE = "red_base", _("Red-base visit")
        SKILLS = "skills", _("Skills competition")
        DRILL = "drill", _("Emergency drill")
        VIDEO = "video", _("Video shooting")
        OTHER = "other", _("Other activity")

    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    held_on = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=100, blank=True)
    organiser_organisation = models.ForeignKey(
        "party.PartyOrganisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cultural_activities",
        verbose_name=_("organising Party organisation"),
    )
    organiser_department = models.ForeignKey(
        "org.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cultural_activities",
        verbose_name=_("organising department"),
    )
    organiser_text = models.CharField(
        _("other organisers"), max_length=100, blank=True, help_text=_("e.g. 院工会、团委")
    )
    summary = models.TextField(_("summary"), blank=True)
    results = models.TextField(_("results and awards"), blank=True)
    counts_as_study = models.BooleanField(_("counts as Party study"), default=False)
    study_hours = models.DecimalField(
        _("study hours"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    study_activity = models.ForeignKey(
        "learning.StudyActivity",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("study record"),
    )
    participants = models.ManyToManyField(
        "org.Staff",
        through="CulturalParticipation",
        related_name="cultural_activities",
        verbose_name=_("participants"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = _("cultural activity")
        verbose_name_plural = _("cultural activities")
        constraints = [
            models.CheckConstraint(
                condition=Q(organiser_organisation__isnull=False)
                | Q(organiser_department__isnull=False)
                | ~Q(organiser_text=""),
                name="publicity_activity_has_organiser",
                violation_error_message=_("Name the organiser of the activity."),
            ),
        ]

    def __str__(self) -> str:
        return self.title


class CulturalParticipation(AuditedModel):
    activity = models.ForeignKey(
        CulturalActivity,
        on_delete=models.CASCADE,
        related_name="participations",
        verbose_name=_("activity"),
    )
    staff = models.ForeignKey(
        "org.Staff",
        on_delete=models.PROTECT,
        related_name="cultural_participations",
        verbose_name=_("staff member"),
    )
    result = models.CharField(_("result or award"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "staff"],
                name="publicity_participation_unique",
                violation_error_message=_("This person is already listed."),
            ),
        ]


class Story(AuditedModel):
    """A submitted piece (稿件) and where it stands in the three-level review."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        IN_REVIEW = "in_review", _("In review")
        RETURNED = "returned", _("Returned for changes")
        APPROVED = "approved", _("Approved")
        PUBLISHED = "published", _("Published")
        REJECTED = "rejected", _("Rejected")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"))
    video_links = models.TextField(
        _("video links"), blank=True, help_text=_("One link per line (https://…).")
    )
    author = models.ForeignKey(
        "org.Staff",
        on_delete=models.PROTECT,
        related_name="stories",
        verbose_name=_("author"),
    )
    correspondent = models.ForeignKey(
        Correspondent,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="stories",
        verbose_name=_("correspondent"),
    )
    department = models.ForeignKey(
        "org.Department",
        on_delete=models.PROTECT,
        related_name="stories",
        verbose_name=_("department"),
    )
    related_activity = models.ForeignKey(
        CulturalActivity,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="stories",
        verbose_name=_("related cultural activity"),
    )
    related_note = models.CharField(_("related event or honour"), max_length=200, blank=True)
    media = models.ManyToManyField(
        "MediaAsset", blank=True, related_name="stories", verbose_name=_("photos and videos")
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    # The level the story waits for while in review (1–3); 0 otherwise.
    pending_level = models.PositiveSmallIntegerField(_("waiting for review level"), default=0)
    version = models.PositiveIntegerField(_("version"), default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("first submitted at"), null=True, blank=True)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    published_on = models.DateField(_("first published on"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("story")
        verbose_name_plural = _("stories")
        indexes = [models.Index(fields=["status", "pending_level"], name="publicity_story_queue")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_editable(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.RETURNED)

    def video_link_list(self) -> list[str]:
        return [line.strip() for line in self.video_links.splitlines() if line.strip()]


class StoryVersion(AuditedModel):
    """The text of a story as it was at one version (kept for every change)."""

    story = models.ForeignKey(
        Story, on_delete=models.CASCADE, related_name="versions", verbose_name=_("story")
    )
    number = models.PositiveIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"))
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField(_("changed at"), auto_now_add=True)
    note = models.CharField(_("what changed"), max_length=200, blank=True)

    class Meta:
        ordering = ["story", "-number"]
        verbose_name = _("story version")
        verbose_name_plural = _("story versions")
        constraints = [
            models.UniqueConstraint(
                fields=["story", "number"],
                name="publicity_version_unique",
                violation_error_message=_("This version already exists."),
            ),
        ]


class Review(AuditedModel):
    """One reviewer's decision at one level on one version (初审 / 复审 / 终审)."""

    class Decision(models.TextChoices):
        PASS = "pass", pgettext_lazy("review", "Pass")
        RETURN = "return", _("Return for changes")
        REJECT = "reject", _("Reject")

    story = models.ForeignKey(
        Story, on_delete=models.CASCADE, related_name="reviews", verbose_name=_("story")
    )
    level = models.PositiveSmallIntegerField(_("review level"), choices=ReviewLevel.choices)
    version = models.PositiveIntegerField(_("version"))
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="publicity_reviews",
        verbose_name=_("reviewer"),
    )
    decision = models.CharField(_("decision"), max_length=8, choices=Decision.choices)
    comments = models.TextField(_("comments and required changes"), blank=True)
    proofreading = models.TextField(_("proofreading notes"), blank=True)
    reviewed_at = models.DateTimeField(_("reviewed at"), auto_now_add=True)

    class Meta:
        ordering = ["story", "reviewed_at", "pk"]
        verbose_name = _("review")
        verbose_name_plural = _("reviews")


class WordMatch(AuditedModel):
    """A sensitive word found in one version of a story and how a reviewer resolved it."""

    class Resolution(models.TextChoices):
        OPEN = "open", _("Unresolved")
        ACCEPTED = "accepted", _("Acceptable in context")
        CHANGE = "change", _("Author must change it")

    story = models.ForeignKey(
        Story, on_delete=models.CASCADE, related_name="word_matches", verbose_name=_("story")
    )
    version = models.PositiveIntegerField(_("version"))
    word = models.CharField(_("word or phrase"), max_length=50)
    occurrences = models.PositiveIntegerField(_("occurrences"), default=1)
    context = models.CharField(_("context"), max_length=200, blank=True)
    resolution = models.CharField(
        _("resolution"), max_length=12, choices=Resolution.choices, default=Resolution.OPEN
    )
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("resolved by"),
    )
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)

    class Meta:
        ordering = ["story", "-version", "word"]
        verbose_name = _("sensitive-word match")
        verbose_name_plural = _("sensitive-word matches")
        constraints = [
            models.UniqueConstraint(
                fields=["story", "version", "word"],
                name="publicity_match_unique",
                violation_error_message=_("This word is already recorded for this version."),
            ),
        ]


class Publication(AuditedModel):
    """A story planned for, or published on, one platform (the publishing calendar)."""

    story = models.ForeignKey(
        Story, on_delete=models.CASCADE, related_name="publications", verbose_name=_("story")
    )
    platform = models.ForeignKey(
        Platform, on_delete=models.PROTECT, related_name="publications", verbose_name=_("platform")
    )
    planned_on = models.DateField(_("planned for"))
    published_on = models.DateField(_("published on"), null=True, blank=True)
    link = models.URLField(_("link"), max_length=500, blank=True)
    issue_number = models.CharField(_("issue number"), max_length=30, blank=True)
    views = models.PositiveIntegerField(_("views"), default=0)
    likes = models.PositiveIntegerField(_("likes"), default=0)
    shares = models.PositiveIntegerField(_("shares"), default=0)
    comments_count = models.PositiveIntegerField(_("comments"), default=0)
    external_id = models.CharField(_("external id"), max_length=100, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        ordering = ["planned_on", "platform__sort_order"]
        verbose_name = _("publication")
        verbose_name_plural = _("publications")
        constraints = [
            models.UniqueConstraint(
                fields=["story", "platform"],
                name="publicity_publication_unique",
                violation_error_message=_("The story is already on this platform's calendar."),
            ),
        ]
        indexes = [
            models.Index(fields=["platform", "planned_on"], name="publicity_pub_calendar"),
        ]

    def __str__(self) -> str:
        return f"{self.platform} {self.story}"

    @property
    def is_published(self) -> bool:
        return self.published_on is not None


def media_upload_to(instance: MediaAsset, filename: str) -> str:
    import uuid
    from pathlib import Path

    return f"publicity/{dt.date.today():%Y/%m}/{uuid.uuid4().hex}{Path(filename).suffix.lower()}"


class MediaAsset(AuditedModel):
    """A photo or video in the media library."""

    class Kind(models.TextChoices):
        PHOTO = "photo", _("Photo")
        VIDEO = "video", _("Video")

    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    file = models.FileField(_("file"), upload_to=media_upload_to, blank=True)
    video_link = models.URLField(_("video link"), max_length=500, blank=True)
    original_name = models.CharField(_("file name"), max_length=200, blank=True)
    caption = models.CharField(_("caption"), max_length=300)
    taken_on = models.DateField(_("taken on"), null=True, blank=True)
    people = models.ManyToManyField(
        "org.Staff", blank=True, related_name="media_appearances", verbose_name=_("people shown")
    )
    activity = models.ForeignKey(
        CulturalActivity,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="media",
        verbose_name=_("cultural activity"),
    )
    department = models.ForeignKey(
        "org.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="media_assets",
        verbose_name=_("department"),
    )
    shows_identifiable_patient = models.BooleanField(
        _("shows an identifiable patient"), default=False
    )
    patient_consent = models.BooleanField(_("patient consent recorded"), default=False)
    consent_reference = models.CharField(
        _("consent record"),
        max_length=200,
        blank=True,
        help_text=_("Where the signed consent is kept, e.g. 知情同意书编号."),
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        ordering = ["-uploaded_at", "-pk"]
        verbose_name = _("media item")
        verbose_name_plural = _("media library")
        constraints = [
            models.CheckConstraint(
                condition=Q(shows_identifiable_patient=False)
                | (Q(patient_consent=True) & ~Q(consent_reference="")),
                name="publicity_media_patient_consent",
                violation_error_message=_(
                    "A photo or video that shows an identifiable patient needs the patient's "
                    "consent recorded."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.caption
