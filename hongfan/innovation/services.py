"""Writes of innovation projects: the seven-stage loop, team, reports, evaluation, acceptance."""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from hongfan.innovation.models import (
    STAGE_ORDER,
    Evaluation,
    EvaluationItem,
    Project,
    Report,
    ReportFile,
    Score,
    Stage,
    StageChange,
    TeamMember,
    stage_index,
)
from hongfan.loops.services import validate_evidence_file
from hongfan.notifications.services import notify
from hongfan.party.models import CommitteeMember, PartyOrganisation
from hongfan.workdays.services import add_working_days

# Stages at which evaluators score a project.
SCORED_STAGES = (Stage.EVALUATION, Stage.REVIEW, Stage.ACCEPTANCE)


def _add_months(day: dt.date, months: int) -> dt.date:
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def report_schedule(
    *, started_on: dt.date, planned_end: dt.date, every_months: int
) -> list[dt.date]:
    """Return the report due dates: every ``every_months`` after the start, up to the end.

    A date on a weekend or an official holiday moves to the next working day (adjusted
    workdays count as working days).
    """
    dates: list[dt.date] = []
    k = 1
    while True:
        nominal = _add_months(started_on, k * every_months)
        if nominal > planned_end:
            break
        due = add_working_days(nominal, 0)
        if not dates or due > dates[-1]:
            dates.append(due)
        k += 1
    return dates


def _check_mentor(mentor: CommitteeMember) -> None:
    if mentor.organisation.kind != PartyOrganisation.Kind.COMMITTEE or mentor.ended_on:
        raise ValidationError(
            {"mentor": _("The mentor must be a serving member of the Party committee.")}
        )


def _next_code(year: int) -> str:
    prefix = f"CX{year}-"
    last = (
        Project.objects.filter(code__startswith=prefix).aggregate(m=Max("code"))["m"] or ""
    ).removeprefix(prefix)
    n = int(last) + 1 if last.isdigit() else 1
    return f"{prefix}{n:02d}"


@transaction.atomic
def project_reports_sync(*, project: Project) -> int:
    """Create the missing scheduled reports; drop unsubmitted ones off the schedule.

    Return the number of reports created. Submitted reports are never removed.
    """
    wanted = set(
        report_schedule(
            started_on=project.started_on,
            planned_end=project.planned_end,
            every_months=project.report_every_months,
        )
    )
    existing = set(project.reports.values_list("due_on", flat=True))
    for r in project.reports.filter(submitted_at__isnull=True).exclude(due_on__in=wanted):
        r.delete()
    new = [Report(project=project, due_on=d) for d in sorted(wanted - existing)]
    Report.objects.bulk_create(new)
    return len(new)


@transaction.atomic
def project_create(
    *,
    title: str,
    leader: Any,
    mentor: CommitteeMember,
    goals: str,
    started_on: dt.date,
    planned_end: dt.date,
    actor: Any,
    organisation: PartyOrganisation | None = None,
    department: Any = None,
    report_every_months: int = 1,
    code: str = "",
    at: dt.datetime | None = None,
) -> Project:
    """Register a project at 项目立项 and lay out its report schedule.

    ``at`` dates the first history row (default now; the demo back-dates it).
    """
    _check_mentor(mentor)
    project = Project(
        code=code or _next_code(started_on.year),
        title=title,
        organisation=organisation,
        department=department,
        leader=leader,
        mentor=mentor,
        goals=goals,
        started_on=started_on,
        planned_end=planned_end,
        report_every_months=report_every_months,
        stage=Stage.INITIATION,
        created_by=actor,
    )
    project.full_clean()
    project.save()
    StageChange.objects.create(
        project=project, from_stage="", to_stage=Stage.INITIATION, by=actor, at=at or timezone.now()
    )
    project_reports_sync(project=project)
    return project


@transaction.atomic
def project_update(*, project: Project, actor: Any, **fields: Any) -> Project:
    """Change the project's particulars (not its stage); the report schedule follows."""
    allowed = {
        "title",
        "organisation",
        "department",
        "leader",
        "mentor",
        "goals",
        "started_on",
        "planned_end",
        "report_every_months",
    }
    unknown = set(fields) - allowed
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    locked = Project.objects.select_for_update().get(pk=project.pk)
    for name, value in fields.items():
        setattr(locked, name, value)
    if "mentor" in fields:
        _check_mentor(locked.mentor)
    locked.full_clean()
    locked.save()
    project_reports_sync(project=locked)
    return locked


@transaction.atomic
def project_move_stage(*, project: Project, to_stage: str, actor: Any, reason: str = "") -> Project:
    """Move the project to ``to_stage``.

    Forward: one stage at a time; leaving 团队组建 needs a team. Backwards: to any earlier
    stage, only with a reason (a result given at the acceptance is withdrawn).
    """
    if to_stage not in STAGE_ORDER:
        raise ValidationError({"to_stage": _("Unknown stage.")})
    locked = Project.objects.select_for_update().get(pk=project.pk)
    here, there = stage_index(locked.stage), stage_index(to_stage)
    reason = reason.strip()
    if there == here:
        raise ValidationError({"to_stage": _("The project is already at this stage.")})
    if there > here + 1:
        raise ValidationError(
            {"to_stage": _("Stages cannot be skipped: move to the next stage first.")}
        )
    if there < here and not reason:
        raise ValidationError(
            {"reason": _("Moving a project back to an earlier stage needs a reason.")}
        )
    if locked.stage == Stage.TEAM and there > here and not locked.team.exists():
        raise ValidationError(
            {"to_stage": _("Add at least one team member before leaving team building.")}
        )
    old = locked.stage
    locked.stage = to_stage
    locked.stage_changed_at = timezone.now()
    if there < here:
        locked.result = ""
        locked.accepted_on = None
    locked.full_clean()
    locked.save()
    StageChange.objects.create(
        project=locked,
        from_stage=old,
        to_stage=to_stage,
        by=actor,
        reason=reason,
        at=locked.stage_changed_at,
    )
    return locked


@transaction.atomic
def team_member_add(*, project: Project, staff: Any, role: str = "") -> TeamMember:
    member = TeamMember(project=project, staff=staff, role=role.strip())
    member.full_clean()
    member.save()
    return member


@transaction.atomic
def team_member_remove(*, member: TeamMember) -> None:
    project = member.project
    past_team_building = project.stage not in (Stage.INITIATION, Stage.TEAM)
    if past_team_building and project.team.count() <= 1:
        raise ValidationError(_("The last team member cannot be removed after team building."))
    member.delete()


def can_report(project: Project, user: Any) -> bool:
    """Managers, the project leader and team members may submit reports."""
    from hongfan.accounts.roles import Cap

    if user.has_capability(Cap.INNOVATION_MANAGE):
        return True
    staff_id = getattr(user, "staff_id", None)
    if not staff_id:
        return False
    return project.leader_id == staff_id or project.team.filter(staff_id=staff_id).exists()


@transaction.atomic
def report_submit(
    *,
    report: Report,
    actor: Any,
    text: str,
    files: Sequence[UploadedFile] = (),
    now: dt.datetime | None = None,
) -> Report:
    """Submit (or amend) a scheduled report with its text and files."""
    if not text.strip():
        raise ValidationError({"text": _("Write the report before submitting it.")})
    for f in files:
        validate_evidence_file(f)
    locked = Report.objects.select_for_update().get(pk=report.pk)
    locked.text = text.strip()
    if locked.submitted_at is None:
        locked.submitted_at = now or timezone.now()
        locked.submitted_by = actor if getattr(actor, "pk", None) else None
    locked.full_clean()
    locked.save()
    for f in files:
        ReportFile.objects.create(
            report=locked, file=f, original_name=(f.name or "")[:200], size=f.size or 0
        )
    return locked


def _recipients(project: Project) -> list[Any]:
    from hongfan.accounts.models import User

    staff_ids = {project.leader_id, project.mentor.member.staff_id}
    return list(User.objects.filter(staff_id__in=staff_ids, is_active=True))


@transaction.atomic
def report_reminders_send(*, today: dt.date | None = None, ahead: int = 3) -> dict[str, int]:
    """Remind leaders and mentors of reports due within ``ahead`` working days, and overdue.

    Idempotent: each report gets at most one "due soon" and one "overdue" message per
    recipient (de-duplication keys), however often it runs.
    """
    today = today or timezone.localdate()
    horizon = add_working_days(today, ahead)
    open_reports = (
        Report.objects.filter(submitted_at__isnull=True, due_on__lte=horizon)
        .exclude(project__stage=Stage.ACCEPTANCE, project__result__gt="")
        .select_related("project__mentor__member")
    )
    counts = {"due_soon": 0, "overdue": 0, "notifications": 0}
    for report in open_reports:
        project = report.project
        url = reverse("innovation:report", args=[project.pk, report.pk])
        if report.due_on < today:
            kind, title = (
                "overdue",
                _("Overdue report: %(title)s (due %(date)s)")
                % {"title": project.title, "date": report.due_on.isoformat()},
            )
        else:
            kind, title = (
                "due_soon",
                _("Report due on %(date)s: %(title)s")
                % {"title": project.title, "date": report.due_on.isoformat()},
            )
        sent = notify(
            users=_recipients(project),
            title=title,
            url=url,
            source=report,
            dedup_key=f"innovation:report:{report.pk}:{kind}",
        )
        if sent:
            counts[kind] += 1
            counts["notifications"] += len(sent)
    return counts


@transaction.atomic
def evaluation_record(
    *,
    project: Project,
    evaluator: Any,
    evaluated_on: dt.date,
    scores: Mapping[int, Decimal],
    comment: str = "",
) -> Evaluation:
    """Record one evaluator's scores for the project's current stage (100 points in all)."""
    if project.stage not in SCORED_STAGES:
        raise ValidationError(
            _(
                "Scores are given at effect evaluation, stage review or year-end acceptance; "
                "the project is at “%(stage)s”."
            )
            % {"stage": project.get_stage_display()}
        )
    if evaluated_on > timezone.localdate():
        raise ValidationError({"evaluated_on": _("The evaluation date cannot be in the future.")})
    items = list(EvaluationItem.objects.filter(is_active=True))
    errors: dict[str, list[str]] = {}
    for item in items:
        value = scores.get(item.pk)
        if value is None:
            errors.setdefault("scores", []).append(_("Score “%(item)s”.") % {"item": item.name})
        elif value < 0 or value > item.max_score:
            errors.setdefault("scores", []).append(
                _("“%(item)s” is scored from 0 to %(max)s.")
                % {"item": item.name, "max": item.max_score}
            )
    if errors:
        raise ValidationError(errors)
    evaluation = Evaluation(
        project=project,
        stage=project.stage,
        evaluator=evaluator,
        evaluated_on=evaluated_on,
        comment=comment.strip(),
        total=sum((Decimal(scores[i.pk]) for i in items), Decimal(0)),
    )
    evaluation.full_clean()
    evaluation.save()
    Score.objects.bulk_create(
        [Score(evaluation=evaluation, item=i, score=scores[i.pk]) for i in items]
    )
    return evaluation


@transaction.atomic
def project_accept(
    *, project: Project, result: str, accepted_on: dt.date, note: str, actor: Any
) -> Project:
    """Record the year-end acceptance result (优秀 / 合格 / 不合格) with the opinion."""
    locked = Project.objects.select_for_update().get(pk=project.pk)
    if locked.stage != Stage.ACCEPTANCE:
        raise ValidationError(
            _("The acceptance result is given once the project reaches year-end acceptance.")
        )
    if result not in Project.Result.values:
        raise ValidationError({"result": _("Choose the acceptance result.")})
    if accepted_on > timezone.localdate():
        raise ValidationError({"accepted_on": _("The acceptance date cannot be in the future.")})
    if accepted_on < locked.started_on:
        raise ValidationError(
            {"accepted_on": _("The acceptance date cannot be before the project started.")}
        )
    if not note.strip():
        raise ValidationError({"acceptance_note": _("Write the acceptance opinion.")})
    locked.result = result
    locked.accepted_on = accepted_on
    locked.acceptance_note = note.strip()
    locked.full_clean()
    locked.save()
    return locked
