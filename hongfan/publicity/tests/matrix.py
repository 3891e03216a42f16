"""Permission matrix of the publicity pages (hongfan/core/matrix.py).

The Party office (党委宣传) manages publicity; stories are written by 周群众 (plain_a1, the
STAFF role) and reviewed by the office (初审), the head of 心内科 (复审) and the president's
office (终审) — see factories.reviewers. Everyone with a staff record may submit stories and
sees only their own (404 for others'); the three administrators have no staff record (403).
Cultural activities are managed by the office hospital-wide and by branch secretaries for
their branch; staff see the activities they took part in.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from hongfan.accounts.roles import Role
from hongfan.core.matrix import Case
from hongfan.core.testing import World

ADMINS = {Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN}
STAFF_ROLES = set(Role.values) - ADMINS
OFFICE = {Role.PARTY_OFFICE}
REVIEWERS = {Role.PARTY_OFFICE, Role.DEPARTMENT_HEAD, Role.PRESIDENT_OFFICE}
NOT_OFFICE_404 = {r: 404 for r in STAFF_ROLES - OFFICE - {Role.STAFF}}


def _story(w: World, *, state: str = "submitted") -> Any:
    from hongfan.publicity.tests import factories

    factories.reviewers(w)
    return getattr(factories, state)(w)


def _story_pk(w: World) -> dict[str, Any]:
    return {"pk": _story(w).pk}


def _draft_pk(w: World) -> dict[str, Any]:
    return {"pk": _story(w, state="draft").pk}


def _version(w: World) -> dict[str, Any]:
    return {"pk": _story(w).pk, "number": 1}


def _match(w: World) -> dict[str, Any]:
    from hongfan.publicity.models import WordMatch
    from hongfan.publicity.tests import factories

    factories.reviewers(w)
    story = factories.submitted(w, body="第一次开展")
    return {"pk": story.pk, "match_pk": WordMatch.objects.get(story=story).pk}


def _publication(w: World) -> dict[str, Any]:
    from hongfan.publicity import services
    from hongfan.publicity.models import Platform

    story = _story(w, state="approved")
    pub = services.publication_plan(
        story=story,
        platform=Platform.objects.get(name="抖音"),
        planned_on=dt.date.today(),
        actor=w.user(Role.PARTY_OFFICE),
    )
    return {"pk": pub.pk}


def _platform(w: World) -> dict[str, Any]:
    from hongfan.publicity.models import Platform

    return {"pk": Platform.objects.get(name="院刊").pk}


def _correspondent(w: World) -> dict[str, Any]:
    from hongfan.publicity import services

    term = services.correspondent_save(
        staff=w.staff["plain_a1"],
        appointed_on=dt.date(2026, 1, 1),
        term_ends_on=dt.date(2027, 12, 31),
        yearly_target=6,
    )
    return {"pk": term.pk}


def _reviewer(w: World) -> dict[str, Any]:
    from hongfan.publicity import services

    return {"pk": services.reviewer_assign(user=w.user(Role.STAFF), level=1).pk}


def _word(w: World) -> dict[str, Any]:
    from hongfan.publicity.models import SensitiveWord

    return {"pk": SensitiveWord.objects.get(word="最好").pk}


def _media(w: World) -> dict[str, Any]:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from hongfan.publicity import services

    asset = services.media_add(
        actor=w.user(Role.STAFF),
        kind="photo",
        caption="义诊现场",
        upload=SimpleUploadedFile("a.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 16, "image/png"),
    )
    return {"pk": asset.pk}


def _activity(w: World) -> dict[str, Any]:
    """An activity of 内科党支部 with 周群众 (plain_a1) taking part."""
    from hongfan.publicity import services

    activity = services.activity_save(
        actor=w.user(Role.PARTY_OFFICE),
        kind="sports",
        title="内科趣味运动会",
        held_on=dt.date(2026, 10, 1),
        participants=[w.staff["plain_a1"], w.staff["member_a"]],
        organiser_organisation=w.branch_a,
        today=dt.date(2026, 11, 23),
    )
    return {"pk": activity.pk}


# Who sees a submitted story: the author, the office, and the first reviewer (the office);
# the second and final reviewers only once it reaches their level.
STORY_SEEN = {Role.STAFF, Role.PARTY_OFFICE}
STORY_404 = {r: 404 for r in STAFF_ROLES - STORY_SEEN}
ACTIVITY_SEEN = {Role.PARTY_OFFICE, Role.BRANCH_SECRETARY, Role.STAFF}

CASES = [
    Case("publicity:story_list", allowed=STAFF_ROLES),
    Case("publicity:story_create", allowed=STAFF_ROLES),
    Case("publicity:story_detail", allowed=STORY_SEEN, kwargs=_story_pk, per_role=STORY_404),
    Case(
        "publicity:story_edit",
        allowed={Role.STAFF},
        kwargs=_draft_pk,
        per_role={**STORY_404, Role.PARTY_OFFICE: 403},
    ),
    Case(
        "publicity:story_submit",
        allowed=set(),
        method="post",
        kwargs=_draft_pk,
        per_role={**STORY_404, Role.PARTY_OFFICE: 403, Role.STAFF: 302},
    ),
    Case(
        "publicity:story_withdraw",
        allowed=set(),
        method="post",
        kwargs=_draft_pk,
        per_role={**STORY_404, Role.PARTY_OFFICE: 403, Role.STAFF: 302},
    ),
    Case(
        "publicity:story_review",
        allowed={Role.PARTY_OFFICE},
        method="post",
        kwargs=_story_pk,
        data=lambda w: {"decision": "pass"},
        ok_status=302,
        # The author sees the story but reviews nothing: 403.
        per_role={**STORY_404, Role.STAFF: 403},
    ),
    Case(
        "publicity:match_resolve",
        allowed={Role.PARTY_OFFICE},
        method="post",
        kwargs=_match,
        data=lambda w: {"resolution": "accepted", "reason": "事实表述"},
        ok_status=302,
        per_role={**STORY_404, Role.STAFF: 403},
    ),
    Case(
        "publicity:story_version",
        allowed=STORY_SEEN,
        kwargs=_version,
        per_role=STORY_404,
    ),
    Case(
        "publicity:story_plan",
        allowed=OFFICE,
        method="post",
        kwargs=_story_pk,
        data=lambda w: {"platform": "", "planned_on": ""},
        ok_status=302,
    ),
    # The queue: reviewers and the office; other staff hold no review level (403).
    Case("publicity:queue", allowed=OFFICE),
    Case("publicity:calendar", allowed=OFFICE),
    Case("publicity:publication_record", allowed=OFFICE, kwargs=_publication),
    Case(
        "publicity:publication_publish",
        allowed=OFFICE,
        method="post",
        kwargs=_publication,
        ok_status=302,
    ),
    Case(
        "publicity:publication_remove",
        allowed=OFFICE,
        method="post",
        kwargs=_publication,
        ok_status=302,
    ),
    Case("publicity:platform_list", allowed=OFFICE),
    Case("publicity:platform_create", allowed=OFFICE),
    Case("publicity:platform_edit", allowed=OFFICE, kwargs=_platform),
    Case(
        "publicity:platform_package",
        allowed=OFFICE,
        kwargs=_platform,
        ok_status=302,  # nothing planned this month: back to the calendar
    ),
    Case("publicity:correspondent_list", allowed=OFFICE),
    Case("publicity:correspondent_create", allowed=OFFICE),
    Case("publicity:correspondent_edit", allowed=OFFICE, kwargs=_correspondent),
    Case("publicity:reviewer_list", allowed=OFFICE),
    Case(
        "publicity:reviewer_remove",
        allowed=OFFICE,
        method="post",
        kwargs=_reviewer,
        ok_status=302,
    ),
    Case("publicity:word_list", allowed=OFFICE),
    Case("publicity:word_toggle", allowed=OFFICE, method="post", kwargs=_word, ok_status=302),
    Case("publicity:media_list", allowed=STAFF_ROLES),
    Case("publicity:media_create", allowed=STAFF_ROLES),
    Case(
        "publicity:media_detail",
        allowed={Role.STAFF, Role.PARTY_OFFICE},
        kwargs=_media,
        per_role={r: 404 for r in STAFF_ROLES - {Role.STAFF, Role.PARTY_OFFICE}},
    ),
    Case(
        "publicity:media_file",
        allowed={Role.STAFF, Role.PARTY_OFFICE},
        kwargs=_media,
        per_role={r: 404 for r in STAFF_ROLES - {Role.STAFF, Role.PARTY_OFFICE}},
    ),
    Case("publicity:activity_list", allowed=STAFF_ROLES),
    Case("publicity:activity_create", allowed={Role.PARTY_OFFICE, Role.BRANCH_SECRETARY}),
    Case(
        "publicity:activity_detail",
        allowed=ACTIVITY_SEEN,
        kwargs=_activity,
        per_role={r: 404 for r in STAFF_ROLES - ACTIVITY_SEEN},
    ),
    Case(
        "publicity:activity_edit",
        allowed={Role.PARTY_OFFICE, Role.BRANCH_SECRETARY},
        kwargs=_activity,
        # Staff who took part see it but may not edit it (403 for the capability).
        per_role={},
    ),
    Case("publicity:stats", allowed=OFFICE),
]
