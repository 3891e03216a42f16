"""Importers for Party organisations and members (registered with hongfan.imports).

Messages come from ``hongfan.imports.messages`` so that they are translated in the imports
catalogue (this module belongs to the imports framework's owner).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.utils import timezone

from hongfan.imports.framework import (
    Column,
    Counts,
    Importer,
    Row,
    boolean,
    bulk_write,
    changed_fields,
    choice,
    code_list,
    date,
    text,
)
from hongfan.imports.messages import M
from hongfan.imports.registry import register
from hongfan.org.models import Department, Institution, Staff
from hongfan.party.models import MemberTransfer, PartyMember, PartyOrganisation

Kind = PartyOrganisation.Kind

ORG_KINDS = {
    "党委": Kind.COMMITTEE,
    "基层党委": Kind.COMMITTEE,
    "党总支": Kind.GENERAL_BRANCH,
    "总支": Kind.GENERAL_BRANCH,
    "党总支部": Kind.GENERAL_BRANCH,
    "党支部": Kind.BRANCH,
    "支部": Kind.BRANCH,
    "党小组": Kind.GROUP,
}
KIND_LABELS = {
    Kind.COMMITTEE: "党委",
    Kind.GENERAL_BRANCH: "党总支",
    Kind.BRANCH: "党支部",
    Kind.GROUP: "党小组",
}
MEMBER_CATEGORIES = {
    "正式": PartyMember.Category.FULL,
    "正式党员": PartyMember.Category.FULL,
    "预备": PartyMember.Category.PROBATIONARY,
    "预备党员": PartyMember.Category.PROBATIONARY,
}
MEMBER_STATUS = {
    "正常": PartyMember.Status.NORMAL,
    "停止党籍": PartyMember.Status.SUSPENDED,
    "出党": PartyMember.Status.EXPELLED,
    "转出": PartyMember.Status.TRANSFERRED_OUT,
    "去世": PartyMember.Status.DECEASED,
    "死亡": PartyMember.Status.DECEASED,
}

INSTITUTION_COLUMN = Column(
    "机构代码",
    "institution",
    aliases=("机构编码", "单位代码"),
    parse=text(32),
    help=M.help_institution,
    as_text=True,
)


@register
class PartyOrganisationImporter(Importer):
    kind = "party_organisations"
    label = M.kind_party_organisations
    description = M.desc_party_organisations
    order = 30
    natural_key = ("code",)
    columns = (
        INSTITUTION_COLUMN,
        Column(
            "组织编码",
            "code",
            required=True,
            aliases=("组织代码", "编码"),
            parse=text(32),
            example="EXP01",
            as_text=True,
        ),
        Column(
            "名称",
            "name",
            required=True,
            aliases=("组织名称",),
            parse=text(100),
            example="示例党支部",
        ),
        Column(
            "类型",
            "kind",
            required=True,
            aliases=("组织类型",),
            parse=choice(ORG_KINDS),
            example="党支部",
        ),
        Column(
            "上级组织编码",
            "parent",
            aliases=("上级组织代码", "上级编码"),
            parse=text(32),
            help=M.help_parent,
            example="EXP00",
            as_text=True,
        ),
        Column(
            "绑定科室编码",
            "departments",
            aliases=("绑定科室", "科室编码"),
            parse=code_list(),
            help=M.help_bound_departments,
            example="EX01、EX02",
            as_text=True,
        ),
        Column(
            "成立日期",
            "established_on",
            required=True,
            aliases=("成立时间",),
            parse=date(),
            example="2005-07-01",
        ),
        Column(
            "是否临时支部",
            "is_temporary",
            aliases=("临时支部",),
            parse=boolean(),
            help=M.help_bool_default_no,
            example="否",
        ),
        Column("临时任务", "temporary_task", parse=text(200), help=M.help_temporary_task),
        Column(
            "批准组织编码",
            "approved_by",
            aliases=("批准组织",),
            parse=text(32),
            help=M.help_approved_by,
            as_text=True,
        ),
    )

    def prepare(self, rows: list[Row]) -> None:
        self.institutions = {i.code: i for i in Institution.objects.all()}
        self.existing = {
            o.code: o
            for o in PartyOrganisation.objects.select_related("institution", "approved_by")
        }
        by_id = {o.pk: o for o in self.existing.values()}
        self.db_parent = {
            o.code: by_id[o.parent_id].code if o.parent_id else None for o in self.existing.values()
        }
        self.db_departments: dict[int, set[int]] = defaultdict(set)
        through = PartyOrganisation.departments.through
        for org_id, dept_id in through.objects.values_list("partyorganisation_id", "department_id"):
            self.db_departments[org_id].add(dept_id)
        self.departments = {(d.institution_id, d.code): d for d in Department.objects.all()}
        self.file_rows = {}
        for row in rows:
            if row["code"]:
                self.file_rows.setdefault(row["code"], row)
        # The tree after the import: stored parents overridden by the file.
        self.parent_of = dict(self.db_parent)
        self.kind_of = {code: o.kind for code, o in self.existing.items()}
        for code, row in self.file_rows.items():
            self.parent_of[code] = row["parent"] or None
            if row["kind"]:
                self.kind_of[code] = row["kind"]
        self.db_children: dict[str, list[str]] = defaultdict(list)
        for code, parent in self.db_parent.items():
            if parent:
                self.db_children[parent].append(code)
        member_orgs = set(PartyMember.objects.values_list("organisation_id", flat=True).distinct())
        self.orgs_with_members = {o.code for o in self.existing.values() if o.pk in member_orgs}

    def _institution(self, row: Row, seen: set[str] | None = None) -> Institution | None:
        if row["institution"]:
            return self.institutions.get(row["institution"])
        parent = row["parent"]
        seen = seen or {row["code"]}
        if parent and parent not in seen:
            if parent in self.file_rows:
                seen.add(parent)
                return self._institution(self.file_rows[parent], seen)
            if parent in self.existing:
                return self.existing[parent].institution
        if row["code"] in self.existing:
            return self.existing[row["code"]].institution
        if len(self.institutions) == 1:
            return next(iter(self.institutions.values()))
        return None

    def _cycle(self, code: str) -> list[str] | None:
        """The path ``code → … → code'`` when following the superiors loops, else None."""
        seen = [code]
        current = self.parent_of.get(code)
        while current:
            if current in seen:
                return [*seen, current]
            seen.append(current)
            current = self.parent_of.get(current)
        return None

    def clean_row(self, row: Row) -> None:
        code, kind, parent = row["code"], row["kind"], row["parent"]
        cycle = self._cycle(code)
        if cycle is not None:
            # Reported first: the institution and nesting cannot be resolved around a loop.
            self.error(row, "parent", M.cycle % {"path": " → ".join(cycle)})
            return
        if row["institution"] and row["institution"] not in self.institutions:
            self.error(row, "institution", M.unknown_institution % {"code": row["institution"]})
            return
        inst = self._institution(row)
        row.extra["institution"] = inst
        if inst is None:
            self.error(row, "institution", M.institution_required)
            return
        if parent:
            if parent == code:
                self.error(row, "parent", M.own_parent)
            elif parent not in self.file_rows and parent not in self.existing:
                self.error(row, "parent", M.unknown_org % {"code": parent})
            else:
                parent_kind = self.kind_of.get(parent)
                if parent_kind and kind not in PartyOrganisation.ALLOWED_CHILDREN[parent_kind]:
                    self.error(
                        row,
                        "kind",
                        M.bad_nesting
                        % {"kind": KIND_LABELS[kind], "parent_kind": KIND_LABELS[parent_kind]},
                    )
        elif kind != Kind.COMMITTEE:
            self.error(row, "parent", M.parent_required % {"kind": KIND_LABELS[kind]})
        # Stored children not listed in this file must still fit under the new kind.
        for child in self.db_children.get(code, []):
            if child in self.file_rows:
                continue
            child_kind = self.kind_of[child]
            if child_kind not in PartyOrganisation.ALLOWED_CHILDREN[kind]:
                self.error(
                    row,
                    "kind",
                    M.children_misfit % {"child": child, "child_kind": KIND_LABELS[child_kind]},
                )
        dept_ids = []
        for dcode in row["departments"] or []:
            dept = self.departments.get((inst.pk, dcode))
            if dept is None:
                self.error(row, "departments", M.unknown_department_code % {"code": dcode})
            else:
                dept_ids.append(dept.pk)
        if dept_ids and kind == Kind.GROUP:
            self.error(row, "departments", M.group_no_departments)
        row.extra["department_ids"] = set(dept_ids)
        if row["is_temporary"]:
            if kind != Kind.BRANCH:
                self.error(row, "is_temporary", M.temporary_only_branch)
            if not row["temporary_task"]:
                self.error(row, "temporary_task", M.temporary_needs_task)
            approver = row["approved_by"]
            if not approver:
                self.error(row, "approved_by", M.temporary_needs_approver)
            elif approver not in self.file_rows and approver not in self.existing:
                self.error(row, "approved_by", M.unknown_org % {"code": approver})
            if code in self.orgs_with_members:
                self.error(row, "is_temporary", M.temporary_has_members)
        elif row["temporary_task"] or row["approved_by"]:
            self.error(row, "is_temporary", M.not_temporary_fields)

    def check_file(self, rows: list[Row]) -> None:
        for row in rows:
            if not row.ok:
                continue
            code = row["code"]
            cycle = self._cycle(code)
            if cycle is not None:
                self.error(row, "parent", M.cycle % {"path": " → ".join(cycle)})
                continue
            seen = [code]
            current = self.parent_of.get(code)
            while current:
                seen.append(current)
                current = self.parent_of.get(current)
            approver = row["approved_by"]
            if row["is_temporary"] and approver and approver not in seen[1:]:
                self.error(row, "approved_by", M.approver_not_superior % {"code": approver})

    def _depth(self, code: str) -> int:
        depth, current = 0, self.parent_of.get(code)
        while current:
            depth += 1
            current = self.parent_of.get(current)
        return depth

    def plan(self, rows: list[Row]) -> Counts:
        counts = Counts()
        self.ordered = sorted(rows, key=lambda r: self._depth(r["code"]))
        self.actions: list[tuple[Row, PartyOrganisation | None, list[str], bool]] = []
        for row in self.ordered:
            obj = self.existing.get(row["code"])
            if obj is None:
                self.actions.append((row, None, [], True))
                counts.created += 1
                continue
            values = self._values(row)
            fields = changed_fields(obj, values)
            if self.db_parent.get(obj.code) != (row["parent"] or None):
                fields.append("parent")
            approved = obj.approved_by.code if obj.approved_by_id else None  # type: ignore[union-attr]
            if approved != (row["approved_by"] or None):
                fields.append("approved_by")
            m2m = self.db_departments.get(obj.pk, set()) != row.extra["department_ids"]
            if fields or m2m:
                self.actions.append((row, obj, fields, m2m))
                counts.updated += 1
            else:
                counts.unchanged += 1
        return counts

    def _values(self, row: Row) -> dict[str, Any]:
        return {
            "institution_id": row.extra["institution"].pk,
            "name": row["name"],
            "kind": row["kind"],
            "established_on": row["established_on"],
            "is_temporary": bool(row["is_temporary"]),
            "temporary_task": row["temporary_task"] or "",
        }

    def write(self) -> None:
        by_code = dict(self.existing)
        deferred_approvals: list[tuple[PartyOrganisation, str | None]] = []
        for row, obj, fields, m2m in self.actions:
            values = self._values(row)
            parent = by_code.get(row["parent"]) if row["parent"] else None
            if obj is None:
                obj = PartyOrganisation(code=row["code"], parent=parent, **values)
                obj.save()
                by_code[obj.code] = obj
                deferred_approvals.append((obj, row["approved_by"] or None))
                if row.extra["department_ids"]:
                    obj.departments.set(row.extra["department_ids"])
                continue
            for name in fields:
                if name in values:
                    setattr(obj, name, values[name])
            if "parent" in fields:
                obj.parent = parent
            if "approved_by" in fields:
                deferred_approvals.append((obj, row["approved_by"] or None))
            scalar = [f for f in fields if f != "approved_by"]
            if scalar:
                obj.save(update_fields=[f.removesuffix("_id") for f in scalar])
            if m2m:
                obj.departments.set(row.extra["department_ids"])
        for obj, approver in deferred_approvals:
            target = by_code.get(approver) if approver else None
            if obj.approved_by_id != (target.pk if target else None):
                obj.approved_by = target
                obj.save(update_fields=["approved_by"])


@register
class PartyMemberImporter(Importer):
    kind = "party_members"
    label = M.kind_party_members
    description = M.desc_party_members
    order = 40
    natural_key = ("staff",)
    columns = (
        INSTITUTION_COLUMN,
        Column(
            "工号",
            "employee_no",
            required=True,
            aliases=("职工编号",),
            parse=text(32),
            help=M.help_member_staff,
            example="EX0001",
            as_text=True,
        ),
        Column(
            "所在支部编码",
            "branch",
            required=True,
            aliases=("支部编码", "所在支部"),
            parse=text(32),
            example="EXP01",
            as_text=True,
        ),
        Column(
            "党小组编码",
            "group",
            aliases=("党小组",),
            parse=text(32),
            example="EXP01G1",
            as_text=True,
        ),
        Column(
            "类别",
            "category",
            required=True,
            aliases=("党员类别",),
            parse=choice(MEMBER_CATEGORIES),
            example="正式",
        ),
        Column(
            "状态",
            "status",
            aliases=("党籍状态",),
            parse=choice(MEMBER_STATUS),
            help=M.help_default_normal,
            example="正常",
        ),
        Column("入党申请日期", "applied_on", aliases=("申请入党日期",), parse=date()),
        Column(
            "入党日期",
            "joined_on",
            required=True,
            aliases=("入党时间",),
            parse=date(),
            example="2012-07-01",
        ),
        Column(
            "转正日期",
            "confirmed_on",
            aliases=("转正时间",),
            parse=date(),
            help=M.help_confirmed_on,
            example="2013-07-01",
        ),
        Column(
            "是否流动党员",
            "is_mobile",
            aliases=("流动党员",),
            parse=boolean(),
            help=M.help_bool_default_no,
            example="否",
        ),
        Column(
            "是否失联",
            "is_lost_contact",
            aliases=("失联党员", "失联"),
            parse=boolean(),
            help=M.help_bool_default_no,
            example="否",
        ),
    )

    def prepare(self, rows: list[Row]) -> None:
        self.institutions = {i.code: i for i in Institution.objects.all()}
        self.orgs = {o.code: o for o in PartyOrganisation.objects.all()}
        wanted = {row["employee_no"] for row in rows if row["employee_no"]}
        self.staff: dict[str, list[Staff]] = defaultdict(list)
        for s in Staff.objects.filter(employee_no__in=wanted).defer("id_card", "phone"):
            self.staff[s.employee_no].append(s)
        self.existing = {
            m.staff_id: m for m in PartyMember.objects.filter(staff__employee_no__in=wanted)
        }

    def clean_row(self, row: Row) -> None:
        branch = self.orgs.get(row["branch"])
        row.extra["branch"] = branch
        if branch is None:
            self.error(row, "branch", M.unknown_org % {"code": row["branch"]})
        elif branch.kind == Kind.GROUP:
            self.error(row, "branch", M.group_as_branch % {"code": branch.code})
        elif branch.kind != Kind.BRANCH:
            self.error(
                row,
                "branch",
                M.not_a_branch % {"code": branch.code, "kind": KIND_LABELS[branch.kind]},
            )
        elif branch.is_temporary:
            self.error(row, "branch", M.temporary_as_branch % {"code": branch.code})
        elif branch.dissolved_on:
            self.error(row, "branch", M.dissolved_branch % {"code": branch.code})
        group = None
        if row["group"]:
            group = self.orgs.get(row["group"])
            if group is None:
                self.error(row, "group", M.unknown_org % {"code": row["group"]})
            elif group.kind != Kind.GROUP:
                self.error(row, "group", M.not_a_group % {"code": group.code})
            elif branch is not None and group.parent_id != branch.pk:
                self.error(
                    row, "group", M.group_elsewhere % {"code": group.code, "branch": branch.code}
                )
        row.extra["group"] = group
        # The staff member: in the named institution, else in the branch's institution.
        inst_code = row["institution"]
        candidates = self.staff.get(row["employee_no"], [])
        if inst_code:
            inst = self.institutions.get(inst_code)
            if inst is None:
                self.error(row, "institution", M.unknown_institution % {"code": inst_code})
                return
            candidates = [s for s in candidates if s.institution_id == inst.pk]
        elif len(candidates) > 1 and branch is not None:
            candidates = [s for s in candidates if s.institution_id == branch.institution_id]
        if not candidates:
            self.error(row, "employee_no", M.unknown_staff % {"no": row["employee_no"]})
            row.extra["staff"] = None
        elif len(candidates) > 1:
            self.error(row, "institution", M.ambiguous_staff % {"no": row["employee_no"]})
            row.extra["staff"] = None
        else:
            row.extra["staff"] = candidates[0]
        category, joined, confirmed = row["category"], row["joined_on"], row["confirmed_on"]
        if category == PartyMember.Category.FULL and confirmed is None:
            self.error(row, "confirmed_on", M.full_needs_confirmation)
        if category == PartyMember.Category.PROBATIONARY and confirmed is not None:
            self.error(row, "confirmed_on", M.probationary_confirmed)
        if confirmed and joined and confirmed < joined:
            self.error(row, "confirmed_on", M.confirmed_before_joined)
        if row["applied_on"] and joined and row["applied_on"] > joined:
            self.error(row, "applied_on", M.applied_after_joined)
        today = timezone.localdate()
        for name in ("applied_on", "joined_on", "confirmed_on"):
            if row[name] and row[name] > today:
                self.error(row, name, M.date_in_future)
        staff = row.extra["staff"]
        if staff is not None and joined and joined < _add_years(staff.birth_date, 18):
            self.error(row, "joined_on", M.joined_under_18)

    def key_of(self, row: Row) -> tuple[Any, ...]:
        staff = row.extra.get("staff")
        return (staff.pk if staff else None,)

    def describe_key(self, row: Row) -> str:
        return str(row["employee_no"])

    def check_duplicates(self, rows: list[Row]) -> None:
        first: dict[int, Row] = {}
        for row in rows:
            staff = row.extra.get("staff")
            if staff is None:
                continue
            if staff.pk in first:
                self.error(
                    row,
                    "employee_no",
                    M.member_twice % {"no": row["employee_no"], "row": first[staff.pk].number},
                )
            else:
                first[staff.pk] = row

    def plan(self, rows: list[Row]) -> Counts:
        counts = Counts()
        self.creates: list[PartyMember] = []
        self.updates: list[tuple[PartyMember, list[str]]] = []
        self.transfers: list[MemberTransfer] = []
        today = timezone.localdate()
        for row in rows:
            staff = row.extra["staff"]
            group = row.extra["group"]
            values = {
                "organisation_id": row.extra["branch"].pk,
                "group_id": group.pk if group else None,
                "category": row["category"],
                "status": row["status"] or PartyMember.Status.NORMAL,
                "applied_on": row["applied_on"],
                "joined_on": row["joined_on"],
                "confirmed_on": row["confirmed_on"],
                "is_mobile": bool(row["is_mobile"]),
                "is_lost_contact": bool(row["is_lost_contact"]),
            }
            obj = self.existing.get(staff.pk)
            if obj is None:
                self.creates.append(PartyMember(staff=staff, **values))
                counts.created += 1
                continue
            fields = changed_fields(obj, values)
            if not fields:
                counts.unchanged += 1
                continue
            if "organisation_id" in fields:
                self.transfers.append(
                    MemberTransfer(
                        member=obj,
                        direction=MemberTransfer.Direction.INTERNAL,
                        from_organisation_id=obj.organisation_id,
                        to_organisation_id=values["organisation_id"],
                        transferred_on=today,
                        note="Excel 导入",
                    )
                )
            for f in fields:
                setattr(obj, f, values[f])
            self.updates.append((obj, [f.removesuffix("_id") for f in fields]))
            counts.updated += 1
        return counts

    def write(self) -> None:
        bulk_write(PartyMember, self.creates, self.updates)
        if self.transfers:
            MemberTransfer.objects.bulk_create(self.transfers)


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)
