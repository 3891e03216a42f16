"""Writes of learning: study activities, question bank, contests, branch brands."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hongfan.learning.models import (
    BranchBrand,
    Contest,
    ContestAttempt,
    Question,
    StudyActivity,
    StudyParticipation,
)
from hongfan.party.models import PartyMember, PartyOrganisation


@transaction.atomic
def activity_create(
    *,
    organisation: PartyOrganisation,
    kind: str,
    title: str,
    held_on: dt.date,
    hours: Decimal,
    participant_ids: Iterable[int],
    place: str = "",
    summary: str = "",
    today: dt.date | None = None,
) -> StudyActivity:
    """Record a study activity; every participant earns its hours."""
    today = today or timezone.localdate()
    if held_on > today:
        raise ValidationError(
            {"held_on": _("A study activity cannot be recorded before it is held.")}
        )
    if held_on < organisation.established_on:
        raise ValidationError({"held_on": _("The organisation did not exist yet on this date.")})
    ids = set(participant_ids)
    if not ids:
        raise ValidationError({"participants": _("List at least one participant.")})
    members = PartyMember.objects.filter(pk__in=ids, status=PartyMember.Status.NORMAL)
    if organisation.kind == PartyOrganisation.Kind.BRANCH:
        members = members.filter(organisation=organisation)
    if members.count() != len(ids):
        raise ValidationError(
            {"participants": _("Every participant must be a member of the organising branch.")}
        )
    activity = StudyActivity(
        organisation=organisation,
        kind=kind,
        title=title,
        held_on=held_on,
        hours=hours,
        place=place,
        summary=summary,
    )
    activity.full_clean()
    activity.save()
    StudyParticipation.objects.bulk_create(
        [StudyParticipation(activity=activity, member_id=pk, hours=hours) for pk in sorted(ids)]
    )
    return activity


def _check_question(kind: str, options: list[str], answer: list[int]) -> None:
    if kind == Question.Kind.TRUE_FALSE:
        if options or answer not in ([0], [1]):
            raise ValidationError(_("A true-or-false question has no options and one answer."))
        return
    if len(options) < 2:
        raise ValidationError({"options": _("Give at least two options.")})
    if (
        not answer
        or any(i < 0 or i >= len(options) for i in answer)
        or len(set(answer)) != len(answer)
    ):
        raise ValidationError({"answer": _("The correct options must be among the options.")})
    if kind == Question.Kind.SINGLE and len(answer) != 1:
        raise ValidationError(
            {"answer": _("A single-choice question has exactly one correct option.")}
        )


@transaction.atomic
def question_create(
    *, kind: str, text: str, options: list[str], answer: list[int], category: str = ""
) -> Question:
    options = [o.strip() for o in options if o.strip()]
    answer = sorted(answer)
    _check_question(kind, options, answer)
    question = Question(
        kind=kind, text=text.strip(), options=options, answer=answer, category=category
    )
    question.full_clean()
    question.save()
    return question


LETTERS = "ABCDEFGH"


def parse_answer(kind: str, raw: str) -> list[int]:
    raw = str(raw or "").strip().upper()
    if kind == Question.Kind.TRUE_FALSE:
        if raw in ("对", "正确", "√", "TRUE", "T", "是"):
            return [0]
        if raw in ("错", "错误", "×", "FALSE", "F", "否"):
            return [1]
        raise ValidationError(_("A true-or-false answer is 对 or 错."))
    return [LETTERS.index(c) for c in raw if c in LETTERS]


@transaction.atomic
def questions_import_xlsx(*, file: IO[bytes]) -> int:
    """Import questions from an Excel sheet: 类型, 题目, 选项A–D, 答案, 分类 (all or nothing)."""
    from openpyxl import load_workbook

    kinds = {
        "单选": Question.Kind.SINGLE,
        "多选": Question.Kind.MULTIPLE,
        "判断": Question.Kind.TRUE_FALSE,
    }
    wb = load_workbook(file, read_only=True, data_only=True)
    ws = wb.active
    errors: list[str] = []
    created = 0
    for n, row in enumerate(ws.iter_rows(min_row=2, values_only=True), start=2):
        if not row or not any(row):
            continue
        cells = [("" if c is None else str(c)) for c in row] + [""] * 8
        kind = kinds.get(cells[0].strip())
        if kind is None:
            errors.append(_("Row %(n)d: the type must be 单选, 多选 or 判断.") % {"n": n})
            continue
        options = [] if kind == Question.Kind.TRUE_FALSE else cells[2:6]
        try:
            question_create(
                kind=kind,
                text=cells[1],
                options=options,
                answer=parse_answer(kind, cells[6]),
                category=cells[7].strip()[:50],
            )
            created += 1
        except ValidationError as exc:
            errors.append(_("Row %(n)d: %(e)s") % {"n": n, "e": "；".join(exc.messages)})
    if errors:
        raise ValidationError(errors)
    return created


@transaction.atomic
def contest_create(
    *,
    title: str,
    opens_on: dt.date,
    closes_on: dt.date,
    questions: Iterable[Question],
    points_per_question: int = 10,
) -> Contest:
    questions = list(questions)
    if not questions:
        raise ValidationError({"questions": _("Choose at least one question.")})
    contest = Contest(
        title=title, opens_on=opens_on, closes_on=closes_on, points_per_question=points_per_question
    )
    contest.full_clean()
    contest.save()
    contest.questions.set(questions)
    return contest


def score_answers(questions: Iterable[Question], answers: Mapping[int, list[int]]) -> int:
    """Return how many questions were answered exactly right."""
    return sum(1 for q in questions if sorted(answers.get(q.pk, [])) == sorted(q.answer))


@transaction.atomic
def contest_submit(
    *,
    contest: Contest,
    member: PartyMember | None,
    answers: Mapping[int, list[int]],
    today: dt.date | None = None,
) -> ContestAttempt:
    """Score a member's answers and keep the result (one attempt per member)."""
    today = today or timezone.localdate()
    if member is None:
        raise ValidationError(_("Only Party members take part in knowledge contests."))
    if not (contest.opens_on <= today <= contest.closes_on):
        raise ValidationError(_("This contest is not open."))
    if ContestAttempt.objects.filter(contest=contest, member=member).exists():
        raise ValidationError(_("You have already taken part in this contest."))
    questions = list(contest.questions.all())
    correct = score_answers(questions, answers)
    attempt = ContestAttempt(
        contest=contest,
        member=member,
        correct=correct,
        score=correct * contest.points_per_question,
        max_score=len(questions) * contest.points_per_question,
        answers={str(q.pk): sorted(answers.get(q.pk, [])) for q in questions},
    )
    attempt.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            attempt.save()
    except IntegrityError as exc:
        raise ValidationError(_("You have already taken part in this contest.")) from exc
    return attempt


@transaction.atomic
def brand_save(
    *,
    organisation: PartyOrganisation,
    name: str,
    slogan: str = "",
    description: str = "",
    featured_activities: str = "",
) -> BranchBrand:
    if organisation.kind != PartyOrganisation.Kind.BRANCH:
        raise ValidationError(_("A brand belongs to a branch."))
    brand = BranchBrand.objects.filter(organisation=organisation).first() or BranchBrand(
        organisation=organisation
    )
    brand.name, brand.slogan = name, slogan
    brand.description, brand.featured_activities = description, featured_activities
    brand.full_clean()
    brand.save()
    return brand


@transaction.atomic
def brand_evaluate(
    *, brand: BranchBrand, score: Decimal, user: Any, on: dt.date | None = None
) -> BranchBrand:
    brand.score = score
    brand.evaluated_on = on or timezone.localdate()
    brand.evaluated_by = user
    brand.full_clean()
    brand.save()
    return brand
