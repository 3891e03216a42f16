"""Writes of the demo hospital: seed it, wipe it, list its accounts.

Rows are written through the models with ``bulk_create`` in batches; ``AuditedQuerySet``
records one audit entry per row, so seeding is audited like any other bulk write (attributed
to the user name ``seed_demo``). The wipe deletes row by row through Django's collector,
which records every deleted row as well.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.db import models, transaction
from django.db.models import ProtectedError, RestrictedError
from django.utils import timezone, translation
from django_otp.plugins.otp_totp.models import TOTPDevice

from hongfan.accounts.models import User
from hongfan.accounts.roles import HOSPITAL_WIDE_ROLES, SECOND_FACTOR_ROLES, Role
from hongfan.accounts.services import assign_role, totp_secret_b32
from hongfan.audit.models import AuditEntry
from hongfan.audit.services import audit_context, record
from hongfan.core.crypto import blind_index
from hongfan.demo.builder import DEMO_PREFIX, HOSPITAL_CODE, SIZES, DemoPlan, build_plan
from hongfan.demo.extensions import DemoContext, extensions, load
from hongfan.org.models import Department, DisciplineCentre, Institution, Staff
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

SEED_MARKER = "demo.seed"  # object type of the audit entry that marks the start of a seed
FOUNDATION_LABELS = (
    "org.institution",
    "org.disciplinecentre",
    "org.department",
    "org.staff",
    "party.partyorganisation",
    "party.partymember",
)  # deleted by demo_reset's own steps, in their order
DEMO_PASSWORD = "Hongfan@2026"  # noqa: S105 (printed by the demo command on purpose)
BATCH = 1000

# (role, user name) in the order the table is printed.
DEMO_ACCOUNTS: tuple[tuple[str, str], ...] = (
    (Role.SYSTEM_ADMIN, "demo_sysadmin"),
    (Role.SECURITY_ADMIN, "demo_secadmin"),
    (Role.AUDIT_ADMIN, "demo_auditadmin"),
    (Role.PARTY_OFFICE, "demo_office"),
    (Role.BRANCH_SECRETARY, "demo_secretary"),
    (Role.DISCIPLINE, "demo_discipline"),
    (Role.MEDICAL_AFFAIRS, "demo_medical"),
    (Role.PRESIDENT_OFFICE, "demo_president"),
    (Role.DEPARTMENT_HEAD, "demo_head"),
    (Role.STAFF, "demo_staff"),
)
DEMO_USERNAMES = tuple(u for _, u in DEMO_ACCOUNTS)
_ADMIN_NAMES = {
    Role.SYSTEM_ADMIN: "系统管理员",
    Role.SECURITY_ADMIN: "安全管理员",
    Role.AUDIT_ADMIN: "审计管理员",
}


@dataclass(frozen=True)
class AccountRow:
    role: str
    role_label: str
    username: str
    password: str
    person: str
    scope: str
    totp_secret: str


@dataclass
class SeedResult:
    size: str
    seed: int
    counts: dict[str, int] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    extra_counts: dict[str, int] = field(default_factory=dict)  # from module extensions
    audit_entries: int = 0


def demo_exists() -> bool:
    return Institution.objects.filter(code=HOSPITAL_CODE).exists()


def non_demo_data_exists() -> bool:
    """Business data that the demo did not create (another hospital's real records)."""
    return Institution.objects.exclude(code__startswith=DEMO_PREFIX).exists()


def totp_key(seed: int, role: str) -> str:
    """A fixed, known TOTP key (hex, 20 bytes) per demo role, so the table can print it."""
    return hashlib.sha1(f"hongfan-demo:{seed}:{role}".encode(), usedforsecurity=False).hexdigest()


def _bulk(model: type[models.Model], objs: list[Any]) -> None:
    model._default_manager.bulk_create(objs, batch_size=BATCH)


def _write(plan: DemoPlan, timings: dict[str, float]) -> None:
    def timed(label: str, fn: Callable[[], None]) -> None:
        started = time.perf_counter()
        fn()
        timings[label] = timings.get(label, 0.0) + time.perf_counter() - started

    hospital, *centres = plan.institutions
    timed("institutions", lambda: (_bulk(Institution, [hospital]), _bulk(Institution, centres)))
    timed(
        "departments",
        lambda: (_bulk(DisciplineCentre, plan.centres), _bulk(Department, plan.departments)),
    )

    def staff() -> None:
        for s in plan.staff:
            s.id_card_digest = blind_index(s.id_card, purpose="id_card")
        _bulk(Staff, plan.staff)

    timed("staff", staff)

    def organisations() -> None:
        for kind in PartyOrganisation.Kind.values:
            _bulk(PartyOrganisation, [o for o in plan.organisations if o.kind == kind])
        for bp in plan.branches:
            if bp.departments:
                bp.org.departments.set(bp.departments)  # m2m_changed is audited

    timed("organisations", organisations)
    timed("members", lambda: _bulk(PartyMember, plan.members))

    def details() -> None:
        _bulk(CommitteeMember, plan.committee)
        _bulk(MemberTransfer, plan.transfers)
        _bulk(TemporaryAssignment, plan.temporary)
        _bulk(DualCultivation, plan.dual_cultivation)

    timed("committees etc.", details)


def _create_accounts(plan: DemoPlan) -> User:
    """Create one account per role; return the Party office user (records contacts)."""
    validate_password(DEMO_PASSWORD)
    # One Argon2 hash for every demo account (hashing is deliberately slow; the password is
    # the same and printed anyway).
    hashed = make_password(DEMO_PASSWORD)
    office: User | None = None
    for role, username in DEMO_ACCOUNTS:
        staff = plan.account_staff.get(role)
        user = User.objects.create(
            username=username,
            password=hashed,
            staff=staff,
            first_name=_ADMIN_NAMES.get(role, ""),
        )
        scope: dict[str, int] = {}
        if role == Role.BRANCH_SECRETARY:
            assert plan.secretary_branch is not None
            scope = {"organisation_id": plan.secretary_branch.pk}
        elif role == Role.DEPARTMENT_HEAD:
            assert plan.head_department is not None
            scope = {"department_id": plan.head_department.pk}
        assign_role(user=user, role=role, **scope)
        if staff is not None and role != Role.STAFF:
            assign_role(user=user, role=Role.STAFF)
        if role in SECOND_FACTOR_ROLES:
            TOTPDevice.objects.create(
                user=user, name="demo", key=totp_key(plan.seed, role), confirmed=True
            )
        if role == Role.PARTY_OFFICE:
            office = user
    assert office is not None
    return office


def demo_seed(
    *,
    size: str,
    seed: int = 2026,
    today: dt.date | None = None,
    modules: bool | tuple[str, ...] = True,
) -> SeedResult:
    """Create the demo hospital of ``size`` from ``seed``. The caller checks it is absent.

    ``modules=False`` loads the foundation only (people, Party organisation, accounts) and
    skips the module extensions (meetings, matters, dues …); a tuple of extension keys runs
    only those (benchmarks)."""
    if size not in SIZES:
        raise ValueError(f"unknown size {size!r}")
    today = today or timezone.localdate()
    result = SeedResult(size=size, seed=seed)
    audit_before = AuditEntry.objects.count()
    started = time.perf_counter()
    builder, plan = build_plan(size=size, seed=seed, today=today)
    result.timings["plan"] = time.perf_counter() - started
    with audit_context(username="seed_demo"), transaction.atomic():
        record(
            AuditEntry.Action.OTHER,
            object_type=SEED_MARKER,
            object_repr=f"seed_demo --size {size} --seed {seed}",
            detail={"size": size, "seed": seed, "today": today.isoformat()},
        )
        _write(plan, result.timings)
        t = time.perf_counter()
        office = _create_accounts(plan)
        result.timings["accounts"] = time.perf_counter() - t
        t = time.perf_counter()
        builder.build_links(recorded_by=office)
        _bulk(ThreeLink, plan.links)
        _bulk(ContactRecord, plan.contacts)
        result.timings["三联"] = time.perf_counter() - t
    if modules:
        only = modules if isinstance(modules, tuple) else None
        _run_extensions(size=size, seed=seed, today=today, office=office, result=result, only=only)
    result.timings["total"] = time.perf_counter() - started
    result.audit_entries = AuditEntry.objects.count() - audit_before
    result.counts = {
        "institutions": len(plan.institutions),
        "centres": len(plan.centres),
        "departments": len(plan.departments),
        "staff": len(plan.staff),
        "organisations": len(plan.organisations),
        "branches": len(plan.branches),
        "members": len(plan.members),
        "committee seats": len(plan.committee),
        "transfers": len(plan.transfers),
        "dual cultivation": len(plan.dual_cultivation),
        "三联 links": len(plan.links),
        "contact records": len(plan.contacts),
    }
    return result


def _run_extensions(
    *,
    size: str,
    seed: int,
    today: dt.date,
    office: User,
    result: SeedResult,
    only: tuple[str, ...] | None = None,
) -> None:
    """Let every module add its part of the demo (meetings, matters, dues …)."""
    accounts = {
        role: User.objects.get(username=username)
        for role, username in DEMO_ACCOUNTS
        if User.objects.filter(username=username).exists()
    }
    ctx = DemoContext(size=size, seed=seed, today=today, office_user=office, accounts=accounts)
    for ext in extensions():
        if only is not None and ext.key not in only:
            continue
        t = time.perf_counter()
        with audit_context(username="seed_demo"), transaction.atomic():
            counts = load(ext)(ctx) or {}
        result.timings[ext.key] = time.perf_counter() - t
        result.extra_counts.update(counts)


# ---------------------------------------------------------------------- wipe
def _purge(qs: models.QuerySet[Any], depth: int = 0) -> int:
    """Delete ``qs``; first delete whatever PROTECTs / RESTRICTs its rows, recursively."""
    if depth > 15:
        raise RuntimeError("demo wipe: dependency chain too deep")
    deleted = 0
    for _ in range(30):
        try:
            with transaction.atomic():
                deleted += qs.delete()[0]
            return deleted
        except ProtectedError as exc:
            blockers = exc.protected_objects
        except RestrictedError as exc:
            blockers = exc.restricted_objects
        by_model: dict[type[models.Model], list[Any]] = defaultdict(list)
        for obj in blockers:
            by_model[type(obj)].append(obj.pk)
        for model, pks in by_model.items():
            deleted += _purge(model._base_manager.filter(pk__in=pks), depth + 1)
    raise RuntimeError("demo wipe: could not resolve dependencies")


def _purge_seeded_module_rows() -> int:
    """Delete the rows the module extensions wrote at the last seed, newest model first.

    The audit log is the record of what ``seed_demo`` created: every create after the last
    seed marker. Rows deleted since, or deleted by the cascade of an earlier model, are simply
    not found. The foundation rows are left to :func:`demo_reset`'s own steps."""
    marker = AuditEntry.objects.filter(object_type=SEED_MARKER).order_by("-pk").first()
    if marker is None:
        return 0
    created = (
        AuditEntry.objects.filter(pk__gt=marker.pk, action=AuditEntry.Action.CREATE)
        .exclude(object_type="")
        .exclude(object_type__in=FOUNDATION_LABELS)
        .values_list("object_type", "object_id", "pk", "detail")
    )
    ids: dict[str, list[str]] = defaultdict(list)
    first_seen: dict[str, int] = {}
    for label, object_id, pk, detail in created.iterator(chunk_size=5000):
        # one entry per row, or one per chunk naming the ids (audit.services.bulk_summary)
        ids[label].extend([object_id] if object_id else (detail or {}).get("ids", []))
        first_seen.setdefault(label, pk)
    deleted = 0
    for label in sorted(ids, key=lambda lbl: -first_seen[lbl]):
        try:
            model = apps.get_model(label)
        except LookupError:
            continue
        for start in range(0, len(ids[label]), BATCH):
            deleted += _purge(model._base_manager.filter(pk__in=ids[label][start : start + BATCH]))
    return deleted


def demo_reset() -> int:
    """Delete the demo accounts and every row of the demo institutions, and the module rows
    the last seed wrote (meetings, matters, dues …). Returns rows deleted."""
    demo = {"code__startswith": DEMO_PREFIX}
    staff_of = {"staff__institution__code__startswith": DEMO_PREFIX}
    member_of = {"member__staff__institution__code__startswith": DEMO_PREFIX}
    deleted = 0
    with audit_context(username="seed_demo"):
        deleted += _purge_seeded_module_rows()
        deleted += _purge(User.objects.filter(username__in=DEMO_USERNAMES))
        steps: list[models.QuerySet[Any]] = [
            ContactRecord.objects.filter(link__linker__institution__code__startswith=DEMO_PREFIX),
            ThreeLink.objects.filter(linker__institution__code__startswith=DEMO_PREFIX),
            DualCultivation.objects.filter(**staff_of),
            TemporaryAssignment.objects.filter(**member_of),
            CommitteeMember.objects.filter(**member_of),
            MemberTransfer.objects.filter(**member_of),
            PartyMember.objects.filter(**staff_of),
            *[
                PartyOrganisation.objects.filter(
                    kind=kind, institution__code__startswith=DEMO_PREFIX
                )
                for kind in reversed(PartyOrganisation.Kind.values)
            ],
            Staff.objects.filter(institution__code__startswith=DEMO_PREFIX),
            Department.objects.filter(institution__code__startswith=DEMO_PREFIX),
            DisciplineCentre.objects.filter(institution__code__startswith=DEMO_PREFIX),
            Institution.objects.filter(leading__isnull=False, **demo),
            Institution.objects.filter(**demo),
        ]
        for qs in steps:
            deleted += _purge(qs)
    return deleted


# ---------------------------------------------------------------------- accounts
def demo_accounts() -> list[AccountRow]:
    """The demo accounts as the command prints them (role labels in Chinese)."""
    users = {
        u.username: u
        for u in User.objects.filter(username__in=DEMO_USERNAMES).select_related(
            "staff__department"
        )
    }
    rows: list[AccountRow] = []
    with translation.override("zh-hans"):
        for role, username in DEMO_ACCOUNTS:
            user = users.get(username)
            if user is None:
                continue
            assignment = (
                user.role_assignments.filter(role=role)
                .select_related("organisation", "department")
                .first()
            )
            if role == Role.BRANCH_SECRETARY and assignment and assignment.organisation:
                scope = assignment.organisation.name
            elif role == Role.DEPARTMENT_HEAD and assignment and assignment.department:
                scope = assignment.department.name
            elif role in HOSPITAL_WIDE_ROLES:
                scope = "全院"
            elif role == Role.STAFF:
                scope = "本人"
            else:
                scope = "系统"
            device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
            rows.append(
                AccountRow(
                    role=role,
                    role_label=str(Role(role).label),
                    username=username,
                    password=DEMO_PASSWORD,
                    person=(
                        f"{user.staff.name}（{user.staff.department.name}）"
                        if user.staff
                        else user.first_name
                    ),
                    scope=scope,
                    totp_secret=totp_secret_b32(device) if device else "",
                )
            )
    return rows
