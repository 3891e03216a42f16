"""Test data for publicity: three reviewers and stories at each stage.

Reviewers: the Party office user (初审), the department head head_a1 (复审) and the
president's office user (终审). Stories are written by plain_a1 (周群众, 心内科)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hongfan.accounts.roles import Role
from hongfan.core.testing import World
from hongfan.publicity import services
from hongfan.publicity.models import Platform, Publication, Story

BODY = "心内科党支部开展主题党日活动，党员志愿者走进社区为群众测量血压。"


def reviewers(w: World) -> tuple[Any, Any, Any]:
    first, second, final = (
        w.user(Role.PARTY_OFFICE),
        w.user(Role.DEPARTMENT_HEAD),
        w.user(Role.PRESIDENT_OFFICE),
    )
    services.reviewer_assign(user=first, level=1)
    services.reviewer_assign(user=second, level=2)
    services.reviewer_assign(user=final, level=3)
    return first, second, final


def draft(w: World, *, title: str = "心内科党员走进社区义诊", body: str = BODY) -> Story:
    return services.story_create(actor=w.user(Role.STAFF), title=title, body=body)


def submitted(w: World, **kwargs: Any) -> Story:
    story = draft(w, **kwargs)
    return services.story_submit(story=story, actor=w.user(Role.STAFF))


def approved(w: World, **kwargs: Any) -> Story:
    first, second, final = reviewers(w)
    story = submitted(w, **kwargs)
    for user in (first, second, final):
        services.story_review(story=story, actor=user, decision="pass")
    story.refresh_from_db()
    return story


def published(w: World, **kwargs: Any) -> tuple[Story, Publication]:
    story = approved(w, **kwargs)
    platform = Platform.objects.get(name="微信订阅号")
    pub = services.publication_plan(
        story=story, platform=platform, planned_on=dt.date.today(), actor=w.user(Role.PARTY_OFFICE)
    )
    pub = services.publication_record(
        publication=pub,
        actor=w.user(Role.PARTY_OFFICE),
        published_on=dt.date.today(),
        link="https://mp.weixin.qq.com/s/demo",
        views=1200,
    )
    story.refresh_from_db()
    return story, pub
