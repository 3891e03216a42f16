"""Build the demo hospital in memory, deterministically from a seed.

``DemoPlan`` holds unsaved model instances wired to each other; ``hongfan.demo.services``
writes them with ``bulk_create`` (audited by ``AuditedQuerySet``). Every random choice goes
through one ``random.Random(seed)`` and no set or hash order is ever iterated, so the same
seed and reference date give the same people, ID-card numbers and tree.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from hongfan.demo import data
from hongfan.org.models import Department, DisciplineCentre, Institution, Staff
from hongfan.org.validators import id_card_check_char
from hongfan.party.models import (
    CommitteeMember,
    ContactRecord,
    DualCultivation,
    MemberTransfer,
    PartyMember,
    PartyOrganisation,
    TemporaryAssignment,
    ThreeLink,
)

DEMO_PREFIX = "HFD-"
HOSPITAL_CODE = f"{DEMO_PREFIX}H00"
HOSPITAL_NAME = "红帆县人民医院"

PostCategory = Staff.PostCategory
Title = Staff.TitleLevel
Edu = Staff.Education
Kind = PartyOrganisation.Kind
Position = CommitteeMember.Position

TITLE_RANK = {
    Title.SENIOR: 4,
    Title.ASSOCIATE_SENIOR: 3,
    Title.INTERMEDIATE: 2,
    Title.JUNIOR: 1,
    Title.NONE: 0,
}


@dataclass(frozen=True)
class SizeSpec:
    name: str
    staff: int
    health_centres: int
    hc_departments: int
    hc_staff: int  # per health centre
    centres: tuple[data.CentreSpec, ...]
    admin: int
    logistics: int
    departments: int  # target total; clinical departments are split into 病区 to reach it
    branches: int  # target total, special branches included
    members: int
    retirees_branch: bool
    joint_centres: int = 2  # health centres sharing the joint branch


SIZES: dict[str, SizeSpec] = {
    "small": SizeSpec(
        "small", 300, 2, 1, 15, data.SMALL_CENTRES, 3, 1, 15, 8, 100, retirees_branch=False
    ),
    "hospital": SizeSpec(
        "hospital",
        2000,
        6,
        3,
        45,
        (*data.CENTRES[:7], data.MEDTECH_CENTRE),
        12,
        3,
        60,
        40,
        600,
        retirees_branch=True,
    ),
    "large": SizeSpec(
        "large",
        10000,
        12,
        4,
        90,
        (*data.CENTRES, data.MEDTECH_CENTRE),
        18,
        6,
        200,
        80,
        3000,
        retirees_branch=True,
    ),
}


def add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _weighted(rng: random.Random, pairs: tuple[tuple[Any, float], ...] | list[Any]) -> Any:
    values = [p[0] for p in pairs]
    weights = [p[1] for p in pairs]
    return rng.choices(values, weights=weights, k=1)[0]


def _exact_counts(total: int, shares: tuple[tuple[str, float], ...]) -> list[tuple[str, int]]:
    """Split ``total`` by ``shares`` with the largest-remainder method (sums exactly)."""
    raw = [(k, total * s) for k, s in shares]
    counts = [(k, int(v)) for k, v in raw]
    left = total - sum(c for _, c in counts)
    order = sorted(range(len(raw)), key=lambda i: raw[i][1] - int(raw[i][1]), reverse=True)
    result = dict(counts)
    for i in order[:left]:
        result[raw[i][0]] += 1
    return [(k, result[k]) for k, _ in shares]


@dataclass
class BranchPlan:
    org: PartyOrganisation
    departments: list[Department] = field(default_factory=list)
    kind: str = "regular"  # regular | health_centre | joint | temporary | retirees
    dual: bool = False
    secretary: PartyMember | None = None


@dataclass
class DemoPlan:
    spec: SizeSpec
    seed: int
    today: dt.date
    institutions: list[Institution] = field(default_factory=list)
    centres: list[DisciplineCentre] = field(default_factory=list)
    departments: list[Department] = field(default_factory=list)
    staff: list[Staff] = field(default_factory=list)
    organisations: list[PartyOrganisation] = field(default_factory=list)  # parents first
    branches: list[BranchPlan] = field(default_factory=list)
    members: list[PartyMember] = field(default_factory=list)
    committee: list[CommitteeMember] = field(default_factory=list)
    transfers: list[MemberTransfer] = field(default_factory=list)
    temporary: list[TemporaryAssignment] = field(default_factory=list)
    dual_cultivation: list[DualCultivation] = field(default_factory=list)
    links: list[ThreeLink] = field(default_factory=list)
    contacts: list[ContactRecord] = field(default_factory=list)
    # Who the demo accounts are (role -> staff / scope object).
    account_staff: dict[str, Staff] = field(default_factory=dict)
    secretary_branch: PartyOrganisation | None = None
    head_department: Department | None = None


class DemoBuilder:
    def __init__(self, *, size: str, seed: int, today: dt.date) -> None:
        self.spec = SIZES[size]
        self.rng = random.Random(seed)
        self.today = today
        self.plan = DemoPlan(spec=self.spec, seed=seed, today=today)
        self._id_seqs: dict[tuple[str, str], list[int]] = {}
        self._phones: dict[str, bool] = {}
        self._dept_size: dict[int, float] = {}
        self._dept_staff: dict[int, list[Staff]] = defaultdict(list)
        self._member_of: dict[int, PartyMember] = {}  # id(staff) -> member
        self._branch_of_dept: dict[int, BranchPlan] = {}
        self._age: dict[int, int] = {}

    # ------------------------------------------------------------------ helpers
    def _age_of(self, s: Staff) -> int:
        return self._age[id(s)]

    def _name(self, gender: str) -> str:
        rng = self.rng
        surname = _weighted(rng, data.SURNAMES)
        pool = data.MALE_GIVEN if gender == Staff.Gender.MALE else data.FEMALE_GIVEN
        if rng.random() < 0.22:
            return surname + rng.choice(pool)
        first = rng.choice(data.SHARED_GIVEN) if rng.random() < 0.3 else rng.choice(pool)
        return surname + first + rng.choice(pool)

    def _id_card(self, birth: dt.date, gender: str) -> str:
        rng = self.rng
        for _ in range(50):
            region = _weighted(rng, data.HEBEI_REGIONS)
            seq = rng.randrange(0, 500) * 2 + (1 if gender == Staff.Gender.MALE else 0)
            key = (region, birth.isoformat())
            used = self._id_seqs.setdefault(key, [])
            if seq in used:
                continue
            used.append(seq)
            body = f"{region}{birth:%Y%m%d}{seq:03d}"
            return body + id_card_check_char(body)
        raise RuntimeError("could not find a free ID-card sequence")  # pragma: no cover

    def _phone(self) -> str:
        while True:
            number = self.rng.choice(data.PHONE_PREFIXES) + f"{self.rng.randrange(10**8):08d}"
            if number not in self._phones:
                self._phones[number] = True
                return number

    def _date_between(self, start: dt.date, end: dt.date) -> dt.date:
        if end <= start:
            return start
        return start + dt.timedelta(days=self.rng.randrange((end - start).days + 1))

    # ------------------------------------------------------------------ structure
    def build_structure(self) -> None:
        spec, rng, plan = self.spec, self.rng, self.plan
        hospital = Institution(
            code=HOSPITAL_CODE, name=HOSPITAL_NAME, short_name="县医院", kind="hospital"
        )
        plan.institutions.append(hospital)
        health_centres = []
        for i, town in enumerate(data.TOWNSHIPS[: spec.health_centres], start=1):
            hc = Institution(
                code=f"{DEMO_PREFIX}T{i:02d}",
                name=f"红帆县{town}卫生院",
                short_name=f"{town}卫生院",
                kind=Institution.Kind.HEALTH_CENTRE,
                leading=hospital,
            )
            health_centres.append(hc)
        plan.institutions.extend(health_centres)

        # Departments of the hospital: 学科中心 first, then 职能 and 后勤.
        seq = [0]

        def dept(inst: Institution, name: str, category: str, centre: Any = None) -> Department:
            seq[0] += 1
            d = Department(
                institution=inst,
                code=f"D{seq[0]:03d}",
                name=name,
                category=category,
                centre=centre,
            )
            self._dept_size[id(d)] = rng.uniform(0.6, 1.6)
            plan.departments.append(d)
            return d

        centre_depts: list[tuple[DisciplineCentre, list[Department]]] = []
        for cs in spec.centres:
            centre = DisciplineCentre(institution=hospital, name=cs.name)
            plan.centres.append(centre)
            centre_depts.append((centre, [dept(hospital, n, c, centre) for n, c in cs.departments]))
        admin = [dept(hospital, n, c) for n, c in data.ADMIN_DEPARTMENTS[: spec.admin]]
        logistics = [dept(hospital, n, c) for n, c in data.LOGISTICS_DEPARTMENTS[: spec.logistics]]
        hc_depts: list[list[Department]] = []
        for hc in health_centres:
            seq[0] = 0
            hc_depts.append(
                [dept(hc, n, c) for n, c in data.HEALTH_CENTRE_DEPARTMENTS[: spec.hc_departments]]
            )

        # Large hospitals split clinical departments into wards (病区) to reach the target.
        extra = spec.departments - len(plan.departments)
        if extra > 0:
            self._split_wards(centre_depts, extra)
        # Re-number hospital department codes in their final order.
        n = 0
        for d in plan.departments:
            if d.institution is hospital:
                n += 1
                d.code = f"D{n:03d}"

        self._hospital = hospital
        self._health_centres = health_centres
        self._centre_depts = centre_depts
        self._admin = admin
        self._logistics = logistics
        self._hc_depts = hc_depts

    def _split_wards(
        self, centre_depts: list[tuple[DisciplineCentre, list[Department]]], extra: int
    ) -> None:
        unsplittable = {"急诊科", "麻醉科", "手术室", "新生儿科", "重症医学科"}
        candidates = [
            d
            for _, depts in centre_depts
            for d in depts
            if d.category == data.C and d.name not in unsplittable
        ]
        wards: dict[int, int] = {id(d): 1 for d in candidates}
        i = 0
        while extra > 0 and candidates:
            d = candidates[i % len(candidates)]
            if wards[id(d)] < len(data.WARD_NUMERALS):
                wards[id(d)] += 1
                extra -= 1
            i += 1
        for centre_index, (centre, depts) in enumerate(centre_depts):
            new: list[Department] = []
            for d in depts:
                count = wards.get(id(d), 1)
                if count == 1:
                    new.append(d)
                    continue
                base = d.name
                d.name = f"{base}一病区"
                new.append(d)
                for k in range(1, count):
                    w = Department(
                        institution=d.institution,
                        code="",
                        name=f"{base}{data.WARD_NUMERALS[k]}病区",
                        category=d.category,
                        centre=centre,
                    )
                    self._dept_size[id(w)] = self.rng.uniform(0.6, 1.6)
                    new.append(w)
            centre_depts[centre_index] = (centre, new)
        # Keep plan.departments in centre order.
        hospital_rest = [
            d
            for d in self.plan.departments
            if d.centre is None and d.institution.code == HOSPITAL_CODE
        ]
        others = [d for d in self.plan.departments if d.institution.code != HOSPITAL_CODE]
        self.plan.departments = [d for _, ds in centre_depts for d in ds] + hospital_rest + others

    # ------------------------------------------------------------------ staff
    def build_staff(self) -> None:
        spec = self.spec
        hc_total = spec.health_centres * spec.hc_staff
        hospital_staff = spec.staff - hc_total
        retirees = round(spec.staff * 0.02)
        leavers = round(spec.staff * 0.015)
        self._staff_for_institution(
            self._hospital,
            [d for _, ds in self._centre_depts for d in ds] + self._admin + self._logistics,
            hospital_staff - retirees - leavers,
            "HF",
        )
        for i, (hc, depts) in enumerate(zip(self._health_centres, self._hc_depts, strict=True)):
            self._staff_for_institution(hc, depts, spec.hc_staff, f"WS{i + 1:02d}")
        self._retirees_and_leavers(retirees, leavers)
        self._choose_heads()

    def _hosts(self, depts: list[Department], category: str) -> list[tuple[Department, float]]:
        size = self._dept_size
        hosts: list[tuple[Department, float]] = []
        for d in depts:
            w = 0.0
            if category == PostCategory.DOCTOR:
                if d.category == data.C and d.name != "手术室":
                    w = 1.0
                elif d.name in {"医学影像科", "超声医学科", "病理科", "心电诊断科"}:
                    w = 0.5
            elif category == PostCategory.NURSE:
                if d.category == data.C:
                    w = 0.3 if d.name == "麻醉科" else 1.3
                elif d.name == "手术室":
                    w = 1.5
                elif d.name == "护理部":
                    w = 0.15
            elif category == PostCategory.TECHNICIAN:
                if d.category == data.MT and d.name != "药剂科":
                    w = 1.0
                elif d.name in {"康复医学科", "中医康复科"}:
                    w = 0.4
            elif category == PostCategory.PHARMACIST:
                w = 1.0 if d.name == "药剂科" else 0.0
            elif category == PostCategory.MANAGEMENT:
                w = 1.0 if d.category == data.A else (0.4 if d.name == "护理部" else 0.0)
            elif category == PostCategory.SUPPORT:
                w = 1.0 if d.category == data.L else 0.0
            if w:
                hosts.append((d, w * size[id(d)]))
        if not hosts:  # a health centre with one department hosts everyone
            hosts = [(d, size[id(d)]) for d in depts]
        return hosts

    def _primary_category(self, d: Department) -> str:
        if d.name == "药剂科":
            return PostCategory.PHARMACIST
        return {
            data.C: PostCategory.DOCTOR,
            data.MT: PostCategory.TECHNICIAN,
            data.N: PostCategory.NURSE,
            data.A: PostCategory.MANAGEMENT,
            data.L: PostCategory.SUPPORT,
        }[d.category]

    def _staff_for_institution(
        self, inst: Institution, depts: list[Department], count: int, prefix: str
    ) -> None:
        rng = self.rng
        categories: list[str] = []
        for cat, n in _exact_counts(count, data.POST_SHARES):
            categories.extend([cat] * n)
        # Every department gets one person of its own kind first.
        seeded: list[tuple[str, Department]] = []
        for d in depts:
            want = self._primary_category(d)
            if want in categories:
                categories.remove(want)
                seeded.append((want, d))
        rng.shuffle(categories)
        assignments = list(seeded)
        host_cache: dict[str, list[tuple[Department, float]]] = {}
        for cat in categories:
            hosts = host_cache.setdefault(cat, self._hosts(depts, cat))
            assignments.append((cat, _weighted(rng, hosts)))
        for n, (cat, d) in enumerate(assignments, start=1):
            self._new_staff(inst, d, cat, f"{prefix}{n:05d}")

    def _new_staff(
        self,
        inst: Institution,
        department: Department,
        category: str,
        employee_no: str,
        *,
        age: int | None = None,
        status: str = Staff.EmploymentStatus.IN_POST,
    ) -> Staff:
        rng, today = self.rng, self.today
        female_share = {"nurse": 0.93, "doctor": 0.45, "support": 0.4}.get(category, 0.58)
        gender = Staff.Gender.FEMALE if rng.random() < female_share else Staff.Gender.MALE
        if age is None:
            lo, hi, _ = _weighted(rng, [(b, b[2]) for b in data.AGE_BANDS])
            age = rng.randint(lo, hi)
        birth = add_years(today, -age) - dt.timedelta(days=rng.randrange(1, 365))
        education = _weighted(rng, data.EDUCATION_BY_POST[category])
        if education == Edu.DOCTORATE and age < 29:
            education = Edu.MASTER
        if education == Edu.MASTER and age < 25:
            education = Edu.BACHELOR
        if category == PostCategory.SUPPORT:
            title = Title.NONE
        else:
            title = next(d for bound, d in data.TITLE_BY_AGE if min(age, 60) < bound)
            title = _weighted(rng, title)
            if education == Edu.DOCTORATE and title in (Title.JUNIOR, Title.NONE):
                title = Title.INTERMEDIATE
        start_age = {
            Edu.DOCTORATE: rng.randint(29, 31),
            Edu.MASTER: rng.randint(25, 27),
            Edu.BACHELOR: rng.randint(22, 24),
            Edu.COLLEGE: rng.randint(21, 23),
            Edu.OTHER: rng.randint(19, 26),
        }[education]
        if rng.random() < 0.15:  # came from another hospital
            start_age += rng.randint(2, 15)
        start_age = min(start_age, age)
        hired = add_years(birth, start_age) + dt.timedelta(days=rng.randrange(0, 200))
        hired = min(hired, today - dt.timedelta(days=rng.randint(20, 200)))
        name = self._name(gender)
        s = Staff(
            institution=inst,
            employee_no=employee_no,
            name=name,
            gender=gender,
            birth_date=birth,
            id_card=self._id_card(birth, gender),
            phone=self._phone(),
            department=department,
            post_category=category,
            title_level=title,
            education=education,
            employment_status=status,
            hired_on=hired,
        )
        self._age[id(s)] = age
        self.plan.staff.append(s)
        self._dept_staff[id(department)].append(s)
        return s

    def _retirees_and_leavers(self, retirees: int, leavers: int) -> None:
        rng, today = self.rng, self.today
        depts = [d for _, ds in self._centre_depts for d in ds] + self._admin
        n = len([s for s in self.plan.staff if s.institution is self._hospital])
        for i in range(retirees):
            d = rng.choice(depts)
            cat = self._primary_category(d)
            s = self._new_staff(
                self._hospital,
                d,
                cat,
                f"HF{n + i + 1:05d}",
                age=rng.randint(61, 72),
                status=Staff.EmploymentStatus.RETIRED,
            )
            s.hired_on = add_years(s.birth_date, rng.randint(20, 25))
            s.left_on = add_years(s.birth_date, 55 if s.gender == Staff.Gender.FEMALE else 60)
        n += retirees
        for i in range(leavers):
            d = rng.choice(depts)
            cat = self._primary_category(d) if rng.random() < 0.3 else PostCategory.NURSE
            s = self._new_staff(
                self._hospital,
                d,
                cat,
                f"HF{n + i + 1:05d}",
                age=rng.randint(25, 42),
                status=Staff.EmploymentStatus.LEFT,
            )
            s.left_on = self._date_between(
                max(s.hired_on + dt.timedelta(days=60), today - dt.timedelta(days=700)),
                today - dt.timedelta(days=5),
            )

    def _choose_heads(self) -> None:
        rng = self.rng
        self._head: dict[int, Staff] = {}
        for d in self.plan.departments:
            people = [
                s
                for s in self._dept_staff[id(d)]
                if s.employment_status == Staff.EmploymentStatus.IN_POST
            ]
            if not people:
                continue
            want = self._primary_category(d)
            if d.name == "护理部":
                want = PostCategory.NURSE
            pool = [s for s in people if s.post_category == want] or people
            pool = sorted(
                pool,
                key=lambda s: (TITLE_RANK[s.title_level], self._age_of(s) >= 38, rng.random()),
                reverse=True,
            )
            head = pool[0]
            head.is_department_head = True
            self._head[id(d)] = head

    # ------------------------------------------------------------------ Party tree
    def build_tree(self) -> None:
        spec, rng, today, plan = self.spec, self.rng, self.today, self.plan
        hospital = self._hospital
        committee = PartyOrganisation(
            institution=hospital,
            code=f"{DEMO_PREFIX}P000",
            name=f"中共{HOSPITAL_NAME}委员会",
            kind=Kind.COMMITTEE,
            established_on=dt.date(1956, 7, 1),
            term_years=5,
            term_started_on=add_years(today, -2) - dt.timedelta(days=rng.randint(0, 200)),
        )
        plan.organisations.append(committee)
        self._committee = committee
        specials = 2 + (1 if spec.retirees_branch else 0)  # temporary, joint, retirees
        joint_n = min(spec.joint_centres, len(self._health_centres))
        hc_branches = len(self._health_centres) - joint_n
        regular_target = max(1, spec.branches - specials - hc_branches)

        groups: list[tuple[str, DisciplineCentre | None, list[Department]]] = [
            (c.name, c, ds) for c, ds in self._centre_depts
        ]
        if self._admin:
            groups.append(("机关", None, self._admin))
        if self._logistics:
            groups.append(("后勤", None, self._logistics))
        alloc = self._allocate(groups, regular_target)
        code = [0]

        def branch(
            name: str, parent: PartyOrganisation, inst: Institution, kind: str
        ) -> BranchPlan:
            code[0] += 1
            org = PartyOrganisation(
                institution=inst,
                code=f"{DEMO_PREFIX}B{code[0]:03d}",
                name=name,
                kind=Kind.BRANCH,
                parent=parent,
                established_on=self._date_between(dt.date(1985, 1, 1), dt.date(2018, 12, 31)),
                sort_order=code[0],
            )
            bp = BranchPlan(org=org, kind=kind)
            plan.branches.append(bp)
            return bp

        for gi, ((label, centre, depts), k) in enumerate(zip(groups, alloc, strict=True)):
            parent = committee
            if centre is not None:
                parent = PartyOrganisation(
                    institution=hospital,
                    code=f"{DEMO_PREFIX}G{gi + 1:02d}",
                    name=f"{centre.name}党总支",
                    kind=Kind.GENERAL_BRANCH,
                    parent=committee,
                    established_on=dt.date(2019, 7, 1),
                    sort_order=gi + 1,
                )
                plan.organisations.append(parent)
            chunks = self._chunks(depts, k)
            for ci, chunk in enumerate(chunks):
                if len(chunk) == 1:
                    name = f"{chunk[0].name}党支部"
                elif centre is None:
                    name = (
                        f"{label}第{data.CHINESE_ORDINALS[ci]}党支部"
                        if len(chunks) > 1
                        else f"{label}党支部"
                    )
                else:
                    short = centre.name.removesuffix("中心").removesuffix("医学")
                    name = f"{short}第{data.CHINESE_ORDINALS[ci]}党支部"
                bp = branch(name, parent, hospital, "regular")
                bp.departments = chunk
        for hc, depts in list(zip(self._health_centres, self._hc_depts, strict=True))[joint_n:]:
            bp = branch(f"{hc.short_name}党支部", committee, hc, "health_centre")
            bp.departments = depts
        if joint_n:
            joint_hcs = self._health_centres[:joint_n]
            names = "、".join(h.short_name.removesuffix("卫生院") for h in joint_hcs)
            bp = branch(f"{names}卫生院联合党支部", committee, joint_hcs[0], "joint")
            bp.org.is_joint = True
            bp.departments = [d for ds in self._hc_depts[:joint_n] for d in ds]
        if spec.retirees_branch:
            branch("离退休党支部", committee, hospital, "retirees")
        temp = branch(data.TEMPORARY_BRANCH, committee, hospital, "temporary")
        temp.org.is_temporary = True
        temp.org.temporary_task = data.TEMPORARY_TASK
        temp.org.approved_by = committee
        temp.org.established_on = today - dt.timedelta(days=rng.randint(90, 200))
        temp.org.term_years = 1
        for bp in plan.branches:
            plan.organisations.append(bp.org)
            for d in bp.departments:
                self._branch_of_dept[id(d)] = bp

    @staticmethod
    def _allocate(groups: list[tuple[str, Any, list[Department]]], total: int) -> list[int]:
        """Branches per group: 1–3 departments each, summing to ``total`` where possible."""
        sizes = [len(ds) for _, _, ds in groups]
        all_depts = sum(sizes)
        alloc = [min(n, max(math.ceil(n / 3), round(n * total / all_depts))) for n in sizes]
        while sum(alloc) < total and any(a < n for a, n in zip(alloc, sizes, strict=True)):
            i = max(range(len(sizes)), key=lambda j: (sizes[j] - alloc[j]) / sizes[j])
            alloc[i] += 1
        while sum(alloc) > total:
            candidates = [j for j in range(len(sizes)) if alloc[j] > math.ceil(sizes[j] / 3)]
            if not candidates:
                break
            i = max(candidates, key=lambda j: alloc[j] / sizes[j])
            alloc[i] -= 1
        return alloc

    @staticmethod
    def _chunks(depts: list[Department], k: int) -> list[list[Department]]:
        base, extra = divmod(len(depts), k)
        out, start = [], 0
        for i in range(k):
            n = base + (1 if i < extra else 0)
            out.append(depts[start : start + n])
            start += n
        return out

    # ------------------------------------------------------------------ members
    def build_members(self) -> None:
        spec, rng, plan = self.spec, self.rng, self.plan
        forced: list[Staff] = []
        # 双带头人: ~75 % of all branches have a secretary heading a bound department.
        eligible = [bp for bp in plan.branches if bp.kind in ("regular", "health_centre")]
        eligible = [bp for bp in eligible if any(id(d) in self._head for d in bp.departments)]
        n_dual = min(len(eligible), round(0.75 * len(plan.branches)))
        for bp in rng.sample(eligible, n_dual):
            bp.dual = True
        self._dual_head: dict[int, Staff] = {}
        for bp in plan.branches:
            if bp.dual:
                heads = [self._head[id(d)] for d in bp.departments if id(d) in self._head]
                head = max(heads, key=lambda s: (TITLE_RANK[s.title_level], self._age_of(s)))
                self._dual_head[id(bp.org)] = head
                forced.append(head)
        # People behind demo accounts that are members by their post.
        for dept_name, role in (
            ("党委办公室", "party_office"),
            ("纪检监察室", "discipline"),
            ("院长办公室", "president_office"),
        ):
            d = self._find_dept(dept_name) or self._find_dept("党委办公室")
            taken = {id(s) for s in plan.account_staff.values()}
            pool = [
                s
                for s in self._dept_staff[id(d)]
                if s.employment_status == Staff.EmploymentStatus.IN_POST
                and not s.is_department_head
                and id(s) not in taken
            ] or [s for s in self._dept_staff[id(d)] if id(s) not in taken]
            person = pool[0]
            plan.account_staff[role] = person
            forced.append(person)

        joint_insts = (
            {id(h) for h in self._health_centres[: spec.joint_centres]}
            if spec.health_centres
            else set()
        )
        # Two members in each unit of the joint branch (a unit with fewer than 3 full members).
        for hc in self._health_centres[: spec.joint_centres]:
            people = [s for s in plan.staff if s.institution is hc]
            people.sort(key=lambda s: (TITLE_RANK[s.title_level], self._age_of(s)), reverse=True)
            forced.extend(p for p in people[:2] if p not in forced)

        forced_ids = {id(s) for s in forced}
        scored = []
        for s in plan.staff:
            if id(s) in forced_ids or id(s.institution) in joint_insts:
                continue
            if s.employment_status == Staff.EmploymentStatus.LEFT:
                continue
            w = self._member_weight(s)
            scored.append((rng.random() ** (1.0 / w), s))
        scored.sort(key=lambda t: t[0], reverse=True)
        chosen = forced + [s for _, s in scored[: max(0, spec.members - len(forced))]]
        for s in chosen:
            self._make_member(s, self._branch_for(s))
        self._ensure_minimum_members()
        self._transfers_out()

    def _find_dept(self, name: str) -> Department | None:
        return next(
            (
                d
                for d in self.plan.departments
                if d.name == name and d.institution is self._hospital
            ),
            None,
        )

    def _member_weight(self, s: Staff) -> float:
        w = 1.0
        w *= {4: 2.6, 3: 2.2, 2: 1.3, 1: 0.8, 0: 0.6}[TITLE_RANK[s.title_level]]
        w *= {Edu.DOCTORATE: 2.0, Edu.MASTER: 1.7}.get(s.education, 1.0)
        w *= {
            PostCategory.MANAGEMENT: 3.0,
            PostCategory.DOCTOR: 1.2,
            PostCategory.NURSE: 0.75,
            PostCategory.SUPPORT: 0.5,
        }.get(s.post_category, 1.0)
        if s.is_department_head:
            w *= 3.0
        if s.employment_status == Staff.EmploymentStatus.RETIRED:
            w *= 1.3
        if self._age_of(s) < 25:
            w *= 0.5
        return w

    def _branch_for(self, s: Staff) -> BranchPlan:
        if s.employment_status == Staff.EmploymentStatus.RETIRED and self.spec.retirees_branch:
            return next(bp for bp in self.plan.branches if bp.kind == "retirees")
        return self._branch_of_dept[id(s.department)]

    def _make_member(self, s: Staff, bp: BranchPlan, *, full: bool | None = None) -> PartyMember:
        rng, today = self.rng, self.today
        age = self._age_of(s)
        if full is None:
            full = not (age < 36 and rng.random() < 0.13)
        if s.is_department_head or s.employment_status != Staff.EmploymentStatus.IN_POST:
            full = True
        if full:
            latest = today - dt.timedelta(days=400)
            join_age = _weighted(
                rng,
                ((rng.randint(19, 22), 45), (rng.randint(23, 34), 40), (rng.randint(35, 48), 15)),
            )
            join_age = min(join_age, age - 2) if age > 21 else 19
            joined = add_years(s.birth_date, max(19, join_age)) + dt.timedelta(
                days=rng.randrange(0, 300)
            )
            joined = min(joined, latest - dt.timedelta(days=rng.randrange(0, 120)))
            confirmed = add_years(joined, 1) + dt.timedelta(days=rng.randrange(0, 40))
            confirmed = min(confirmed, today - dt.timedelta(days=1))
            category = PartyMember.Category.FULL
            s.political_status = Staff.PoliticalStatus.MEMBER
        else:
            joined = today - dt.timedelta(days=rng.randint(20, 340))
            confirmed = None
            category = PartyMember.Category.PROBATIONARY
            s.political_status = Staff.PoliticalStatus.PROBATIONARY
        applied = joined - dt.timedelta(days=rng.randint(420, 1600))
        applied = max(applied, add_years(s.birth_date, 18))
        m = PartyMember(
            staff=s,
            organisation=bp.org,
            category=category,
            applied_on=applied,
            joined_on=joined,
            confirmed_on=confirmed,
            is_retired=s.employment_status == Staff.EmploymentStatus.RETIRED,
        )
        self._member_of[id(s)] = m
        self.plan.members.append(m)
        return m

    def _ensure_minimum_members(self) -> None:
        """Every regular branch gets at least 3 full members (a branch needs them)."""
        for bp in self.plan.branches:
            if bp.kind not in ("regular", "health_centre"):
                continue
            full = [
                m for m in self.plan.members if m.organisation is bp.org and m.category == "full"
            ]
            if len(full) >= 3:
                continue
            pool = [
                s
                for d in bp.departments
                for s in self._dept_staff[id(d)]
                if id(s) not in self._member_of
                and s.employment_status == Staff.EmploymentStatus.IN_POST
            ]
            pool.sort(key=lambda s: self._member_weight(s), reverse=True)
            for s in pool[: 3 - len(full)]:
                self._make_member(s, bp, full=True)

    def _transfers_out(self) -> None:
        rng = self.rng
        leavers = [s for s in self.plan.staff if s.employment_status == Staff.EmploymentStatus.LEFT]
        for s in leavers[: max(1, len(leavers) // 4)]:
            m = self._make_member(s, self._branch_of_dept[id(s.department)], full=True)
            m.status = PartyMember.Status.TRANSFERRED_OUT
            m.left_on = s.left_on
            if m.confirmed_on and m.left_on and m.confirmed_on > m.left_on:
                m.confirmed_on = m.joined_on + dt.timedelta(days=365)
                m.left_on = max(m.left_on, m.confirmed_on)
            self.plan.transfers.append(
                MemberTransfer(
                    member=m,
                    direction=MemberTransfer.Direction.OUT,
                    from_organisation=m.organisation,
                    external_organisation=rng.choice(data.TRANSFER_DESTINATIONS),
                    transferred_on=m.left_on,
                    note="工作调动，组织关系随转",
                )
            )

    # ------------------------------------------------------------------ details
    def build_details(self) -> None:
        self._political_status()
        self._groups()
        self._committees()
        self._flags_and_transfers()
        self._temporary_assignments()
        self._dual_cultivation()

    def _political_status(self) -> None:
        rng = self.rng
        for s in self.plan.staff:
            if id(s) in self._member_of:
                continue
            roll = rng.random()
            if self._age_of(s) <= 28 and roll < 0.45:
                s.political_status = Staff.PoliticalStatus.LEAGUE
            elif roll > 0.985:
                s.political_status = Staff.PoliticalStatus.DEMOCRATIC_PARTY
            else:
                s.political_status = Staff.PoliticalStatus.MASSES

    def _members_of(self, org: PartyOrganisation) -> list[PartyMember]:
        if not hasattr(self, "_by_org"):
            self._by_org: dict[int, list[PartyMember]] = defaultdict(list)
            for m in self.plan.members:
                self._by_org[id(m.organisation)].append(m)
        return self._by_org[id(org)]

    def _groups(self) -> None:
        for bp in self.plan.branches:
            members = [m for m in self._members_of(bp.org) if m.status == PartyMember.Status.NORMAL]
            if len(members) < 24 or bp.kind == "temporary":
                continue
            n = math.ceil(len(members) / 12)
            groups = []
            for i in range(n):
                g = PartyOrganisation(
                    institution=bp.org.institution,
                    code=f"{bp.org.code}-{i + 1}",
                    name=f"{bp.org.name.removesuffix('党支部')}第{data.CHINESE_ORDINALS[i]}党小组",
                    kind=Kind.GROUP,
                    parent=bp.org,
                    established_on=max(bp.org.established_on, dt.date(2019, 1, 1)),
                    sort_order=i + 1,
                )
                groups.append(g)
                self.plan.organisations.append(g)
            ordered = sorted(members, key=lambda m: (m.staff.department.code, m.staff.employee_no))
            for i, m in enumerate(ordered):
                m.group = groups[i * n // len(ordered)]

    def _term_start(self, index: int, years: int) -> dt.date:
        """Spread elections; about one branch in eight is due within 90 days."""
        rng, today = self.rng, self.today
        if index == 0:  # one expired term, so the warnings page has an overdue election
            return add_years(today, -years) - dt.timedelta(days=rng.randint(20, 60))
        if index % 8 == 3:
            return add_years(today, -years) + dt.timedelta(days=rng.randint(10, 80))
        return today - dt.timedelta(days=rng.randint(30, years * 365 - 120))

    def _seat(
        self, org: PartyOrganisation, m: PartyMember, pos: str, start: dt.date, years: int
    ) -> None:
        self.plan.committee.append(
            CommitteeMember(
                organisation=org,
                member=m,
                position=pos,
                term_start=start,
                term_end=add_years(start, years),
            )
        )

    def _rank(self, m: PartyMember) -> tuple[int, int, float]:
        return (TITLE_RANK[m.staff.title_level], self._age_of(m.staff), self.rng.random())

    def _committees(self) -> None:
        rng, plan = self.rng, self.plan
        seated: dict[int, bool] = {}
        regular = [bp for bp in plan.branches if bp.kind != "temporary"]
        for index, bp in enumerate(regular):
            members = [m for m in self._members_of(bp.org) if m.status == PartyMember.Status.NORMAL]
            full = [m for m in members if m.category == PartyMember.Category.FULL]
            if not full:
                continue
            start = self._term_start(index, bp.org.term_years)
            bp.org.term_started_on = start
            if bp.dual:
                secretary = self._member_of[id(self._dual_head[id(bp.org)])]
            else:
                candidates = [m for m in full if not m.staff.is_department_head] or full
                secretary = max(candidates, key=self._rank)
            bp.secretary = secretary
            seated[id(secretary)] = True
            self._seat(bp.org, secretary, Position.SECRETARY, start, bp.org.term_years)
            others = sorted(
                (m for m in full if m is not secretary and self._age_of(m.staff) >= 27),
                key=self._rank,
                reverse=True,
            )
            if len(full) >= 7:
                positions = [Position.ORGANISATION, Position.PUBLICITY]
                if len(full) >= 15:
                    positions = [
                        Position.DEPUTY_SECRETARY,
                        Position.ORGANISATION,
                        Position.PUBLICITY,
                        Position.DISCIPLINE,
                    ]
            elif len(full) >= 5 and rng.random() < 0.5:
                positions = [Position.DEPUTY_SECRETARY]
            else:
                positions = []
            for pos, m in zip(positions, others, strict=False):
                seated[id(m)] = True
                self._seat(bp.org, m, pos, start, bp.org.term_years)
        # 党总支: secretary and members from the centre's branches.
        for org in plan.organisations:
            if org.kind != Kind.GENERAL_BRANCH:
                continue
            pool = [
                m
                for bp in plan.branches
                if bp.org.parent is org
                for m in self._members_of(bp.org)
                if m.category == "full" and m.status == PartyMember.Status.NORMAL
            ]
            pool.sort(key=self._rank, reverse=True)
            start = self._term_start(rng.randint(1, 7), 3)
            org.term_started_on = start
            for pos, m in zip(
                (Position.SECRETARY, Position.DEPUTY_SECRETARY, Position.ORGANISATION,
                 Position.PUBLICITY, Position.DISCIPLINE),
                pool[: rng.choice((3, 5))],
                strict=False,
            ):  # fmt: skip
                self._seat(org, m, pos, start, 3)
        # 党委: 书记, 副书记 (院长), 纪委书记 and members.
        committee = self._committee
        hospital_full = [
            m
            for m in plan.members
            if m.category == "full"
            and m.status == PartyMember.Status.NORMAL
            and not m.is_retired
            and m.staff.institution is self._hospital
            and self._age_of(m.staff) >= 40
        ]
        leaders = sorted(
            hospital_full,
            key=lambda m: (
                m.staff.post_category == PostCategory.MANAGEMENT or m.staff.is_department_head,
                TITLE_RANK[m.staff.title_level],
                rng.random(),
            ),
            reverse=True,
        )
        positions = [
            Position.SECRETARY,
            Position.DEPUTY_SECRETARY,
            Position.DEPUTY_SECRETARY,
            Position.DISCIPLINE,
            Position.ORGANISATION,
            Position.PUBLICITY,
            Position.MEMBER,
        ]
        if self.spec.name != "small":
            positions += [Position.MEMBER, Position.MEMBER]
        self._committee_members = leaders[: len(positions)]
        for pos, m in zip(positions, self._committee_members, strict=False):
            self._seat(committee, m, pos, committee.term_started_on, 5)

    def _flags_and_transfers(self) -> None:
        rng, today, plan = self.rng, self.today, self.plan
        normal = [m for m in plan.members if m.status == PartyMember.Status.NORMAL]
        in_post = [m for m in normal if not m.is_retired]
        for m in rng.sample(in_post, max(1, len(in_post) // 100)):
            m.is_mobile = True  # 流动党员 (外出进修、援外、长期病休)
        for m in rng.sample(in_post, max(1, len(in_post) // 300)):
            m.is_lost_contact = True
        for m in rng.sample(in_post, max(2, len(in_post) // 40)):
            when = max(m.staff.hired_on, m.joined_on)
            plan.transfers.append(
                MemberTransfer(
                    member=m,
                    direction=MemberTransfer.Direction.IN,
                    to_organisation=m.organisation,
                    external_organisation=rng.choice(data.TRANSFER_SOURCES),
                    transferred_on=min(when + dt.timedelta(days=rng.randint(5, 60)), today),
                    note="入职转入组织关系",
                )
            )
        hospital_branches = [bp.org for bp in plan.branches if bp.kind == "regular"]
        for m in rng.sample(in_post, max(1, len(in_post) // 100)):
            if m.organisation not in hospital_branches or len(hospital_branches) < 2:
                continue
            source = rng.choice([o for o in hospital_branches if o is not m.organisation])
            plan.transfers.append(
                MemberTransfer(
                    member=m,
                    direction=MemberTransfer.Direction.INTERNAL,
                    from_organisation=source,
                    to_organisation=m.organisation,
                    transferred_on=today - dt.timedelta(days=rng.randint(30, 900)),
                    note="科室调整，支部随转",
                )
            )

    def _temporary_assignments(self) -> None:
        rng, plan = self.rng, self.plan
        temp = next(bp for bp in plan.branches if bp.kind == "temporary")
        pool = [
            m
            for m in plan.members
            if m.category == "full"
            and m.status == PartyMember.Status.NORMAL
            and not m.is_retired
            and m.staff.institution is self._hospital
            and m.staff.post_category in (PostCategory.DOCTOR, PostCategory.NURSE)
            and 28 <= self._age_of(m.staff) <= 50
            and not m.staff.is_department_head
        ]
        team = rng.sample(pool, min(len(pool), {"small": 5, "hospital": 8}.get(self.spec.name, 12)))
        for m in team:
            plan.temporary.append(
                TemporaryAssignment(
                    organisation=temp.org, member=m, joined_on=temp.org.established_on
                )
            )
            m.is_mobile = True
        if team:
            secretary = max(team, key=self._rank)
            temp.secretary = secretary
            self._seat(temp.org, secretary, Position.SECRETARY, temp.org.established_on, 1)

    def _dual_cultivation(self) -> None:
        rng, today, plan = self.rng, self.today, self.plan
        backbones = [
            s
            for s in plan.staff
            if id(s) not in self._member_of
            and s.employment_status == Staff.EmploymentStatus.IN_POST
            and (TITLE_RANK[s.title_level] >= 2 or s.education in (Edu.DOCTORATE, Edu.MASTER))
            and 26 <= self._age_of(s) <= 45
        ]
        for s in rng.sample(backbones, min(len(backbones), max(3, len(plan.staff) // 70))):
            bp = self._branch_of_dept.get(id(s.department))
            mentor = bp.secretary.staff if bp and bp.secretary else None
            plan.dual_cultivation.append(
                DualCultivation(
                    staff=s,
                    track=DualCultivation.Track.BACKBONE_TO_MEMBER,
                    mentor=mentor,
                    started_on=today - dt.timedelta(days=rng.randint(30, 700)),
                    goal="培养为入党积极分子，力争两年内发展为党员",
                    progress="已递交入党申请书，确定培养联系人，参加党课学习",
                )
            )
        members = [
            m
            for m in plan.members
            if m.status == PartyMember.Status.NORMAL
            and m.category == "full"
            and not m.is_retired
            and not m.staff.is_department_head
            and TITLE_RANK[m.staff.title_level] >= 2
        ]
        for m in rng.sample(members, min(len(members), max(3, len(plan.staff) // 100))):
            started = today - dt.timedelta(days=rng.randint(60, 1000))
            roll = rng.random()
            status = (
                DualCultivation.Status.ACHIEVED
                if roll < 0.2
                else DualCultivation.Status.STOPPED
                if roll < 0.28
                else DualCultivation.Status.ACTIVE
            )
            plan.dual_cultivation.append(
                DualCultivation(
                    staff=m.staff,
                    track=DualCultivation.Track.MEMBER_TO_BACKBONE,
                    started_on=started,
                    goal="培养为科室副主任或护士长后备人选",
                    progress="参加医院中层干部后备人才培训，轮岗医务科三个月",
                    status=status,
                    achieved_on=(
                        self._date_between(started, today)
                        if status == DualCultivation.Status.ACHIEVED
                        else None
                    ),
                )
            )

    # ------------------------------------------------------------------ 三联
    def build_links(self, recorded_by: Any = None) -> None:
        rng, today, plan = self.rng, self.today, self.plan
        Level = ThreeLink.Level
        branches = [bp for bp in plan.branches if bp.kind != "temporary"]
        linkers = self._committee_members
        for i, bp in enumerate(branches):
            if linkers:
                self._link(
                    Level.COMMITTEE_BRANCH, linkers[i % len(linkers)].staff, bp.org, None, "", 90
                )
        for bp in branches:
            seats = [c.member for c in plan.committee if c.organisation is bp.org]
            members = [m for m in self._members_of(bp.org) if m.status == PartyMember.Status.NORMAL]
            for seat in seats:
                others = [m for m in members if m is not seat]
                for m in rng.sample(others, min(len(others), rng.randint(2, 4))):
                    self._link(Level.BRANCH_MEMBER, seat.staff, bp.org, m.staff, "", 90)
            masses_pool = [
                s
                for d in bp.departments
                for s in self._dept_staff[id(d)]
                if id(s) not in self._member_of
                and s.employment_status == Staff.EmploymentStatus.IN_POST
            ]
            for m in rng.sample(members, min(len(members), max(1, len(members) // 5))):
                if masses_pool and rng.random() < 0.6:
                    self._link(
                        Level.MEMBER_MASSES, m.staff, bp.org, rng.choice(masses_pool), "", 60
                    )
                else:
                    self._link(
                        Level.MEMBER_MASSES,
                        m.staff,
                        bp.org,
                        None,
                        rng.choice(data.MASSES_CONTACTS),
                        30,
                    )
        for link in plan.links:
            # Contacts back from today; about one pairing in six is overdue.
            overdue = rng.random() < 1 / 6
            interval = link.contact_interval_days
            last = today - dt.timedelta(
                days=rng.randint(interval + 5, interval + 90)
                if overdue
                else rng.randint(1, interval - 5)
            )
            n = rng.randint(1, 4)
            for k in range(n):
                day = last - dt.timedelta(days=k * interval + rng.randint(0, 10))
                if day < link.started_on:
                    break
                plan.contacts.append(
                    ContactRecord(
                        link=link,
                        contacted_on=day,
                        mode=rng.choice(ContactRecord.Mode.values),
                        summary=rng.choice(data.CONTACT_SUMMARIES[link.level]),
                        recorded_by=recorded_by,
                    )
                )

    def _link(
        self,
        level: str,
        linker: Staff,
        branch: PartyOrganisation,
        target: Staff | None,
        target_name: str,
        interval: int,
    ) -> None:
        self.plan.links.append(
            ThreeLink(
                level=level,
                linker=linker,
                branch=branch,
                target_staff=target,
                target_name=target_name,
                started_on=self.today - dt.timedelta(days=self.rng.randint(400, 1200)),
                contact_interval_days=interval,
            )
        )

    # ------------------------------------------------------------------ accounts
    def choose_account_people(self) -> None:
        plan = self.plan
        taken = {id(s) for s in plan.account_staff.values()}
        medical = self._find_dept("医务科") or self._find_dept("院长办公室")
        pool = [
            s
            for s in self._dept_staff[id(medical)]
            if id(s) not in taken and s.employment_status == Staff.EmploymentStatus.IN_POST
        ]
        plan.account_staff["medical_affairs"] = pool[0]
        # The secretary: a 双带头人 branch of the hospital with the most members.
        duals = [bp for bp in plan.branches if bp.dual and bp.kind == "regular" and bp.secretary]
        clinical = [bp for bp in duals if all(d.category == data.C for d in bp.departments)]
        duals = clinical or duals
        best = max(duals, key=lambda bp: (len(self._members_of(bp.org)), -plan.branches.index(bp)))
        plan.secretary_branch = best.org
        plan.account_staff["branch_secretary"] = best.secretary.staff  # type: ignore[union-attr]
        secretaries = {id(bp.secretary.staff) for bp in plan.branches if bp.secretary}
        # A department head who is not a branch secretary, of a clinical department elsewhere.
        heads = [
            (d, self._head[id(d)])
            for d in plan.departments
            if id(d) in self._head
            and d.category == data.C
            and d.institution is self._hospital
            and id(self._head[id(d)]) not in secretaries
            and self._branch_of_dept.get(id(d)) is not best
        ]
        d, head = heads[0]
        plan.head_department = d
        plan.account_staff["department_head"] = head
        taken = {id(s) for s in plan.account_staff.values()}
        plain = [
            s
            for s in self._dept_staff[id(d)]
            if id(s) not in self._member_of
            and id(s) not in taken
            and not s.is_department_head
            and s.employment_status == Staff.EmploymentStatus.IN_POST
        ]
        plan.account_staff["staff"] = plain[0]


def build_plan(*, size: str, seed: int, today: dt.date) -> tuple[DemoBuilder, DemoPlan]:
    builder = DemoBuilder(size=size, seed=seed, today=today)
    builder.build_structure()
    builder.build_staff()
    builder.build_tree()
    builder.build_members()
    builder.build_details()
    builder.choose_account_people()
    return builder, builder.plan
