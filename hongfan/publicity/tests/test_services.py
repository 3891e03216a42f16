"""Rules of publicity: the three-level review, sensitive words, publishing, media consent,
correspondents and cultural activities (docs/apps/publicity.md)."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from hongfan.accounts.roles import Role
from hongfan.learning.models import StudyParticipation
from hongfan.notifications.models import Notification
from hongfan.publicity import adapters, selectors, services
from hongfan.publicity.models import (
    CulturalActivity,
    MediaAsset,
    Platform,
    Review,
    SensitiveWord,
    Story,
    StoryVersion,
    WordMatch,
)
from hongfan.publicity.tests import factories as f
from hongfan.scoring.models import LedgerEvent

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


# --- the three-level review --------------------------------------------------------------


def test_a_story_passes_first_second_and_final_review_in_that_order(world):
    first, second, final = f.reviewers(world)
    story = f.submitted(world)
    assert (story.status, story.pending_level) == (Story.Status.IN_REVIEW, 1)
    # The second and final reviewers cannot act before the first review.
    for early in (second, final):
        with pytest.raises(ValidationError, match="not appointed"):
            services.story_review(story=story, actor=early, decision="pass")
    services.story_review(story=story, actor=first, decision="pass")
    story.refresh_from_db()
    assert story.pending_level == 2
    with pytest.raises(ValidationError, match="not appointed"):
        services.story_review(story=story, actor=final, decision="pass")
    services.story_review(story=story, actor=second, decision="pass")
    services.story_review(story=story, actor=final, decision="pass")
    story.refresh_from_db()
    assert story.status == Story.Status.APPROVED and story.pending_level == 0
    assert list(story.reviews.values_list("level", flat=True)) == [1, 2, 3]


def test_nobody_reviews_the_same_story_at_two_levels(world):
    first, second, _final = f.reviewers(world)
    services.reviewer_assign(user=first, level=2)  # the office also holds the second level
    story = f.submitted(world)
    services.story_review(story=story, actor=first, decision="pass")
    with pytest.raises(ValidationError, match="different reviewer at each level"):
        services.story_review(story=story, actor=first, decision="pass")
    services.story_review(story=story, actor=second, decision="pass")
    story.refresh_from_db()
    assert story.pending_level == 3


def test_an_author_who_is_a_reviewer_cannot_review_their_own_story(world):
    f.reviewers(world)
    author = world.user(Role.STAFF)
    services.reviewer_assign(user=author, level=1)
    story = f.submitted(world)
    with pytest.raises(ValidationError, match="own story"):
        services.story_review(story=story, actor=author, decision="pass")
    assert story.pk not in selectors.review_queue(author).values_list("pk", flat=True)


def test_returning_needs_a_reason_and_the_corrected_story_starts_again_at_the_first_review(
    world,
):
    first, second, _final = f.reviewers(world)
    story = f.submitted(world)
    services.story_review(story=story, actor=first, decision="pass")
    with pytest.raises(ValidationError):
        services.story_review(story=story, actor=second, decision="return", comments=" ")
    services.story_review(story=story, actor=second, decision="return", comments="补充数据")
    story.refresh_from_db()
    assert story.status == Story.Status.RETURNED
    story = services.story_update(
        story=story,
        actor=world.user(Role.STAFF),
        title=story.title,
        body=story.body + "共服务群众120人次。",
        note="补充数据",
    )
    assert story.version == 2
    assert list(StoryVersion.objects.filter(story=story).values_list("number", flat=True)) == [
        2,
        1,
    ]
    services.story_submit(story=story, actor=world.user(Role.STAFF))
    story.refresh_from_db()
    assert story.pending_level == 1
    # The second reviewer still cannot act before the first review of the new version.
    with pytest.raises(ValidationError, match="not appointed"):
        services.story_review(story=story, actor=second, decision="pass")


def test_the_author_is_told_when_the_story_is_returned(world):
    first, _s, _f = f.reviewers(world)
    story = f.submitted(world)
    services.story_review(story=story, actor=first, decision="return", comments="请修改标题")
    note = Notification.objects.filter(recipient=world.user(Role.STAFF)).latest("pk")
    assert "退回" in note.title or "returned" in note.title


def test_a_story_in_review_cannot_be_edited(world):
    f.reviewers(world)
    story = f.submitted(world)
    with pytest.raises(ValidationError, match="draft or returned"):
        services.story_update(
            story=story, actor=world.user(Role.STAFF), title="新标题", body=story.body
        )


def test_only_the_author_edits_or_submits(world):
    story = f.draft(world)
    with pytest.raises(ValidationError, match="Only the author"):
        services.story_submit(story=story, actor=world.user(Role.PARTY_OFFICE))


# --- sensitive words ---------------------------------------------------------------------


def test_an_unresolved_sensitive_word_blocks_the_review(world):
    first, second, _final = f.reviewers(world)
    story = f.submitted(world, body="该院第一次独立完成此类手术，疗效最好。")
    matches = {m.word: m for m in WordMatch.objects.filter(story=story)}
    assert set(matches) == {"第一", "最好"}
    with pytest.raises(ValidationError, match="Resolve the sensitive words"):
        services.story_review(story=story, actor=first, decision="pass")
    # Accepting needs a reason; only the reviewer of the current level may resolve.
    with pytest.raises(ValidationError):
        services.match_resolve(match=matches["第一"], actor=first, resolution="accepted")
    with pytest.raises(ValidationError, match="not appointed"):
        services.match_resolve(
            match=matches["第一"], actor=second, resolution="accepted", reason="事实表述"
        )
    services.match_resolve(
        match=matches["第一"], actor=first, resolution="accepted", reason="“第一次”是事实表述"
    )
    services.match_resolve(match=matches["最好"], actor=first, resolution="change")
    with pytest.raises(ValidationError, match="最好"):
        services.story_review(story=story, actor=first, decision="pass")
    services.story_review(story=story, actor=first, decision="return", comments="删去“最好”")
    story.refresh_from_db()
    story = services.story_update(
        story=story,
        actor=world.user(Role.STAFF),
        title=story.title,
        body="该院第一次独立完成此类手术，疗效良好。",
    )
    services.story_submit(story=story, actor=world.user(Role.STAFF))
    # The new version is checked again: "第一" must be resolved again for version 2.
    assert list(
        WordMatch.objects.filter(story=story, version=2).values_list("word", flat=True)
    ) == ["第一"]


def test_a_switched_off_word_is_not_flagged_and_words_are_added_in_bulk(world):
    SensitiveWord.objects.filter(word="第一").update(is_active=False)
    assert services.sensitive_words_add(text="包治百病、药到病除\n包治百病") == 2
    f.reviewers(world)
    story = f.submitted(world, body="第一次开展，药到病除。")
    assert list(WordMatch.objects.filter(story=story).values_list("word", flat=True)) == [
        "药到病除"
    ]


def test_the_longest_word_is_found_once_with_its_count():
    found = services.find_sensitive_words("保证治愈！保证治愈！", ["保证治愈", "治愈"])
    assert found[0][:2] == ("保证治愈", 2)
    assert found[1][:2] == ("治愈", 2)


# --- publishing --------------------------------------------------------------------------


def test_a_story_without_all_three_reviews_cannot_be_published(world):
    first, second, _final = f.reviewers(world)
    story = f.submitted(world)
    services.story_review(story=story, actor=first, decision="pass")
    services.story_review(story=story, actor=second, decision="pass")
    platform = Platform.objects.get(name="医院官方网站")
    pub = services.publication_plan(
        story=story, platform=platform, planned_on=dt.date.today(), actor=first
    )
    with pytest.raises(ValidationError, match=r"三审|three reviews"):
        services.publication_record(
            publication=pub,
            actor=first,
            published_on=dt.date.today(),
            link="https://www.example.org/n/1",
        )
    assert not Story.objects.filter(status=Story.Status.PUBLISHED).exists()


def test_a_draft_cannot_even_be_planned(world):
    story = f.draft(world)
    with pytest.raises(ValidationError):
        services.publication_plan(
            story=story,
            platform=Platform.objects.first(),
            planned_on=dt.date.today(),
            actor=world.user(Role.PARTY_OFFICE),
        )


def test_publishing_records_one_ledger_event_for_the_author_however_many_platforms(world):
    story, _pub = f.published(world)
    journal = Platform.objects.get(name="院刊")
    pub2 = services.publication_plan(
        story=story,
        platform=journal,
        planned_on=dt.date.today(),
        actor=world.user(Role.PARTY_OFFICE),
    )
    with pytest.raises(ValidationError, match="issue number"):
        services.publication_record(
            publication=pub2, actor=world.user(Role.PARTY_OFFICE), published_on=dt.date.today()
        )
    services.publication_record(
        publication=pub2,
        actor=world.user(Role.PARTY_OFFICE),
        published_on=dt.date.today(),
        issue_number="总第120期",
    )
    events = LedgerEvent.objects.filter(rule__code="publicity.piece_published")
    assert events.count() == 1
    assert events.get().staff == world.staff["plain_a1"]
    assert story.publications.count() == 2


def test_publication_dates_and_reach_figures_are_checked(world):
    story = f.approved(world)
    pub = services.publication_plan(
        story=story,
        platform=Platform.objects.get(name="抖音"),
        planned_on=dt.date.today(),
        actor=world.user(Role.PARTY_OFFICE),
    )
    with pytest.raises(ValidationError, match="future"):
        services.publication_record(
            publication=pub,
            actor=world.user(Role.PARTY_OFFICE),
            published_on=dt.date.today() + dt.timedelta(days=1),
            link="https://v.douyin.com/x",
        )
    with pytest.raises(ValidationError, match="before its final approval"):
        services.publication_record(
            publication=pub,
            actor=world.user(Role.PARTY_OFFICE),
            published_on=dt.date.today() - dt.timedelta(days=1),
            link="https://v.douyin.com/x",
        )
    pub = services.publication_record(
        publication=pub,
        actor=world.user(Role.PARTY_OFFICE),
        published_on=dt.date.today(),
        link="https://v.douyin.com/x",
    )
    with pytest.raises(ValidationError, match="negative"):
        services.publication_reach_update(
            publication=pub, views=-1, likes=0, shares=0, comments_count=0
        )
    with pytest.raises(ValidationError, match="stays on record"):
        services.publication_remove(publication=pub)


def test_the_export_package_holds_the_text_and_the_photos(world):
    first = world.user(Role.PARTY_OFFICE)
    photo = services.media_add(
        actor=first,
        kind=MediaAsset.Kind.PHOTO,
        caption="义诊现场",
        upload=SimpleUploadedFile("a.png", PNG, "image/png"),
    )
    f.reviewers(world)
    story = services.story_create(
        actor=world.user(Role.STAFF), title="义诊/现场", body="正文内容", media=[photo]
    )
    story = services.story_submit(story=story, actor=world.user(Role.STAFF))
    pub = services.publication_plan(
        story=story,
        platform=Platform.objects.get(name="院刊"),
        planned_on=dt.date(2026, 12, 1),
        actor=first,
    )
    data = services.package_for([pub])
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        names = zf.namelist()
        assert "001_义诊_现场/正文.txt" in names
        assert "001_义诊_现场/图01.png" in names
        assert zf.read("001_义诊_现场/图01.png") == PNG
        assert "正文内容" in zf.read("001_义诊_现场/正文.txt").decode("utf-8")
        assert "义诊/现场" in zf.read("目录.txt").decode("utf-8")


def test_an_automatic_adapter_publishes_through_its_transport_without_the_network(
    world, settings, monkeypatch
):
    settings.HONGFAN_PUBLISHING_GATEWAY = "https://gateway.hospital.local/publish"
    sent = []

    def transport(url, body, headers):
        sent.append((url, json.loads(body)))
        return 200, b'{"url": "https://www.example.org/a/9", "id": "A9"}'

    monkeypatch.setattr(adapters.HttpPostAdapter, "transport", staticmethod(transport))
    platform = Platform.objects.get(name="医院官方网站")
    services.platform_save(platform=platform, adapter="gateway")
    story = f.approved(world)
    pub = services.publication_plan(
        story=story,
        platform=platform,
        planned_on=dt.date.today(),
        actor=world.user(Role.PARTY_OFFICE),
    )
    pub = services.publish_automatically(publication=pub, actor=world.user(Role.PARTY_OFFICE))
    assert pub.link == "https://www.example.org/a/9" and pub.external_id == "A9"
    assert sent[0][0] == "https://gateway.hospital.local/publish"
    assert sent[0][1]["title"] == story.title


def test_a_manual_platform_cannot_be_published_automatically_and_unknown_adapters_are_refused(
    world,
):
    story = f.approved(world)
    platform = Platform.objects.get(name="抖音")
    pub = services.publication_plan(
        story=story,
        platform=platform,
        planned_on=dt.date.today(),
        actor=world.user(Role.PARTY_OFFICE),
    )
    with pytest.raises(ValidationError, match="by hand"):
        services.publish_automatically(publication=pub, actor=world.user(Role.PARTY_OFFICE))
    with pytest.raises(ValidationError, match="Unknown publishing adapter"):
        services.platform_save(platform=platform, adapter="wechat-magic")


# --- media -------------------------------------------------------------------------------


def test_a_photo_of_an_identifiable_patient_needs_consent(world):
    user = world.user(Role.STAFF)
    with pytest.raises(ValidationError, match="consent"):
        services.media_add(
            actor=user,
            kind=MediaAsset.Kind.PHOTO,
            caption="上门换药",
            upload=SimpleUploadedFile("a.png", PNG, "image/png"),
            shows_identifiable_patient=True,
        )
    with pytest.raises(ValidationError, match="consent"):
        services.media_add(
            actor=user,
            kind=MediaAsset.Kind.PHOTO,
            caption="上门换药",
            upload=SimpleUploadedFile("a.png", PNG, "image/png"),
            shows_identifiable_patient=True,
            patient_consent=True,  # ticked, but where is the signed consent?
        )
    asset = services.media_add(
        actor=user,
        kind=MediaAsset.Kind.PHOTO,
        caption="上门换药",
        upload=SimpleUploadedFile("a.png", PNG, "image/png"),
        shows_identifiable_patient=True,
        patient_consent=True,
        consent_reference="知情同意书 2026-001",
    )
    assert asset.pk and MediaAsset.objects.count() == 1


@pytest.mark.parametrize(
    ("name", "content", "kind", "message"),
    [
        ("a.exe", b"MZ\x90\x00", MediaAsset.Kind.PHOTO, "not allowed"),
        ("a.jpg", b"<svg onload=alert(1)>", MediaAsset.Kind.PHOTO, "does not match"),
        ("a.png", PNG, MediaAsset.Kind.VIDEO, "not allowed"),
        ("a.mp4", b"\x00\x00\x00\x18notavideo", MediaAsset.Kind.VIDEO, "does not match"),
    ],
)
def test_uploads_of_a_wrong_type_are_refused(world, name, content, kind, message):
    with pytest.raises(ValidationError, match=message):
        services.media_add(
            actor=world.user(Role.STAFF),
            kind=kind,
            caption="x",
            upload=SimpleUploadedFile(name, content),
        )
    assert not MediaAsset.objects.exists()


def test_an_upload_over_the_size_limit_is_refused(world, settings):
    settings.HONGFAN_UPLOAD_MAX_BYTES = 40
    with pytest.raises(ValidationError, match="too large"):
        services.media_add(
            actor=world.user(Role.STAFF),
            kind=MediaAsset.Kind.PHOTO,
            caption="x",
            upload=SimpleUploadedFile("a.png", PNG + b"\x00" * 20),
        )


def test_a_video_may_be_a_link_and_an_mp4_is_recognised(world):
    user = world.user(Role.STAFF)
    link = services.media_add(
        actor=user, kind=MediaAsset.Kind.VIDEO, caption="微视频", video_link="https://v.qq.com/x"
    )
    mp4 = services.media_add(
        actor=user,
        kind=MediaAsset.Kind.VIDEO,
        caption="微视频",
        upload=SimpleUploadedFile("v.mp4", b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 8),
    )
    assert link.video_link and mp4.file


def test_consent_cannot_be_taken_away_from_a_photo_of_a_patient(world):
    asset = services.media_add(
        actor=world.user(Role.STAFF),
        kind=MediaAsset.Kind.PHOTO,
        caption="x",
        upload=SimpleUploadedFile("a.png", PNG, "image/png"),
    )
    with pytest.raises(ValidationError, match="consent"):
        services.media_update(
            asset=asset,
            caption="x",
            taken_on=None,
            people=[],
            activity=None,
            department=None,
            shows_identifiable_patient=True,
            patient_consent=False,
            consent_reference="",
        )
    asset.refresh_from_db()
    assert not asset.shows_identifiable_patient


# --- correspondents ----------------------------------------------------------------------


def test_correspondent_terms_of_one_person_may_not_overlap(world):
    staff = world.staff["plain_a1"]
    services.correspondent_save(
        staff=staff,
        appointed_on=dt.date(2026, 1, 1),
        term_ends_on=dt.date(2026, 12, 31),
        yearly_target=6,
    )
    with pytest.raises(ValidationError, match="already has a correspondent term"):
        services.correspondent_save(
            staff=staff,
            appointed_on=dt.date(2026, 12, 31),
            term_ends_on=dt.date(2027, 12, 31),
            yearly_target=6,
        )
    # The next day is fine.
    services.correspondent_save(
        staff=staff,
        appointed_on=dt.date(2027, 1, 1),
        term_ends_on=dt.date(2027, 12, 31),
        yearly_target=6,
    )
    with pytest.raises(ValidationError, match="end after"):
        services.correspondent_save(
            staff=world.staff["plain_b1"],
            appointed_on=dt.date(2027, 1, 1),
            term_ends_on=dt.date(2027, 1, 1),
            yearly_target=6,
        )


def test_a_correspondents_published_pieces_count_against_the_yearly_target(world):
    today = dt.date.today()
    term = services.correspondent_save(
        staff=world.staff["plain_a1"],
        appointed_on=dt.date(today.year, 1, 1),
        term_ends_on=dt.date(today.year, 12, 31),
        yearly_target=4,
    )
    f.published(world)
    f.submitted(world, title="第二篇")
    row = next(r for r in selectors.correspondent_output(today.year) if r.correspondent == term)
    assert (row.submitted, row.published) == (2, 1)
    assert row.completion == Decimal("25.0")
    assert Story.objects.filter(correspondent=term).count() == 2


# --- cultural activities -----------------------------------------------------------------


def test_an_activity_that_counts_as_study_gives_the_branch_members_their_hours(world):
    people = [world.staff["secretary_a"], world.staff["member_a"], world.staff["plain_a1"]]
    activity = services.activity_save(
        actor=world.user(Role.PARTY_OFFICE),
        kind=CulturalActivity.Kind.RED_BASE,
        title="赴西柏坡开展革命传统教育",
        held_on=dt.date(2026, 7, 1),
        participants=people,
        organiser_organisation=world.branch_a,
        counts_as_study=True,
        study_hours=Decimal("4.0"),
        awards={world.staff["member_a"].pk: "优秀心得"},
        today=dt.date(2026, 11, 23),
    )
    hours = StudyParticipation.objects.filter(activity=activity.study_activity)
    # The two members of branch_a earn 4 hours; 周群众 is not a Party member.
    assert sorted(hours.values_list("member__staff__name", flat=True)) == ["李支书", "赵党员"]
    assert set(hours.values_list("hours", flat=True)) == {Decimal("4.0")}
    assert activity.participations.get(staff=world.staff["member_a"]).result == "优秀心得"
    # Changing the participants of an activity already counted as study is refused.
    with pytest.raises(ValidationError, match="already counted as Party study"):
        services.activity_save(
            actor=world.user(Role.PARTY_OFFICE),
            activity=activity,
            kind=activity.kind,
            title=activity.title,
            held_on=activity.held_on,
            participants=people[:2],
            organiser_organisation=world.branch_a,
            counts_as_study=True,
            study_hours=Decimal("4.0"),
            today=dt.date(2026, 11, 23),
        )


def test_an_activity_in_the_future_or_without_organiser_or_people_is_refused(world):
    kwargs = dict(
        actor=world.user(Role.PARTY_OFFICE),
        kind=CulturalActivity.Kind.SPORTS,
        title="趣味运动会",
        participants=[world.staff["plain_a1"]],
        organiser_text="院工会",
        today=dt.date(2026, 11, 23),
    )
    with pytest.raises(ValidationError, match="taken place"):
        services.activity_save(held_on=dt.date(2026, 11, 24), **kwargs)
    services.activity_save(held_on=dt.date(2026, 11, 23), **kwargs)
    with pytest.raises(ValidationError, match="organiser"):
        services.activity_save(held_on=dt.date(2026, 11, 1), **{**kwargs, "organiser_text": ""})
    with pytest.raises(ValidationError, match="participant"):
        services.activity_save(held_on=dt.date(2026, 11, 1), **{**kwargs, "participants": []})
    with pytest.raises(ValidationError, match="organising Party organisation"):
        services.activity_save(
            held_on=dt.date(2026, 11, 1),
            **{**kwargs, "counts_as_study": True, "study_hours": Decimal("2")},
        )


def test_participation_is_counted_by_department_and_branch(world):
    services.activity_save(
        actor=world.user(Role.PARTY_OFFICE),
        kind=CulturalActivity.Kind.SPORTS,
        title="趣味运动会",
        held_on=dt.date(2026, 10, 1),
        participants=[world.staff["plain_a1"], world.staff["head_a1"], world.staff["member_b"]],
        organiser_text="院工会",
        today=dt.date(2026, 11, 23),
    )
    services.activity_save(
        actor=world.user(Role.PARTY_OFFICE),
        kind=CulturalActivity.Kind.FILM,
        title="观看电影",
        held_on=dt.date(2026, 10, 8),
        participants=[world.staff["plain_a1"]],
        organiser_text="院工会",
        today=dt.date(2026, 11, 23),
    )
    by_department, by_branch, count = selectors.participation(2026)
    assert count == 2
    dept = {r.name: r for r in by_department}
    a1 = dept[world.dept_a1.name]
    assert (a1.participants, a1.person_times) == (2, 3)
    branch = {r.name: r for r in by_branch}
    assert branch[world.branch_b.name].participants == 1
    assert branch[world.branch_b.name].rate == Decimal("50.0")  # 1 of 2 members


# --- statistics --------------------------------------------------------------------------


def test_piece_statistics_and_review_turnaround(world):
    f.published(world)
    f.submitted(world, title="待审稿件")
    year = dt.date.today().year
    stats = selectors.piece_stats(year)
    assert (stats.total_submitted, stats.total_published) == (2, 1)
    assert stats.by_platform == [("微信订阅号", 1, 1200)]
    assert stats.by_department == [(world.dept_a1.name, 2, 1)]
    rows, median_days = selectors.review_turnaround(year)
    assert [r.reviews for r in rows] == [1, 1, 1]
    assert median_days is not None and median_days >= 0
    assert Review.objects.count() == 3
