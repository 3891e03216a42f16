"""``{% party_tree roots %}``: the organisation tree as nested lists.

Rendered in Python rather than by a recursive ``{% include %}``: a 360-organisation tree
cost about 120 ms of template work per request that way, a quarter of that here
(docs/performance.md). The markup is the same as ``party/_tree_node.html`` produced.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

register = template.Library()

_LEVEL_CLASS = {"danger": "danger", "warning": "warning-emphasis"}


def _warnings(warnings: list[Any]) -> SafeString:
    return format_html_join(
        "",
        '<div class="small text-{}" data-warning="{}"><i class="bi bi-{}"></i> {}</div>',
        (
            (
                _LEVEL_CLASS.get(w.level, "info-emphasis"),
                w.code,
                "info-circle" if w.level == "info" else "exclamation-triangle",
                w.message,
            )
            for w in warnings
        ),
    )


def _node(node: Any, labels: dict[str, str], url_of: Any) -> SafeString:
    org = node.org
    badges = []
    if org.is_temporary:
        badges.append(format_html('<span class="badge text-bg-warning">{}</span>', labels["tmp"]))
    if org.is_joint:
        badges.append(format_html('<span class="badge text-bg-info">{}</span>', labels["joint"]))
    warning_badge = warning_block = ""
    if node.warnings:
        warning_badge = format_html(
            '<span class="badge text-bg-warning" title="{}">'
            '<i class="bi bi-exclamation-triangle"></i> {}</span>',
            labels["warnings"],
            len(node.warnings),
        )
        warning_block = format_html('<div class="ms-3 mb-1">{}</div>', _warnings(node.warnings))
    children = ""
    if node.children:
        children = format_html(
            "<ul>{}</ul>",
            mark_safe("".join(_node(c, labels, url_of) for c in node.children)),  # noqa: S308 (built from escaped fragments)
        )
    return format_html(
        '<li class="hf-tree-node" data-org="{}"><details{}><summary class="py-1">'
        '<a href="{}">{}</a> <span class="badge text-bg-light border">{}</span> {}'
        '<span class="badge rounded-pill text-bg-danger" title="{}" data-testid="count">{}</span>'
        " {}</summary>{}{}</details></li>",
        org.code,
        "" if org.kind == "group" else mark_safe(" open"),
        url_of(org.pk),
        org.name,
        org.get_kind_display(),
        mark_safe(" ".join(badges)),  # noqa: S308 (escaped fragments)
        labels["members"],
        node.total,
        warning_badge,
        warning_block,
        children,
    )


@register.simple_tag
def party_tree(roots: list[Any]) -> SafeString:
    labels = {
        "tmp": gettext("temporary"),
        "joint": gettext("joint"),
        "members": gettext("Members"),
        "warnings": gettext("Structure warnings"),
    }
    prefix = reverse("party:organisation_detail", args=[0])[: -len("0/")]

    def url_of(pk: int) -> str:
        return f"{prefix}{pk}/"

    return format_html(
        "<ul>{}</ul>",
        mark_safe("".join(_node(r, labels, url_of) for r in roots)),  # noqa: S308 (escaped fragments)
    )
