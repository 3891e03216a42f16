"""The demo hospital: deterministic, valid, realistic, and every role can sign in."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from hongfan.accounts.models import RoleAssignment, User
from hongfan.accounts.roles import SECOND_FACTOR_ROLES, Role
from hongfan.audit.models import AuditEntry
from hongfan.demo.services import DEMO_ACCOUNTS, DEMO_PASSWORD
from hongfan.org.models import Department, Institution, Staff
from hongfan.org.validators import validate_id_card, validate_phone
from hongfan.party.models import (
    CommitteeMember,
    ContactRecord,
    DualCultivation,
    MemberTransfer,
    PartyMember,
    PartyOrganisation,
    ThreeLink,
)

TODAY = dt.date(2026, 11, 23)
pytestmark = pytest.mark.django_db


def seed(*extra: str, size: str = "small", modules: bool = False) -> str:
    """Seed the demo; the foundation only unless ``modules`` (see the last test)."""
    out = StringIO()
    only = () if modules else ("--foundation-only",)
    call_command(
        "seed_demo", "--size", size, "--today", TODAY.isoformat(), *only, *extra, stdout=out
    )
    return out.getvalue()


def people() -> list[tuple[str, str, str, dt.date, str, str, str]]:
    return [
        (s.employee_no, s.name, s.id_card, s.birth_date, s.department.name, s.post_category,
         s.title_level)
        for s in Staff.objects.select_related("department").order_by(
            "institution__code", "employee_no"
        )
    ]  # fmt: skip


def test_the_same_seed_gives_the_same_people_and_id_numbers() -> None:
    seed()
    first = people()
    seed("--reset")
    assert people() == first
    seed("--reset", "--seed", "7")
    other = people()
    assert len(other) == len(first)
    assert [p[1] for p in other] != [p[1] for p in first]


def test_the_small_hospital_has_the_sizes_of_the_brief() -> None:
    seed()
    assert Staff.objects.count() == 300
    assert Department.objects.count() == 15
    assert Institution.objects.filter(kind=Institution.Kind.HEALTH_CENTRE).count() == 2
    assert PartyOrganisation.objects.filter(kind="branch").count() == 8
    assert 95 <= PartyMember.objects.count() <= 110
    assert PartyOrganisation.objects.filter(kind="general_branch").count() == 3
    assert PartyOrganisation.objects.filter(kind="committee").count() == 1


def test_seeding_again_without_reset_reports_already_seeded_and_adds_nothing() -> None:
    seed()
    staff, members = Staff.objects.count(), PartyMember.objects.count()
    out = seed()
    assert "already seeded" in out
    assert "demo_office" in out  # the accounts table is printed again
    assert (Staff.objects.count(), PartyMember.objects.count()) == (staff, members)


def test_a_database_with_other_hospitals_data_is_refused_without_reset() -> None:
    Institution.objects.create(code="REAL01", name="某市第一医院")
    with pytest.raises(CommandError, match="not demo data"):
        seed()
    assert not Staff.objects.exists()
    seed("--reset")
    assert Institution.objects.filter(code="REAL01").exists()
    assert Staff.objects.count() == 300


def test_every_id_card_number_is_valid_and_matches_the_birth_date() -> None:
    seed()
    staff = list(Staff.objects.all())
    for s in staff:
        assert validate_id_card(s.id_card, s.birth_date, today=TODAY) == s.id_card
        assert s.id_card.startswith("13")  # Hebei
        # The 17th digit is odd for men, even for women (GB 11643).
        assert int(s.id_card[16]) % 2 == (1 if s.gender == "M" else 0)
        assert validate_phone(s.phone) == s.phone
        assert s.id_card_digest
    assert len({s.id_card for s in staff}) == len(staff)
    assert len({s.phone for s in staff}) == len(staff)


def test_people_follow_the_distributions_of_the_brief() -> None:
    seed()
    staff = list(Staff.objects.all())
    n = len(staff)

    def share(field: str) -> dict[str, float]:
        return {k: v / n for k, v in Counter(getattr(s, field) for s in staff).items()}

    posts = share("post_category")
    for key, target in (("doctor", 0.35), ("nurse", 0.45), ("technician", 0.08),
                        ("pharmacist", 0.04), ("management", 0.05), ("support", 0.03)):  # fmt: skip
        assert posts[key] == pytest.approx(target, abs=0.02), key
    titles = share("title_level")
    for key, target in (("senior", 0.05), ("associate_senior", 0.12), ("intermediate", 0.30),
                        ("junior", 0.40)):  # fmt: skip
        assert titles.get(key, 0) == pytest.approx(target, abs=0.07), key
    education = share("education")
    for key, target in (("doctorate", 0.03), ("master", 0.15), ("bachelor", 0.55),
                        ("college", 0.22)):  # fmt: skip
        assert education.get(key, 0) == pytest.approx(target, abs=0.07), key
    in_post = [s for s in staff if s.employment_status == Staff.EmploymentStatus.IN_POST]
    ages = [(TODAY - s.birth_date).days / 365.25 for s in in_post]
    assert min(ages) >= 22
    assert max(ages) < 61
    # Titles follow age: the seniors are older than the juniors on average.
    by_title: dict[str, list[float]] = {}
    for s, age in zip(in_post, ages, strict=True):
        by_title.setdefault(s.title_level, []).append(age)
    mean = {k: sum(v) / len(v) for k, v in by_title.items()}
    assert mean["senior"] > mean["intermediate"] > mean["junior"]
    assert Staff.objects.filter(employment_status="retired").exists()
    assert Staff.objects.filter(employment_status="left").exists()
    assert all(re.fullmatch(r"[\u4e00-\u9fff]{2,3}", s.name) for s in staff)


def test_the_party_tree_has_the_shapes_of_the_brief() -> None:
    seed()
    committee = PartyOrganisation.objects.get(kind="committee")
    for general in PartyOrganisation.objects.filter(kind="general_branch"):
        assert general.parent == committee
    branches = PartyOrganisation.objects.filter(kind="branch")
    for b in branches.filter(is_temporary=False, is_joint=False):
        assert 1 <= b.departments.count() <= 3
    joint = branches.get(is_joint=True)
    assert joint.departments.values("institution").distinct().count() == 2
    temporary = branches.get(is_temporary=True)
    assert temporary.temporary_task and temporary.approved_by == committee
    assert temporary.temporary_assignments.count() >= 3
    assert PartyMember.objects.filter(category="probationary").exists()
    assert PartyMember.objects.filter(is_mobile=True).exists()
    assert PartyMember.objects.filter(is_lost_contact=True).exists()
    assert MemberTransfer.objects.filter(direction="in").exists()
    assert MemberTransfer.objects.filter(direction="out").exists()
    assert DualCultivation.objects.filter(track="backbone_to_member").exists()
    assert DualCultivation.objects.filter(track="member_to_backbone").exists()
    assert ThreeLink.objects.values("level").distinct().count() == 3
    assert ContactRecord.objects.exists()
    for m in PartyMember.objects.filter(category="full"):
        assert m.applied_on < m.joined_on < m.confirmed_on <= TODAY


def test_committee_terms_include_one_expired_and_some_ending_within_90_days() -> None:
    seed()
    seats = CommitteeMember.objects.filter(organisation__kind="branch")
    assert seats.filter(term_end__lt=TODAY).exists()
    assert seats.filter(term_end__gte=TODAY, term_end__lte=TODAY + dt.timedelta(days=90)).exists()


def test_about_three_quarters_of_branch_secretaries_head_a_bound_department() -> None:
    seed()
    seats = CommitteeMember.objects.filter(
        organisation__kind="branch", position="secretary"
    ).select_related("member__staff")
    dual = [
        c
        for c in seats
        if c.member.staff.is_department_head
        and c.organisation.departments.filter(pk=c.member.staff.department_id).exists()
    ]
    assert len(dual) / len(seats) == pytest.approx(0.75, abs=0.1)


def test_the_seed_is_audited() -> None:
    # transactional tests elsewhere may leave audit rows (the log cannot be flushed)
    before = AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    seed()
    entries = AuditEntry.objects.filter(
        pk__gt=before, username="seed_demo", object_type="org.staff"
    )
    assert entries.count() == Staff.objects.count()


def test_the_branch_secretary_account_holds_the_secretary_seat_of_its_branch() -> None:
    seed()
    user = User.objects.get(username="demo_secretary")
    assignment = RoleAssignment.objects.get(user=user, role=Role.BRANCH_SECRETARY)
    branch = assignment.organisation
    assert branch.kind == "branch"
    assert CommitteeMember.objects.filter(
        organisation=branch, position="secretary", member__staff=user.staff
    ).exists()
    assert branch.pk in user.scope.organisation_ids
    assert user.staff.department_id in user.scope.department_ids
    head = User.objects.get(username="demo_head")
    dept = RoleAssignment.objects.get(user=head, role=Role.DEPARTMENT_HEAD).department
    assert head.staff.department == dept and head.staff.is_department_head


def test_every_demo_account_signs_in_through_the_login_form(client) -> None:
    out = seed()
    home = reverse("core:home")
    for role, username in DEMO_ACCOUNTS:
        assert username in out
        client.logout()
        response = client.post(
            reverse("accounts:login"), {"username": username, "password": DEMO_PASSWORD}
        )
        assert response.status_code == 302, username
        if role in SECOND_FACTOR_ROLES:
            device = TOTPDevice.objects.get(user__username=username, confirmed=True)
            assert client.get(home).status_code == 302  # the second factor is asked first
            code = f"{totp(device.bin_key):06d}"
            response = client.post(reverse("accounts:otp_verify"), {"token": code})
            assert response.status_code == 302, username
        assert client.get(home).status_code == 200, username


def test_the_full_demo_runs_every_module_and_resets_cleanly() -> None:
    """Every registered module adds its data; --reset wipes it and the seed is repeatable."""
    from hongfan.demo.extensions import extensions

    out = seed(modules=True)
    assert "Seeded:" in out
    for ext in extensions():
        assert f"{ext.key} " in out.split("Time:")[1], f"module {ext.key} did not run"
    first = out.split("Seeded:")[1].split("\n")[0]
    again = seed("--reset", modules=True)
    assert again.split("Seeded:")[1].split("\n")[0] == first
