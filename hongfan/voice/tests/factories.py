"""Test data of patient voice, built on the ``world`` fixture."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from hongfan.accounts.roles import Role
from hongfan.core.testing import World
from hongfan.voice import services
from hongfan.voice.models import Contact, Discharge, Survey

PHONE = "13812345678"


def complaint(w: World, **kw: Any) -> Contact:
    args: dict[str, Any] = {
        "kind": Contact.Kind.COMPLAINT,
        "channel": Contact.Channel.HOTLINE,
        "content": "候诊两个小时无人解释",
        "caller_name": "张患者",
        "phone": PHONE,
        "causes": [Contact.Cause.WAITING],
        "departments": [w.dept_a1],
        "staff": [w.staff["plain_a1"]],
        "recorded_by": w.user(Role.PRESIDENT_OFFICE),
        "consent": True,
    }
    args.update(kw)
    contact, _code = services.contact_record(**args)
    return contact


def survey(kind: str = Survey.Kind.INPATIENT, *, open: bool = True) -> Survey:
    s = services.survey_create(title="住院患者满意度调查", kind=kind)
    if open:
        services.survey_set_status(survey=s, status=Survey.Status.OPEN)
    return s


def respond(
    s: Survey, value: int, *, department: Any = None, n: int = 1, prefix: str = "t"
) -> None:
    questions = list(s.questions.all())
    for i in range(n):
        services.response_submit(
            survey=s,
            token=f"{prefix}-{department.pk if department else 0}-{value}-{i}",
            # ``value`` on the five-point scale; twice it on 0–10 (5 → 10, 4 → 8).
            answers={f"q{q.pk}": value if q.max_value == 5 else 2 * value for q in questions},
            channel="poster",
            questions=questions,
            department=department,
        )


def discharge(w: World, no: str, discharged_on: dt.date, **kw: Any) -> Discharge:
    values: dict[str, Any] = {
        "department": w.dept_a1,
        "inpatient_no": no,
        "discharged_on": discharged_on,
        "name": "王出院",
        "phone": PHONE,
        "birth_date": dt.date(1960, 1, 1),
    }
    values.update(kw)
    return Discharge.objects.create(**values)


def at(y: int, m: int, d: int, h: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime(y, m, d, h))
