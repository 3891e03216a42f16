"""Importers for departments and staff (registered with hongfan.imports).

Messages come from ``hongfan.imports.messages`` so that they are translated in the imports
catalogue (this module belongs to the imports framework's owner).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.core.exceptions import ValidationError

from hongfan.core.crypto import blind_index
from hongfan.imports.framework import (
    Column,
    Counts,
    Importer,
    Row,
    boolean,
    bulk_write,
    changed_fields,
    choice,
    date,
    pattern,
    text,
)
from hongfan.imports.messages import M
from hongfan.imports.registry import register
from hongfan.org.models import Department, DisciplineCentre, Institution, Staff
from hongfan.org.validators import validate_id_card

DEPARTMENT_CATEGORIES = {
    "临床": Department.Category.CLINICAL,
    "临床科室": Department.Category.CLINICAL,
    "医技": Department.Category.MEDICAL_TECHNICAL,
    "医技科室": Department.Category.MEDICAL_TECHNICAL,
    "护理": Department.Category.NURSING,
    "护理单元": Department.Category.NURSING,
    "行政": Department.Category.ADMINISTRATIVE,
    "职能": Department.Category.ADMINISTRATIVE,
    "行政职能": Department.Category.ADMINISTRATIVE,
    "后勤": Department.Category.LOGISTICS,
    "后勤保障": Department.Category.LOGISTICS,
}
GENDERS = {"男": Staff.Gender.MALE, "女": Staff.Gender.FEMALE}
POST_CATEGORIES = {
    "医师": Staff.PostCategory.DOCTOR,
    "医生": Staff.PostCategory.DOCTOR,
    "医": Staff.PostCategory.DOCTOR,
    "护士": Staff.PostCategory.NURSE,
    "护理": Staff.PostCategory.NURSE,
    "护": Staff.PostCategory.NURSE,
    "技师": Staff.PostCategory.TECHNICIAN,
    "医技": Staff.PostCategory.TECHNICIAN,
    "技": Staff.PostCategory.TECHNICIAN,
    "药师": Staff.PostCategory.PHARMACIST,
    "药": Staff.PostCategory.PHARMACIST,
    "管理": Staff.PostCategory.MANAGEMENT,
    "行政": Staff.PostCategory.MANAGEMENT,
    "工勤": Staff.PostCategory.SUPPORT,
    "后勤": Staff.PostCategory.SUPPORT,
}
TITLE_LEVELS = {
    "正高": Staff.TitleLevel.SENIOR,
    "正高级": Staff.TitleLevel.SENIOR,
    "副高": Staff.TitleLevel.ASSOCIATE_SENIOR,
    "副高级": Staff.TitleLevel.ASSOCIATE_SENIOR,
    "中级": Staff.TitleLevel.INTERMEDIATE,
    "初级": Staff.TitleLevel.JUNIOR,
    "无": Staff.TitleLevel.NONE,
    "未定级": Staff.TitleLevel.NONE,
}
EDUCATION = {
    "博士": Staff.Education.DOCTORATE,
    "博士研究生": Staff.Education.DOCTORATE,
    "硕士": Staff.Education.MASTER,
    "硕士研究生": Staff.Education.MASTER,
    "本科": Staff.Education.BACHELOR,
    "大学本科": Staff.Education.BACHELOR,
    "大专": Staff.Education.COLLEGE,
    "专科": Staff.Education.COLLEGE,
    "大学专科": Staff.Education.COLLEGE,
    "其他": Staff.Education.OTHER,
    "其它": Staff.Education.OTHER,
    "中专": Staff.Education.OTHER,
    "高中": Staff.Education.OTHER,
}
POLITICAL_STATUS = {
    "中共党员": Staff.PoliticalStatus.MEMBER,
    "党员": Staff.PoliticalStatus.MEMBER,
    "预备党员": Staff.PoliticalStatus.PROBATIONARY,
    "中共预备党员": Staff.PoliticalStatus.PROBATIONARY,
    "共青团员": Staff.PoliticalStatus.LEAGUE,
    "团员": Staff.PoliticalStatus.LEAGUE,
    "民主党派": Staff.PoliticalStatus.DEMOCRATIC_PARTY,
    "群众": Staff.PoliticalStatus.MASSES,
}
EMPLOYMENT_STATUS = {
    "在职": Staff.EmploymentStatus.IN_POST,
    "在岗": Staff.EmploymentStatus.IN_POST,
    "退休": Staff.EmploymentStatus.RETIRED,
    "离职": Staff.EmploymentStatus.LEFT,
    "调离": Staff.EmploymentStatus.LEFT,
}


class _InstitutionMixin:
    """Resolve the optional 机构代码 column (blank: the only institution, if there is one)."""

    institutions: dict[str, Institution]

    def load_institutions(self) -> None:
        self.institutions = {i.code: i for i in Institution.objects.all()}

    def institution_for(self, importer: Importer, row: Row) -> Institution | None:
        code = row["institution"]
        if code:
            inst = self.institutions.get(code)
            if inst is None:
                importer.error(row, "institution", M.unknown_institution % {"code": code})
            return inst
        if len(self.institutions) == 1:
            return next(iter(self.institutions.values()))
        if not self.institutions:
            importer.error(row, "institution", M.no_institution)
        return None


INSTITUTION_COLUMN = Column(
    "机构代码",
    "institution",
    aliases=("机构编码", "单位代码"),
    parse=text(32),
    help=M.help_institution,
    example="H01",
    as_text=True,
)


@register
class DepartmentImporter(_InstitutionMixin, Importer):
    kind = "departments"
    label = M.kind_departments
    description = M.desc_departments
    order = 10
    natural_key = ("institution", "code")
    columns = (
        INSTITUTION_COLUMN,
        Column(
            "科室编码",
            "code",
            required=True,
            aliases=("科室代码",),
            parse=text(32),
            help=M.help_department_code,
            example="EX01",
            as_text=True,
        ),
        Column(
            "科室名称",
            "name",
            required=True,
            aliases=("科室",),
            parse=text(100),
            example="示例科室",
        ),
        Column(
            "科室类别",
            "category",
            required=True,
            aliases=("类别",),
            parse=choice(DEPARTMENT_CATEGORIES),
            example="临床",
        ),
        Column("学科中心", "centre", parse=text(100), help=M.help_centre, example="示例中心"),
    )

    def prepare(self, rows: list[Row]) -> None:
        self.load_institutions()
        self.existing = {(d.institution_id, d.code): d for d in Department.objects.all()}
        self.name_owner = {(d.institution_id, d.name): d.code for d in self.existing.values()}
        self.centres = {(c.institution_id, c.name): c for c in DisciplineCentre.objects.all()}
        self.file_names: dict[tuple[int, str], str] = {}
        self.file_codes: dict[tuple[int, str], str] = {}

    def clean_row(self, row: Row) -> None:
        inst = self.institution_for(self, row)
        row.extra["institution"] = inst
        if inst is None:
            return
        self.file_codes[(inst.pk, row["code"])] = row["name"]

    def key_of(self, row: Row) -> tuple[Any, ...]:
        inst = row.extra.get("institution")
        return (inst.pk if inst else None, row["code"])

    def check_file(self, rows: list[Row]) -> None:
        for row in rows:
            inst = row.extra.get("institution")
            if inst is None or not row.ok:
                continue
            key = (inst.pk, row["name"])
            other = self.file_names.get(key)
            if other is not None and other != row["code"]:
                self.error(row, "name", M.name_twice_in_file % {"name": row["name"]})
                continue
            self.file_names[key] = row["code"]
            owner = self.name_owner.get(key)
            # The name belongs to another stored department that this file does not rename.
            if (
                owner is not None
                and owner != row["code"]
                and self.file_codes.get((inst.pk, owner), row["name"]) == row["name"]
            ):
                self.error(
                    row, "name", M.department_name_taken % {"name": row["name"], "code": owner}
                )

    def plan(self, rows: list[Row]) -> Counts:
        counts = Counts()
        self.new_centres: dict[tuple[int, str], DisciplineCentre] = {}
        self.creates: list[Department] = []
        self.updates: list[tuple[Department, list[str]]] = []
        self.pending_centre: list[tuple[Department, tuple[int, str]]] = []
        for row in rows:
            inst = row.extra["institution"]
            centre = None
            centre_key = None
            if row["centre"]:
                centre_key = (inst.pk, row["centre"])
                centre = self.centres.get(centre_key)
                if centre is None and centre_key not in self.new_centres:
                    self.new_centres[centre_key] = DisciplineCentre(
                        institution=inst, name=row["centre"]
                    )
            values = {
                "name": row["name"],
                "category": row["category"],
                "centre_id": centre.pk if centre else None,
            }
            obj = self.existing.get((inst.pk, row["code"]))
            if obj is None:
                obj = Department(institution=inst, code=row["code"], **values)
                self.creates.append(obj)
                counts.created += 1
            else:
                fields = changed_fields(obj, values)
                if centre_key and centre is None:
                    fields.append("centre_id")
                for f in fields:
                    setattr(obj, f, values[f])
                if fields:
                    self.updates.append((obj, fields))
                    counts.updated += 1
                else:
                    counts.unchanged += 1
            if centre_key and centre is None:
                self.pending_centre.append((obj, centre_key))
        return counts

    def write(self) -> None:
        if self.new_centres:
            DisciplineCentre.objects.bulk_create(list(self.new_centres.values()))
        for obj, key in self.pending_centre:
            obj.centre = self.new_centres[key]
        bulk_write(
            Department,
            self.creates,
            [
                (o, [f.removesuffix("_id") if f == "centre_id" else f for f in fs])
                for o, fs in self.updates
            ],
        )


@register
class StaffImporter(_InstitutionMixin, Importer):
    kind = "staff"
    label = M.kind_staff
    description = M.desc_staff
    order = 20
    natural_key = ("institution", "employee_no")
    columns = (
        INSTITUTION_COLUMN,
        Column(
            "工号",
            "employee_no",
            required=True,
            aliases=("职工编号", "员工编号", "人员编号"),
            parse=text(32),
            help=M.help_employee_no,
            example="EX0001",
            as_text=True,
        ),
        Column("姓名", "name", required=True, parse=text(50), example="示例张三"),
        Column("性别", "gender", parse=choice(GENDERS), help=M.help_from_id_card, example="男"),
        Column(
            "出生日期",
            "birth_date",
            aliases=("出生年月日",),
            parse=date(),
            help=M.help_from_id_card,
            example="1985-05-17",
        ),
        Column(
            "身份证号",
            "id_card",
            aliases=("身份证号码", "公民身份号码", "身份证"),
            parse=text(18, upper=True),
            help=M.help_id_card,
            example="110101198505170018",
            as_text=True,
        ),
        Column(
            "手机号",
            "phone",
            aliases=("手机号码", "手机", "联系电话"),
            parse=pattern(r"1[3-9]\d{9}", M.bad_phone),
            example="13800000001",
            as_text=True,
        ),
        Column(
            "科室编码",
            "department_code",
            aliases=("科室代码",),
            parse=text(32),
            help=M.help_staff_department,
            example="EX01",
            as_text=True,
        ),
        Column("科室名称", "department_name", aliases=("科室", "所在科室"), parse=text(100)),
        Column(
            "岗位类别",
            "post_category",
            required=True,
            aliases=("岗位", "人员类别"),
            parse=choice(POST_CATEGORIES),
            example="医师",
        ),
        Column(
            "职称级别",
            "title_level",
            aliases=("职称",),
            parse=choice(TITLE_LEVELS),
            help=M.help_default_none,
            example="中级",
        ),
        Column(
            "学历",
            "education",
            required=True,
            aliases=("最高学历",),
            parse=choice(EDUCATION),
            example="本科",
        ),
        Column(
            "是否科室主任",
            "is_department_head",
            aliases=("科室主任",),
            parse=boolean(),
            help=M.help_bool_default_no,
            example="否",
        ),
        Column(
            "政治面貌",
            "political_status",
            parse=choice(POLITICAL_STATUS),
            help=M.help_default_masses,
            example="群众",
        ),
        Column(
            "在职状态",
            "employment_status",
            aliases=("人员状态", "状态"),
            parse=choice(EMPLOYMENT_STATUS),
            help=M.help_default_in_post,
            example="在职",
        ),
        Column(
            "入职日期",
            "hired_on",
            required=True,
            aliases=("参加工作日期", "来院日期"),
            parse=date(),
            example="2010-07-01",
        ),
        Column("离职日期", "left_on", parse=date(), help=M.help_left_on),
    )

    def prepare(self, rows: list[Row]) -> None:
        self.load_institutions()
        self.departments_by_code: dict[str, list[Department]] = defaultdict(list)
        self.departments_by_name: dict[str, list[Department]] = defaultdict(list)
        for d in Department.objects.all():
            self.departments_by_code[d.code].append(d)
            self.departments_by_name[d.name].append(d)
        # Only the records the file names are loaded (their encrypted fields are decrypted
        # to compare); the ID-card owners come from the blind index, without decrypting.
        wanted = sorted({row["employee_no"] for row in rows if row["employee_no"]})
        self.existing: dict[tuple[int, str], Staff] = {}
        for start in range(0, len(wanted), 900):
            for s in Staff.objects.filter(employee_no__in=wanted[start : start + 900]):
                self.existing[(s.institution_id, s.employee_no)] = s
        self.digest_owner = {
            digest: (institution_id, employee_no)
            for institution_id, employee_no, digest in Staff.objects.filter(
                id_card_digest__gt=""
            ).values_list("institution_id", "employee_no", "id_card_digest")
        }
        self.file_digests: dict[str, int] = {}

    def _department(self, row: Row) -> Department | None:
        code, name = row["department_code"], row["department_name"]
        inst_code = row["institution"]
        if not code and not name:
            self.error(row, "department_code", M.department_required)
            return None
        candidates = (
            self.departments_by_code.get(code, [])
            if code
            else self.departments_by_name.get(name, [])
        )
        if inst_code:
            inst_id = self.institutions[inst_code].pk
            candidates = [d for d in candidates if d.institution_id == inst_id]
        if not candidates:
            if code:
                self.error(row, "department_code", M.unknown_department_code % {"code": code})
            else:
                self.error(row, "department_name", M.unknown_department_name % {"name": name})
            return None
        if len(candidates) > 1:
            self.error(row, "institution", M.ambiguous_department % {"dept": code or name})
            return None
        dept = candidates[0]
        if code and name and dept.name != name:
            self.error(
                row,
                "department_name",
                M.department_mismatch % {"code": code, "name": name, "actual": dept.name},
            )
            return None
        return dept

    def clean_row(self, row: Row) -> None:
        if row["institution"] and row["institution"] not in self.institutions:
            self.error(row, "institution", M.unknown_institution % {"code": row["institution"]})
            return
        dept = self._department(row)
        row.extra["department"] = dept
        row.extra["institution_id"] = dept.institution_id if dept else None
        id_card = row["id_card"] or ""
        if id_card:
            if isinstance(row.raw.get("身份证号"), float):
                self.error(row, "id_card", M.id_card_as_number)
                return
            try:
                validate_id_card(id_card, row["birth_date"])
            except ValidationError as exc:
                self.error_from(row, "id_card", exc)
                return
            born = _id_birth(id_card)
            gender = Staff.Gender.MALE if int(id_card[16]) % 2 else Staff.Gender.FEMALE
            if row["birth_date"] is None:
                row.values["birth_date"] = born
            if row["gender"] is None:
                row.values["gender"] = gender
            elif row["gender"] != gender:
                self.error(row, "gender", M.gender_mismatch)
            digest = blind_index(id_card, purpose="id_card")
            row.extra["digest"] = digest
            owner = self.digest_owner.get(digest)
            if (
                owner is not None
                and dept is not None
                and owner != (dept.institution_id, row["employee_no"])
            ):
                self.error(row, "id_card", M.id_card_taken % {"no": owner[1]})
            first = self.file_digests.setdefault(digest, row.number)
            if first != row.number:
                self.error(row, "id_card", M.id_card_twice % {"row": first})
        else:
            row.extra["digest"] = None
            if row["birth_date"] is None:
                self.error(row, "birth_date", M.birth_date_required)
            if row["gender"] is None:
                self.error(row, "gender", M.gender_required)
        status = row["employment_status"] or Staff.EmploymentStatus.IN_POST
        left_on, hired_on = row["left_on"], row["hired_on"]
        if status == Staff.EmploymentStatus.LEFT and left_on is None:
            self.error(row, "left_on", M.left_on_required)
        if status == Staff.EmploymentStatus.IN_POST and left_on is not None:
            self.error(row, "left_on", M.left_on_in_post)
        if left_on and hired_on and left_on < hired_on:
            self.error(row, "left_on", M.left_before_hired)
        birth = row["birth_date"]
        if birth and hired_on and hired_on <= birth:
            self.error(row, "hired_on", M.hired_before_born)

    def key_of(self, row: Row) -> tuple[Any, ...]:
        return (row.extra.get("institution_id"), row["employee_no"])

    def plan(self, rows: list[Row]) -> Counts:
        counts = Counts()
        self.creates: list[Staff] = []
        self.updates: list[tuple[Staff, list[str]]] = []
        for row in rows:
            dept: Department = row.extra["department"]
            values: dict[str, Any] = {
                "name": row["name"],
                "gender": row["gender"],
                "birth_date": row["birth_date"],
                "id_card": row["id_card"] or "",
                "phone": row["phone"] or "",
                "department_id": dept.pk,
                "post_category": row["post_category"],
                "title_level": row["title_level"] or Staff.TitleLevel.NONE,
                "education": row["education"],
                "is_department_head": bool(row["is_department_head"]),
                "political_status": row["political_status"] or Staff.PoliticalStatus.MASSES,
                "employment_status": row["employment_status"] or Staff.EmploymentStatus.IN_POST,
                "hired_on": row["hired_on"],
                "left_on": row["left_on"],
            }
            obj = self.existing.get((dept.institution_id, row["employee_no"]))
            if obj is None:
                obj = Staff(
                    institution_id=dept.institution_id,
                    employee_no=row["employee_no"],
                    id_card_digest=row.extra["digest"],
                    **values,
                )
                self.creates.append(obj)
                counts.created += 1
                continue
            fields = changed_fields(obj, values)
            if not fields:
                counts.unchanged += 1
                continue
            for f in fields:
                setattr(obj, f, values[f])
            if "id_card" in fields:
                obj.id_card_digest = row.extra["digest"]
                fields.append("id_card_digest")
            self.updates.append(
                (obj, [f.removesuffix("_id") if f == "department_id" else f for f in fields])
            )
            counts.updated += 1
        return counts

    def write(self) -> None:
        bulk_write(Staff, self.creates, self.updates)


def _id_birth(id_card: str) -> Any:
    import datetime as dt

    return dt.date(int(id_card[6:10]), int(id_card[10:12]), int(id_card[12:14]))
