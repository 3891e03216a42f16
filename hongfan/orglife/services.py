"""Writes of organisational life: plan and record meetings, sign in, 民主评议, reminders."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hongfan.accounts.roles import Cap
from hongfan.audit import services as audit
from hongfan.audit.models import AuditEntry
from hongfan.orglife.models import (
    Attendance,
    FrequencyRule,
    Meeting,
    MeetingFile,
    MeetingKind,
    MutualAssessment,
    OrglifeSettings,
    ReviewBallot,
    ReviewCampaign,
    ReviewGrade,
    ReviewResult,
    SelfAssessment,
)
from hongfan.party.models import (
    CommitteeMember,
    PartyMember,
    PartyOrganisation,
    TemporaryAssignment,
)

SIGN_IN_SALT = "hongfan.orglife.sign_in"
# Meeting types a temporary branch does not hold (it reviews and develops no members).
TEMPORARY_EXCLUDED_KINDS = frozenset({MeetingKind.REVIEW})


# --- who belongs to a meeting ----------------------------------------------------------------


def branch_member_ids(organisation: PartyOrganisation, day: dt.date) -> set[int]:
    """Return the members of a branch on ``day`` (a temporary branch: its assignments)."""
    if organisation.is_temporary:
        rows = TemporaryAssignment.objects.filter(
            organisation=organisation, joined_on__lte=day
        ).exclude(left_on__lte=day)
        return set(rows.values_list("member_id", flat=True))
    return set(
        PartyMember.objects.filter(
            organisation=organisation, status=PartyMember.Status.NORMAL, joined_on__lte=day
        ).values_list("id", flat=True)
    )


def committee_member_ids(organisation: PartyOrganisation, day: dt.date) -> set[int]:
    """Return the members holding a committee seat of ``organisation`` on ``day``."""
    seats = CommitteeMember.objects.filter(
        organisation=organisation, term_start__lte=day, term_end__gte=day
    ).exclude(ended_on__lte=day)
    return set(seats.values_list("member_id", flat=True))


def eligible_member_ids(
    *, organisation: PartyOrganisation, kind: str, group: PartyOrganisation | None, day: dt.date
) -> set[int]:
    """Return who may attend: the committee for 支委会 / 中心组, the group, else the branch."""
    if kind in (MeetingKind.COMMITTEE, MeetingKind.CENTRAL_GROUP):
        return committee_member_ids(organisation, day)
    if kind == MeetingKind.GROUP and group is not None:
        return set(
            PartyMember.objects.filter(
                group=group, status=PartyMember.Status.NORMAL, joined_on__lte=day
            ).values_list("id", flat=True)
        )
    return branch_member_ids(organisation, day)


# --- plan and record ---------------------------------------------------------------------------


def _check_organisation(organisation: PartyOrganisation, kind: str, group: Any) -> None:
    if kind == MeetingKind.CENTRAL_GROUP:
        if organisation.kind != PartyOrganisation.Kind.COMMITTEE:
            raise ValidationError(_("Central group study is held by a Party committee."))
    elif organisation.kind != PartyOrganisation.Kind.BRANCH:
        raise ValidationError(_("This type of meeting is held by a branch."))
    if organisation.is_temporary and kind in TEMPORARY_EXCLUDED_KINDS:
        raise ValidationError(_("A temporary branch holds no democratic review of members."))
    if kind == MeetingKind.GROUP:
        if group is None:
            raise ValidationError({"group": _("Choose the Party group that meets.")})
        if group.parent_id != organisation.pk or group.kind != PartyOrganisation.Kind.GROUP:
            raise ValidationError({"group": _("The Party group does not belong to this branch.")})
    elif group is not None:
        raise ValidationError({"group": _("Only a Party group meeting names a group.")})


@transaction.atomic
def meeting_plan(
    *,
    organisation: PartyOrganisation,
    kind: str,
    topic: str,
    planned_on: dt.date,
    planned_place: str = "",
    group: PartyOrganisation | None = None,
) -> Meeting:
    """Plan a meeting and invite its default attendees."""
    _check_organisation(organisation, kind, group)
    if planned_on < organisation.established_on:
        raise ValidationError({"planned_on": _("The organisation did not exist yet on this date.")})
    meeting = Meeting(
        organisation=organisation,
        group=group,
        kind=kind,
        topic=topic,
        planned_on=planned_on,
        planned_place=planned_place,
    )
    meeting.full_clean()
    meeting.save()
    invitees = eligible_member_ids(
        organisation=organisation, kind=kind, group=group, day=planned_on
    )
    Attendance.objects.bulk_create(
        [Attendance(meeting=meeting, member_id=pk) for pk in sorted(invitees)]
    )
    return meeting


@transaction.atomic
def year_plan(
    *,
    organisation: PartyOrganisation,
    year: int,
    day_of_month: int,
    today: dt.date | None = None,
) -> list[Meeting]:
    """Plan the rest of ``year``'s required meetings of a branch from its frequency rules.

    Periods that already have enough meetings of a kind (planned or held) are skipped, so the
    plan can be made again after a change of rules without duplicates. Monthly meetings fall
    on ``day_of_month`` (the 主题党日 "fixed day"); quarterly ones in the first month of the
    quarter still ahead; 组织生活会 and 民主评议 in the fourth quarter. A branch with Party
    groups gets one 党小组会 per group and month.
    """
    from hongfan.orglife.selectors import periods_of_year

    today = today or timezone.localdate()
    if organisation.kind != PartyOrganisation.Kind.BRANCH:
        raise ValidationError(_("The year's plan is made for a branch."))
    if not 1 <= day_of_month <= 28:
        raise ValidationError({"day_of_month": _("Choose a day between 1 and 28.")})
    groups = list(
        PartyOrganisation.objects.filter(
            parent=organisation, kind=PartyOrganisation.Kind.GROUP, dissolved_on__isnull=True
        ).order_by("code")
    )
    existing = list(
        Meeting.objects.filter(organisation=organisation, planned_on__year=year).values_list(
            "kind", "group_id", "planned_on", "held_on"
        )
    )
    labels = {value: str(label) for value, label in MeetingKind.choices}
    start_day = max(today, organisation.established_on)
    planned: list[Meeting] = []
    for rule in FrequencyRule.objects.filter(is_active=True).order_by("kind", "period"):
        if not rule.applies(is_temporary=organisation.is_temporary, has_groups=bool(groups)):
            continue
        for _key, label, start, end, months in periods_of_year(rule.period, year):
            if end < start_day:
                continue
            if rule.kind in (MeetingKind.LIFE_MEETING, MeetingKind.REVIEW):
                months = [m for m in months if m >= 10] or months
            days = [d for m in months if (d := dt.date(year, m, day_of_month)) >= start_day]
            if not days:
                continue
            for group in groups if rule.kind == MeetingKind.GROUP else [None]:
                have = sum(
                    1
                    for kind, group_id, planned_on, held_on in existing
                    if kind == rule.kind
                    and start <= (held_on or planned_on) <= end
                    and (group is None or group_id == group.pk)
                )
                for n in range(rule.minimum - have):
                    day = days[min(n * max(len(days) // rule.minimum, 1), len(days) - 1)]
                    topic = _("%(period)s %(kind)s") % {"period": label, "kind": labels[rule.kind]}
                    if group is not None:
                        topic = f"{group.name} {topic}"
                    planned.append(
                        meeting_plan(
                            organisation=organisation,
                            kind=rule.kind,
                            topic=topic,
                            planned_on=day,
                            group=group,
                        )
                    )
    return planned


def backfill_deadline(held_on: dt.date, config: OrglifeSettings | None = None) -> dt.date:
    """Return the last day on which a meeting held on ``held_on`` may be recorded.

    The window counts calendar days; a window ending on a weekend or public holiday runs on
    to the next working day (as statutory time limits do), so the National Day holiday does
    not eat a branch's chance to record.
    """
    from hongfan.workdays.services import add_working_days

    config = config or OrglifeSettings.current()
    return add_working_days(held_on + dt.timedelta(days=config.backfill_days), 0)


@transaction.atomic
def meeting_record(
    *,
    meeting: Meeting,
    user: Any,
    held_on: dt.date,
    present_ids: Iterable[int],
    absences: Mapping[int, tuple[str, str]] | None = None,
    starts_at: dt.time | None = None,
    place: str = "",
    host: PartyMember | None = None,
    recorder: PartyMember | None = None,
    lecturer: PartyMember | None = None,
    first_topic_title: str = "",
    first_topic_source: str = "",
    agenda: str = "",
    resolutions: str = "",
    minutes: str = "",
    backfill_reason: str = "",
    today: dt.date | None = None,
) -> Meeting:
    """Record what happened at a meeting; validate dates, attendees, quorum and the window."""
    today = today or timezone.localdate()
    config = OrglifeSettings.current()
    organisation = meeting.organisation
    errors: dict[str, list[str]] = {}
    if held_on > today:
        errors.setdefault("held_on", []).append(
            _("A meeting cannot be recorded before it is held.")
        )
    if held_on < organisation.established_on:
        errors.setdefault("held_on", []).append(
            _("The organisation did not exist yet on this date (established %(date)s).")
            % {"date": organisation.established_on.isoformat()}
        )
    if organisation.dissolved_on and held_on > organisation.dissolved_on:
        errors.setdefault("held_on", []).append(_("The organisation was already dissolved."))
    if errors:
        raise ValidationError(errors)

    late_by = (today - backfill_deadline(held_on, config)).days
    overridden = False
    if late_by > 0:
        if not user.has_capability(Cap.ORGLIFE_OVERRIDE):
            raise ValidationError(
                {
                    "held_on": _(
                        "Meetings must be recorded within %(days)d days (for this meeting: "
                        "by %(deadline)s); only the Party committee office may add a later record."
                    )
                    % {
                        "days": config.backfill_days,
                        "deadline": backfill_deadline(held_on, config).isoformat(),
                    }
                }
            )
        if not backfill_reason.strip():
            raise ValidationError(
                {"backfill_reason": _("Give the reason for recording this meeting late.")}
            )
        overridden = True

    eligible = eligible_member_ids(
        organisation=organisation, kind=meeting.kind, group=meeting.group, day=held_on
    )
    present = set(present_ids)
    absences = dict(absences or {})
    strangers = (present | set(absences)) - eligible
    if strangers:
        names = ", ".join(
            str(m) for m in PartyMember.objects.filter(pk__in=strangers).select_related("staff")
        )
        raise ValidationError(
            _("Not a member of this meeting's branch, group or committee: %(names)s")
            % {"names": names or ", ".join(map(str, sorted(strangers)))}
        )
    if present & set(absences):
        raise ValidationError(_("A member cannot be both present and absent."))
    for field, person in (("host", host), ("recorder", recorder)):
        if (
            person is not None
            and person.pk not in branch_member_ids(organisation, held_on) | eligible
        ):
            raise ValidationError(
                {field: _("The host and recorder must be members of the branch.")}
            )
    for reason, _note in absences.values():
        if reason not in Attendance.Reason.values:
            raise ValidationError(_("Choose a reason for each absence."))

    meeting.held_on = held_on
    meeting.starts_at = starts_at
    meeting.place = place
    meeting.host = host
    meeting.recorder = recorder
    meeting.lecturer = lecturer
    meeting.first_topic_title = first_topic_title
    meeting.first_topic_source = first_topic_source
    meeting.agenda = agenda
    meeting.resolutions = resolutions
    meeting.minutes = minutes
    meeting.backfill_reason = backfill_reason.strip() if overridden else ""
    meeting.status = Meeting.Status.RECORDED
    meeting.recorded_at = timezone.now()
    meeting.recorded_by = user if getattr(user, "pk", None) else None
    if meeting.kind == MeetingKind.COMMITTEE:
        # 支委会: more than half of the committee members must be present.
        meeting.quorum_required = len(eligible) // 2 + 1
        meeting.quorum_present = len(present & eligible)
        meeting.is_valid = bool(eligible) and meeting.quorum_present >= meeting.quorum_required
    else:
        meeting.quorum_required = None
        meeting.quorum_present = None
        meeting.is_valid = True
    meeting.full_clean()
    meeting.save()

    existing = {a.member_id: a for a in meeting.attendances.all()}
    for member_id in eligible | present | set(absences):
        att = existing.get(member_id) or Attendance(
            meeting=meeting, member_id=member_id, invited=member_id in eligible
        )
        if member_id in present:
            att.status, att.absence_reason, att.absence_note = Attendance.Status.PRESENT, "", ""
        elif member_id in absences:
            att.status = Attendance.Status.ABSENT
            att.absence_reason, att.absence_note = absences[member_id]
        else:
            att.status = Attendance.Status.ABSENT
            att.absence_reason, att.absence_note = Attendance.Reason.OTHER, ""
        att.save()

    if overridden:
        audit.record(
            AuditEntry.Action.OTHER,
            meeting,
            user=user,
            detail={
                "what": "orglife.backfill_override",
                "reason": meeting.backfill_reason,
                "held_on": held_on.isoformat(),
                "days_after_window": late_by,
            },
        )
    return meeting


@transaction.atomic
def meeting_mark_valid(*, meeting: Meeting) -> Meeting:
    """Mark a recorded meeting valid; a 支委会 without quorum is refused."""
    if meeting.status != Meeting.Status.RECORDED:
        raise ValidationError(_("Record the meeting first."))
    if meeting.kind == MeetingKind.COMMITTEE and not meeting.quorum_met:
        raise ValidationError(
            _(
                "A branch committee meeting needs more than half of the committee present "
                "(%(present)s of %(required)s required)."
            )
            % {"present": meeting.quorum_present or 0, "required": meeting.quorum_required or 0}
        )
    meeting.is_valid = True
    meeting.save(update_fields=["is_valid"])
    return meeting


@transaction.atomic
def meeting_file_add(*, meeting: Meeting, upload: UploadedFile, user: Any) -> MeetingFile:
    """Attach a photo or document, checking its type and size."""
    config = OrglifeSettings.current()
    name = upload.name or "file"
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if ext in MeetingFile.PHOTO_EXTENSIONS:
        kind = MeetingFile.Kind.PHOTO
    elif ext in MeetingFile.DOCUMENT_EXTENSIONS:
        kind = MeetingFile.Kind.DOCUMENT
    else:
        raise ValidationError(
            {
                "file": _(
                    "This type of file is not accepted (photos: jpg, png, webp; documents: pdf, "
                    "Word, Excel, PowerPoint, txt)."
                )
            }
        )
    if upload.size is None or upload.size > config.max_attachment_bytes:
        raise ValidationError(
            {
                "file": _("The file is larger than %(mb)d MB.")
                % {"mb": config.max_attachment_bytes // (1024 * 1024)}
            }
        )
    if kind == MeetingFile.Kind.PHOTO:
        head = upload.read(12)
        upload.seek(0)
        signatures = (b"\xff\xd8\xff", b"\x89PNG", b"RIFF")
        if not any(head.startswith(sig) for sig in signatures):
            raise ValidationError({"file": _("The photo is not a valid image file.")})
    item = MeetingFile(
        meeting=meeting, kind=kind, file=upload, name=name[:200], size=upload.size, uploaded_by=user
    )
    item.full_clean()
    item.save()
    return item


# --- QR sign-in --------------------------------------------------------------------------------


def sign_in_expires_at(meeting: Meeting, config: OrglifeSettings | None = None) -> dt.datetime:
    """Return when the meeting's sign-in code stops working (start + configured hours)."""
    config = config or OrglifeSettings.current()
    day = meeting.held_on or meeting.planned_on
    start = dt.datetime.combine(day, meeting.starts_at or dt.time(23, 59))
    aware = timezone.make_aware(start) if timezone.is_naive(start) else start
    return aware + dt.timedelta(hours=config.sign_in_hours)


def sign_in_token(meeting: Meeting) -> str:
    """Return a signed token naming the meeting and its expiry (tamper-evident)."""
    expires = int(sign_in_expires_at(meeting).timestamp())
    return signing.TimestampSigner(salt=SIGN_IN_SALT).sign_object({"m": meeting.pk, "e": expires})


def meeting_for_token(token: str, *, now: dt.datetime | None = None) -> Meeting:
    """Return the meeting a sign-in token names; refuse a tampered or expired token."""
    now = now or timezone.now()
    try:
        payload = signing.TimestampSigner(salt=SIGN_IN_SALT).unsign_object(token)
        meeting_id, expires = int(payload["m"]), int(payload["e"])
    except (signing.BadSignature, KeyError, TypeError, ValueError) as exc:
        raise ValidationError(_("This sign-in code is invalid.")) from exc
    if now.timestamp() > expires:
        raise ValidationError(_("This sign-in code has expired."))
    meeting = Meeting.objects.select_related("organisation", "group").filter(pk=meeting_id).first()
    if meeting is None:
        raise ValidationError(_("This sign-in code is invalid."))
    return meeting


@transaction.atomic
def meeting_sign_in(
    *, meeting: Meeting, member: PartyMember | None, now: dt.datetime | None = None
) -> Attendance:
    """Record ``member`` as present; a second sign-in with the same code is refused."""
    now = now or timezone.now()
    day = meeting.held_on or meeting.planned_on
    eligible = eligible_member_ids(
        organisation=meeting.organisation, kind=meeting.kind, group=meeting.group, day=day
    )
    if member is None or member.pk not in eligible:
        raise ValidationError(_("You are not a member of the organisation holding this meeting."))
    att, _created = Attendance.objects.select_for_update().get_or_create(
        meeting=meeting, member=member, defaults={"invited": True}
    )
    if att.signed_in_at is not None:
        raise ValidationError(
            _("You have already signed in (at %(time)s): a sign-in code works once per member.")
            % {"time": timezone.localtime(att.signed_in_at).strftime("%H:%M")}
        )
    att.signed_in_at = now
    att.status = Attendance.Status.PRESENT
    att.absence_reason = ""
    att.absence_note = ""
    att.save()
    return att


# --- 民主评议党员 -------------------------------------------------------------------------------


def campaign_participant_ids(campaign: ReviewCampaign) -> set[int]:
    """Return the members who take part (full and probationary)."""
    return set(
        PartyMember.objects.filter(
            organisation=campaign.organisation, status=PartyMember.Status.NORMAL
        ).values_list("id", flat=True)
    )


def campaign_candidate_ids(campaign: ReviewCampaign) -> set[int]:
    """Return the members who are graded: full members only (预备党员 are not graded)."""
    return set(
        PartyMember.objects.filter(
            organisation=campaign.organisation,
            status=PartyMember.Status.NORMAL,
            category=PartyMember.Category.FULL,
        ).values_list("id", flat=True)
    )


@transaction.atomic
def campaign_open(*, organisation: PartyOrganisation, year: int) -> ReviewCampaign:
    """Open the year's 民主评议党员 for a branch (stage: 自评)."""
    if organisation.kind != PartyOrganisation.Kind.BRANCH:
        raise ValidationError(_("A democratic review is held by a branch."))
    if organisation.is_temporary:
        raise ValidationError(_("A temporary branch holds no democratic review of members."))
    campaign = ReviewCampaign(organisation=organisation, year=year)
    campaign.full_clean()
    campaign.save()
    return campaign


@transaction.atomic
def self_assessment_submit(
    *, campaign: ReviewCampaign, member: PartyMember, text: str
) -> SelfAssessment:
    if campaign.stage == ReviewCampaign.Stage.DECIDED:
        raise ValidationError(_("This review is closed."))
    if member.pk not in campaign_participant_ids(campaign):
        raise ValidationError(_("You are not a member of this branch."))
    if not text.strip():
        raise ValidationError({"text": _("Write your self-assessment.")})
    item, _created = SelfAssessment.objects.update_or_create(
        campaign=campaign, member=member, defaults={"text": text.strip()}
    )
    return item


@transaction.atomic
def campaign_start_mutual(*, campaign: ReviewCampaign) -> ReviewCampaign:
    """Close the self-assessments and open 互评."""
    if campaign.stage != ReviewCampaign.Stage.SELF:
        raise ValidationError(_("The mutual assessment has already started."))
    campaign.stage = ReviewCampaign.Stage.MUTUAL
    campaign.save(update_fields=["stage"])
    return campaign


@transaction.atomic
def mutual_assessments_submit(
    *, campaign: ReviewCampaign, author: PartyMember | None, texts: Mapping[int, str]
) -> int:
    """Save ``author``'s comments on other members (empty texts are skipped); return how many."""
    if campaign.stage != ReviewCampaign.Stage.MUTUAL:
        raise ValidationError(_("The mutual assessment is not open."))
    participants = campaign_participant_ids(campaign)
    if author is None or author.pk not in participants:
        raise ValidationError(_("You are not a member of this branch."))
    saved = 0
    for subject_id, text in texts.items():
        if not text.strip():
            continue
        if subject_id == author.pk:
            raise ValidationError(_("Your own assessment is the self-assessment."))
        if subject_id not in participants:
            raise ValidationError(_("You are not a member of this branch."))
        MutualAssessment.objects.update_or_create(
            campaign=campaign, author=author, subject_id=subject_id, defaults={"text": text.strip()}
        )
        saved += 1
    return saved


@transaction.atomic
def campaign_start_voting(*, campaign: ReviewCampaign) -> ReviewCampaign:
    """Close 互评 and open the vote (测评)."""
    if campaign.stage == ReviewCampaign.Stage.SELF:
        raise ValidationError(_("Hold the mutual assessment before the vote."))
    if campaign.stage != ReviewCampaign.Stage.MUTUAL:
        raise ValidationError(_("Voting has already started."))
    campaign.stage = ReviewCampaign.Stage.VOTING
    campaign.save(update_fields=["stage"])
    return campaign


@transaction.atomic
def ballots_cast(
    *, campaign: ReviewCampaign, voter: PartyMember | None, grades: Mapping[int, str]
) -> list[ReviewBallot]:
    """Cast one voter's ballots (one per candidate, never twice)."""
    if campaign.stage != ReviewCampaign.Stage.VOTING:
        raise ValidationError(_("Voting is not open."))
    participants = campaign_participant_ids(campaign)
    if voter is None or voter.pk not in participants:
        raise ValidationError(_("You are not a member of this branch."))
    candidates = campaign_candidate_ids(campaign)
    if not grades:
        raise ValidationError(_("Choose a grade for at least one member."))
    already = set(
        ReviewBallot.objects.filter(
            campaign=campaign, voter=voter, candidate_id__in=list(grades)
        ).values_list("candidate_id", flat=True)
    )
    if already:
        raise ValidationError(_("You have already voted for this member."))
    ballots = []
    for candidate_id, grade in grades.items():
        if candidate_id == voter.pk:
            raise ValidationError(_("A member does not vote for themselves."))
        if candidate_id in participants - candidates:
            raise ValidationError(
                _("Probationary members take part in the review but are not graded.")
            )
        if candidate_id not in candidates:
            raise ValidationError(_("Only full members of the branch are graded."))
        if grade not in ReviewGrade.values:
            raise ValidationError(_("Choose a valid grade."))
        ballot = ReviewBallot(
            campaign=campaign, voter=voter, candidate_id=candidate_id, grade=grade
        )
        ballot.full_clean(validate_constraints=False)
        ballots.append(ballot)
    try:
        with transaction.atomic():
            for ballot in ballots:
                ballot.save()
    except IntegrityError as exc:  # a concurrent second submission
        raise ValidationError(_("You have already voted for this member.")) from exc
    return ballots


def campaign_tally(campaign: ReviewCampaign) -> dict[int, Counter[str]]:
    """Return, per candidate, how many ballots gave each grade."""
    tally: dict[int, Counter[str]] = {}
    for candidate_id, grade in ReviewBallot.objects.filter(campaign=campaign).values_list(
        "candidate_id", "grade"
    ):
        tally.setdefault(candidate_id, Counter())[grade] += 1
    return tally


@transaction.atomic
def campaign_decide(
    *,
    campaign: ReviewCampaign,
    grades: Mapping[int, str],
    decided_on: dt.date,
    decided_by: str,
) -> list[ReviewResult]:
    """Record the branch's decision; 优秀 at most the configured share of graded members."""
    if campaign.stage == ReviewCampaign.Stage.DECIDED:
        raise ValidationError(_("This review has already been decided."))
    config = OrglifeSettings.current()
    candidates = campaign_candidate_ids(campaign)
    participants = campaign_participant_ids(campaign)
    for member_id, grade in grades.items():
        if member_id in participants - candidates:
            raise ValidationError(
                _("Probationary members take part in the review but are not graded.")
            )
        if member_id not in candidates:
            raise ValidationError(_("Only full members of the branch are graded."))
        if grade not in ReviewGrade.values:
            raise ValidationError(_("Choose a valid grade."))
    graded = len(grades)
    excellent = sum(1 for g in grades.values() if g == ReviewGrade.EXCELLENT)
    if excellent * config.excellent_denominator > graded * config.excellent_numerator:
        raise ValidationError(
            _(
                "At most %(num)d/%(den)d of the graded members may be rated excellent: "
                "%(excellent)d of %(graded)d is too many."
            )
            % {
                "num": config.excellent_numerator,
                "den": config.excellent_denominator,
                "excellent": excellent,
                "graded": graded,
            }
        )
    tally = campaign_tally(campaign)
    results = []
    for member_id, grade in sorted(grades.items()):
        result = ReviewResult(
            campaign=campaign,
            member_id=member_id,
            year=campaign.year,
            grade=grade,
            votes=dict(tally.get(member_id, {})),
        )
        result.full_clean()
        result.save()
        results.append(result)
    campaign.stage = ReviewCampaign.Stage.DECIDED
    campaign.decided_on = decided_on
    campaign.decided_by = decided_by
    campaign.full_clean()
    campaign.save()
    return results


# --- rules and reminders -----------------------------------------------------------------------

DEFAULT_RULES: tuple[tuple[str, str, int, str, bool, str], ...] = (  # as in migration 0002
    (MeetingKind.GENERAL_ASSEMBLY, "quarter", 1, "regular", False, "支部工作条例"),
    (MeetingKind.COMMITTEE, "month", 1, "regular", False, "支部工作条例"),
    (MeetingKind.GROUP, "month", 1, "regular", True, "只适用于设党小组的支部"),
    (MeetingKind.LECTURE, "quarter", 1, "regular", False, "[local] 亦可配置为每年≥2次"),
    (MeetingKind.THEME_DAY, "month", 1, "all", False, "每月固定一天"),
    (MeetingKind.LIFE_MEETING, "year", 1, "regular", False, "一般在第四季度"),
    (MeetingKind.REVIEW, "year", 1, "regular", False, "可与组织生活会结合"),
    (MeetingKind.GENERAL_ASSEMBLY, "quarter", 1, "temporary", False, "临时党支部"),
)


@transaction.atomic
def default_rules_ensure() -> int:
    """Create the default frequency rules when none exist; return how many were created."""
    if FrequencyRule.objects.exists():
        return 0
    rules = [
        FrequencyRule(
            kind=kind,
            period=period,
            minimum=n,
            applies_to=applies,
            only_with_groups=groups,
            note=note,
        )
        for kind, period, n, applies, groups, note in DEFAULT_RULES
    ]
    FrequencyRule.objects.bulk_create(rules)
    return len(rules)


# Remind a secretary this many days before the back-fill window of an unrecorded meeting closes.
RECORD_REMINDER_DAYS = 2


def reminder_lead_days(period: str, config: OrglifeSettings | None = None) -> int:
    """Return how many days before a period ends its missing meetings are reminded."""
    config = config or OrglifeSettings.current()
    return (
        config.reminder_days if period == FrequencyRule.Period.MONTH else config.reminder_days_long
    )


def reminders_send(*, today: dt.date | None = None) -> int:
    """Remind secretaries of requirements still missing in periods ending soon.

    "Soon" is ``reminder_days`` for a month and ``reminder_days_long`` for a quarter or a year.
    Two channels, each switchable in the settings: the secretaries' inboxes and one group
    robot (企业微信 / 钉钉). Idempotent: each (branch, rule, period) reminder reaches each
    secretary once and the robot once. Returns the number of messages sent.
    """
    from hongfan.accounts.models import User
    from hongfan.accounts.roles import Role
    from hongfan.notifications.services import notify
    from hongfan.orglife.selectors import compliance_for_year, lecture_by_committee_secretary

    today = today or timezone.localdate()
    config = OrglifeSettings.current()
    branches = PartyOrganisation.objects.filter(kind=PartyOrganisation.Kind.BRANCH)
    matrix = compliance_for_year(branches, today.year, today=today)
    secretaries: dict[int, list[Any]] = {}
    for user_id, org_id in User.objects.filter(
        is_active=True, role_assignments__role=Role.BRANCH_SECRETARY
    ).values_list("id", "role_assignments__organisation_id"):
        secretaries.setdefault(org_id, []).append(user_id)
    users = {
        u.pk: u for u in User.objects.filter(pk__in={i for v in secretaries.values() for i in v})
    }
    due: list[tuple[str, str, str, str, list[Any], PartyOrganisation]] = []  # key, title, body, url
    for row in matrix.rows:
        recipients = [users[i] for i in secretaries.get(row.branch.pk, []) if i in users]
        for req in row.requirements:
            horizon = today + dt.timedelta(days=reminder_lead_days(req.period, config))
            if req.held >= req.required or not (today <= req.end <= horizon):
                continue
            title = _("%(branch)s: %(kind)s for %(period)s is still missing") % {
                "branch": row.branch.name,
                "kind": req.kind_label,
                "period": req.label,
            }
            body = _("Required %(required)d, held %(held)d; the period ends on %(end)s.") % {
                "required": req.required,
                "held": req.held,
                "end": req.end.isoformat(),
            }
            key = f"orglife:reminder:{row.branch.pk}:{req.rule_id}:{req.key}"
            url = f"/orglife/compliance/{row.branch.pk}/?year={today.year}"
            due.append((key, title, body, url, recipients, row.branch))
    # Held (planned date passed) but not yet recorded: remind before the back-fill window closes.
    recent = Meeting.objects.filter(
        status=Meeting.Status.PLANNED,
        organisation__kind=PartyOrganisation.Kind.BRANCH,
        planned_on__lt=today,
        planned_on__gte=today - dt.timedelta(days=config.backfill_days + 10),
    ).select_related("organisation")
    for meeting in recent:
        deadline = backfill_deadline(meeting.planned_on, config)
        if not (0 <= (deadline - today).days <= RECORD_REMINDER_DAYS):
            continue
        recipients = [users[i] for i in secretaries.get(meeting.organisation_id, []) if i in users]
        title = _("%(branch)s: record 「%(topic)s」 (%(date)s) by %(deadline)s") % {
            "branch": meeting.organisation.name,
            "topic": meeting.topic,
            "date": meeting.planned_on.isoformat(),
            "deadline": deadline.isoformat(),
        }
        body = _("After that day only the Party committee office can add the record.")
        url = f"/orglife/meetings/{meeting.pk}/record/"
        due.append(
            (f"orglife:record:{meeting.pk}", title, body, url, recipients, meeting.organisation)
        )
    sent = 0
    if config.reminders_in_app:
        for key, title, body, url, recipients, branch in due:
            if recipients:
                sent += len(
                    notify(
                        users=recipients,
                        title=title,
                        body=body,
                        url=url,
                        level="warning",
                        source=branch,
                        dedup_key=key,
                    )
                )
    if config.reminder_robot and due:
        sent += _robot_post(config, [(key, title, body) for key, title, body, *_rest in due])
    # The 党委书记 gives at least one Party lecture a year: warn the office near the year end.
    year_end = dt.date(today.year, 12, 31)
    if config.reminders_in_app and year_end <= today + dt.timedelta(days=config.reminder_days):
        office = list(
            User.objects.filter(is_active=True, role_assignments__role=Role.PARTY_OFFICE).distinct()
        )
        for flag in lecture_by_committee_secretary(today.year):
            if flag.lectures == 0 and office:
                created = notify(
                    users=office,
                    title=_(
                        "%(name)s (Party committee secretary) has given no Party lecture "
                        "in %(year)d"
                    )
                    % {"name": flag.secretary_name, "year": today.year},
                    url=f"/orglife/compliance/?year={today.year}",
                    level="warning",
                    dedup_key=f"orglife:secretary-lecture:{flag.committee_id}:{today.year}",
                )
                sent += len(created)
    return sent


# Tests replace this with a fake transport; None means the real HTTP call.
robot_transport: Any = None


def _robot_post(config: OrglifeSettings, items: list[tuple[str, str, str]]) -> int:
    """Post the reminders not posted before to the group robot, one message each.

    A failing robot is logged and retried at the next run (nothing is marked as sent).
    """
    import logging

    from hongfan.notifications import webhooks
    from hongfan.orglife.models import RobotReminder

    already = set(
        RobotReminder.objects.filter(dedup_key__in=[k for k, *_ in items]).values_list(
            "dedup_key", flat=True
        )
    )
    robot = webhooks.robot_for(
        config.reminder_robot,
        config.reminder_robot_url,
        secret=config.reminder_robot_secret,
        transport=robot_transport,
    )
    sent = 0
    for key, title, body in items:
        if key in already:
            continue
        try:
            robot.send(title, body)
        except webhooks.WebhookError as exc:
            logging.getLogger(__name__).warning("orglife reminder robot failed: %s", exc)
            break
        RobotReminder.objects.create(dedup_key=key)
        sent += 1
    return sent


# --- configuration (the Party committee office) ------------------------------------------------

RULE_FIELDS = ("kind", "period", "minimum", "applies_to", "only_with_groups", "is_active", "note")
SETTINGS_FIELDS = (
    "backfill_days",
    "sign_in_hours",
    "reminder_days",
    "reminder_days_long",
    "reminders_in_app",
    "reminder_robot",
    "reminder_robot_url",
    "reminder_robot_secret",
    "excellent_numerator",
    "excellent_denominator",
)


@transaction.atomic
def rule_save(*, rule: FrequencyRule | None = None, **fields: Any) -> FrequencyRule:
    """Create or change a frequency rule (e.g. 党课 twice a year instead of quarterly)."""
    rule = rule or FrequencyRule()
    for name in RULE_FIELDS:
        if name in fields:
            setattr(rule, name, fields[name])
    rule.full_clean()
    rule.save()
    return rule


@transaction.atomic
def settings_save(**fields: Any) -> OrglifeSettings:
    """Change the settings row; an empty robot address or secret keeps the stored one."""
    config = OrglifeSettings.objects.select_for_update().order_by("pk").first() or OrglifeSettings()
    for name in SETTINGS_FIELDS:
        if name not in fields:
            continue
        if name in ("reminder_robot_url", "reminder_robot_secret") and not fields[name]:
            continue
        setattr(config, name, fields[name])
    if not config.reminder_robot:
        config.reminder_robot_url = ""
        config.reminder_robot_secret = ""
    config.full_clean()
    config.save()
    return config
