"""Import a problem list (问题清单) with its responsibility lines from Excel.

One row per problem of an inspection already recorded: the inspection's title and the
problem's number are the natural key, so importing the same file twice changes nothing. When
a row names the person responsible (employee number), the measures and the time limit, the
problem is also put on the responsibility list (a loops matter is opened), once.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hongfan.accounts.models import User
from hongfan.accounts.roles import Cap
from hongfan.imports.framework import Column, Counts, Importer, Row, cell_text, date, text
from hongfan.imports.registry import register
from hongfan.org.models import Department
from hongfan.rectification import selectors, services
from hongfan.rectification.models import Inspection, Problem


def positive_int(value: Any) -> int:
    raw = cell_text(value)
    try:
        number = int(float(raw))
    except ValueError:
        raise ValidationError(_("“%(v)s” is not a number.") % {"v": raw}) from None
    if number < 1 or number != float(raw):
        raise ValidationError(_("The number must be a whole number from 1."))
    return number


@dataclass
class _Planned:
    inspection: Inspection
    number: int
    description: str
    department: Department | None
    problem: Problem | None  # existing problem to update, or None to create
    task: tuple[User, str, dt.date] | None


@register
class ProblemListImporter(Importer):
    kind = "rectification_problems"
    label = gettext_lazy("Rectification problem list")
    description = gettext_lazy(
        "Problems of an inspection already recorded, numbered as in the feedback; with the "
        "person responsible, measures and time limit the task is assigned at once."
    )
    capability = Cap.RECTIFICATION_MANAGE
    order = 300
    natural_key = ("inspection", "number")
    columns = [
        Column(
            "检查名称",
            "inspection",
            required=True,
            aliases=("问题来源",),
            parse=text(200),
            example="2026年院党委巡察反馈问题整改",
        ),
        Column("序号", "number", required=True, parse=positive_int, example="1"),
        Column(
            "问题",
            "description",
            required=True,
            aliases=("问题描述", "存在问题"),
            parse=text(),
            example="门诊病历书写不规范，主诉与诊断不符",
        ),
        Column("责任部门", "department", aliases=("涉及科室",), parse=text(100), example="心内科"),
        Column(
            "责任人工号", "owner_no", aliases=("工号",), parse=text(30), example="", as_text=True
        ),
        Column("整改措施", "measures", parse=text(), example=""),
        Column("完成时限", "deadline", aliases=("截止日期",), parse=date(), example=""),
    ]

    def __init__(self, user: Any = None) -> None:
        super().__init__(user=user)
        self.planned: list[_Planned] = []
        self.inspections: dict[str, Inspection] = {}
        self.departments: dict[str, Department] = {}
        self.owners: dict[str, User] = {}
        self.problems: dict[tuple[int, int], Problem] = {}
        self.with_task: set[int] = set()
        self.seen: set[tuple[str, int]] = set()

    def prepare(self, rows: list[Row]) -> None:
        titles = {r["inspection"] for r in rows if r["inspection"]}
        visible = (
            selectors.inspections_visible_to(self.user)
            if self.user is not None
            else Inspection.objects.all()
        )
        self.inspections = {i.title: i for i in visible.filter(title__in=titles)}
        for d in Department.objects.all():
            self.departments.setdefault(d.name, d)
            self.departments.setdefault(d.code, d)
        nos = {r["owner_no"] for r in rows if r["owner_no"]}
        self.owners = {
            u.staff.employee_no: u
            for u in User.objects.filter(is_active=True, staff__employee_no__in=nos).select_related(
                "staff__department"
            )
        }
        for p in Problem.objects.filter(inspection__in=self.inspections.values()):
            self.problems[(p.inspection_id, p.number)] = p
        self.with_task = set(
            Problem.objects.filter(
                inspection__in=self.inspections.values(), tasks__isnull=False
            ).values_list("pk", flat=True)
        )

    def clean_row(self, row: Row) -> None:
        inspection = self.inspections.get(row["inspection"])
        if inspection is None:
            self.error(
                row,
                "inspection",
                _("No inspection is titled “%(t)s”: record the inspection first.")
                % {"t": row["inspection"]},
            )
            return
        key = (row["inspection"], row["number"])
        if key in self.seen:
            self.error(row, "number", _("This number appears twice for this inspection."))
            return
        self.seen.add(key)
        department = None
        if row["department"]:
            department = self.departments.get(row["department"])
            if department is None:
                self.error(
                    row, "department", _("No department “%(d)s”.") % {"d": row["department"]}
                )
                return
        task = None
        given = [bool(row["owner_no"]), bool(row["measures"]), row["deadline"] is not None]
        if any(given) and not all(given):
            self.error(
                row,
                "measures",
                _("Give the person responsible, the measures and the time limit together."),
            )
            return
        if all(given):
            owner = self.owners.get(row["owner_no"])
            if owner is None:
                self.error(
                    row,
                    "owner_no",
                    _("No active account has the employee number %(no)s.")
                    % {"no": row["owner_no"]},
                )
                return
            if row["deadline"] < timezone.localdate():
                self.error(row, "deadline", _("The time limit cannot be in the past."))
                return
            task = (owner, row["measures"], row["deadline"])
        existing = self.problems.get((inspection.pk, row["number"]))
        if existing is not None:
            same = existing.description == row["description"] and existing.department_id == (
                department.pk if department else None
            )
            if existing.pk in self.with_task:
                task = None
            if same and task is None:
                row.extra["unchanged"] = True
                return
        row.extra["planned"] = _Planned(
            inspection, row["number"], row["description"], department, existing, task
        )

    def plan(self, rows: list[Row]) -> Counts:
        self.planned = [r.extra["planned"] for r in rows if "planned" in r.extra]
        created = sum(1 for p in self.planned if p.problem is None)
        return Counts(
            created=created,
            updated=len(self.planned) - created,
            unchanged=sum(1 for r in rows if r.extra.get("unchanged")),
        )

    def write(self) -> None:
        for p in self.planned:
            if p.problem is None:
                problem = services.problem_add(
                    inspection=p.inspection,
                    description=p.description,
                    department=p.department,
                    number=p.number,
                )
            else:
                problem = services.problem_update(
                    problem=p.problem, description=p.description, department=p.department
                )
            if p.task is not None:
                owner, measures, deadline = p.task
                services.task_assign(
                    problem=problem,
                    owner=owner,
                    owner_department=p.department,
                    measures=measures,
                    deadline=deadline,
                    actor=self.user,
                )
