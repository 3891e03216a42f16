"""Permission matrix of the voice pages (hongfan/core/matrix.py).

Complaints and wishes used here concern 普外科 (dept_b1, branch_b): the hospital-wide roles
with ``voice.view`` see them; the secretary of branch_a and the head of 心内科 get 404; plain
staff and the three administrators hold no voice capability (403). The hotline and follow-up
pages need ``voice.operate`` or ``voice.manage`` (the offices); the dial action needs
``voice.operate`` (the president's office, which runs the hotline). Patients' phone pages are
public (200 for everyone, anonymous included).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from hongfan.accounts.roles import Role
from hongfan.core.matrix import Case
from hongfan.core.testing import World

ALL = set(Role.values)
VIEW = {
    Role.PARTY_OFFICE,
    Role.PRESIDENT_OFFICE,
    Role.DISCIPLINE,
    Role.MEDICAL_AFFAIRS,
    Role.BRANCH_SECRETARY,
    Role.DEPARTMENT_HEAD,
}
WIDE_VIEW = VIEW - {Role.BRANCH_SECRETARY, Role.DEPARTMENT_HEAD}
OUT_OF_SCOPE = {Role.BRANCH_SECRETARY: 404, Role.DEPARTMENT_HEAD: 404}
MANAGE = {Role.PARTY_OFFICE, Role.PRESIDENT_OFFICE}
OPERATE = MANAGE


def _contact(w: World) -> dict[str, Any]:
    from hongfan.voice.tests.factories import complaint

    return {"pk": complaint(w, departments=[w.dept_b1], staff=[w.staff["plain_b1"]]).pk}


def _survey(w: World) -> Any:
    from hongfan.voice.tests.factories import survey

    return survey()


def _survey_pk(w: World) -> dict[str, Any]:
    return {"pk": _survey(w).pk}


def _question(w: World) -> dict[str, Any]:
    s = _survey(w)
    return {"pk": s.pk, "question_pk": s.questions.first().pk}


def _poster(w: World) -> Any:
    from hongfan.voice import services

    return services.poster_create(survey=_survey(w), department=w.dept_a1, place="3 病区")


def _list(w: World) -> dict[str, Any]:
    from hongfan.voice import services

    cl = services.contact_list_create(
        survey=_survey(w), name="十月出院", lines="张三,13812345678,心内科"
    )
    return {"pk": cl.pk}


def _invite(w: World) -> dict[str, Any]:
    from hongfan.voice import services

    cl = services.contact_list_create(
        survey=_survey(w), name="十月出院", lines="张三,13812345678,心内科"
    )
    return {"token": cl.invitations.get().token}


def _followup(w: World) -> dict[str, Any]:
    from django.utils import timezone

    from hongfan.voice import services
    from hongfan.voice.models import Survey
    from hongfan.voice.tests.factories import discharge, survey

    out = timezone.localdate() - dt.timedelta(days=3)
    discharge(w, "ZY1", out)
    sample = services.sample_draw(
        survey=survey(Survey.Kind.DISCHARGE),
        year=out.year,
        quarter=(out.month - 1) // 3 + 1,
        rate=100,
    )
    return {"pk": sample.followups.get().pk}


def _reception(w: World) -> dict[str, Any]:
    from hongfan.voice import services
    from hongfan.voice.tests.factories import at

    day = services.reception_save(
        kind="president",
        title="院长接待日",
        starts_at=at(2026, 12, 15, 9),
        location="行政楼",
        hosts="院长",
        capacity=20,
    )
    return {"pk": day.pk}


def _wish(w: World) -> dict[str, Any]:
    from hongfan.voice import services

    wish, _code = services.wish_submit(
        origin="patient", text="想听一场音乐会", department=w.dept_b1, consent=True
    )
    return {"pk": wish.pk}


def _public(name: str, **kw: Any) -> Case:
    return Case(f"voice:{name}", allowed=ALL, anonymous_status=200, **kw)


CASES: list[Case] = [
    Case("voice:index", allowed=VIEW),
    Case("voice:contacts", allowed=VIEW),
    Case("voice:contacts", allowed=VIEW, query="export=xlsx", label="voice:contacts.xlsx"),
    Case("voice:contact_create", allowed=OPERATE),
    Case("voice:contact_detail", allowed=WIDE_VIEW, kwargs=_contact, per_role=OUT_OF_SCOPE),
    Case(
        "voice:contact_involve",
        allowed=OPERATE,
        kwargs=_contact,
        method="post",
        data=lambda w: {"departments": [w.dept_b1.pk]},
        ok_status=302,
    ),
    Case("voice:stats", allowed=VIEW),
    Case("voice:surveys", allowed=VIEW),
    Case("voice:survey_create", allowed=MANAGE),
    Case("voice:survey_detail", allowed=VIEW, kwargs=_survey_pk),
    Case(
        "voice:question_add",
        allowed=MANAGE,
        kwargs=_survey_pk,
        method="post",
        data=lambda w: {"text": "总体满意度", "scale": "likert5", "dimension": "overall"},
        ok_status=302,
    ),
    Case("voice:question_delete", allowed=MANAGE, kwargs=_question, method="post", ok_status=302),
    Case(
        "voice:survey_status",
        allowed=MANAGE,
        kwargs=_survey_pk,
        method="post",
        data=lambda w: {"status": "closed"},
        ok_status=302,
    ),
    Case(
        "voice:poster_add",
        allowed=MANAGE,
        kwargs=_survey_pk,
        method="post",
        data=lambda w: {"department": w.dept_a1.pk},
        ok_status=302,
    ),
    Case("voice:contact_list_add", allowed=MANAGE, kwargs=_survey_pk),
    Case("voice:poster_print", allowed=VIEW, kwargs=lambda w: {"pk": _poster(w).pk}),
    Case("voice:contact_list_links", allowed=MANAGE, kwargs=_list),
    Case("voice:scores", allowed=VIEW),
    Case("voice:discharges", allowed=OPERATE),
    Case("voice:samples", allowed=OPERATE),
    Case("voice:workstation", allowed=OPERATE),
    Case("voice:followup", allowed=OPERATE, kwargs=_followup),
    Case(
        "voice:followup_dial",
        allowed={Role.PRESIDENT_OFFICE},
        kwargs=_followup,
        method="post",
        ok_status=302,
    ),
    Case("voice:receptions", allowed=VIEW),
    Case("voice:reception_create", allowed=MANAGE),
    Case("voice:reception_detail", allowed=VIEW, kwargs=_reception),
    Case("voice:wishes", allowed=VIEW),
    Case("voice:wish_create", allowed=VIEW),
    Case("voice:wish_detail", allowed=WIDE_VIEW, kwargs=_wish, per_role=OUT_OF_SCOPE),
    _public("public_complaint"),
    _public("public_query"),
    _public("public_survey", kwargs=lambda w: {"code": _poster(w).code}),
    _public("public_invite", kwargs=_invite),
    _public("public_wish"),
    _public("wish_wall"),
]
