"""Permission matrix of the clinical pages (hongfan/core/matrix.py).

Medical affairs / pharmacy (医务处·药学部) runs the module: imports, screening, sampling, the
workstation. The president's office and the discipline office read figures hospital-wide; the
head of 心内科 (head_a1) reads 心内科 only (404 for 普外科's warning). Everyone else: 403.
The records live in 心内科 (prescription, finding, sample item) and 普外科 (warning). The one
prescription the detail page reads is written to a temporary analytic store.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from typing import Any

from hongfan.accounts.roles import Role
from hongfan.core.matrix import Case
from hongfan.core.testing import World

MANAGE = {Role.MEDICAL_AFFAIRS}
VIEW = {Role.MEDICAL_AFFAIRS, Role.PRESIDENT_OFFICE, Role.DISCIPLINE, Role.DEPARTMENT_HEAD}
_STORE: dict[str, str] = {}


def _store() -> None:
    from django.conf import settings

    if "dir" not in _STORE:
        _STORE["dir"] = tempfile.mkdtemp(prefix="hongfan-clinical-matrix-")
    settings.HONGFAN_ANALYTICS_DIR = _STORE["dir"]


def _records(w: World) -> dict[str, Any]:
    from hongfan.clinical.models import (
        ClinicalWarning,
        ColumnProfile,
        Finding,
        HisImport,
        ReviewSample,
        SampleItem,
    )
    from hongfan.clinical.tests.builders import Hospital

    _store()
    doctor = w.staff["head_a1"]
    h = Hospital()
    rx = h.rx(["C01", "C01"], dept=w.dept_a1.code, doctor=doctor.employee_no, rx_no="MX0001")
    h.store()
    finding = Finding.objects.create(
        month="2026-01",
        rx_no=rx,
        visit_no="V0001",
        visit_type="outpatient",
        rx_date=dt.date(2026, 1, 15),
        dept_code=w.dept_a1.code,
        department=w.dept_a1,
        doctor_no=doctor.employee_no,
        doctor=doctor,
        rule_code="R18_07",
        category="art18",
        value=1,
        source="machine",
    )
    sample = ReviewSample.objects.create(
        month="2026-01", setting="outpatient", population=1, required=1
    )
    item = SampleItem.objects.create(
        sample=sample,
        key=rx,
        visit_no="V0001",
        rx_date=dt.date(2026, 1, 15),
        dept_code=w.dept_a1.code,
        department=w.dept_a1,
        doctor_no=doctor.employee_no,
        doctor=doctor,
        machine_findings=1,
    )
    warning = ClinicalWarning.objects.create(
        kind="key_share",
        month="2026-01",
        dept_code=w.dept_b1.code,
        department=w.dept_b1,
        value=91.0,
        threshold=80.0,
        detail="重点治理耗材占比 91%",
    )
    run = HisImport.objects.create(
        dataset="drugs",
        file_name="药品字典.csv",
        sha256="0" * 64,
        status="imported",
        rows=1,
        created=1,
    )
    profile = ColumnProfile.objects.create(
        name="某HIS", dataset="prescriptions", mapping={"doctor_no": "医师"}
    )
    return {
        "rx": rx,
        "finding": finding,
        "sample": sample,
        "item": item,
        "warning": warning,
        "import": run,
        "profile": profile,
    }


def _pk(name: str) -> Any:
    return lambda w: {"pk": _records(w)[name].pk}


def _rx(w: World) -> dict[str, Any]:
    return {"rx_no": _records(w)["rx"]}


def _finding(w: World) -> dict[str, Any]:
    r = _records(w)
    return {"pk": r["item"].pk, "finding_pk": r["finding"].pk}


CASES = [
    Case("clinical:dashboard", allowed=VIEW),
    Case("clinical:prescriptions", allowed=VIEW),
    Case("clinical:prescription", allowed=VIEW, kwargs=_rx),
    Case("clinical:findings", allowed=VIEW),
    Case("clinical:warnings", allowed=VIEW),
    Case(
        "clinical:warning",
        allowed=VIEW,
        kwargs=_pk("warning"),
        per_role={Role.DEPARTMENT_HEAD: 404},
    ),
    Case(
        "clinical:warning_form",
        allowed=VIEW,
        kwargs=_pk("warning"),
        per_role={Role.DEPARTMENT_HEAD: 404},
    ),
    Case("clinical:feedback", allowed=VIEW),
    Case("clinical:imports", allowed=MANAGE),
    Case("clinical:import_detail", allowed=MANAGE, kwargs=_pk("import")),
    Case("clinical:profiles", allowed=MANAGE),
    Case("clinical:profile", allowed=MANAGE, kwargs=_pk("profile")),
    Case("clinical:parameters", allowed=MANAGE),
    Case(
        "clinical:screen",
        allowed=MANAGE,
        method="post",
        data=lambda w: {"month": "2030-01"},
        ok_status=302,
    ),
    Case("clinical:samples", allowed=MANAGE),
    Case(
        "clinical:sample_draw",
        allowed=MANAGE,
        method="post",
        data=lambda w: {"month": "2030-01"},
        ok_status=302,
    ),
    Case("clinical:sample", allowed=MANAGE, kwargs=_pk("sample")),
    Case("clinical:workstation", allowed=MANAGE, kwargs=_pk("item")),
    Case(
        "clinical:finding_review",
        allowed=MANAGE,
        kwargs=_finding,
        method="post",
        data=lambda w: {"decision": "confirmed"},
        ok_status=302,
    ),
    Case(
        "clinical:finding_add",
        allowed=MANAGE,
        kwargs=_pk("item"),
        method="post",
        data=lambda w: {"rx_no": "MX0001", "category": "art18", "note": "用法用量不适宜"},
        ok_status=302,
    ),
    Case(
        "clinical:item_complete",
        allowed=MANAGE,
        kwargs=_pk("item"),
        method="post",
        data=lambda w: {"version": 0, "note": ""},
        ok_status=302,
    ),
]
