"""The clinical pages: scoped figures, drill-down, imports, the workstation, pinned queries."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from hongfan.accounts.roles import Role
from hongfan.clinical import generator, services
from hongfan.clinical.models import Finding, HisImport, SampleItem
from hongfan.clinical.tests.builders import Hospital
from hongfan.core.testing import login

pytestmark = pytest.mark.django_db


@pytest.fixture
def screened(world, hospital):  # type: ignore[no-untyped-def]
    services.screening_run(month="2026-01")
    services.sample_draw(month="2026-01")
    return hospital


def test_the_dashboard_shows_indicators_against_targets_with_a_constant_query_count(
    client, world, screened, django_assert_max_num_queries
) -> None:
    login(client, world.user(Role.MEDICAL_AFFAIRS))
    url = reverse("clinical:dashboard") + "?month=2026-01&indicator=pct_antibiotic"
    with django_assert_max_num_queries(40):
        response = client.get(url)
    body = response.content.decode()
    assert "抗菌药物处方比例" in body and "目标 ≤ 30%" in body
    assert "心内科" in body and "普外科" in body  # the department ranking


def test_a_department_head_sees_only_their_department(client, world, screened) -> None:
    login(client, world.user(Role.DEPARTMENT_HEAD))
    body = client.get(reverse("clinical:dashboard") + "?month=2026-01").content.decode()
    assert "心内科" in body and "普外科" not in body
    other = Finding.objects.filter(dept_code=world.dept_b1.code).first()
    assert client.get(reverse("clinical:prescription", args=[other.rx_no])).status_code == 404
    findings = client.get(reverse("clinical:findings")).content.decode()
    assert other.rx_no not in findings


def test_the_drill_down_lists_the_prescriptions_behind_a_rule(client, world, screened) -> None:
    login(client, world.user(Role.MEDICAL_AFFAIRS))
    expected = set(Finding.objects.filter(rule_code="R17_11").values_list("rx_no", flat=True))
    response = client.get(
        reverse("clinical:prescriptions"), {"month": "2026-01", "drill": "R17_11"}
    )
    body = response.content.decode()
    assert f"共 {len(expected)} 张处方" in body or f"{len(expected)} 张处方" in body
    assert all(rx in body for rx in list(expected)[:5])


def test_lists_pin_their_query_counts(
    client, world, screened, django_assert_max_num_queries
) -> None:
    assert Finding.objects.count() > 50
    login(client, world.user(Role.MEDICAL_AFFAIRS))
    for name in ("clinical:findings", "clinical:warnings", "clinical:samples", "clinical:imports"):
        with django_assert_max_num_queries(25):
            assert client.get(reverse(name)).status_code == 200
    sample = SampleItem.objects.first().sample
    with django_assert_max_num_queries(25):
        client.get(reverse("clinical:sample", args=[sample.pk]))


def test_an_upload_with_bad_rows_shows_each_row_and_imports_nothing(
    client, world, tmp_path
) -> None:
    login(client, world.user(Role.MEDICAL_AFFAIRS))
    data = generator.generate(prescriptions=50, months=["2026-01"], seed=1)
    files = {p.stem: p for p in generator.export(data, tmp_path, "csv")}
    ok = client.post(
        reverse("clinical:imports"),
        {
            "dataset": "drugs",
            "file": SimpleUploadedFile("药品字典.csv", files["drugs"].read_bytes()),
        },
    )
    assert ok.status_code == 302
    text = files["diagnoses"].read_text(encoding="utf-8").splitlines()
    text[2] = text[2].replace("2026-01", "2026-13")
    bad = client.post(
        reverse("clinical:imports"),
        {
            "dataset": "diagnoses",
            "period": "2026-01",
            "file": SimpleUploadedFile("诊断.csv", "\n".join(text).encode()),
        },
        follow=True,
    )
    body = bad.content.decode()
    assert "未导入" in body and "不是日期" in body
    record = HisImport.objects.get(file_name="诊断.csv")
    assert record.status == HisImport.Status.REFUSED and record.errors[0]["row"] == 3


def test_the_pharmacist_confirms_the_machine_finding_and_saves_the_review(client, world) -> None:
    h = Hospital()
    rx = h.rx(["C01", "C01"], dept=world.dept_a1.code, doctor=world.staff["head_a1"].employee_no)
    h.store()
    services.screening_run(month="2026-01", warnings=False)
    services.sample_draw(month="2026-01")
    item = SampleItem.objects.get(key=rx)
    finding = Finding.objects.get(rx_no=rx)
    login(client, world.user(Role.MEDICAL_AFFAIRS))
    page = client.get(reverse("clinical:workstation", args=[item.pk])).content.decode()
    assert "重复给药" in page and "同一药品在处方中出现多次" in page
    refused = client.post(
        reverse("clinical:item_complete", args=[item.pk]), {"version": 0}, follow=True
    )
    assert "请先确认或否决全部系统筛查问题" in refused.content.decode()
    client.post(
        reverse("clinical:finding_review", args=[item.pk, finding.pk]), {"decision": "confirmed"}
    )
    client.post(
        reverse("clinical:item_complete", args=[item.pk]), {"version": 0, "note": "重复开药"}
    )
    item.refresh_from_db()
    assert item.verdict == SampleItem.Verdict.IRRATIONAL and item.reviewed_by == world.user(
        Role.MEDICAL_AFFAIRS
    )


def test_the_feedback_forms_print_the_departments_results(client, world, screened) -> None:
    login(client, world.user(Role.MEDICAL_AFFAIRS))
    body = client.get(
        reverse("clinical:feedback"), {"month": "2026-01", "dept": world.dept_a1.pk}
    ).content.decode()
    assert "处方点评质量考核反馈表" in body and "心内科" in body
    from hongfan.clinical.models import ClinicalWarning

    w = ClinicalWarning.objects.first()
    if w is not None:
        form = client.get(reverse("clinical:warning_form", args=[w.pk])).content.decode()
        assert "合理用药与高值耗材使用约谈反馈表" in form and w.detail in form


def test_findings_export_to_excel(client, world, screened) -> None:
    login(client, world.user(Role.MEDICAL_AFFAIRS))
    response = client.get(reverse("clinical:findings"), {"export": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
