"""Import reach figures (传播数据) of published pieces from the platforms' statistics exports.

One row per published piece: the platform's name and the piece's link (or, for the journal,
its 期号) identify the publication; views, likes, shares and comments are set to the file's
figures. Importing the same file twice changes nothing; a row naming a piece that is not
recorded as published on that platform is refused with its row number.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hongfan.accounts.roles import Cap
from hongfan.imports.framework import Column, Counts, Importer, Row, cell_text, text
from hongfan.imports.registry import register
from hongfan.publicity.models import Platform, Publication

FIGURES = ("views", "likes", "shares", "comments_count")


def count(value: Any) -> int:
    raw = cell_text(value).replace(",", "").replace("，", "")
    if raw == "":
        return 0
    try:
        number = float(raw)
    except ValueError:
        raise ValidationError(_("“%(v)s” is not a number.") % {"v": raw}) from None
    if number < 0 or number != int(number):
        raise ValidationError(_("Reach figures are whole numbers from 0."))
    return int(number)


@dataclass
class _Planned:
    publication: Publication
    values: dict[str, int]


@register
class ReachImporter(Importer):
    kind = "publicity_reach"
    label = gettext_lazy("Reach figures of published pieces")
    description = gettext_lazy(
        "Views, likes, shares and comments per published piece, identified by platform and "
        "link (or issue number for the journal); the figures replace those on record."
    )
    capability = Cap.PUBLICITY_MANAGE
    order = 400
    natural_key = ("platform", "reference")
    columns = [
        Column("平台", "platform", required=True, parse=text(100), example="微信订阅号"),
        Column(
            "链接或期号",
            "reference",
            required=True,
            aliases=("链接", "期号", "文章链接"),
            parse=text(500),
            example="https://mp.weixin.qq.com/s/abc",
        ),
        Column("阅读量", "views", aliases=("阅读数", "播放量"), parse=count, example="1536"),
        Column("点赞", "likes", aliases=("点赞数",), parse=count, example="88"),
        Column("转发", "shares", aliases=("转发数", "分享数"), parse=count, example="21"),
        Column("评论", "comments_count", aliases=("评论数",), parse=count, example="5"),
    ]

    def __init__(self, user: Any = None) -> None:
        super().__init__(user=user)
        self.planned: list[_Planned] = []
        self.platforms: dict[str, Platform] = {}
        self.publications: dict[tuple[int, str], Publication] = {}

    def prepare(self, rows: list[Row]) -> None:
        self.platforms = {p.name: p for p in Platform.objects.all()}
        for pub in Publication.objects.filter(published_on__isnull=False).select_related(
            "platform"
        ):
            if pub.link:
                self.publications[(pub.platform_id, pub.link)] = pub
            if pub.issue_number:
                self.publications.setdefault((pub.platform_id, pub.issue_number), pub)

    def clean_row(self, row: Row) -> None:
        platform = self.platforms.get(row["platform"])
        if platform is None:
            self.error(
                row, "platform", _("No platform is called “%(p)s”.") % {"p": row["platform"]}
            )
            return
        pub = self.publications.get((platform.pk, row["reference"]))
        if pub is None:
            self.error(
                row,
                "reference",
                _("No piece published on %(p)s has the link or issue number “%(r)s”.")
                % {"p": platform.name, "r": row["reference"]},
            )
            return
        values = {name: row[name] or 0 for name in FIGURES}
        if all(getattr(pub, name) == value for name, value in values.items()):
            row.extra["unchanged"] = True
            return
        row.extra["planned"] = _Planned(pub, values)

    def plan(self, rows: list[Row]) -> Counts:
        self.planned = [r.extra["planned"] for r in rows if "planned" in r.extra]
        return Counts(
            updated=len(self.planned),
            unchanged=sum(1 for r in rows if r.extra.get("unchanged")),
        )

    def write(self) -> None:
        from hongfan.publicity.services import publication_reach_update

        for p in self.planned:
            publication_reach_update(publication=p.publication, **p.values)
