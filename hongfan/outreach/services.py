"""Writes of outreach activities, honours and emergency mobilisation.

Scoring events (docs/apps/scoring.md):

- ``outreach.volunteer_hours``: one event per participant of an activity, ``quantity`` = the
  activity's hours per person, ``source`` = the activity, ``key`` = ``r<revision>``. When the
  date, the hours or the participants of an activity change, its revision goes up, every live
  event of the activity is voided (reason "activity record changed") and the events are
  recorded again under the new key. Deleting an activity voids its events.
- ``outreach.honour.<level>``: one event for an honour awarded to a person, ``source`` = the
  honour, ``key`` = ``r<revision>``; re-synced the same way when the level, person or date
  changes; revoking the honour voids it.
- ``outreach.emergency_deployment``: one event per deployment (``source`` = the deployment).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from hongfan.accounts.models import User
from hongfan.loops.services import validate_evidence_file
from hongfan.notifications.services import notify
from hongfan.org.models import Department, Institution, Staff
from hongfan.outreach.models import (
    Activity,
    ActivityPhoto,
    Deployment,
    DutyShift,
    EmergencyCall,
    Honour,
    Participant,
    Pledge,
    TaskTeam,
)
from hongfan.party import services as party_services
from hongfan.party.models import PartyMember, PartyOrganisation, TemporaryAssignment
from hongfan.scoring.services import record_event, void_events_for_source

VOLUNTEER_CODE = "outreach.volunteer_hours"
DEPLOYMENT_CODE = "outreach.emergency_deployment"
COUNT_FIELDS = ("people_served", "examinations", "materials")
ACTIVITY_FIELDS = (
    "title",
    "kind",
    "held_on",
    "place",
    "organisation",
    "hours",
    "people_served",
    "people_cap",
    "examinations",
    "materials",
    "fees_waived",
    "partners",
    "summary",
)
HONOUR_FIELDS = (
    "title",
    "level",
    "holder",
    "institution",
    "organisation",
    "staff",
    "awarded_by",
    "awarded_on",
    "document_no",
    "note",
)


def _today() -> dt.date:
    return timezone.localdate()


def _member_ids(staff_ids: Iterable[int]) -> set[int]:
    return set(
        PartyMember.objects.filter(
            staff_id__in=list(staff_ids),
            status=PartyMember.Status.NORMAL,
        ).values_list("staff_id", flat=True)
    )


def _actor(actor: Any) -> Any:
    return actor if getattr(actor, "pk", None) else None


# --- Activities ---------------------------------------------------------------------------


def may_manage_activity_for(user: Any, organisation: PartyOrganisation | None) -> bool:
    """A hospital-wide manager records for any branch; a secretary only for their own."""
    from hongfan.accounts.roles import Cap

    if not user.has_capability(Cap.OUTREACH_MANAGE):
        return False
    if user.scope.hospital_wide:
        return True
    return organisation is not None and organisation.pk in user.scope.organisation_ids


def _check_activity(
    activity: Activity,
    *,
    actor: Any,
    departments: Sequence[Department],
    participants: Sequence[Staff],
    today: dt.date,
) -> None:
    errors: dict[str, list[str]] = {}
    for name in COUNT_FIELDS:
        value = getattr(activity, name)
        if value is None or value < 0:
            errors.setdefault(name, []).append(_("A count cannot be negative."))
    if activity.people_cap is not None and activity.people_cap < 0:
        errors.setdefault("people_cap", []).append(_("A count cannot be negative."))
    if activity.fees_waived is None or activity.fees_waived < 0:
        errors.setdefault("fees_waived", []).append(_("Fees waived cannot be negative."))
    if (
        activity.people_cap is not None
        and activity.people_served is not None
        and activity.people_served > activity.people_cap >= 0
    ):
        errors.setdefault("people_served", []).append(
            _("%(n)s people served is more than the stated cap of %(cap)s.")
            % {"n": activity.people_served, "cap": activity.people_cap}
        )
    if activity.hours is not None and not (Decimal("0.5") <= activity.hours <= Decimal("24")):
        errors.setdefault("hours", []).append(_("Hours per person must be between 0.5 and 24."))
    if activity.held_on and activity.held_on > today:
        errors.setdefault("held_on", []).append(
            _("An activity is recorded after it took place; the date cannot be in the future.")
        )
    org = activity.organisation if activity.organisation_id else None
    if org is not None:
        if org.kind == PartyOrganisation.Kind.GROUP:
            errors.setdefault("organisation", []).append(
                _("Choose a branch (or a higher organisation), not a Party group.")
            )
        elif org.dissolved_on and activity.held_on and org.dissolved_on < activity.held_on:
            errors.setdefault("organisation", []).append(
                _("%(org)s was dissolved before this date.") % {"org": org.name}
            )
        elif actor is not None and not may_manage_activity_for(actor, org):
            errors.setdefault("organisation", []).append(
                _("You may record activities only for your own branch.")
            )
    if not participants:
        errors.setdefault("participants", []).append(_("List the staff who took part."))
    elif activity.held_on:
        absent = [
            s.name
            for s in participants
            if s.hired_on > activity.held_on or (s.left_on and s.left_on < activity.held_on)
        ]
        if absent:
            errors.setdefault("participants", []).append(
                _("Not employed on the day of the activity: %(names)s.")
                % {"names": "、".join(absent)}
            )
    if errors:
        raise ValidationError(errors)


def _sync_volunteer_events(activity: Activity, *, actor: Any, resync: bool) -> None:
    if resync:
        void_events_for_source(
            source=activity, reason=_("Activity record changed"), actor=_actor(actor)
        )
    url = reverse("outreach:activity_detail", args=[activity.pk])
    for p in activity.participants.select_related("staff"):
        record_event(
            code=VOLUNTEER_CODE,
            subject=p.staff,
            occurred_on=activity.held_on,
            source=activity,
            summary=f"{activity.get_kind_display()}：{activity.title}",
            quantity=activity.hours,
            key=f"r{activity.revision}",
            source_url=url,
            actor=_actor(actor),
        )


def _save_participants(activity: Activity, participants: Sequence[Staff]) -> bool:
    """Set the participant list; return whether it changed."""
    wanted = {s.pk for s in participants}
    current = set(activity.participants.values_list("staff_id", flat=True))
    if wanted == current:
        return False
    activity.participants.filter(staff_id__in=current - wanted).delete()
    members = _member_ids(wanted - current)
    Participant.objects.bulk_create(
        [
            Participant(activity=activity, staff_id=pk, is_member=pk in members)
            for pk in sorted(wanted - current)
        ]
    )
    return True


def _add_photos(activity: Activity, files: Sequence[UploadedFile]) -> None:
    for f in files:
        validate_evidence_file(f)
        if not f.name.lower().endswith((".jpg", ".jpeg", ".png")):
            raise ValidationError({"photos": _("Photos must be JPEG or PNG images.")})
    for f in files:
        photo = ActivityPhoto(
            activity=activity, file=f, original_name=f.name[:200], size=f.size or 0
        )
        photo.full_clean()
        photo.save()


@transaction.atomic
def activity_create(
    *,
    actor: Any,
    title: str,
    kind: str,
    held_on: dt.date,
    place: str,
    organisation: PartyOrganisation,
    hours: Decimal,
    participants: Sequence[Staff],
    departments: Sequence[Department] = (),
    people_served: int = 0,
    people_cap: int | None = None,
    examinations: int = 0,
    materials: int = 0,
    fees_waived: Decimal = Decimal("0"),
    partners: str = "",
    summary: str = "",
    photos: Sequence[UploadedFile] = (),
    today: dt.date | None = None,
) -> Activity:
    """Record an activity with its participants and photos; emit the volunteer-hour events."""
    activity = Activity(
        title=title.strip(),
        kind=kind,
        held_on=held_on,
        place=place.strip(),
        organisation=organisation,
        hours=hours,
        people_served=people_served,
        people_cap=people_cap,
        examinations=examinations,
        materials=materials,
        fees_waived=fees_waived,
        partners=partners.strip(),
        summary=summary.strip(),
        recorded_by=_actor(actor),
    )
    participants = list(participants)
    _check_activity(
        activity,
        actor=_actor(actor),
        departments=departments,
        participants=participants,
        today=today or _today(),
    )
    activity.full_clean()
    activity.save()
    activity.departments.set(list(departments))
    _save_participants(activity, participants)
    _add_photos(activity, photos)
    _sync_volunteer_events(activity, actor=actor, resync=False)
    return activity


@transaction.atomic
def activity_update(
    *,
    activity: Activity,
    actor: Any,
    participants: Sequence[Staff] | None = None,
    departments: Sequence[Department] | None = None,
    photos: Sequence[UploadedFile] = (),
    today: dt.date | None = None,
    **changes: Any,
) -> Activity:
    """Change an activity; re-sync its scoring events when date, hours or people change."""
    unknown = set(changes) - set(ACTIVITY_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    locked = Activity.objects.select_for_update().get(pk=activity.pk)
    before = (locked.held_on, locked.hours, locked.kind, locked.title)
    for name, value in changes.items():
        setattr(locked, name, value.strip() if isinstance(value, str) else value)
    people = (
        list(participants)
        if participants is not None
        else list(Staff.objects.filter(outreach_participations__activity=locked))
    )
    _check_activity(
        locked,
        actor=_actor(actor),
        departments=departments or [],
        participants=people,
        today=today or _today(),
    )
    locked.full_clean()
    changed_people = _save_participants(locked, people)
    if changed_people or before != (locked.held_on, locked.hours, locked.kind, locked.title):
        locked.revision += 1
        resync = True
    else:
        resync = False
    locked.save()
    if departments is not None:
        locked.departments.set(list(departments))
    _add_photos(locked, photos)
    if resync:
        _sync_volunteer_events(locked, actor=actor, resync=True)
    return locked


@transaction.atomic
def activity_delete(*, activity: Activity, actor: Any) -> None:
    """Delete an activity recorded by mistake; its volunteer-hour events are voided."""
    if _actor(actor) is not None and not may_manage_activity_for(actor, activity.organisation):
        raise ValidationError(_("You may change activities only of your own branch."))
    void_events_for_source(
        source=activity, reason=_("Activity record deleted"), actor=_actor(actor)
    )
    activity.photos.all().delete()
    activity.participants.all().delete()
    activity.delete()


@transaction.atomic
def activity_photo_delete(*, photo: ActivityPhoto, actor: Any) -> None:
    photo.file.delete(save=False)
    photo.delete()


# --- Honours ------------------------------------------------------------------------------


def _check_honour(honour: Honour, today: dt.date) -> None:
    errors: dict[str, list[str]] = {}
    if honour.holder == Honour.Holder.PERSON:
        honour.organisation = None
        if honour.staff_id is None:
            errors.setdefault("staff", []).append(_("Choose the person awarded."))
    elif honour.holder == Honour.Holder.BRANCH:
        honour.staff = None
        if honour.organisation_id is None:
            errors.setdefault("organisation", []).append(
                _("Choose the Party organisation awarded.")
            )
    else:
        honour.staff = None
        honour.organisation = None
        if honour.institution_id is None:
            errors.setdefault("institution", []).append(_("Choose the institution awarded."))
    if honour.awarded_on and honour.awarded_on > today:
        errors.setdefault("awarded_on", []).append(_("The award date cannot be in the future."))
    if errors:
        raise ValidationError(errors)
    if honour.staff_id:
        honour.institution_id = honour.staff.institution_id
    elif honour.organisation_id:
        honour.institution_id = honour.organisation.institution_id


def _honour_event(honour: Honour, *, actor: Any, resync: bool) -> None:
    if resync:
        void_events_for_source(source=honour, reason=_("Honour record changed"), actor=actor)
    if honour.holder != Honour.Holder.PERSON or honour.revoked_on:
        return
    record_event(
        code=f"outreach.honour.{honour.level}",
        subject=honour.staff,
        occurred_on=honour.awarded_on,
        source=honour,
        summary=f"{honour.get_level_display()}：{honour.title}",
        key=f"r{honour.revision}",
        source_url=reverse("outreach:honour_list") + f"?q={honour.title}",
        actor=actor,
    )


def _set_evidence(honour: Honour, evidence: UploadedFile | None) -> None:
    if evidence is None:
        return
    try:
        validate_evidence_file(evidence)
    except ValidationError as exc:
        raise ValidationError({"evidence": exc.messages}) from exc
    honour.evidence = evidence
    honour.evidence_name = evidence.name[:200]


@transaction.atomic
def honour_create(
    *,
    actor: Any,
    title: str,
    level: str,
    holder: str,
    awarded_by: str,
    awarded_on: dt.date,
    institution: Institution | None = None,
    organisation: PartyOrganisation | None = None,
    staff: Staff | None = None,
    document_no: str = "",
    note: str = "",
    evidence: UploadedFile | None = None,
    today: dt.date | None = None,
) -> Honour:
    """Register an honour; an honour of a person emits ``outreach.honour.<level>``."""
    honour = Honour(
        title=title.strip(),
        level=level,
        holder=holder,
        institution=institution,
        organisation=organisation,
        staff=staff,
        awarded_by=awarded_by.strip(),
        awarded_on=awarded_on,
        document_no=document_no.strip(),
        note=note.strip(),
    )
    _check_honour(honour, today or _today())
    _set_evidence(honour, evidence)
    honour.full_clean()
    honour.save()
    _honour_event(honour, actor=_actor(actor), resync=False)
    return honour


@transaction.atomic
def honour_update(
    *,
    honour: Honour,
    actor: Any,
    evidence: UploadedFile | None = None,
    today: dt.date | None = None,
    **changes: Any,
) -> Honour:
    unknown = set(changes) - set(HONOUR_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    locked = Honour.objects.select_for_update().get(pk=honour.pk)
    before = (locked.level, locked.holder, locked.staff_id, locked.awarded_on, locked.title)
    for name, value in changes.items():
        setattr(locked, name, value.strip() if isinstance(value, str) else value)
    _check_honour(locked, today or _today())
    _set_evidence(locked, evidence)
    changed = before != (
        locked.level,
        locked.holder,
        locked.staff_id,
        locked.awarded_on,
        locked.title,
    )
    if changed:
        locked.revision += 1
    locked.full_clean()
    locked.save()
    if changed:
        _honour_event(locked, actor=_actor(actor), resync=True)
    return locked


@transaction.atomic
def honour_revoke(*, honour: Honour, actor: Any, on: dt.date, reason: str) -> Honour:
    """Revoke an honour (撤销荣誉); its scoring event is voided."""
    if not reason.strip():
        raise ValidationError({"revoke_reason": _("Give the reason for revoking the honour.")})
    if on < honour.awarded_on:
        raise ValidationError(
            {"revoked_on": _("An honour cannot be revoked before it was awarded.")}
        )
    honour.revoked_on = on
    honour.revoke_reason = reason.strip()
    honour.full_clean()
    honour.save()
    void_events_for_source(source=honour, reason=reason.strip(), actor=_actor(actor))
    return honour


# --- Emergency mobilisation ---------------------------------------------------------------


@transaction.atomic
def call_create(
    *,
    actor: Any,
    title: str,
    task: str,
    institution: Institution,
    issued_on: dt.date,
    sign_up_until: dt.date,
    pledge_text: str,
    people_needed: int = 0,
    notify_staff: bool = True,
) -> EmergencyCall:
    """Issue a call for volunteers; every active staff account is told in its inbox."""
    call = EmergencyCall(
        title=title.strip(),
        task=task.strip(),
        institution=institution,
        issued_on=issued_on,
        sign_up_until=sign_up_until,
        people_needed=people_needed,
        pledge_text=pledge_text.strip(),
    )
    if sign_up_until < issued_on:
        raise ValidationError(
            {"sign_up_until": _("Sign-up cannot close before the call is issued.")}
        )
    if people_needed < 0:
        raise ValidationError({"people_needed": _("A count cannot be negative.")})
    call.full_clean()
    call.save()
    if notify_staff:
        notify(
            users=User.objects.filter(
                is_active=True, staff__institution=institution, staff__left_on__isnull=True
            ),
            title=_("Call for volunteers: %(t)s") % {"t": call.title},
            body=_("Sign the pledge by %(d)s.") % {"d": f"{call.sign_up_until:%Y-%m-%d}"},
            url=reverse("outreach:call_detail", args=[call.pk]),
            level="reminder",
            source=call,
            dedup_key=f"outreach-call:{call.pk}",
        )
    return call


@transaction.atomic
def call_close(*, call: EmergencyCall, actor: Any) -> EmergencyCall:
    call.status = EmergencyCall.Status.CLOSED
    call.full_clean()
    call.save(update_fields=["status"])
    return call


@transaction.atomic
def pledge_sign(
    *,
    call: EmergencyCall,
    user: Any,
    typed_name: str,
    statement: str = "",
    now: dt.datetime | None = None,
) -> Pledge:
    """Sign the call's 请战书 by typing one's full name; the time is recorded and audited."""
    now = now or timezone.now()
    staff = getattr(user, "staff", None)
    if staff is None:
        raise ValidationError(_("Only a staff member's account can sign a pledge."))
    if call.status != EmergencyCall.Status.OPEN or timezone.localdate(now) > call.sign_up_until:
        raise ValidationError(_("Sign-up for this call is closed."))
    if timezone.localdate(now) < call.issued_on:
        raise ValidationError(_("This call has not been issued yet."))
    typed = "".join(typed_name.split())
    if not typed:
        raise ValidationError({"typed_name": _("Type your full name to sign.")})
    if typed != "".join(staff.name.split()):
        raise ValidationError({"typed_name": _("The signature must be your full name as on file.")})
    if Pledge.objects.filter(call=call, staff=staff).exists():
        raise ValidationError(_("You have already signed this call."))
    pledge = Pledge(
        call=call,
        staff=staff,
        signed_by=user,
        typed_name=typed,
        text=call.pledge_text,
        statement=statement.strip()[:300],
        signed_at=now,
        is_member=bool(_member_ids([staff.pk])),
    )
    pledge.full_clean()
    pledge.save()
    return pledge


@transaction.atomic
def team_create(
    *, call: EmergencyCall, actor: Any, name: str, task: str = "", leader: Staff | None = None
) -> TaskTeam:
    team = TaskTeam(call=call, name=name.strip(), task=task.strip(), leader=leader)
    team.full_clean()
    team.save()
    return team


def _check_deployment(d: Deployment) -> None:
    errors: dict[str, list[str]] = {}
    if d.ends_on and d.starts_on and d.ends_on < d.starts_on:
        errors.setdefault("ends_on", []).append(
            _("A deployment cannot end before it starts (%(start)s).")
            % {"start": f"{d.starts_on:%Y-%m-%d}"}
        )
    if d.starts_on and d.call_id and d.starts_on < d.call.issued_on:
        errors.setdefault("starts_on", []).append(
            _("A deployment cannot start before the call was issued.")
        )
    if d.team_id and d.team.call_id != d.call_id:
        errors.setdefault("team", []).append(_("The team belongs to another call."))
    if errors:
        raise ValidationError(errors)
    overlapping = Deployment.objects.filter(call_id=d.call_id, staff_id=d.staff_id).exclude(pk=d.pk)
    if d.ends_on:
        overlapping = overlapping.filter(starts_on__lte=d.ends_on)
    overlapping = overlapping.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=d.starts_on))
    if overlapping.exists():
        raise ValidationError(
            {"starts_on": _("This person is already deployed for this call in that period.")}
        )


def _join_temporary_branch(call: EmergencyCall, staff: Staff, on: dt.date) -> None:
    branch = call.temporary_branch
    if branch is None or branch.dissolved_on:
        return
    member = PartyMember.objects.filter(staff=staff, status=PartyMember.Status.NORMAL).first()
    if member is None:
        return
    if TemporaryAssignment.objects.filter(organisation=branch, member=member).exists():
        return
    party_services.temporary_assign(organisation=branch, member=member, joined_on=on)


@transaction.atomic
def deployment_create(
    *,
    call: EmergencyCall,
    actor: Any,
    staff: Staff,
    place: str,
    role: str,
    starts_on: dt.date,
    ends_on: dt.date | None = None,
    team: TaskTeam | None = None,
) -> Deployment:
    """Send a person out; members join the call's temporary branch; emits a scoring event."""
    d = Deployment(
        call=call,
        staff=staff,
        place=place.strip(),
        role=role.strip(),
        starts_on=starts_on,
        ends_on=ends_on,
        team=team,
        is_member=bool(_member_ids([staff.pk])),
    )
    _check_deployment(d)
    d.full_clean()
    d.save()
    _join_temporary_branch(call, staff, starts_on)
    record_event(
        code=DEPLOYMENT_CODE,
        subject=staff,
        occurred_on=starts_on,
        source=d,
        summary=f"{call.title}：{d.place}，{d.role}",
        source_url=reverse("outreach:call_detail", args=[call.pk]),
        actor=_actor(actor),
    )
    user = User.objects.filter(staff=staff, is_active=True).first()
    if user is not None:
        notify(
            users=[user],
            title=_("You are deployed: %(t)s") % {"t": call.title},
            body=f"{d.place}，{d.role}，{starts_on:%Y-%m-%d}",
            url=reverse("outreach:call_detail", args=[call.pk]),
            level="reminder",
            source=d,
        )
    return d


@transaction.atomic
def deployment_end(*, deployment: Deployment, actor: Any, ends_on: dt.date) -> Deployment:
    """Record the day a person came back."""
    deployment.ends_on = ends_on
    _check_deployment(deployment)
    deployment.full_clean()
    deployment.save(update_fields=["ends_on"])
    return deployment


@transaction.atomic
def temporary_branch_create(
    *,
    call: EmergencyCall,
    actor: Any,
    code: str,
    name: str,
    parent: PartyOrganisation,
    secretary: PartyMember,
    established_on: dt.date,
) -> PartyOrganisation:
    """Set up the call's temporary branch (临时党支部) in the organisation tree.

    Goes through ``hongfan.party.services.organisation_create`` (approved by ``parent``); the
    members already deployed join it, and members deployed later join on deployment.
    """
    if call.temporary_branch_id:
        raise ValidationError(_("This call already has a temporary branch."))
    if established_on < call.issued_on:
        raise ValidationError(
            {"established_on": _("The temporary branch cannot predate the call.")}
        )
    branch = party_services.organisation_create(
        institution=parent.institution,
        code=code,
        name=name,
        kind=PartyOrganisation.Kind.BRANCH,
        parent=parent,
        is_temporary=True,
        temporary_task=call.title[:200],
        approved_by=parent,
        secretary=secretary,
        established_on=established_on,
    )
    call.temporary_branch = branch
    call.save(update_fields=["temporary_branch"])
    for d in call.deployments.select_related("staff").filter(ends_on__isnull=True):
        _join_temporary_branch(call, d.staff, max(d.starts_on, established_on))
    return branch


# --- The 红帆驿站 service-desk roster -------------------------------------------------------


@transaction.atomic
def shift_add(
    *,
    actor: Any,
    desk: str,
    on: dt.date,
    slot: str,
    staff: Staff,
    organisation: PartyOrganisation,
) -> DutyShift:
    """Put a volunteer on the service-desk roster for a half day."""
    errors: dict[str, list[str]] = {}
    if _actor(actor) is not None and not may_manage_activity_for(actor, organisation):
        errors.setdefault("organisation", []).append(
            _("You may plan the roster only for your own branch.")
        )
    if staff.hired_on > on or (staff.left_on and staff.left_on < on):
        errors.setdefault("staff", []).append(
            _("%(name)s is not employed on that day.") % {"name": staff.name}
        )
    if DutyShift.objects.filter(on=on, slot=slot, staff=staff).exists():
        errors.setdefault("staff", []).append(
            _("%(name)s already has a shift at that time.") % {"name": staff.name}
        )
    if errors:
        raise ValidationError(errors)
    shift = DutyShift(desk=desk.strip(), on=on, slot=slot, staff=staff, organisation=organisation)
    shift.full_clean()
    shift.save()
    return shift


@transaction.atomic
def shift_remove(*, shift: DutyShift, actor: Any) -> None:
    if _actor(actor) is not None and not may_manage_activity_for(actor, shift.organisation):
        raise ValidationError(_("You may plan the roster only for your own branch."))
    shift.delete()
