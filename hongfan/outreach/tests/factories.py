"""Test helpers: an activity, an honour and a call for volunteers in the test hospital."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from hongfan.accounts.roles import Role
from hongfan.core.testing import World
from hongfan.outreach import services
from hongfan.outreach.models import Activity, EmergencyCall, Honour

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00"
    b"\x00\x00\x00IEND\xaeB`\x82"
)
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
TODAY = dt.date(2026, 11, 23)


def png(name: str = "义诊现场.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PNG, content_type="image/png")


def pdf(name: str = "证书.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def activity(world: World, **extra: Any) -> Activity:
    fields: dict[str, Any] = {
        "actor": world.user(Role.PARTY_OFFICE),
        "title": "社区高血压义诊",
        "kind": Activity.Kind.FREE_CLINIC,
        "held_on": dt.date(2026, 9, 12),
        "place": "城关镇文化广场",
        "organisation": world.branch_a,
        "departments": [world.dept_a1],
        "hours": Decimal("3"),
        "participants": [world.staff["member_a"], world.staff["head_a1"]],
        "people_served": 120,
        "people_cap": 150,
        "examinations": 200,
        "materials": 300,
        "fees_waived": Decimal("4800"),
        "partners": "城关镇卫生院",
        "today": TODAY,
    }
    fields.update(extra)
    return services.activity_create(**fields)


def honour(world: World, **extra: Any) -> Honour:
    fields: dict[str, Any] = {
        "actor": world.user(Role.PARTY_OFFICE),
        "title": "白求恩式医务工作者",
        "level": Honour.Level.CITY,
        "holder": Honour.Holder.PERSON,
        "staff": world.staff["member_a"],
        "awarded_by": "市卫生健康委员会",
        "awarded_on": dt.date(2026, 7, 1),
        "document_no": "市卫健〔2026〕18号",
        "today": TODAY,
    }
    fields.update(extra)
    return services.honour_create(**fields)


def call(world: World, **extra: Any) -> EmergencyCall:
    fields: dict[str, Any] = {
        "actor": world.user(Role.PARTY_OFFICE),
        "title": "支援抗洪抢险医疗队",
        "task": "赴受灾乡镇开展巡回医疗和卫生防疫",
        "institution": world.hospital,
        "issued_on": dt.date(2026, 11, 1),
        "sign_up_until": dt.date(2026, 12, 31),
        "people_needed": 20,
        "pledge_text": "我志愿报名参加抗洪救灾医疗队，服从安排，不畏艰险。",
    }
    fields.update(extra)
    return services.call_create(**fields)
