"""``{{ label|workflow_label }}``: a workflow label in the interface language."""

from __future__ import annotations

from django import template

from hongfan.loops.models import workflow_text

register = template.Library()


@register.filter
def workflow_label(msgid: str) -> str:
    return workflow_text(str(msgid))
