"""Writes of publicity and culture: correspondents, stories and their three-level review,
sensitive words, the publishing calendar, the media library and cultural activities.

The review rules (docs/apps/publicity.md):

- a story is reviewed at level 1 (初审), then 2 (复审), then 3 (终审), in that order — no level
  is skipped, and a story returned for changes starts again at level 1 on its new version;
- a reviewer acts only at a level they are appointed to, never on a story they wrote, and
  never at two levels of the same story (三审 means three different people);
- every sensitive word found in the version under review must be resolved by a reviewer
  ("acceptable in context" with a reason) before the story can pass a level;
- only a story that passed all three levels can be published.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import URLValidator
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from hongfan.accounts.models import User
from hongfan.notifications.services import notify
from hongfan.org.models import Department, Staff
from hongfan.party.models import PartyMember, PartyOrganisation
from hongfan.publicity.models import (
    Correspondent,
    CulturalActivity,
    CulturalParticipation,
    MediaAsset,
    Platform,
    Publication,
    Review,
    ReviewerAssignment,
    ReviewLevel,
    SensitiveWord,
    Story,
    StoryVersion,
    WordMatch,
)

# Default platforms: the "八大平台" of 河北大学附属医院 (seed 003).
DEFAULT_PLATFORMS: tuple[tuple[str, str, bool], ...] = (
    ("院刊", Platform.Kind.JOURNAL, True),
    ("医院官方网站", Platform.Kind.WEBSITE, False),
    ("微信服务号", Platform.Kind.WECHAT_SERVICE, False),
    ("微信订阅号", Platform.Kind.WECHAT_SUBSCRIPTION, False),
    ("手机网站", Platform.Kind.MOBILE_SITE, False),
    ("英文网站", Platform.Kind.ENGLISH_SITE, False),
    ("抖音", Platform.Kind.DOUYIN, False),
    ("今日头条", Platform.Kind.TOUTIAO, False),
)

PHOTO_EXTENSIONS = {".jpg": (b"\xff\xd8\xff",), ".jpeg": (b"\xff\xd8\xff",), ".png": (b"\x89PNG",)}
VIDEO_EXTENSIONS = {".mp4": ()}


def _staff_of(user: Any) -> Staff | None:
    return getattr(user, "staff", None) if getattr(user, "staff_id", None) else None


# --- platforms ---------------------------------------------------------------------------


@transaction.atomic
def platforms_ensure_defaults() -> int:
    """Create the default platforms that are missing (idempotent); returns how many."""
    created = 0
    for order, (name, kind, issues) in enumerate(DEFAULT_PLATFORMS, start=1):
        _obj, new = Platform.objects.get_or_create(
            name=name,
            defaults={"kind": kind, "uses_issue_numbers": issues, "sort_order": order * 10},
        )
        created += int(new)
    return created


@transaction.atomic
def platform_save(*, platform: Platform | None = None, **fields: Any) -> Platform:
    from hongfan.publicity.adapters import adapter_codes

    platform = platform or Platform()
    for key, value in fields.items():
        setattr(platform, key, value)
    if platform.adapter not in adapter_codes():
        raise ValidationError(
            {"adapter": _("Unknown publishing adapter “%(a)s”.") % {"a": platform.adapter}}
        )
    platform.full_clean()
    platform.save()
    return platform


# --- correspondents and reviewers --------------------------------------------------------


@transaction.atomic
def correspondent_save(
    *,
    staff: Staff,
    appointed_on: dt.date,
    term_ends_on: dt.date,
    yearly_target: int,
    organisation: PartyOrganisation | None = None,
    note: str = "",
    correspondent: Correspondent | None = None,
) -> Correspondent:
    """Appoint a correspondent (or change a term); terms of one person may not overlap."""
    if term_ends_on <= appointed_on:
        raise ValidationError({"term_ends_on": _("The term must end after the appointment.")})
    overlapping = Correspondent.objects.filter(
        staff=staff, appointed_on__lte=term_ends_on, term_ends_on__gte=appointed_on
    )
    if correspondent is not None:
        overlapping = overlapping.exclude(pk=correspondent.pk)
    if overlapping.exists():
        raise ValidationError(
            {
                "staff": _("%(name)s already has a correspondent term in these dates.")
                % {"name": staff.name}
            }
        )
    obj = correspondent or Correspondent(staff=staff)
    obj.staff = staff
    obj.department_id = staff.department_id
    obj.organisation = organisation
    obj.appointed_on = appointed_on
    obj.term_ends_on = term_ends_on
    obj.yearly_target = yearly_target
    obj.note = note
    obj.full_clean()
    obj.save()
    return obj


def active_correspondent(staff: Staff | None, day: dt.date) -> Correspondent | None:
    if staff is None:
        return None
    return Correspondent.objects.filter(
        staff=staff, appointed_on__lte=day, term_ends_on__gte=day
    ).first()


@transaction.atomic
def reviewer_assign(*, user: User, level: int) -> ReviewerAssignment:
    if level not in ReviewLevel.values:
        raise ValidationError({"level": _("Choose a review level.")})
    if not user.is_active:
        raise ValidationError({"user": _("This account is not active.")})
    obj, created = ReviewerAssignment.objects.get_or_create(
        user=user, level=level, defaults={"is_active": True}
    )
    if not created and not obj.is_active:
        obj.is_active = True
        obj.save(update_fields=["is_active"])
    return obj


@transaction.atomic
def reviewer_remove(*, assignment: ReviewerAssignment) -> None:
    assignment.is_active = False
    assignment.save(update_fields=["is_active"])


def reviewer_levels(user: Any) -> set[int]:
    if not getattr(user, "is_authenticated", False):
        return set()
    return set(
        ReviewerAssignment.objects.filter(user=user, is_active=True).values_list("level", flat=True)
    )


# --- sensitive words ---------------------------------------------------------------------


@transaction.atomic
def sensitive_words_add(*, text: str, category: str = "", note: str = "") -> int:
    """Add the words listed one per line (or separated by 、，,); returns how many are new."""
    words = [w.strip() for w in re.split(r"[\n\r、，,；;]+", text) if w.strip()]
    if not words:
        raise ValidationError({"words": _("List at least one word.")})
    too_long = [w for w in words if len(w) > 50]
    if too_long:
        raise ValidationError(
            {"words": _("A word may have at most 50 characters: %(w)s") % {"w": too_long[0]}}
        )
    created = 0
    for word in dict.fromkeys(words):
        obj, new = SensitiveWord.objects.get_or_create(
            word=word, defaults={"category": category, "note": note}
        )
        if not new and not obj.is_active:
            obj.is_active = True
            obj.save(update_fields=["is_active"])
        created += int(new)
    return created


@transaction.atomic
def sensitive_word_toggle(*, word: SensitiveWord) -> SensitiveWord:
    word.is_active = not word.is_active
    word.save(update_fields=["is_active"])
    return word


def find_sensitive_words(text: str, words: Iterable[str]) -> list[tuple[str, int, str]]:
    """Each word found in ``text``: (word, occurrences, a short context around the first)."""
    found = []
    for word in sorted(set(words), key=lambda w: (-len(w), w)):
        count = text.count(word)
        if count:
            at = text.index(word)
            context = text[max(0, at - 20) : at + len(word) + 20].replace("\n", " ")
            found.append((word, count, context))
    return found


def _check_words(story: Story) -> list[WordMatch]:
    """Record the sensitive words found in the story's current version (once per version)."""
    words = SensitiveWord.objects.filter(is_active=True).values_list("word", flat=True)
    text = f"{story.title}\n{story.body}"
    matches = []
    existing = set(
        WordMatch.objects.filter(story=story, version=story.version).values_list("word", flat=True)
    )
    for word, count, context in find_sensitive_words(text, words):
        if word in existing:
            continue
        matches.append(
            WordMatch(
                story=story,
                version=story.version,
                word=word,
                occurrences=count,
                context=context[:200],
            )
        )
    WordMatch.objects.bulk_create(matches)
    return matches


# --- stories -----------------------------------------------------------------------------


def _clean_video_links(raw: str) -> str:
    validate = URLValidator(schemes=["https", "http"])
    lines = [line.strip() for line in (raw or "").splitlines() if line.strip()]
    for line in lines:
        try:
            validate(line)
        except ValidationError:
            raise ValidationError(
                {"video_links": _("“%(v)s” is not a web link (https://…).") % {"v": line[:60]}}
            ) from None
    return "\n".join(lines)


def _check_media(media: Sequence[MediaAsset]) -> None:
    for asset in media:
        if asset.shows_identifiable_patient and not asset.patient_consent:
            raise ValidationError(
                {
                    "media": _("“%(c)s” shows an identifiable patient without consent recorded.")
                    % {"c": asset.caption}
                }
            )


@transaction.atomic
def story_create(
    *,
    actor: User,
    title: str,
    body: str,
    author: Staff | None = None,
    department: Department | None = None,
    video_links: str = "",
    related_activity: CulturalActivity | None = None,
    related_note: str = "",
    media: Sequence[MediaAsset] = (),
    today: dt.date | None = None,
) -> Story:
    """Start a story as a draft (version 1). The author defaults to the actor's staff record."""
    author = author or _staff_of(actor)
    if author is None:
        raise ValidationError(_("Only a staff member can submit a story."))
    today = today or timezone.localdate()
    _check_media(media)
    story = Story(
        title=title.strip(),
        body=body.strip(),
        video_links=_clean_video_links(video_links),
        author=author,
        correspondent=active_correspondent(author, today),
        department=department or author.department,
        related_activity=related_activity,
        related_note=related_note,
        created_by=actor,
        version=1,
    )
    story.full_clean()
    story.save()
    story.media.set(media)
    StoryVersion.objects.create(
        story=story,
        number=1,
        title=story.title,
        body=story.body,
        changed_by=actor,
        note=_("First draft"),
    )
    return story


def is_author(story: Story, user: Any) -> bool:
    return story.created_by_id == user.pk or (
        getattr(user, "staff_id", None) is not None and story.author_id == user.staff_id
    )


@transaction.atomic
def story_update(
    *,
    story: Story,
    actor: User,
    title: str,
    body: str,
    video_links: str = "",
    related_activity: CulturalActivity | None = None,
    related_note: str = "",
    media: Sequence[MediaAsset] = (),
    note: str = "",
) -> Story:
    """Change a draft or a returned story; a change of title or text makes a new version."""
    story = Story.objects.select_for_update().get(pk=story.pk)
    if not is_author(story, actor):
        raise ValidationError(_("Only the author can change the story."))
    if not story.is_editable:
        raise ValidationError(
            _("A story can be changed only while it is a draft or returned for changes.")
        )
    _check_media(media)
    title, body = title.strip(), body.strip()
    text_changed = title != story.title or body != story.body
    story.title, story.body = title, body
    story.video_links = _clean_video_links(video_links)
    story.related_activity = related_activity
    story.related_note = related_note
    if text_changed:
        story.version += 1
    story.full_clean()
    story.save()
    story.media.set(media)
    if text_changed:
        StoryVersion.objects.create(
            story=story,
            number=story.version,
            title=title,
            body=body,
            changed_by=actor,
            note=note[:200],
        )
    return story


def _notify_level(story: Story, level: int) -> None:
    users = User.objects.filter(
        is_active=True,
        publicity_review_levels__level=level,
        publicity_review_levels__is_active=True,
    ).exclude(pk=story.created_by_id)
    notify(
        users=list(users),
        title=_("A story waits for your %(level)s: %(title)s")
        % {"level": ReviewLevel(level).label, "title": story.title},
        body=_("Department: %(d)s; author: %(a)s.")
        % {"d": story.department.name, "a": story.author.name},
        url=reverse("publicity:story_detail", args=[story.pk]),
        source=story,
    )


def _notify_author(story: Story, title: str, body: str = "") -> None:
    user = User.objects.filter(pk=story.created_by_id, is_active=True).first()
    if user is not None:
        notify(
            users=[user],
            title=title,
            body=body,
            url=reverse("publicity:story_detail", args=[story.pk]),
            source=story,
        )


@transaction.atomic
def story_submit(*, story: Story, actor: User) -> Story:
    """Send a draft or a corrected story to the first review (初审)."""
    story = Story.objects.select_for_update().get(pk=story.pk)
    if not is_author(story, actor):
        raise ValidationError(_("Only the author can submit the story."))
    if not story.is_editable:
        raise ValidationError(_("This story is not a draft or returned for changes."))
    if not story.body.strip():
        raise ValidationError(_("The story has no text."))
    story.status = Story.Status.IN_REVIEW
    story.pending_level = ReviewLevel.FIRST
    if story.submitted_at is None:
        story.submitted_at = timezone.now()
    story.save(update_fields=["status", "pending_level", "submitted_at"])
    _check_words(story)
    _notify_level(story, ReviewLevel.FIRST)
    return story


@transaction.atomic
def story_withdraw(*, story: Story, actor: User) -> Story:
    story = Story.objects.select_for_update().get(pk=story.pk)
    if not is_author(story, actor):
        raise ValidationError(_("Only the author can withdraw the story."))
    if story.status not in (Story.Status.DRAFT, Story.Status.RETURNED, Story.Status.IN_REVIEW):
        raise ValidationError(_("An approved or published story cannot be withdrawn."))
    story.status = Story.Status.WITHDRAWN
    story.pending_level = 0
    story.save(update_fields=["status", "pending_level"])
    return story


def check_reviewer(story: Story, user: Any) -> None:
    """Raise unless ``user`` may review ``story`` at its pending level now."""
    if story.status != Story.Status.IN_REVIEW or not story.pending_level:
        raise ValidationError(_("This story is not waiting for a review."))
    if story.pending_level not in reviewer_levels(user):
        raise ValidationError(
            _("You are not appointed to the %(level)s.")
            % {"level": ReviewLevel(story.pending_level).label}
        )
    if is_author(story, user):
        raise ValidationError(_("Nobody reviews their own story."))
    other = (
        Review.objects.filter(story=story, reviewer=user)
        .exclude(level=story.pending_level)
        .values_list("level", flat=True)
        .first()
    )
    if other is not None:
        raise ValidationError(
            _(
                "You already reviewed this story at the %(level)s; three-level review needs "
                "a different reviewer at each level."
            )
            % {"level": ReviewLevel(other).label}
        )


@transaction.atomic
def match_resolve(*, match: WordMatch, actor: User, resolution: str, reason: str = "") -> WordMatch:
    """A reviewer at the story's level resolves a sensitive-word match."""
    match = WordMatch.objects.select_for_update().select_related("story").get(pk=match.pk)
    story = match.story
    check_reviewer(story, actor)
    if match.version != story.version:
        raise ValidationError(_("This match belongs to an earlier version."))
    if resolution not in (WordMatch.Resolution.ACCEPTED, WordMatch.Resolution.CHANGE):
        raise ValidationError({"resolution": _("Choose how the match is resolved.")})
    if resolution == WordMatch.Resolution.ACCEPTED and not reason.strip():
        raise ValidationError({"reason": _("Say why the word is acceptable in this context.")})
    match.resolution = resolution
    match.reason = reason.strip()[:200]
    match.resolved_by = actor
    match.resolved_at = timezone.now()
    match.save(update_fields=["resolution", "reason", "resolved_by", "resolved_at"])
    return match


@transaction.atomic
def story_review(
    *,
    story: Story,
    actor: User,
    decision: str,
    comments: str = "",
    proofreading: str = "",
) -> Review:
    """Record a review at the story's pending level and move the story on."""
    story = Story.objects.select_for_update().get(pk=story.pk)
    check_reviewer(story, actor)
    if decision not in Review.Decision.values:
        raise ValidationError({"decision": _("Choose a decision.")})
    level = story.pending_level
    if decision == Review.Decision.PASS:
        open_matches = WordMatch.objects.filter(story=story, version=story.version).exclude(
            resolution=WordMatch.Resolution.ACCEPTED
        )
        words = list(open_matches.values_list("word", flat=True))
        if words:
            raise ValidationError(
                _(
                    "Resolve the sensitive words first: %(w)s. A word the author must change "
                    "means returning the story."
                )
                % {"w": "、".join(words)}
            )
    elif not comments.strip():
        raise ValidationError({"comments": _("Say what must change, or why it is rejected.")})
    review = Review(
        story=story,
        level=level,
        version=story.version,
        reviewer=actor,
        decision=decision,
        comments=comments.strip(),
        proofreading=proofreading.strip(),
    )
    review.full_clean()
    review.save()
    if decision == Review.Decision.PASS:
        if level < ReviewLevel.FINAL:
            story.pending_level = level + 1
            story.save(update_fields=["pending_level"])
            _notify_level(story, story.pending_level)
        else:
            story.status = Story.Status.APPROVED
            story.pending_level = 0
            story.approved_at = timezone.now()
            story.save(update_fields=["status", "pending_level", "approved_at"])
            _notify_author(
                story, _("Your story passed the final review: %(t)s") % {"t": story.title}
            )
    elif decision == Review.Decision.RETURN:
        story.status = Story.Status.RETURNED
        story.pending_level = 0
        story.save(update_fields=["status", "pending_level"])
        _notify_author(
            story, _("Your story was returned for changes: %(t)s") % {"t": story.title}, comments
        )
    else:
        story.status = Story.Status.REJECTED
        story.pending_level = 0
        story.save(update_fields=["status", "pending_level"])
        _notify_author(
            story, _("Your story was not accepted: %(t)s") % {"t": story.title}, comments
        )
    return review


# --- publishing --------------------------------------------------------------------------


@transaction.atomic
def publication_plan(
    *, story: Story, platform: Platform, planned_on: dt.date, actor: User
) -> Publication:
    """Put a story on a platform's calendar (while in review or once approved)."""
    if story.status not in (Story.Status.IN_REVIEW, Story.Status.APPROVED, Story.Status.PUBLISHED):
        raise ValidationError(_("Only a story in review or approved can be planned."))
    if not platform.is_active:
        raise ValidationError({"platform": _("This platform is not in use.")})
    pub, created = Publication.objects.get_or_create(
        story=story, platform=platform, defaults={"planned_on": planned_on, "recorded_by": actor}
    )
    if not created:
        if pub.is_published:
            raise ValidationError(_("The story is already published on this platform."))
        pub.planned_on = planned_on
        pub.save(update_fields=["planned_on"])
    return pub


@transaction.atomic
def publication_record(
    *,
    publication: Publication,
    actor: User,
    published_on: dt.date,
    link: str = "",
    issue_number: str = "",
    views: int = 0,
    likes: int = 0,
    shares: int = 0,
    comments_count: int = 0,
    external_id: str = "",
    today: dt.date | None = None,
) -> Publication:
    """Record that a story went out on a platform; only an approved story may be published."""
    from hongfan.scoring.services import record_event

    pub = (
        Publication.objects.select_for_update()
        .select_related("story", "platform")
        .get(pk=publication.pk)
    )
    story = Story.objects.select_for_update().get(pk=pub.story_id)
    today = today or timezone.localdate()
    if story.status not in (Story.Status.APPROVED, Story.Status.PUBLISHED):
        raise ValidationError(
            _(
                "The story has not passed all three reviews (初审、复审、终审) and cannot be "
                "published."
            )
        )
    if published_on > today:
        raise ValidationError({"published_on": _("The publication date cannot be in the future.")})
    if story.approved_at and published_on < timezone.localtime(story.approved_at).date():
        raise ValidationError(
            {"published_on": _("The story cannot be published before its final approval.")}
        )
    if pub.platform.uses_issue_numbers and not issue_number.strip():
        raise ValidationError({"issue_number": _("Give the issue number of the journal.")})
    if not pub.platform.uses_issue_numbers and not link.strip():
        raise ValidationError({"link": _("Give the link to the published piece.")})
    pub.published_on = published_on
    pub.link = link.strip()
    pub.issue_number = issue_number.strip()
    pub.views, pub.likes, pub.shares, pub.comments_count = views, likes, shares, comments_count
    pub.external_id = external_id
    pub.recorded_by = actor
    pub.full_clean()
    pub.save()
    if story.status != Story.Status.PUBLISHED or (
        story.published_on and published_on < story.published_on
    ):
        story.status = Story.Status.PUBLISHED
        story.published_on = min(filter(None, [story.published_on, published_on]))
        story.save(update_fields=["status", "published_on"])
    record_event(
        code="publicity.piece_published",
        subject=story.author,
        occurred_on=story.published_on or published_on,
        source=story,
        summary=_("Story published: %(t)s") % {"t": story.title},
        source_url=reverse("publicity:story_detail", args=[story.pk]),
        actor=actor,
    )
    return pub


@transaction.atomic
def publication_reach_update(
    *, publication: Publication, views: int, likes: int, shares: int, comments_count: int
) -> Publication:
    if not publication.is_published:
        raise ValidationError(_("Reach figures are recorded after publication."))
    for name, value in (
        ("views", views),
        ("likes", likes),
        ("shares", shares),
        ("comments_count", comments_count),
    ):
        if value is None or value < 0:
            raise ValidationError({name: _("Reach figures cannot be negative.")})
        setattr(publication, name, value)
    publication.save(update_fields=["views", "likes", "shares", "comments_count"])
    return publication


@transaction.atomic
def publication_remove(*, publication: Publication) -> None:
    if publication.is_published:
        raise ValidationError(_("A published piece stays on record."))
    publication.delete()


def publish_automatically(*, publication: Publication, actor: User) -> Publication:
    """Publish through the platform's adapter, then record the result."""
    from hongfan.publicity.adapters import get_adapter

    pub = Publication.objects.select_related("story", "platform").get(pk=publication.pk)
    if pub.story.status not in (Story.Status.APPROVED, Story.Status.PUBLISHED):
        raise ValidationError(
            _(
                "The story has not passed all three reviews (初审、复审、终审) and cannot be "
                "published."
            )
        )
    adapter = get_adapter(pub.platform.adapter)
    if not adapter.automatic:
        raise ValidationError(_("This platform is published by hand: record the link instead."))
    result = adapter.publish(pub, package_for([pub]))
    return publication_record(
        publication=pub,
        actor=actor,
        published_on=timezone.localdate(),
        link=result.url,
        issue_number=result.issue_number,
        external_id=result.external_id,
    )


def _safe_name(text: str) -> str:
    return re.sub(r"[\\/:*?\"<>|\s]+", "_", text).strip("_")[:60] or "story"


def package_for(publications: Sequence[Publication]) -> bytes:
    """A zip with each story's text (UTF-8) and its photos, one folder per story."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        index = ["序号\t计划日期\t发布日期\t标题\t科室\t作者"]
        for n, pub in enumerate(publications, start=1):
            story = pub.story
            folder = f"{n:03d}_{_safe_name(story.title)}"
            lines = [
                story.title,
                "",
                f"{story.department.name} {story.author.name}",
                "",
                story.body,
            ]
            links = story.video_link_list()
            if links:
                lines += ["", "视频链接：", *links]
            zf.writestr(f"{folder}/正文.txt", "\n".join(lines))
            for k, asset in enumerate(story.media.all(), start=1):
                if asset.file:
                    try:
                        with asset.file.open("rb") as fh:
                            data = fh.read()
                    except FileNotFoundError:
                        continue
                    suffix = Path(asset.file.name).suffix
                    zf.writestr(f"{folder}/图{k:02d}{suffix}", data)
                    zf.writestr(f"{folder}/图{k:02d}说明.txt", asset.caption)
            published = f"{pub.published_on:%Y-%m-%d}" if pub.published_on else ""
            index.append(
                f"{n}\t{pub.planned_on:%Y-%m-%d}\t{published}\t{story.title}\t"
                f"{story.department.name}\t{story.author.name}"
            )
        zf.writestr("目录.txt", "\n".join(index))
    return buffer.getvalue()


# --- media library -----------------------------------------------------------------------


def validate_media_file(upload: UploadedFile, kind: str) -> None:
    """Photos JPG/PNG, videos MP4: type, content and size checked by the evidence validator of
    the closed-loop engine with this module's list; an MP4 must also carry its ``ftyp`` box."""
    from hongfan.loops.services import validate_evidence_file

    allowed = PHOTO_EXTENSIONS if kind == MediaAsset.Kind.PHOTO else VIDEO_EXTENSIONS
    try:
        validate_evidence_file(upload, allowed)
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from exc
    if kind == MediaAsset.Kind.VIDEO:
        head = upload.read(12)
        upload.seek(0)
        if head[4:8] != b"ftyp":
            raise ValidationError({"file": _("The file's content does not match its extension.")})


@transaction.atomic
def media_add(
    *,
    actor: User,
    kind: str,
    caption: str,
    upload: UploadedFile | None = None,
    video_link: str = "",
    taken_on: dt.date | None = None,
    people: Sequence[Staff] = (),
    activity: CulturalActivity | None = None,
    department: Department | None = None,
    shows_identifiable_patient: bool = False,
    patient_consent: bool = False,
    consent_reference: str = "",
) -> MediaAsset:
    """Add a photo or video; one that shows an identifiable patient needs recorded consent."""
    if upload is None and not (kind == MediaAsset.Kind.VIDEO and video_link):
        raise ValidationError({"file": _("Upload the file (or, for a video, give its link).")})
    if upload is not None:
        validate_media_file(upload, kind)
    if shows_identifiable_patient and not (patient_consent and consent_reference.strip()):
        raise ValidationError(
            {
                "patient_consent": _(
                    "A photo or video that shows an identifiable patient needs "
                    "the patient's consent recorded."
                )
            }
        )
    asset = MediaAsset(
        kind=kind,
        caption=caption.strip(),
        video_link=video_link.strip(),
        original_name=(upload.name if upload else "")[:200],
        taken_on=taken_on,
        activity=activity,
        department=department,
        shows_identifiable_patient=shows_identifiable_patient,
        patient_consent=patient_consent,
        consent_reference=consent_reference.strip(),
        uploaded_by=actor,
    )
    if upload is not None:
        asset.file.save(upload.name or "upload", upload, save=False)
    asset.full_clean()
    asset.save()
    asset.people.set(people)
    return asset


@transaction.atomic
def media_update(
    *,
    asset: MediaAsset,
    caption: str,
    taken_on: dt.date | None,
    people: Sequence[Staff],
    activity: CulturalActivity | None,
    department: Department | None,
    shows_identifiable_patient: bool,
    patient_consent: bool,
    consent_reference: str,
) -> MediaAsset:
    if shows_identifiable_patient and not (patient_consent and consent_reference.strip()):
        raise ValidationError(
            {
                "patient_consent": _(
                    "A photo or video that shows an identifiable patient needs "
                    "the patient's consent recorded."
                )
            }
        )
    asset.caption = caption.strip()
    asset.taken_on = taken_on
    asset.activity = activity
    asset.department = department
    asset.shows_identifiable_patient = shows_identifiable_patient
    asset.patient_consent = patient_consent
    asset.consent_reference = consent_reference.strip()
    asset.full_clean()
    asset.save()
    asset.people.set(people)
    return asset


# --- cultural activities -----------------------------------------------------------------


@transaction.atomic
def activity_save(
    *,
    actor: User,
    kind: str,
    title: str,
    held_on: dt.date,
    participants: Sequence[Staff],
    place: str = "",
    organiser_organisation: PartyOrganisation | None = None,
    organiser_department: Department | None = None,
    organiser_text: str = "",
    summary: str = "",
    results: str = "",
    counts_as_study: bool = False,
    study_hours: Any = None,
    awards: dict[int, str] | None = None,
    activity: CulturalActivity | None = None,
    today: dt.date | None = None,
) -> CulturalActivity:
    """Record (or correct) a cultural activity held on ``held_on`` with its participants.

    When it counts as Party study, the Party members among the participants earn the study
    hours through ``hongfan.learning`` (one study record, created once; a study record already
    made is not rewritten — correct it in the learning pages)."""
    from hongfan.learning import services as learning

    today = today or timezone.localdate()
    if held_on > today:
        raise ValidationError({"held_on": _("Record an activity once it has taken place.")})
    if not participants:
        raise ValidationError({"participants": _("List at least one participant.")})
    if counts_as_study:
        if organiser_organisation is None:
            raise ValidationError(
                {
                    "organiser_organisation": _(
                        "An activity that counts as Party study needs its "
                        "organising Party organisation."
                    )
                }
            )
        if not study_hours or study_hours <= 0:
            raise ValidationError({"study_hours": _("Give the study hours.")})
    obj = activity or CulturalActivity(created_by=actor)
    if (
        activity is not None
        and activity.study_activity_id
        and (
            set(activity.participations.values_list("staff_id", flat=True))
            != {s.pk for s in participants}
            or activity.study_hours != study_hours
            or not counts_as_study
        )
    ):
        raise ValidationError(
            _(
                "This activity is already counted as Party study; its participants and hours "
                "are corrected in the study record."
            )
        )
    for key, value in {
        "kind": kind,
        "title": title.strip(),
        "held_on": held_on,
        "place": place,
        "organiser_organisation": organiser_organisation,
        "organiser_department": organiser_department,
        "organiser_text": organiser_text.strip(),
        "summary": summary,
        "results": results,
        "counts_as_study": counts_as_study,
        "study_hours": study_hours if counts_as_study else None,
    }.items():
        setattr(obj, key, value)
    obj.full_clean()
    obj.save()
    awards = awards or {}
    existing = {p.staff_id: p for p in obj.participations.all()}
    wanted = {s.pk for s in participants}
    obj.participations.exclude(staff_id__in=wanted).delete()
    creates = []
    for staff in participants:
        result = (awards.get(staff.pk) or "")[:100]
        row = existing.get(staff.pk)
        if row is None:
            creates.append(CulturalParticipation(activity=obj, staff=staff, result=result))
        elif row.result != result:
            row.result = result
            row.save(update_fields=["result"])
    CulturalParticipation.objects.bulk_create(creates)
    if counts_as_study and obj.study_activity_id is None:
        members = PartyMember.objects.filter(
            staff__in=participants, status=PartyMember.Status.NORMAL
        )
        if organiser_organisation.kind == PartyOrganisation.Kind.BRANCH:
            members = members.filter(organisation=organiser_organisation)
        member_ids = list(members.values_list("pk", flat=True))
        if member_ids:
            study = learning.activity_create(
                organisation=organiser_organisation,
                kind="red_base" if kind == CulturalActivity.Kind.RED_BASE else "other",
                title=obj.title,
                held_on=held_on,
                hours=study_hours,
                participant_ids=member_ids,
                place=place,
                summary=summary,
                today=today,
            )
            obj.study_activity = study
            obj.save(update_fields=["study_activity"])
    return obj


def staff_by_employee_numbers(text: str) -> tuple[list[Staff], list[str]]:
    """Staff listed by employee number (separated by spaces, commas, 、 or new lines)."""
    numbers = [n for n in re.split(r"[\s,，、；;]+", text or "") if n]
    found = {s.employee_no: s for s in Staff.objects.filter(employee_no__in=numbers)}
    missing = [n for n in numbers if n not in found]
    return [found[n] for n in dict.fromkeys(numbers) if n in found], missing


def user_may_submit(user: Any) -> bool:
    return _staff_of(user) is not None
