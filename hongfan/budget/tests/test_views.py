"""Budget pages as a user sees them."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from hongfan.accounts.roles import Role
from hongfan.budget import services
from hongfan.budget.models import BudgetLine, Expense
from hongfan.budget.tests.factories import central, line
from hongfan.core.testing import World, login
from hongfan.imports.models import ImportRun
from hongfan.imports.services import import_file
from hongfan.scoring import indicators

pytestmark = pytest.mark.django_db


@pytest.fixture
def office(client: Client, world: World) -> Client:
    return login(client, world.user(Role.PRESIDENT_OFFICE))


def _many(world: World, n: int) -> list[BudgetLine]:
    out = []
    for i in range(n):
        ln = line(
            world,
            status="approved",
            code=f"KS-{i:03d}",
            name=f"预算项目{i:02d}",
            department=world.dept_a1 if i % 2 else world.dept_b1,
            decision=None,
        )
        services.expense_record(
            line=ln, voucher_no=f"V{i}", paid_on=dt.date(2026, 2, 1), amount=Decimal("1000")
        )
        out.append(ln)
    return out


def test_the_list_shows_lines_with_execution_in_few_queries(
    office: Client, world: World, django_assert_max_num_queries: object
) -> None:
    _many(world, 12)
    with django_assert_max_num_queries(14):  # type: ignore[operator]
        response = office.get(reverse("budget:list"))
    text = response.content.decode()
    assert "预算项目11" in text and "1.0%" in text and "已批复" in text


def test_the_head_sees_only_their_department(client: Client, world: World) -> None:
    lines = _many(world, 4)
    login(client, world.user(Role.DEPARTMENT_HEAD))
    text = client.get(reverse("budget:list")).content.decode()
    assert "预算项目01" in text and "预算项目00" not in text
    assert client.get(reverse("budget:detail", args=[lines[0].pk])).status_code == 404


def test_an_empty_list_says_so(office: Client) -> None:
    assert "没有符合条件的预算项目" in office.get(reverse("budget:list")).content.decode()


def test_the_list_exports_to_excel(office: Client, world: World) -> None:
    _many(world, 3)
    response = office.get(reverse("budget:list"), {"export": "xlsx"})
    ws = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(ws.values)
    assert rows[0][1] == "预算编码" and len(rows) == 4


def test_the_head_prepares_a_line_for_their_department(client: Client, world: World) -> None:
    login(client, world.user(Role.DEPARTMENT_HEAD))
    response = client.post(
        reverse("budget:create"),
        {
            "year": 2027,
            "code": "KS-NK01-PX",
            "name": "学术交流及进修费",
            "level": "executing",
            "category": "key",
            "department": world.dept_a1.pk,
            "central_department": central(world).pk,
            "amount": "60000",
            "justification": "进修 2 人",
        },
    )
    ln = BudgetLine.objects.get()
    assert response.status_code == 302 and ln.status == BudgetLine.Status.DRAFT
    assert ln.prepared_by == world.user(Role.DEPARTMENT_HEAD)


def test_approval_refused_shows_the_reason_and_changes_nothing(
    office: Client, world: World
) -> None:
    ln = line(world, status="reviewed", amount=Decimal("800000"))
    detail = office.get(reverse("budget:detail", args=[ln.pk])).content.decode()
    assert "暂不能批复" in detail and "三重一大" in detail
    response = office.post(reverse("budget:approve", args=[ln.pk]), follow=True)
    assert "请关联审议通过该事项的集体决策" in response.content.decode()
    ln.refresh_from_db()
    assert ln.status == BudgetLine.Status.REVIEWED


def test_an_overspending_reduction_is_refused_on_the_form(office: Client, world: World) -> None:
    ln = line(world, status="approved")
    services.expense_record(
        line=ln, voucher_no="V1", paid_on=dt.date(2026, 2, 1), amount=Decimal("70000")
    )
    response = office.post(
        reverse("budget:adjust", args=[ln.pk]), {"amount": "-30000.01", "reason": "调减"}
    )
    assert response.status_code == 200 and "将造成超支" in response.content.decode()
    ln.refresh_from_db()
    assert ln.available == Decimal("100000")


def test_analysis_and_assessment_pages(
    office: Client, world: World, django_assert_max_num_queries: object
) -> None:
    _many(world, 12)
    with django_assert_max_num_queries(20):  # type: ignore[operator]
        text = office.get(reverse("budget:analysis"), {"year": 2026}).content.decode()
    assert "按类别" in text and "12,000.00" in text
    office.post(reverse("budget:assessment") + "?year=2026")
    text = office.get(reverse("budget:assessment"), {"year": 2026}).content.decode()
    assert "心内科" in text and "普外科" in text


# ------------------------------------------------------------------ the performance sheet


def test_the_performance_sheet_shows_a_dash_never_zero(
    office: Client, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(indicators, "_REGISTRY", dict(indicators._REGISTRY))
    indicators._REGISTRY.pop("voice.satisfaction", None)
    indicators.register(
        "voice.complaints_verified",
        "查实投诉数",
        lambda s, e, ids: {world.dept_a1.pk: Decimal("2"), world.dept_b1.pk: None},
    )
    ln = line(world, status="approved", amount=Decimal("365000"))
    services.expense_record(
        line=ln, voucher_no="V1", paid_on=dt.date(2026, 1, 10), amount=Decimal("31000")
    )
    params = {"start": "2026-01-01", "end": "2026-01-31"}
    text = office.get(reverse("budget:performance"), params).content.decode()
    assert "心内科" in text and "消化内科" in text and "普外科" in text
    assert "患者满意度" in text and "暂无模块提供该指标" in text
    assert "100.0" in text
    response = office.get(reverse("budget:performance"), {**params, "export": "xlsx"})
    rows = list(load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.values)
    header = rows[0]
    by_dept = {r[1]: dict(zip(header, r, strict=True)) for r in rows[1:]}
    assert by_dept["心内科"]["查实投诉数"] == 2
    assert by_dept["普外科"]["查实投诉数"] == "—"  # None from the provider
    assert by_dept["心内科"]["患者满意度（%）"] == "—"  # nobody provides it
    assert by_dept["心内科"]["预算执行率（%）"] == 100
    assert by_dept["消化内科"]["预算执行率（%）"] == "—"  # no approved lines


# ------------------------------------------------------------------ the spending import

HEADER = ["凭证号", "记账日期", "预算编码", "金额", "摘要"]


def _xlsx(rows: list[list[object]]) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(HEADER)
    for r in rows:
        ws.append(r)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_spending_is_imported_once(world: World) -> None:
    ln = line(world, status="approved")
    data = _xlsx(
        [
            ["2026-记-0001", "2026-03-05", ln.code, "1200.50", "耗材"],
            ["2026-记-0002", "2026/4/8", ln.code, "800", "耗材"],
        ]
    )
    office = world.user(Role.PRESIDENT_OFFICE)
    run = import_file(kind="budget_expenses", data=data, file_name="支出.xlsx", user=office)
    assert run.outcome == ImportRun.Outcome.APPLIED, run.errors
    assert services.spent_of(ln) == Decimal("2000.50")
    again = import_file(kind="budget_expenses", data=data, file_name="支出.xlsx", user=office)
    assert (again.created_count, again.updated_count, again.unchanged_count) == (0, 0, 2)
    assert Expense.objects.count() == 2


def test_one_bad_row_imports_nothing_and_every_bad_row_is_reported(world: World) -> None:
    ln = line(world, status="approved")
    draft = line(world, code="KS-NK01-XX")
    data = _xlsx(
        [
            ["2026-记-0001", "2026-03-05", ln.code, "1200", "耗材"],
            ["2026-记-0002", "2026-03-05", "NO-SUCH", "100", ""],
            ["2026-记-0003", "2026-03-05", draft.code, "100", ""],
            ["2026-记-0004", "2025-12-31", ln.code, "100", ""],
            ["2026-记-0001", "2026-03-06", ln.code, "5", ""],
            ["2026-记-0005", "2026-03-06", ln.code, "0", ""],
        ]
    )
    run = import_file(
        kind="budget_expenses",
        data=data,
        file_name="支出.xlsx",
        user=world.user(Role.PRESIDENT_OFFICE),
    )
    assert run.outcome == ImportRun.Outcome.REJECTED
    assert {e["row"] for e in run.errors} == {3, 4, 5, 6, 7}
    assert not Expense.objects.exists()


def test_a_compressed_line_is_a_hard_limit_on_import(world: World) -> None:
    ln = line(
        world, status="approved", category="compressed", code="KS-NK01-BG", amount=Decimal("1000")
    )
    ok = _xlsx([["2026-记-0001", "2026-03-05", ln.code, "1000", ""]])
    over = _xlsx([["2026-记-0001", "2026-03-05", ln.code, "1000.01", ""]])
    office = world.user(Role.PRESIDENT_OFFICE)
    run = import_file(kind="budget_expenses", data=over, file_name="a.xlsx", user=office)
    assert run.outcome == ImportRun.Outcome.REJECTED and "压缩控制类" in run.errors[0]["message"]
    run = import_file(kind="budget_expenses", data=ok, file_name="b.xlsx", user=office)
    assert run.outcome == ImportRun.Outcome.APPLIED


def test_the_red_flag_column_reads_the_quarter_of_the_period(
    office: Client, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    from types import SimpleNamespace

    from hongfan.scoring import selectors as scoring

    asked = []

    def fake(period: object) -> dict[int, object]:
        asked.append(period)
        return {
            world.dept_a1.pk: SimpleNamespace(score=Decimal("88.5")),
            world.dept_b1.pk: SimpleNamespace(score=None),
        }

    monkeypatch.setattr(scoring, "red_flag_scores", fake)
    params = {"start": "2026-07-01", "end": "2026-09-30", "export": "xlsx"}
    response = office.get(reverse("budget:performance"), params)
    rows = list(load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.values)
    column = rows[0].index("流动红旗得分（2026年第3季度）")
    by_dept = {r[1]: r[column] for r in rows[1:]}
    assert asked == [(2026, 3)]
    assert by_dept["心内科"] == 88.5 and by_dept["普外科"] == "—"


def test_a_failing_red_flag_source_shows_a_dash_and_a_note(
    office: Client, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    from hongfan.scoring import selectors as scoring

    def broken(period: object) -> dict[int, object]:
        raise RuntimeError("boom")

    monkeypatch.setattr(scoring, "red_flag_scores", broken)
    text = office.get(reverse("budget:performance"), {"end": "2026-13-01"}).content.decode()
    assert "日期格式应为" in text and "考评模块未能提供本季度得分" in text
