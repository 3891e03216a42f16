"""Screening, sampling, the pharmacists' review, warnings and what other modules read."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError

from hongfan.accounts.roles import Role
from hongfan.clinical import selectors, services
from hongfan.clinical.models import (
    ClinicalWarning,
    Finding,
    IndicatorValue,
    ReviewSample,
    SampleItem,
)
from hongfan.clinical.tests.builders import Hospital
from hongfan.loops import services as loops
from hongfan.scoring.indicators import department_values
from hongfan.scoring.models import LedgerEvent

pytestmark = pytest.mark.django_db


def _labels(data, month: str) -> set[tuple[str, str]]:  # type: ignore[no-untyped-def]
    rx = data.tables["prescriptions"]
    in_month = {
        r
        for r, m in zip(rx["rx_no"].to_pylist(), rx["month"].to_pylist(), strict=True)
        if m == month
    }
    pairs = zip(data.labels["rx_no"].to_pylist(), data.labels["rule_code"].to_pylist(), strict=True)
    return {(r, c) for r, c in pairs if r in in_month}


def test_screening_a_month_stores_exactly_the_planted_findings_and_is_idempotent(
    world, hospital
) -> None:
    run = services.screening_run(month="2026-01", actor=world.user(Role.MEDICAL_AFFAIRS))
    expected = _labels(hospital, "2026-01")
    assert set(Finding.objects.values_list("rx_no", "rule_code")) == expected
    assert run.findings == len(expected) and run.prescriptions > 1500
    # findings carry the doctor who is on staff
    on_staff = Finding.objects.filter(doctor__isnull=False).first()
    assert on_staff is not None and on_staff.doctor.employee_no == on_staff.doctor_no
    services.screening_run(month="2026-01", warnings=False)
    assert Finding.objects.count() == len(expected)
    assert IndicatorValue.objects.filter(month="2026-01", indicator="drugs_per_rx").exists()


def test_a_reviewed_finding_survives_a_rescreen_with_a_parameter_that_drops_it(world) -> None:
    h = Hospital()
    h.rx(["C01", "D101", "E01", "F01", "H01", "K01"], dept=world.dept_a1.code)
    other = h.rx(["C01", "D101", "E01", "F01", "H01", "K01"], dept=world.dept_a1.code)
    h.store()
    services.screening_run(month="2026-01", warnings=False)
    kept = Finding.objects.get(rx_no=other)
    services.finding_review(
        finding=kept, decision="confirmed", actor=world.user(Role.MEDICAL_AFFAIRS)
    )
    services.parameter_set(key="max_drugs", value=6)
    services.screening_run(month="2026-01", warnings=False)
    assert list(Finding.objects.values_list("rx_no", flat=True)) == [other]


@pytest.mark.parametrize(
    ("population", "setting", "size"),
    [
        (99_999, "outpatient", 100),
        (100_000, "outpatient", 100),
        (100_001, "outpatient", 101),
        (60, "outpatient", 60),
        (2_999, "inpatient", 30),
        (3_001, "inpatient", 31),
        (20, "inpatient", 20),
    ],
)
def test_sample_sizes_follow_the_review_norms(population: int, setting: str, size: int) -> None:
    assert services.required_size(population, setting) == size


def test_the_sample_is_stratified_by_department_and_drawn_once_a_month(world, hospital) -> None:
    services.screening_run(month="2026-01", warnings=False)
    samples = services.sample_draw(month="2026-01", actor=world.user(Role.MEDICAL_AFFAIRS))
    op = next(s for s in samples if s.setting == ReviewSample.Setting.OUTPATIENT)
    ip = next(s for s in samples if s.setting == ReviewSample.Setting.INPATIENT)
    assert op.items.count() == 100 and ip.items.count() == 30
    per_dept = {d: op.items.filter(dept_code=d).count() for d in ("NK01", "NK02", "WK01")}
    assert all(n >= 30 for n in per_dept.values())  # proportional: about a third each
    flagged = op.items.filter(machine_findings__gt=0).first()
    if flagged:
        assert Finding.objects.filter(rx_no=flagged.key).count() == flagged.machine_findings
    with pytest.raises(ValidationError):
        services.sample_draw(month="2026-01")


def test_allocation_gives_every_unit_of_the_sample_to_a_department() -> None:
    assert services.allocate({"A": 500, "B": 300, "C": 200}, 100) == {"A": 50, "B": 30, "C": 20}
    alloc = services.allocate({"A": 1, "B": 2, "C": 997}, 100)
    assert sum(alloc.values()) == 100 and alloc["A"] <= 1


def _review_setup(world):  # type: ignore[no-untyped-def]
    doctor = world.staff["head_a1"]
    h = Hospital()
    bad = [
        h.rx(["C01", "C01"], dept=world.dept_a1.code, doctor=doctor.employee_no, rx_no=f"BAD{i}")
        for i in range(5)
    ]
    h.rx(["C01"], dept=world.dept_a1.code, doctor=doctor.employee_no, rx_no="GOOD1")
    h.store()
    services.screening_run(month="2026-01", warnings=False)
    services.sample_draw(month="2026-01")
    return doctor, bad


def test_a_confirmed_finding_reaches_the_doctors_ethics_file_and_an_override_needs_a_reason(
    world,
) -> None:
    pharmacist = world.user(Role.MEDICAL_AFFAIRS)
    doctor, bad = _review_setup(world)
    f = Finding.objects.get(rx_no=bad[0])
    with pytest.raises(ValidationError):
        services.finding_review(finding=f, decision="overridden", actor=pharmacist, note=" ")
    services.finding_review(finding=f, decision="confirmed", actor=pharmacist)
    ct = ContentType.objects.get_for_model(Finding)
    event = LedgerEvent.objects.get(source_type=ct, source_id=f.pk)
    assert event.rule.code == "clinical.prescription_finding" and event.staff_id == doctor.pk
    # overriding after confirming voids the event
    services.finding_review(
        finding=f, decision="overridden", actor=pharmacist, note="皮试阴性，临床需要"
    )
    event.refresh_from_db()
    assert event.status == "voided"


def test_a_review_is_finished_only_when_every_machine_finding_is_judged(world) -> None:
    pharmacist = world.user(Role.MEDICAL_AFFAIRS)
    _doctor, bad = _review_setup(world)
    item = SampleItem.objects.get(key=bad[1])
    with pytest.raises(ValidationError):
        services.item_complete(item=item, actor=pharmacist)
    services.finding_review(
        finding=Finding.objects.get(rx_no=bad[1]), decision="confirmed", actor=pharmacist
    )
    done = services.item_complete(
        item=item, actor=pharmacist, note="重复给药", expected_version=item.version
    )
    assert done.verdict == SampleItem.Verdict.IRRATIONAL
    with pytest.raises(ValidationError):  # the page was stale
        services.item_complete(item=done, actor=pharmacist, expected_version=0)
    good = SampleItem.objects.get(key="GOOD1")
    f = services.finding_add(
        item=good, rx_no="GOOD1", category="art18", note="用法用量不适宜", actor=pharmacist
    )
    assert f.status == Finding.Status.CONFIRMED
    assert (
        services.item_complete(item=good, actor=pharmacist).verdict == SampleItem.Verdict.IRRATIONAL
    )


def test_a_physician_is_flagged_at_five_irrational_prescriptions_in_the_cycle(world) -> None:
    pharmacist = world.user(Role.MEDICAL_AFFAIRS)
    doctor, bad = _review_setup(world)
    for rx in bad[:4]:
        services.finding_review(
            finding=Finding.objects.get(rx_no=rx), decision="confirmed", actor=pharmacist
        )
    assert selectors.flagged_doctors(["2026-01"]) == []
    services.finding_review(
        finding=Finding.objects.get(rx_no=bad[4]), decision="confirmed", actor=pharmacist
    )
    flagged = selectors.flagged_doctors(["2026-01"])
    assert [(d["doctor_no"], d["n"]) for d in flagged] == [(doctor.employee_no, 5)]


def _consumables(
    h: Hospital, dept: str, doctor: str, amount: float, month: str, key: bool = False, n: int = 3
) -> None:
    for i in range(n):
        h.consumables.append(
            {
                "use_id": f"U{len(h.consumables)}",
                "use_date": dt.date.fromisoformat(month + "-10"),
                "visit_no": f"Z{doctor}{month}{i}",
                "dept_code": dept,
                "doctor_no": doctor,
                "item_code": "HV01",
                "item_name": "药物洗脱冠脉支架",
                "category": "血管支架",
                "is_key_monitored": key,
                "quantity": 1.0,
                "amount": amount,
                "month": month,
            }
        )


def test_a_doctor_far_above_department_peers_gets_a_warning_and_a_formal_talk(world) -> None:
    dept = world.dept_a1
    h = Hospital()
    for doc, amount in (("P1", 1000.0), ("P2", 1100.0), ("P3", 950.0), ("P4", 1050.0)):
        _consumables(h, dept.code, doc, amount, "2026-01")
    _consumables(h, dept.code, world.staff["plain_a1"].employee_no, 5000.0, "2026-01")
    h.rx(["C01"], dept=dept.code)
    h.store()
    services.screening_run(month="2026-01", actor=world.user(Role.MEDICAL_AFFAIRS))
    w = ClinicalWarning.objects.get(kind=ClinicalWarning.Kind.PEER_OUTLIER)
    assert w.doctor == world.staff["plain_a1"] and w.department == dept
    assert w.matter.type.code == "clinical_warning" and w.matter.owner_department == dept
    # a second screening raises nothing new
    services.screening_run(month="2026-01")
    assert ClinicalWarning.objects.filter(kind=ClinicalWarning.Kind.PEER_OUTLIER).count() == 1
    # holding the talk records it in the doctor's ethics file
    head = world.user(Role.DEPARTMENT_HEAD)
    loops.matter_transition(
        matter=w.matter, action="hold", actor=head, evidence_note="已约谈，本人承认使用偏多"
    )
    event = LedgerEvent.objects.get(rule__code="clinical.formal_talk")
    assert event.staff_id == world.staff["plain_a1"].pk


def test_split_admissions_are_warned_within_the_window_only(world) -> None:
    dept = world.dept_a1
    h = Hospital()

    def stay(visit: str, patient: str, admit: str, discharge: str, icd: str = "I25.1") -> None:
        a, d = dt.date.fromisoformat(admit), dt.date.fromisoformat(discharge)
        h.discharges.append(
            {
                "visit_no": visit,
                "patient_id": patient,
                "dept_code": dept.code,
                "doctor_no": "D1",
                "admit_date": a,
                "discharge_date": d,
                "main_icd": icd,
                "patient_days": (d - a).days,
                "amount": 9000.0,
                "month": d.strftime("%Y-%m"),
            }
        )

    stay("Z1", "P1", "2026-01-01", "2026-01-05")
    stay("Z2", "P1", "2026-01-20", "2026-01-25")  # 15 days later: inside the window
    stay("Z3", "P2", "2026-01-01", "2026-01-05")
    stay("Z4", "P2", "2026-01-21", "2026-01-26")  # 16 days later: outside
    stay("Z5", "P3", "2026-01-02", "2026-01-06")
    stay("Z6", "P3", "2026-01-08", "2026-01-12", icd="K80.1")  # another diagnosis
    h.rx(["C01"], dept=dept.code)
    h.store()
    services.screening_run(month="2026-01")
    assert list(
        ClinicalWarning.objects.filter(kind="split_admission").values_list("subject", flat=True)
    ) == ["Z2"]


def test_duplicate_and_unbundled_charges_are_warned(world) -> None:
    h = Hospital()
    day = dt.date(2026, 1, 9)

    def charge(visit: str, item: str, amount: float) -> None:
        h.claims.append(
            {
                "claim_id": f"C{len(h.claims)}",
                "visit_no": visit,
                "patient_id": "P1",
                "charge_date": day,
                "item_code": item,
                "item_name": item,
                "quantity": 1.0,
                "unit_price": amount,
                "amount": amount,
                "month": "2026-01",
            }
        )

    charge("Z1", "BED01", 40.0)
    charge("Z1", "BED01", 40.0)  # the same charge twice
    charge("Z2", "TC01", 1500.0)
    charge("Z2", "TC01-1", 600.0)  # a component of the package charged on top
    charge("Z3", "TC01", 1500.0)
    h.rx(["C01"], dept=world.dept_a1.code)
    h.store()
    services.screening_run(month="2026-01")
    kinds = dict(ClinicalWarning.objects.values_list("subject", "kind"))
    assert kinds == {
        "Z1:BED01:20260109": "duplicate_charge",
        "Z2:TC01:20260109": "unbundled_charge",
    }


def test_department_growth_and_key_share_warnings_use_the_configured_thresholds(world) -> None:
    dept = world.dept_a1
    h = Hospital()
    _consumables(h, dept.code, "P1", 5000.0, "2025-12", key=False)
    _consumables(h, dept.code, "P1", 9000.0, "2026-01", key=True)
    h.rx(["C01"], dept=dept.code)
    h.store()
    services.screening_run(month="2026-01")
    kinds = set(ClinicalWarning.objects.values_list("kind", flat=True))
    assert kinds == {"growth", "key_share"}  # +80 % > 50 %; 100 % key-governed > 80 %
    ClinicalWarning.objects.all().delete()
    services.parameter_set(key="growth_pct", value=80.0)
    services.parameter_set(key="key_share_pct", value=100.0)
    services.screening_run(month="2026-01")
    assert not ClinicalWarning.objects.exists()  # exactly at the threshold: no warning


def test_other_modules_read_indicators_targets_and_warnings(world, hospital) -> None:
    services.screening_run(month="2026-01")
    rows = {
        r["key"]: r
        for r in selectors.indicators_vs_targets(dt.date(2026, 1, 1), dt.date(2026, 1, 31))
    }
    assert rows["pct_antibiotic"]["target"] == 30.0 and rows["pct_antibiotic"]["value"] is not None
    assert rows["aud"]["target"] == 40.0
    values = department_values(
        "clinical.pct_antibiotic", start=dt.date(2026, 1, 1), end=dt.date(2026, 1, 31)
    )
    assert set(values) == {world.dept_a1.pk, world.dept_a2.pk, world.dept_b1.pk}
    warnings = selectors.warnings_for_period(
        dt.date(2026, 1, 1), dt.date(2026, 1, 31), {world.dept_a1.pk}
    )
    assert all(w["department_id"] == world.dept_a1.pk and w["risk_point"] for w in warnings)
