"""Reads of patient voice: scoped querysets, complaint statistics and satisfaction scores.

Selectors other apps may read (cockpit, reports, scoring): ``complaint_stats``,
``satisfaction_summary``, ``satisfaction_by_department``, ``complaints_verified_by_department``
(documented in docs/apps/voice.md).
"""

from __future__ import annotations

import datetime as dt
import functools
import math
from collections import Counter, defaultdict
from decimal import Decimal
from typing import Any

from django.db import connections, router
from django.db.models import Count, Model, Q, QuerySet
from django.utils import timezone

from hongfan.loops import selectors as loops_selectors
from hongfan.loops.models import Matter
from hongfan.org.models import Department
from hongfan.voice import rules
from hongfan.voice.models import (
    Answer,
    Contact,
    FollowUp,
    Poster,
    Question,
    ReceptionDay,
    Response,
    Survey,
    Wish,
)

# ---------------------------------------------------------------- public survey pages
#
# The poster page is the public endpoint with a throughput target (issue 5: ≥ 200
# submissions a second on two cores). Per submission it reads one row (poster, survey and
# department) and nothing else: the questions come from a per-process cache.

_QUESTIONS: dict[tuple[int, int], tuple[Question, ...]] = {}
_QUESTIONS_MAX = 512  # surveys; the cache is emptied when it grows past this


def survey_questions(survey: Survey) -> list[Question]:
    """Return the survey's questions in order, cached per process by (id, version).

    ``services.question_add`` / ``question_delete`` give the survey a new random version,
    so a changed questionnaire is read again on its next request by every worker. The
    questions are loaded without their survey, so a cached question never carries another
    request's survey object (whose status may have changed since).
    """
    key = (survey.pk, survey.version)
    cached = _QUESTIONS.get(key)
    if cached is None:
        cached = tuple(Question.objects.filter(survey_id=survey.pk).order_by("order"))
        if len(_QUESTIONS) >= _QUESTIONS_MAX:
            _QUESTIONS.clear()
        _QUESTIONS[key] = cached
    return list(cached)


def _instance(model: type[Model], db: str, values: dict[str, Any]) -> Any:
    """A model instance from some of its columns (the others load on access, like .only())."""
    names = [f.attname for f in model._meta.concrete_fields if f.attname in values]
    return model.from_db(db, names, [values[n] for n in names])


@functools.cache
def _poster_sql() -> str:
    p, s, d = Poster._meta, Survey._meta, Department._meta
    # Table names from the models' metadata; the code is a parameter.
    return (
        f"SELECT p.id, p.survey_id, p.department_id, s.status, s.version, s.title, s.intro,"  # noqa: S608
        f" d.name FROM {p.db_table} p"
        f" JOIN {s.db_table} s ON s.id = p.survey_id"
        f" JOIN {d.db_table} d ON d.id = p.department_id"
        f" WHERE p.code = %s"
    )


def poster_for_form(code: str) -> Poster | None:
    """Return the poster of ``code`` with its survey and department, or None.

    One hand-written query (the ORM's compilation of the same ``select_related`` cost more
    CPU than the database's work; see docs/performance.md). Only the columns the public
    pages use are read: the survey's status, version, title and intro, the department's
    name; any other field loads on access.
    """
    db = router.db_for_read(Poster)
    with connections[db].cursor() as cur:
        cur.execute(_poster_sql(), [code])
        row = cur.fetchone()
    if row is None:
        return None
    pk, survey_id, dept_id, status, version, title, intro, dept_name = row
    survey = _instance(
        Survey,
        db,
        {"id": survey_id, "status": status, "version": version, "title": title, "intro": intro},
    )
    department = _instance(Department, db, {"id": dept_id, "name": dept_name})
    poster = _instance(
        Poster, db, {"id": pk, "survey_id": survey_id, "department_id": dept_id, "code": code}
    )
    poster.survey = survey
    poster.department = department
    return poster


# ---------------------------------------------------------------- scope


def contacts_visible_to(user: Any) -> QuerySet[Contact]:
    """Hospital-wide roles see every contact; heads and secretaries those about their
    departments; anyone the contacts they received or own."""
    qs = Contact.objects.all()
    scope = user.scope
    if scope.hospital_wide:
        return qs
    q = Q(first_receiver=user) | Q(matter__owner=user)
    if scope.department_ids:
        ids = Contact.departments.through.objects.filter(
            department_id__in=scope.department_ids
        ).values("contact_id")
        q |= Q(pk__in=ids)
    return qs.filter(q)


def wishes_visible_to(user: Any) -> QuerySet[Wish]:
    qs = Wish.objects.all()
    scope = user.scope
    if scope.hospital_wide:
        return qs
    q = Q(created_by=user) | Q(matter__owner=user)
    if scope.staff_id:
        q |= Q(responsible_id=scope.staff_id)
    if scope.department_ids:
        q |= Q(department_id__in=scope.department_ids)
    return qs.filter(q)


def receptions_visible_to(user: Any) -> QuerySet[ReceptionDay]:
    return ReceptionDay.objects.all()


def surveys_visible_to(user: Any) -> QuerySet[Survey]:
    return Survey.objects.all()


def followups_visible_to(user: Any) -> QuerySet[FollowUp]:
    if user.scope.hospital_wide:
        return FollowUp.objects.all()
    return FollowUp.objects.none()


def department_ids_for_scores(user: Any) -> set[int] | None:
    """None: every department (hospital-wide roles); else the user's departments."""
    if user.scope.hospital_wide:
        return None
    return set(user.scope.department_ids)


# ---------------------------------------------------------------- complaint statistics


def _range(qs: QuerySet[Contact], start: dt.date, end: dt.date) -> QuerySet[Contact]:
    tz = timezone.get_current_timezone()
    lo = dt.datetime.combine(start, dt.time.min, tzinfo=tz)
    hi = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    return qs.filter(received_at__gte=lo, received_at__lt=hi)


def complaint_stats(
    start: dt.date,
    end: dt.date,
    *,
    contacts: QuerySet[Contact] | None = None,
    now: dt.datetime | None = None,
) -> dict[str, Any]:
    """Volume by type, cause, department and month, on-time rate of the feedback and the
    patients' satisfaction with the handling, for contacts received in [start, end]."""
    qs = _range(contacts if contacts is not None else Contact.objects.all(), start, end)
    by_kind = dict(qs.order_by().values_list("kind").annotate(n=Count("pk")))
    labels = dict(Contact.Kind.choices)
    kinds = [(k, str(labels[k]), by_kind.get(k, 0)) for k in Contact.Kind.values]
    causes: Counter[str] = Counter()
    months: dict[str, Counter[str]] = defaultdict(Counter)
    ratings: list[int] = []
    for kind, cs, received, rating in qs.values_list(
        "kind", "causes", "received_at", "handling_rating"
    ):
        causes.update(cs or [])
        months[timezone.localtime(received).strftime("%Y-%m")][kind] += 1
        if rating:
            ratings.append(rating)
    cause_labels = dict(Contact.Cause.choices)
    dept_rows = (
        Contact.departments.through.objects.filter(contact__in=qs)
        .values("department_id", "department__name")
        .annotate(n=Count("contact_id", distinct=True))
        .order_by("-n", "department__name")
    )
    matters = Matter.objects.filter(pk__in=qs.exclude(matter=None).values("matter_id"))
    loop = loops_selectors.statistics(matters, now=now)
    return {
        "total": sum(by_kind.values()),
        "by_kind": kinds,
        "by_cause": [(c, str(cause_labels.get(c, c)), n) for c, n in causes.most_common()],
        "by_department": [(r["department_id"], r["department__name"], r["n"]) for r in dept_rows],
        "months": sorted(months),
        "by_month": {m: dict(v) for m, v in sorted(months.items())},
        "matters": loop["total"],
        "closed": loop["closed"],
        "on_time": loop["on_time"],
        "on_time_rate": loop["on_time_rate"],
        "avg_working_days": loop["avg_working_days"],
        "overdue_open": loop["overdue_open"],
        "rated": len(ratings),
        "satisfied_rate": (
            round(100 * sum(1 for r in ratings if r >= 4) / len(ratings), 1) if ratings else None
        ),
        "mean_rating": round(sum(ratings) / len(ratings), 2) if ratings else None,
    }


def complaints_verified_by_department(
    start: dt.date, end: dt.date, department_ids: set[int] | None
) -> dict[int, Decimal | None]:
    """Indicator provider ``voice.complaints_verified``: verified complaints per department."""
    qs = _range(
        Contact.objects.filter(kind=Contact.Kind.COMPLAINT, verified_at__isnull=False), start, end
    )
    rows = Contact.departments.through.objects.filter(contact__in=qs)
    if department_ids is not None:
        rows = rows.filter(department_id__in=department_ids)
    counts = dict(rows.order_by().values_list("department_id").annotate(n=Count("contact_id")))
    ids = (
        department_ids
        if department_ids is not None
        else set(Department.objects.values_list("pk", flat=True))
    )
    return {d: Decimal(counts.get(d, 0)) for d in ids}


# ---------------------------------------------------------------- satisfaction


def wilson(successes: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """95% Wilson score interval of a proportion, in percent."""
    if n == 0:
        return (0.0, 0.0)
    p = successes / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return (round(100 * max(0.0, centre - half), 1), round(100 * min(1.0, centre + half), 1))


def quarter_of(day: dt.date) -> str:
    return f"{day.year}Q{(day.month - 1) // 3 + 1}"


def _answers(
    start: dt.date,
    end: dt.date,
    *,
    survey_kinds: list[str] | None = None,
    institution: Any = None,
    department_ids: set[int] | None = None,
) -> QuerySet[Answer]:
    tz = timezone.get_current_timezone()
    lo = dt.datetime.combine(start, dt.time.min, tzinfo=tz)
    hi = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    qs = Answer.objects.filter(response__submitted_at__gte=lo, response__submitted_at__lt=hi)
    if survey_kinds:
        qs = qs.filter(response__survey__kind__in=survey_kinds)
    else:
        qs = qs.exclude(response__survey__kind=Survey.Kind.STAFF)
    if institution is not None:
        qs = qs.filter(response__department__institution=institution)
    if department_ids is not None:
        qs = qs.filter(response__department_id__in=department_ids)
    return qs


def _score(rows: list[tuple[int, int, str]]) -> dict[str, Any]:
    """rows: (response_id, value, scale) → n responses, top-box %, CI, mean (0–100)."""
    n_resp = len({r for r, _v, _s in rows})
    n_ans = len(rows)
    top = sum(1 for _r, v, s in rows if v >= (5 if s == Question.Scale.LIKERT5 else 9))
    mean = (
        sum(((v - 1) / 4 if s == Question.Scale.LIKERT5 else v / 10) for _r, v, s in rows)
        * 100
        / n_ans
        if n_ans
        else None
    )
    lo, hi = wilson(top, n_ans)
    return {
        "n": n_resp,
        "answers": n_ans,
        "top_box": round(100 * top / n_ans, 1) if n_ans else None,
        "ci_low": lo if n_ans else None,
        "ci_high": hi if n_ans else None,
        "mean": round(mean, 1) if mean is not None else None,
    }


def _suppress(score: dict[str, Any], min_n: int) -> dict[str, Any]:
    score["min_n"] = min_n
    score["suppressed"] = score["n"] < min_n
    if score["suppressed"]:
        for k in ("top_box", "ci_low", "ci_high", "mean"):
            score[k] = None
    return score


def satisfaction_summary(
    start: dt.date,
    end: dt.date,
    institution: Any = None,
    *,
    survey_kinds: list[str] | None = None,
    department_ids: set[int] | None = None,
) -> dict[str, Any]:
    """Patient satisfaction over [start, end]: overall and per dimension, top-box share with
    95% CI and mean (0–100); figures are ``None`` (suppressed) below the hospital minimum n.
    Staff surveys are left out unless ``survey_kinds`` asks for them."""
    rows = list(
        _answers(
            start,
            end,
            survey_kinds=survey_kinds,
            institution=institution,
            department_ids=department_ids,
        ).values_list("response_id", "value", "question__scale", "question__dimension")
    )
    min_n = rules.min_n_hospital() if department_ids is None else rules.min_n_department()
    overall = _suppress(_score([(r, v, s) for r, v, s, _d in rows]), min_n)
    by_dim: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
    for r, v, s, d in rows:
        by_dim[d].append((r, v, s))
    labels = dict(Question.Dimension.choices)
    overall["dimensions"] = [
        {"code": d, "label": str(labels.get(d, d)), **_suppress(_score(by_dim[d]), min_n)}
        for d in Question.Dimension.values
        if d in by_dim
    ]
    return overall


def satisfaction_table(
    start: dt.date,
    end: dt.date,
    *,
    department_ids: set[int] | None = None,
    survey_kinds: list[str] | None = None,
) -> list[dict[str, Any]]:
    """One row per department: n, top-box %, CI, mean; suppressed below the department minimum."""
    rows = _answers(
        start, end, survey_kinds=survey_kinds, department_ids=department_ids
    ).values_list("response__department_id", "response_id", "value", "question__scale")
    per: dict[int, list[tuple[int, int, str]]] = defaultdict(list)
    for dept, r, v, s in rows:
        if dept:
            per[dept].append((r, v, s))
    names = dict(Department.objects.filter(pk__in=per).values_list("pk", "name"))
    min_n = rules.min_n_department()
    out = [
        {"department_id": d, "department": names.get(d, ""), **_suppress(_score(v), min_n)}
        for d, v in per.items()
    ]
    return sorted(out, key=lambda r: (r["suppressed"], -(r["top_box"] or 0), r["department"]))


def satisfaction_by_department(
    start: dt.date, end: dt.date, department_ids: set[int] | None
) -> dict[int, Decimal | None]:
    """Indicator provider ``voice.satisfaction``: top-box % per department, ``None`` below
    the department minimum n."""
    table = {
        r["department_id"]: r for r in satisfaction_table(start, end, department_ids=department_ids)
    }
    ids = department_ids if department_ids is not None else set(table)
    return {
        d: (
            Decimal(str(table[d]["top_box"]))
            if d in table and table[d]["top_box"] is not None
            else None
        )
        for d in ids
    }


def satisfaction_trend(
    start: dt.date, end: dt.date, *, department_id: int | None = None
) -> list[dict[str, Any]]:
    """Top-box % per quarter (suppressed quarters give ``None``)."""
    ids = {department_id} if department_id else None
    rows = _answers(start, end, department_ids=ids).values_list(
        "response__submitted_at", "response_id", "value", "question__scale"
    )
    per: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
    for at, r, v, s in rows:
        per[quarter_of(timezone.localtime(at).date())].append((r, v, s))
    min_n = rules.min_n_department() if department_id else rules.min_n_hospital()
    return [{"quarter": q, **_suppress(_score(per[q]), min_n)} for q in sorted(per)]


def survey_counts(qs: QuerySet[Survey]) -> QuerySet[Survey]:
    return qs.annotate(
        n_questions=Count("questions", distinct=True), n_responses=Count("responses", distinct=True)
    )


def response_count(survey: Survey) -> int:
    return Response.objects.filter(survey=survey).count()


def fulfilment_stories(wishes: list[Wish]) -> list[Wish]:
    """Set ``story`` on each wish: how it was fulfilled (the note of the fulfil step and the
    evidence notes given with it), in one query."""
    from hongfan.loops.models import Evidence

    notes: dict[int, list[str]] = defaultdict(list)
    ids = [w.matter_id for w in wishes if w.matter_id]
    for matter_id, note in (
        Evidence.objects.filter(matter_id__in=ids, event__action="fulfil")
        .exclude(note="")
        .order_by("pk")
        .values_list("matter_id", "note")
    ):
        notes[matter_id].append(note)
    for w in wishes:
        parts = [w.feedback, *notes.get(w.matter_id or 0, [])]
        w.story = "\n".join(p for p in parts if p)  # type: ignore[attr-defined]
    return wishes
