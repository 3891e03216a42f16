"""Reach figures imported from the platforms' statistics exports."""

from __future__ import annotations

import pytest

from hongfan.accounts.roles import Role
from hongfan.imports.models import ImportRun
from hongfan.imports.services import import_file
from hongfan.publicity.tests import factories as f

pytestmark = pytest.mark.django_db


def _csv(*rows: str) -> bytes:
    return ("平台,链接或期号,阅读量,点赞,转发,评论\n" + "\n".join(rows) + "\n").encode("utf-8")


def test_reach_figures_are_imported_once_and_the_same_file_changes_nothing(world):
    _story, pub = f.published(world)
    data = _csv(f'微信订阅号,{pub.link},"3,200",120,45,7')
    office = world.user(Role.PARTY_OFFICE)
    run = import_file(kind="publicity_reach", data=data, file_name="reach.csv", user=office)
    assert run.outcome == ImportRun.Outcome.APPLIED and run.updated_count == 1
    pub.refresh_from_db()
    assert (pub.views, pub.likes, pub.shares, pub.comments_count) == (3200, 120, 45, 7)
    again = import_file(kind="publicity_reach", data=data, file_name="reach.csv", user=office)
    assert again.updated_count == 0 and again.unchanged_count == 1


def test_a_file_with_one_bad_row_imports_nothing_and_names_every_bad_row(world):
    _story, pub = f.published(world)
    data = _csv(
        f"微信订阅号,{pub.link},900,1,1,1",
        "微博,https://weibo.com/1,10,1,1,1",
        "微信订阅号,https://mp.weixin.qq.com/s/unknown,10,1,1,1",
        f"微信订阅号,{pub.link},-5,1,1,1",
    )
    run = import_file(
        kind="publicity_reach", data=data, file_name="bad.csv", user=world.user(Role.PARTY_OFFICE)
    )
    assert run.outcome == ImportRun.Outcome.REJECTED
    rows = sorted(e["row"] for e in run.errors)
    assert rows[:3] == [3, 4, 5]
    pub.refresh_from_db()
    assert pub.views == 1200  # unchanged
