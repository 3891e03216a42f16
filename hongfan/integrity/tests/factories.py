"""Records of the integrity app for tests, built on the ``world`` hospital."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone

from hongfan.accounts.roles import Role
from hongfan.core.testing import World
from hongfan.integrity import services
from hongfan.integrity.models import (
    CodeDocument,
    EducationSession,
    KeyDate,
    LetterTemplate,
    RiskPoint,
    SelfCheckCampaign,
)


def office(w: World) -> Any:
    return w.user(Role.DISCIPLINE)


def template(level: str = LetterTemplate.Level.INDIVIDUAL) -> LetterTemplate:
    return services.letter_template_save(
        actor=None,
        title="廉洁从业承诺书" if level == "individual" else "党风廉政建设责任书",
        level=level,
        kind="pledge" if level == "individual" else "responsibility",
        body="本人郑重承诺：严格遵守《医疗机构工作人员廉洁从业九项准则》……",
    )


def campaign(w: World, level: str = LetterTemplate.Level.INDIVIDUAL) -> Any:
    return services.signing_campaign_launch(
        template=template(level),
        year=timezone.localdate().year,
        deadline=timezone.localdate() + dt.timedelta(days=30),
        actor=office(w),
    )


def risk_point(w: World) -> RiskPoint:
    return services.risk_point_save(
        actor=office(w),
        code="FX-001",
        area=RiskPoint.Area.PHARMACY,
        title="药品采购遴选",
        level=RiskPoint.Level.HIGH,
        controls="集体决策，全程留痕",
        department=w.dept_a2,
        review_interval_months=6,
        next_review_on=timezone.localdate() + dt.timedelta(days=10),
        responsible=[w.staff["discipline"]],
    )


def key_date(kind: str = KeyDate.Kind.MID_AUTUMN, **kw: Any) -> KeyDate:
    names = dict(KeyDate.Kind.choices)
    k = KeyDate(kind=kind, name=str(names[kind]), **kw)
    k.full_clean()
    k.save()
    return k


def reminder(w: World, *, sent: bool = False) -> Any:
    k = key_date()
    c, _ = services.reminder_draft(k, timezone.localdate() + dt.timedelta(days=5))
    if sent:
        c = services.reminder_send(campaign=c, actor=office(w))
    return c


def selfcheck_campaign(w: World, *, closes_in: int = 7) -> SelfCheckCampaign:
    today = timezone.localdate()
    return services.selfcheck_campaign_save(
        actor=office(w),
        title="2026年中秋国庆廉洁过节自查",
        opens_on=today - dt.timedelta(days=3),
        closes_on=today + dt.timedelta(days=closes_in),
    )


def envelope(w: World, staff_key: str = "plain_a1") -> Any:
    user = w.user(Role.STAFF) if staff_key == "plain_a1" else None
    return services.envelope_record(
        actor=user or office(w),
        staff=w.staff[staff_key],
        occurred_on=timezone.localdate(),
        kind="cash",
        amount=Decimal("500.00"),
        patient_name="张三丰",
        patient_ward="12床",
        handling="returned",
    )


def family_event(w: World) -> Any:
    return services.family_event_report(
        actor=w.user(Role.STAFF),
        kind="wedding",
        event_on=timezone.localdate() + dt.timedelta(days=20),
        scale="20桌",
    )


def session(w: World) -> EducationSession:
    return services.session_save(
        actor=office(w),
        title="观看警示教育片《蝇贪之害》",
        kind="film",
        held_on=timezone.localdate(),
        location="门诊楼六楼会议室",
        attendees=[w.staff["plain_a1"], w.staff["head_a1"]],
    )


def material(w: World) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return services.material_add(
        session=session(w),
        actor=office(w),
        title="学习材料",
        file=SimpleUploadedFile("材料.txt", "警示教育".encode(), "text/plain"),
    )


def anonymous_report(**kw: Any) -> tuple[Any, str]:
    return services.report_submit_anonymous(
        category=kw.get("category", "8"),
        subject=kw.get("subject", "某科室某医生"),
        body=kw.get("body", "手术前收受患者家属红包两千元，时间为上周三上午。"),
        files=kw.get("files", ()),
    )


def named_report(w: World) -> Any:
    return services.report_submit_named(
        actor=w.user(Role.STAFF),
        category="9",
        subject="设备科",
        body="设备采购中疑似收受供应商回扣，请核查。",
        phone="13800138000",
    )


def code_document() -> CodeDocument:
    return services.code_document_save(
        actor=None,
        title="医务人员服务规范（十二章六十九条）",
        version="2026版",
        effective_on=dt.date(2026, 1, 1),
        body="第一章 总则\n第一条 ……",
    )
