"""Writes to the Party organisation tree, members, committees, transfers, 双培养 and 三联.

Every function validates before it saves and raises ``ValidationError`` with a
Chinese-translatable message; nothing is saved when it raises (``@transaction.atomic``).
Other modules ask the ``ensure_*`` helpers before they collect dues, develop members or
take disciplinary action, so a temporary branch is refused in one place.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hongfan.org.models import Department, Institution, Staff
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

Kind = PartyOrganisation.Kind

ORGANISATION_FIELDS = (
    "institution",
    "code",
    "name",
    "kind",
    "parent",
    "is_joint",
    "is_temporary",
    "temporary_task",
    "approved_by",
    "established_on",
    "dissolved_on",
    "term_years",
    "term_started_on",
    "sort_order",
)
MEMBER_FIELDS = (
    "category",
    "applied_on",
    "joined_on",
    "confirmed_on",
    "is_mobile",
    "is_lost_contact",
    "under_probation",
    "is_retired",
    "group",
)


# --- Temporary-branch restrictions (used by dues, development, discipline) ----------------


def ensure_collects_dues(organisation: PartyOrganisation) -> None:
    """Raise unless ``organisation`` may collect Party dues (temporary branches may not)."""
    if not organisation.collects_dues:
        raise ValidationError(
            _("%(org)s is a temporary branch: it collects no Party dues.")
            % {"org": organisation.name},
            code="temporary_no_dues",
        )


def ensure_may_develop_members(organisation: PartyOrganisation) -> None:
    """Raise unless ``organisation`` may develop new members (temporary branches may not)."""
    if not organisation.may_develop_members:
        raise ValidationError(
            _("%(org)s is a temporary branch: it cannot develop new members.")
            % {"org": organisation.name},
            code="temporary_no_development",
        )


def ensure_may_discipline(organisation: PartyOrganisation) -> None:
    """Raise unless ``organisation`` may take disciplinary action (temporary branches may not)."""
    if organisation.is_temporary:
        raise ValidationError(
            _("%(org)s is a temporary branch: it cannot take disciplinary action.")
            % {"org": organisation.name},
            code="temporary_no_discipline",
        )


# --- Organisation tree ----------------------------------------------------------------------


def _ancestor_ids(organisation: PartyOrganisation) -> list[int]:
    """Return the ids above ``organisation`` (one query per level; trees are shallow)."""
    seen: list[int] = []
    parent_id = organisation.parent_id
    while parent_id is not None:
        if parent_id in seen or parent_id == organisation.pk:
            seen.append(parent_id)
            break
        seen.append(parent_id)
        parent_id = (
            PartyOrganisation.objects.filter(pk=parent_id)
            .values_list("parent_id", flat=True)
            .first()
        )
    return seen


def _check_organisation(org: PartyOrganisation) -> None:
    errors: dict[str, list[Any]] = {}
    parent = org.parent
    if parent is not None:
        if org.pk is not None and org.pk in _ancestor_ids(org):
            errors.setdefault("parent", []).append(
                ValidationError(
                    _(
                        "An organisation cannot sit under itself or one of its own "
                        "sub-organisations."
                    ),
                    code="tree_cycle",
                )
            )
        allowed = PartyOrganisation.ALLOWED_CHILDREN.get(Kind(parent.kind), set())
        if org.kind not in allowed:
            errors.setdefault("parent", []).append(
                ValidationError(
                    _("A %(child)s cannot sit directly under a %(parent)s.")
                    % {"child": Kind(org.kind).label, "parent": Kind(parent.kind).label},
                    code="kind_not_allowed",
                )
            )
        if parent.institution_id != org.institution_id and org.kind == Kind.GROUP:
            errors.setdefault("parent", []).append(
                _("A Party group belongs to the institution of its branch.")
            )
    elif org.kind != Kind.COMMITTEE:
        errors.setdefault("parent", []).append(
            _("Only a Party committee can be at the top of the tree; choose a superior.")
        )
    if org.pk is not None:
        bad_children = [
            c.name
            for c in org.children.all()
            if c.kind not in PartyOrganisation.ALLOWED_CHILDREN.get(Kind(org.kind), set())
        ]
        if bad_children:
            errors.setdefault("kind", []).append(
                _("This kind cannot hold its current sub-organisations: %(names)s.")
                % {"names": "、".join(bad_children)}
            )
    if org.is_temporary:
        if org.kind != Kind.BRANCH:
            errors.setdefault("is_temporary", []).append(_("Only a branch can be temporary."))
        if org.approved_by_id is None:
            errors.setdefault("approved_by", []).append(
                _("A temporary branch must be approved by its superior organisation.")
            )
        elif org.approved_by_id != org.parent_id and org.approved_by_id not in _ancestor_ids(org):
            errors.setdefault("approved_by", []).append(
                _("A temporary branch is approved by a superior organisation.")
            )
        if not org.temporary_task.strip():
            errors.setdefault("temporary_task", []).append(
                _("Describe the task the temporary branch is set up for.")
            )
        if org.is_joint:
            errors.setdefault("is_joint", []).append(
                _("A temporary branch cannot be a joint branch.")
            )
    if org.is_joint and org.kind != Kind.BRANCH:
        errors.setdefault("is_joint", []).append(_("Only a branch can be a joint branch."))
    if errors:
        raise ValidationError(errors)


def _check_departments(org: PartyOrganisation, departments: Iterable[Department]) -> None:
    departments = list(departments)
    if departments and org.kind == Kind.GROUP:
        raise ValidationError(
            {"departments": _("Departments are bound to branches, not to Party groups.")}
        )
    wrong = [d.name for d in departments if d.institution_id != org.institution_id]
    if wrong:
        raise ValidationError(
            {
                "departments": _("These departments belong to another institution: %(names)s.")
                % {"names": "、".join(wrong)}
            }
        )
    if org.is_joint and len(departments) > 5:
        raise ValidationError({"departments": _("A joint branch brings together at most 5 units.")})


@transaction.atomic
def organisation_create(
    *,
    institution: Institution,
    code: str,
    name: str,
    kind: str,
    established_on: dt.date,
    parent: PartyOrganisation | None = None,
    departments: Iterable[Department] = (),
    is_joint: bool = False,
    is_temporary: bool = False,
    temporary_task: str = "",
    approved_by: PartyOrganisation | None = None,
    secretary: PartyMember | None = None,
    term_years: int = 3,
    term_started_on: dt.date | None = None,
    sort_order: int = 0,
) -> PartyOrganisation:
    """Create an organisation. A temporary branch needs ``approved_by`` and a ``secretary``."""
    org = PartyOrganisation(
        institution=institution,
        code=code.strip(),
        name=name.strip(),
        kind=kind,
        parent=parent,
        is_joint=is_joint,
        is_temporary=is_temporary,
        temporary_task=temporary_task,
        approved_by=approved_by,
        established_on=established_on,
        term_years=term_years,
        term_started_on=term_started_on,
        sort_order=sort_order,
    )
    if is_temporary and approved_by is None and parent is not None:
        raise ValidationError(
            {"approved_by": _("A temporary branch must be approved by its superior organisation.")}
        )
    if is_temporary and secretary is None:
        raise ValidationError({"secretary": _("A temporary branch needs an appointed secretary.")})
    _check_organisation(org)
    departments = list(departments)
    _check_departments(org, departments)
    org.full_clean()
    org.save()
    if departments:
        org.departments.set(departments)
    if secretary is not None:
        if is_temporary:
            temporary_assign(organisation=org, member=secretary, joined_on=established_on)
        committee_seat_add(
            organisation=org,
            member=secretary,
            position=CommitteeMember.Position.SECRETARY,
            term_start=established_on,
            term_end=_add_years(established_on, term_years) - dt.timedelta(days=1),
        )
    return org


@transaction.atomic
def organisation_update(
    *,
    organisation: PartyOrganisation,
    departments: Iterable[Department] | None = None,
    **changes: Any,
) -> PartyOrganisation:
    unknown = set(changes) - set(ORGANISATION_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    was_kind = organisation.kind
    for name, value in changes.items():
        setattr(organisation, name, value)
    if (
        was_kind != organisation.kind
        and organisation.kind != Kind.BRANCH
        and organisation.members.exists()
    ):
        raise ValidationError({"kind": _("An organisation with members must stay a branch.")})
    if organisation.is_temporary and organisation.members.exists():
        raise ValidationError(
            {
                "is_temporary": _(
                    "Members' relationships sit in regular branches; "
                    "a branch with members cannot become temporary."
                )
            }
        )
    _check_organisation(organisation)
    if departments is not None:
        departments = list(departments)
        _check_departments(organisation, departments)
    organisation.full_clean()
    organisation.save()
    if departments is not None:
        organisation.departments.set(departments)
    return organisation


@transaction.atomic
def organisation_dissolve(*, organisation: PartyOrganisation, on: dt.date) -> PartyOrganisation:
    """Dissolve an organisation. Members must have been transferred first."""
    if organisation.members.filter(status=PartyMember.Status.NORMAL).exists():
        raise ValidationError(
            _("Transfer the members of %(org)s to another branch before dissolving it.")
            % {"org": organisation.name}
        )
    if organisation.children.filter(dissolved_on__isnull=True).exists():
        raise ValidationError(_("Dissolve or move the sub-organisations first."))
    organisation.dissolved_on = on
    organisation.full_clean()
    organisation.save()
    organisation.committee.filter(ended_on__isnull=True).update(ended_on=on)
    organisation.temporary_assignments.filter(left_on__isnull=True).update(left_on=on)
    return organisation


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


# --- Members --------------------------------------------------------------------------------


def _political_status(category: str) -> str:
    return (
        Staff.PoliticalStatus.MEMBER
        if category == PartyMember.Category.FULL
        else Staff.PoliticalStatus.PROBATIONARY
    )


def _check_branch(organisation: PartyOrganisation, *, field: str = "organisation") -> None:
    if organisation.kind != Kind.BRANCH:
        raise ValidationError(
            {
                field: _("A member's relationship sits in a branch (党支部), not a %(kind)s.")
                % {"kind": Kind(organisation.kind).label}
            }
        )
    if organisation.is_temporary:
        raise ValidationError(
            {
                field: ValidationError(
                    _(
                        "A temporary branch holds no member relationships; "
                        "add the member to it as a participant instead."
                    ),
                    code="temporary_no_members",
                )
            }
        )
    if organisation.dissolved_on is not None:
        raise ValidationError({field: _("This branch has been dissolved.")})


def _check_group(member: PartyMember) -> None:
    if member.group_id is None:
        return
    group = member.group
    if group.kind != Kind.GROUP or group.parent_id != member.organisation_id:
        raise ValidationError(
            {
                "group": ValidationError(
                    _("The Party group must belong to the member's branch."),
                    code="group_of_other_branch",
                )
            }
        )


def _check_member_dates(member: PartyMember) -> None:
    errors: dict[str, list[str]] = {}
    if member.applied_on and member.joined_on and member.applied_on > member.joined_on:
        errors.setdefault("applied_on", []).append(
            _("The application date cannot follow the joining date.")
        )
    if member.category == PartyMember.Category.FULL and member.confirmed_on is None:
        errors.setdefault("confirmed_on", []).append(
            _("A full member needs the date they became full.")
        )
    if member.category == PartyMember.Category.PROBATIONARY and member.confirmed_on:
        errors.setdefault("confirmed_on", []).append(
            _("A probationary member has no confirmation date yet.")
        )
    if member.joined_on and member.joined_on > timezone.localdate():
        errors.setdefault("joined_on", []).append(_("The joining date is in the future."))
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def member_create(
    *,
    staff: Staff,
    organisation: PartyOrganisation,
    category: str,
    joined_on: dt.date,
    confirmed_on: dt.date | None = None,
    applied_on: dt.date | None = None,
    group: PartyOrganisation | None = None,
    is_mobile: bool = False,
    is_lost_contact: bool = False,
    under_probation: bool = False,
    is_retired: bool = False,
    transferred_in_from: str = "",
    transferred_on: dt.date | None = None,
) -> PartyMember:
    """Record a staff member as a Party member of one regular branch.

    With ``transferred_in_from`` the member came from outside the deployment: a transfer-in
    record is kept. The staff member's political status follows the category.
    """
    if PartyMember.objects.filter(staff=staff).exists():
        raise ValidationError(
            {
                "staff": ValidationError(
                    _("%(name)s is already a Party member of a branch; transfer them instead.")
                    % {"name": staff.name},
                    code="already_member",
                )
            }
        )
    _check_branch(organisation)
    if organisation.institution_id != staff.institution_id:
        raise ValidationError(
            {"organisation": _("The branch belongs to another institution than the staff member.")}
        )
    member = PartyMember(
        staff=staff,
        organisation=organisation,
        group=group,
        category=category,
        joined_on=joined_on,
        confirmed_on=confirmed_on,
        applied_on=applied_on,
        is_mobile=is_mobile,
        is_lost_contact=is_lost_contact,
        under_probation=under_probation,
        is_retired=is_retired,
    )
    _check_group(member)
    _check_member_dates(member)
    member.full_clean()
    member.save()
    staff.political_status = _political_status(category)
    staff.save(update_fields=["political_status", "id_card_digest"])
    if transferred_in_from:
        MemberTransfer.objects.create(
            member=member,
            direction=MemberTransfer.Direction.IN,
            to_organisation=organisation,
            external_organisation=transferred_in_from,
            transferred_on=transferred_on or timezone.localdate(),
        )
    return member


@transaction.atomic
def member_update(*, member: PartyMember, **changes: Any) -> PartyMember:
    """Change a member's own fields. Branch changes go through :func:`member_transfer`."""
    unknown = set(changes) - set(MEMBER_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    for name, value in changes.items():
        setattr(member, name, value)
    _check_group(member)
    _check_member_dates(member)
    member.full_clean()
    member.save()
    if member.status == PartyMember.Status.NORMAL:
        status = _political_status(member.category)
        if member.staff.political_status != status:
            member.staff.political_status = status
            member.staff.save(update_fields=["political_status", "id_card_digest"])
    return member


@transaction.atomic
def member_confirm(*, member: PartyMember, on: dt.date) -> PartyMember:
    """转正: a probationary member becomes a full member on ``on``."""
    if member.category != PartyMember.Category.PROBATIONARY:
        raise ValidationError(
            _("Only a probationary member can become a full member."), code="not_probationary"
        )
    if on > timezone.localdate():
        raise ValidationError(
            {
                "confirmed_on": ValidationError(
                    _("The date is in the future."), code="confirmed_in_future"
                )
            }
        )
    earliest = _add_years(member.joined_on, 1)
    if on < earliest:
        # 预备期 is one year from the branch meeting; it may be extended, never shortened.
        raise ValidationError(
            {
                "confirmed_on": ValidationError(
                    _(
                        "The probation period ends on %(end)s; the branch can discuss full "
                        "membership on that day at the earliest."
                    )
                    % {"end": earliest.isoformat()},
                    code="probation_too_short",
                )
            }
        )
    return member_update(member=member, category=PartyMember.Category.FULL, confirmed_on=on)


@transaction.atomic
def member_set_status(*, member: PartyMember, status: str, on: dt.date) -> PartyMember:
    """Record 停止党籍 / 出党 / 去世 (transfers out use :func:`member_transfer`)."""
    if status == PartyMember.Status.TRANSFERRED_OUT:
        raise ValidationError({"status": _("Use the transfer form to transfer a member out.")})
    if member.status == PartyMember.Status.TRANSFERRED_OUT and status != member.status:
        # Coming back goes through a transfer in, which records the branch and the history.
        raise ValidationError(
            {
                "status": ValidationError(
                    _("%(name)s has transferred out: record a transfer back in instead.")
                    % {"name": member.staff.name},
                    code="transferred_out",
                )
            }
        )
    member.status = status
    member.left_on = None if status == PartyMember.Status.NORMAL else on
    member.full_clean()
    member.save()
    if status == PartyMember.Status.EXPELLED:
        member.staff.political_status = Staff.PoliticalStatus.MASSES
        member.staff.save(update_fields=["political_status", "id_card_digest"])
    elif status == PartyMember.Status.NORMAL:
        member.staff.political_status = _political_status(member.category)
        member.staff.save(update_fields=["political_status", "id_card_digest"])
    if status != PartyMember.Status.NORMAL:
        member.committee_seats.filter(ended_on__isnull=True).update(ended_on=on)
    return member


@transaction.atomic
def member_transfer(
    *,
    member: PartyMember,
    direction: str,
    on: dt.date,
    to_organisation: PartyOrganisation | None = None,
    external_organisation: str = "",
    note: str = "",
) -> MemberTransfer:
    """Transfer a member's organisational relationship and keep the history.

    * internal: to another regular branch of the deployment; the Party group is cleared;
    * out: to an organisation outside the deployment; status 转出, ``left_on`` set, committee
      seats and temporary-branch participation end. The person stays a CPC member, so the
      staff record's political status stays 中共党员 / 预备党员;
    * in: a member who had transferred out comes back to a regular branch.
    """
    Direction = MemberTransfer.Direction
    from_org = member.organisation
    if on > timezone.localdate():
        raise ValidationError({"transferred_on": _("A transfer cannot be dated in the future.")})
    last = member.transfers.order_by("-transferred_on", "-id").first()
    if last is not None and on < last.transferred_on:
        raise ValidationError(
            {
                "transferred_on": _("The date precedes the member's last transfer (%(day)s).")
                % {"day": last.transferred_on.isoformat()}
            }
        )
    if direction == Direction.INTERNAL:
        if member.status != PartyMember.Status.NORMAL:
            raise ValidationError(_("Only a member in normal standing can change branch."))
        if to_organisation is None:
            raise ValidationError({"to_organisation": _("Choose the branch to transfer to.")})
        _check_branch(to_organisation, field="to_organisation")
        if to_organisation.pk == from_org.pk:
            raise ValidationError(
                {"to_organisation": _("The member already belongs to this branch.")}
            )
        member.organisation = to_organisation
        member.group = None
        member.committee_seats.filter(organisation=from_org, ended_on__isnull=True).update(
            ended_on=on
        )
    elif direction == Direction.OUT:
        if member.status != PartyMember.Status.NORMAL:
            raise ValidationError(_("Only a member in normal standing can be transferred out."))
        if not external_organisation.strip():
            raise ValidationError(
                {"external_organisation": _("Enter the organisation the member goes to.")}
            )
        member.status = PartyMember.Status.TRANSFERRED_OUT
        member.left_on = on
        member.committee_seats.filter(ended_on__isnull=True).update(ended_on=on)
        member.temporary_assignments.filter(left_on__isnull=True).update(left_on=on)
        to_organisation = None
    elif direction == Direction.IN:
        if member.status != PartyMember.Status.TRANSFERRED_OUT:
            raise ValidationError(
                _(
                    "Only a member who transferred out can transfer back in; "
                    "record a new member instead."
                )
            )
        if to_organisation is None:
            raise ValidationError({"to_organisation": _("Choose the branch to transfer to.")})
        _check_branch(to_organisation, field="to_organisation")
        member.organisation = to_organisation
        member.group = None
        member.status = PartyMember.Status.NORMAL
        member.left_on = None
        from_org = None  # type: ignore[assignment]
    else:
        raise ValidationError({"direction": _("Unknown transfer direction.")})
    member.full_clean()
    member.save()
    if direction != Direction.OUT:
        member.staff.political_status = _political_status(member.category)
        member.staff.save(update_fields=["political_status", "id_card_digest"])
    transfer = MemberTransfer(
        member=member,
        direction=direction,
        from_organisation=from_org if direction != Direction.IN else None,
        to_organisation=to_organisation,
        external_organisation=external_organisation.strip(),
        transferred_on=on,
        note=note,
    )
    transfer.full_clean()
    transfer.save()
    return transfer


# --- Temporary branches ---------------------------------------------------------------------


@transaction.atomic
def temporary_assign(
    *, organisation: PartyOrganisation, member: PartyMember, joined_on: dt.date
) -> TemporaryAssignment:
    """Add a member to a temporary branch; their relationship stays in their own branch."""
    if not organisation.is_temporary:
        raise ValidationError({"organisation": _("This is not a temporary branch.")})
    if member.status != PartyMember.Status.NORMAL:
        raise ValidationError({"member": _("Only a member in normal standing can take part.")})
    assignment = TemporaryAssignment(organisation=organisation, member=member, joined_on=joined_on)
    assignment.full_clean()
    assignment.save()
    return assignment


# --- Committee seats ------------------------------------------------------------------------


def _member_belongs_to(member: PartyMember, organisation: PartyOrganisation) -> bool:
    if organisation.is_temporary:
        return organisation.temporary_assignments.filter(
            member=member, left_on__isnull=True
        ).exists()
    if member.organisation_id == organisation.pk:
        return True
    # A general branch's or committee's committee is drawn from the members beneath it.
    from hongfan.party.selectors import organisation_descendant_ids

    return member.organisation_id in organisation_descendant_ids([organisation.pk])


@transaction.atomic
def committee_seat_add(
    *,
    organisation: PartyOrganisation,
    member: PartyMember,
    position: str,
    term_start: dt.date,
    term_end: dt.date,
) -> CommitteeMember:
    """Seat a member on an organisation's committee for a term."""
    if organisation.kind == Kind.GROUP:
        raise ValidationError(_("A Party group has a group leader, not a committee."))
    if member.status != PartyMember.Status.NORMAL:
        raise ValidationError({"member": _("Only a member in normal standing can hold a seat.")})
    if not _member_belongs_to(member, organisation):
        raise ValidationError(
            {
                "member": ValidationError(
                    _("%(name)s is not a member of %(org)s.")
                    % {"name": member.staff.name, "org": organisation.name},
                    code="seat_not_member",
                )
            }
        )
    active = organisation.committee.filter(ended_on__isnull=True)
    if active.filter(member=member).exists():
        raise ValidationError({"member": _("This member already holds a seat on the committee.")})
    if position == CommitteeMember.Position.SECRETARY and active.filter(position=position).exists():
        raise ValidationError(
            {"position": _("The committee already has a secretary; end that seat first.")}
        )
    seat = CommitteeMember(
        organisation=organisation,
        member=member,
        position=position,
        term_start=term_start,
        term_end=term_end,
    )
    seat.full_clean()
    seat.save()
    return seat


@transaction.atomic
def committee_seat_end(*, seat: CommitteeMember, on: dt.date) -> CommitteeMember:
    if seat.ended_on is not None:
        raise ValidationError(_("This seat has already ended."))
    if on < seat.term_start:
        raise ValidationError({"ended_on": _("A seat cannot end before its term starts.")})
    seat.ended_on = on
    seat.full_clean()
    seat.save()
    return seat


# --- 双培养 ---------------------------------------------------------------------------------


@transaction.atomic
def dual_create(
    *,
    staff: Staff,
    track: str,
    started_on: dt.date,
    mentor: Staff | None = None,
    goal: str = "",
) -> DualCultivation:
    """Put a staff member on a 双培养 list."""
    is_member = PartyMember.objects.filter(staff=staff, status=PartyMember.Status.NORMAL).exists()
    if track == DualCultivation.Track.BACKBONE_TO_MEMBER and is_member:
        raise ValidationError(
            {"staff": _("%(name)s is already a Party member.") % {"name": staff.name}}
        )
    if track == DualCultivation.Track.MEMBER_TO_BACKBONE and not is_member:
        raise ValidationError(
            {"staff": _("%(name)s is not a Party member.") % {"name": staff.name}}
        )
    if mentor is not None and mentor.pk == staff.pk:
        raise ValidationError({"mentor": _("A person cannot mentor themselves.")})
    item = DualCultivation(
        staff=staff, track=track, started_on=started_on, mentor=mentor, goal=goal
    )
    item.full_clean()
    item.save()
    return item


@transaction.atomic
def dual_update(
    *,
    item: DualCultivation,
    progress: str,
    status: str,
    achieved_on: dt.date | None = None,
    mentor: Staff | None = None,
    goal: str | None = None,
) -> DualCultivation:
    """Record progress; 'achieved' needs the date it was achieved."""
    if status == DualCultivation.Status.ACHIEVED and achieved_on is None:
        raise ValidationError({"achieved_on": _("Enter the date the goal was achieved.")})
    if achieved_on is not None and achieved_on < item.started_on:
        raise ValidationError({"achieved_on": _("The goal cannot be achieved before it starts.")})
    item.progress = progress
    item.status = status
    item.achieved_on = achieved_on if status == DualCultivation.Status.ACHIEVED else None
    item.mentor = mentor
    if goal is not None:
        item.goal = goal
    item.full_clean()
    item.save()
    return item


# --- 三联 -----------------------------------------------------------------------------------


@transaction.atomic
def link_create(
    *,
    level: str,
    linker: Staff,
    started_on: dt.date,
    branch: PartyOrganisation | None = None,
    target_staff: Staff | None = None,
    target_name: str = "",
    contact_interval_days: int = 90,
) -> ThreeLink:
    """Create a 三联 pairing.

    * committee member ↔ branch: the linker sits on the Party committee; ``branch`` is set;
    * branch committee member ↔ member: the linker sits on ``branch``'s committee and the
      target is a member of that branch;
    * member ↔ masses: the linker is a member; the target is a non-member (staff or a name).
    """
    Level = ThreeLink.Level
    linker_member = PartyMember.objects.filter(
        staff=linker, status=PartyMember.Status.NORMAL
    ).first()
    if linker_member is None:
        raise ValidationError({"linker": _("The linking person must be a Party member.")})
    if contact_interval_days < 1:
        raise ValidationError({"contact_interval_days": _("Enter at least 1 day.")})
    seats = CommitteeMember.objects.filter(member=linker_member, ended_on__isnull=True)
    if level == Level.COMMITTEE_BRANCH:
        if branch is None or branch.kind != Kind.BRANCH:
            raise ValidationError({"branch": _("Choose the branch to link with.")})
        if not seats.filter(organisation__kind=Kind.COMMITTEE).exists():
            raise ValidationError(
                {"linker": _("The linking person must sit on the Party committee.")}
            )
        target_staff, target_name = None, ""
    elif level == Level.BRANCH_MEMBER:
        branch = branch or linker_member.organisation
        if not seats.filter(organisation=branch).exists():
            raise ValidationError(
                {"linker": _("The linking person must sit on the branch committee.")}
            )
        target = PartyMember.objects.filter(staff=target_staff).first() if target_staff else None
        if target is None or target.organisation_id != branch.pk:
            raise ValidationError(
                {"target_staff": _("Choose a member of the branch to link with.")}
            )
        target_name = ""
    elif level == Level.MEMBER_MASSES:
        branch = linker_member.organisation
        if target_staff is None and not target_name.strip():
            raise ValidationError(
                {"target_staff": _("Choose a staff member or enter the person's name.")}
            )
        if (
            target_staff is not None
            and PartyMember.objects.filter(
                staff=target_staff, status=PartyMember.Status.NORMAL
            ).exists()
        ):
            raise ValidationError(
                {"target_staff": _("The linked person of the masses is not a Party member.")}
            )
    else:
        raise ValidationError({"level": _("Unknown link level.")})
    if target_staff is not None and target_staff.pk == linker.pk:
        raise ValidationError({"target_staff": _("A person cannot be linked with themselves.")})
    link = ThreeLink(
        level=level,
        linker=linker,
        branch=branch,
        target_staff=target_staff,
        target_name=target_name.strip(),
        started_on=started_on,
        contact_interval_days=contact_interval_days,
    )
    link.full_clean()
    link.save()
    return link


@transaction.atomic
def link_end(*, link: ThreeLink, on: dt.date) -> ThreeLink:
    if on < link.started_on:
        raise ValidationError({"ended_on": _("A pairing cannot end before it starts.")})
    link.ended_on = on
    link.full_clean()
    link.save()
    return link


@transaction.atomic
def contact_record_add(
    *, link: ThreeLink, contacted_on: dt.date, mode: str, summary: str, recorded_by: Any = None
) -> ContactRecord:
    """Record a contact made through a pairing (not in the future, within the pairing)."""
    if contacted_on > timezone.localdate():
        raise ValidationError({"contacted_on": _("A contact cannot be dated in the future.")})
    if contacted_on < link.started_on:
        raise ValidationError({"contacted_on": _("The contact precedes the pairing.")})
    if link.ended_on is not None and contacted_on > link.ended_on:
        raise ValidationError({"contacted_on": _("The pairing had ended by then.")})
    if not summary.strip():
        raise ValidationError({"summary": _("Summarise the contact.")})
    record = ContactRecord(
        link=link,
        contacted_on=contacted_on,
        mode=mode,
        summary=summary.strip(),
        recorded_by=recorded_by,
    )
    record.full_clean(exclude=["recorded_by"])
    record.save()
    return record
