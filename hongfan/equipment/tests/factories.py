"""Test helpers: a large device of 心内科."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from hongfan.core.testing import World
from hongfan.equipment import services
from hongfan.equipment.models import Device


def device(world: World, **extra: Any) -> Device:
    fields: dict[str, Any] = {
        "asset_no": "SB20250001",
        "name": "彩色多普勒超声诊断仪",
        "model": "Resona 7",
        "manufacturer": "迈瑞医疗",
        "serial_no": "M12345678",
        "category": Device.Category.IMAGING,
        "department": world.dept_a1,
        "location": "门诊楼3层",
        "purchased_on": dt.date(2025, 3, 10),
        "price": Decimal("1200000"),
        "service_life_years": 10,
        "maintenance_interval_months": 6,
        "check_interval_months": 12,
    }
    fields.update(extra)
    return services.device_create(**fields)
