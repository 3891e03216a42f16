"""Writes of patient voice. Every function is one transaction and raises ``ValidationError``
with a Chinese-translatable message on bad input.

Complaints (every contact that is not praise or settled on the spot) and wishes are matters
of ``hongfan.loops``; their steps run through ``matter_transition`` (the loops detail page),
and the hooks at the end of this module keep our records and the scoring ledger in step.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import math
import random
import re
import secrets
import uuid
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connections, models, router, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from hongfan.accounts.models import User
from hongfan.accounts.roles import Cap
from hongfan.core import crypto
from hongfan.loops import services as loops
from hongfan.loops.models import Matter
from hongfan.org.models import Department, Staff
from hongfan.scoring.services import record_event, void_events_for_source
from hongfan.voice import rules
from hongfan.voice.models import (
    Answer,
    Contact,
    ContactList,
    Discharge,
    FollowUp,
    Invitation,
    Poster,
    Question,
    RaisedIssue,
    ReceptionDay,
    Registration,
    Response,
    Sample,
    Survey,
    Wish,
    new_version,
)

MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
LANDLINE_RE = re.compile(r"^0\d{2,3}-?\d{7,8}$")
QUERY_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
TOKEN_SALT = "hongfan.voice.survey"  # noqa: S105 (a signing salt, not a secret)


# ---------------------------------------------------------------- helpers


def clean_phone(value: str, *, required: bool = False) -> str:
    """Return the phone number without spaces; refuse what is not a mainland number."""
    phone = re.sub(r"[\s()]", "", value or "").removeprefix("+86")
    if not phone:
        if required:
            raise ValidationError({"phone": _("Enter a phone number.")})
        return ""
    if not (MOBILE_RE.match(phone) or LANDLINE_RE.match(phone)):
        raise ValidationError(
            {
                "phone": _(
                    "“%(v)s” is not a valid mainland phone number (11-digit mobile starting "
                    "with 1, or a landline with its area code)."
                )
                % {"v": value}
            }
        )
    return phone


def new_query_code() -> str:
    return "".join(secrets.choice(QUERY_ALPHABET) for _ in range(10))


def query_hash(code: str) -> str:
    return crypto.blind_index(code.replace(" ", ""), purpose="voice.query")


def _plain(text: str, field: str, *, required: bool = True, max_length: int = 4000) -> str:
    value = (text or "").strip()
    if required and not value:
        raise ValidationError({field: _("This field is required.")})
    if len(value) > max_length:
        raise ValidationError({field: _("At most %(n)d characters, please.") % {"n": max_length}})
    return value


def default_operator() -> User:
    """The user who owns what patients file on the phone pages (首诉: the hotline office)."""
    ids = loops.capability_holder_ids(Cap.VOICE_OPERATE)
    user = User.objects.filter(pk__in=ids, is_active=True).order_by("pk").first()
    if user is None:
        raise ValidationError(
            _("No hotline operator is set up yet: give someone the president's office role.")
        )
    return user


def _number(prefix: str, pk: int, when: dt.datetime) -> str:
    return f"{prefix}{timezone.localtime(when):%Y}{pk:06d}"


def _consent(consent: bool, field: str = "consent") -> str:
    if not consent:
        raise ValidationError(
            {field: _("Please agree to the use of your personal information to continue.")}
        )
    return rules.consent_version()


# ---------------------------------------------------------------- contacts and complaints


@transaction.atomic
def contact_record(
    *,
    kind: str,
    channel: str,
    content: str,
    received_at: dt.datetime | None = None,
    caller_name: str = "",
    phone: str = "",
    causes: Sequence[str] = (),
    departments: Sequence[Department] = (),
    staff: Sequence[Staff] = (),
    first_receiver: User | None = None,
    recorded_by: User | None = None,
    settled_on_spot: bool = False,
    on_spot_answer: str = "",
    consent: bool = False,
) -> tuple[Contact, str]:
    """Record a contact; return it with the patient's query code (shown once).

    Praise emits ledger events at once; a contact settled on the spot is closed as recorded;
    everything else opens a ``complaint`` matter owned by the first person approached
    (首诉负责制), due in 5 working days or 10 when several departments are involved.
    """
    if kind not in Contact.Kind.values:
        raise ValidationError({"kind": _("Choose the type of contact.")})
    if channel not in Contact.Channel.values:
        raise ValidationError({"channel": _("Choose the channel.")})
    content = _plain(content, "content")
    caller_name = _plain(caller_name, "caller_name", required=False, max_length=40)
    phone = clean_phone(phone)
    bad = [c for c in causes if c not in Contact.Cause.values]
    if bad:
        raise ValidationError({"causes": _("Unknown cause: %(c)s.") % {"c": ", ".join(bad)}})
    if kind == Contact.Kind.COMPLAINT and not causes:
        raise ValidationError({"causes": _("Choose at least one cause of the complaint.")})
    if kind == Contact.Kind.PRAISE and not (departments or staff):
        raise ValidationError(
            {"departments": _("Name the staff or department the patient praises.")}
        )
    if settled_on_spot and kind == Contact.Kind.COMPLAINT and len(departments) > 1:
        raise ValidationError(
            {
                "settled_on_spot": _(
                    "A complaint about several departments cannot be settled on the spot."
                )
            }
        )
    if settled_on_spot and not on_spot_answer.strip():
        raise ValidationError({"on_spot_answer": _("Write down the answer given on the spot.")})
    personal = bool(caller_name or phone) or channel == Contact.Channel.PHONE_PAGE
    consent_version = _consent(consent) if personal else ""
    now = timezone.now()
    received = received_at or now
    if received > now + dt.timedelta(minutes=5):
        raise ValidationError({"received_at": _("The time received cannot be in the future.")})
    code = new_query_code()
    contact = Contact(
        number=uuid.uuid4().hex[:20],
        kind=kind,
        channel=channel,
        received_at=received,
        caller_name=caller_name,
        phone=phone,
        content=content,
        causes=list(dict.fromkeys(causes)),
        first_receiver=first_receiver or recorded_by,
        recorded_by=recorded_by,
        settled_on_spot=settled_on_spot,
        on_spot_answer=on_spot_answer.strip(),
        query_hash=query_hash(code),
        consent_version=consent_version,
        consent_at=now if consent_version else None,
    )
    contact.full_clean(exclude=["number"])
    contact.save()
    contact.number = _number("TS", contact.pk, received)
    contact.save(update_fields=["number"])
    if departments:
        contact.departments.set(departments)
    if staff:
        contact.staff.set(staff)
    if kind == Contact.Kind.PRAISE:
        _record_praise(contact, actor=recorded_by)
    elif not settled_on_spot:
        owner = contact.first_receiver or default_operator()
        contact.matter = loops.matter_open(
            type="complaint",
            title=f"{contact.get_kind_display()}：{content[:40]}",
            description=content,
            originator=recorded_by,
            owner=owner,
            participant_departments=list(departments),
            source=contact,
            opened_at=received,
            deadline_amount=rules.feedback_days(len(departments)),
        )
        contact.save(update_fields=["matter"])
    return contact, code


def _record_praise(contact: Contact, *, actor: Any) -> None:
    day = timezone.localtime(contact.received_at).date()
    url = reverse("voice:contact_detail", args=[contact.pk])
    summary = _("Praise from a patient: %(t)s") % {"t": contact.content[:80]}
    for s in contact.staff.all():
        record_event(
            code="voice.praise",
            subject=s,
            occurred_on=day,
            source=contact,
            summary=summary,
            source_url=url,
            actor=actor,
        )
    for d in contact.departments.all():
        record_event(
            code="voice.praise.department",
            subject=d,
            occurred_on=day,
            source=contact,
            summary=summary,
            source_url=url,
            actor=actor,
        )


@transaction.atomic
def contact_set_involved(
    *,
    contact: Contact,
    departments: Sequence[Department],
    staff: Sequence[Staff],
    actor: Any,
) -> Contact:
    """Change the departments and staff a contact concerns (before it is verified)."""
    contact = Contact.objects.select_for_update().get(pk=contact.pk)
    if contact.verified_at is not None:
        raise ValidationError(
            _("The complaint is already verified: reopen it before changing who it concerns.")
        )
    if contact.kind == Contact.Kind.PRAISE:
        raise ValidationError(_("The people praised are fixed once the praise is recorded."))
    contact.departments.set(departments)
    contact.staff.set(staff)
    if contact.matter_id:
        contact.matter.participant_departments.set(departments)  # type: ignore[union-attr]
    return contact


@transaction.atomic
def contact_rate(*, contact: Contact, rating: int) -> Contact:
    """Record the patient's satisfaction (1–5) with the handling, once, after the feedback."""
    contact = Contact.objects.select_for_update().get(pk=contact.pk)
    if contact.answered_at is None:
        raise ValidationError(_("You can rate the handling once you have received the feedback."))
    if contact.handling_rating is not None:
        raise ValidationError(_("You have already rated the handling of this matter."))
    if rating not in range(1, 6):
        raise ValidationError({"rating": _("The rating is from 1 to 5.")})
    contact.handling_rating = rating
    contact.save(update_fields=["handling_rating"])
    return contact


def contact_by_code(code: str) -> Contact | None:
    code = (code or "").strip().upper()
    if not code:
        return None
    return Contact.objects.filter(query_hash=query_hash(code)).select_related("matter").first()


def _source_of(matter: Matter, model: type) -> Any:
    if matter.source_content_type_id != ContentType.objects.get_for_model(model).pk:
        return None
    return model.objects.filter(pk=matter.source_object_id).first()


def on_complaint_verified(*, matter: Matter, event: Any) -> None:
    """Verified complaints feed the ethics file of the staff and the departments involved."""
    contact = _source_of(matter, Contact)
    if contact is None:
        return
    contact.verified_at = event.at
    contact.save(update_fields=["verified_at"])
    if contact.kind != Contact.Kind.COMPLAINT:
        return
    day = timezone.localtime(event.at).date()
    url = reverse("voice:contact_detail", args=[contact.pk])
    summary = _("Verified complaint: %(t)s") % {"t": contact.content[:80]}
    key = f"r{matter.reopened_count}"
    for s in contact.staff.all():
        record_event(
            code="voice.complaint_verified",
            subject=s,
            occurred_on=day,
            source=contact,
            summary=summary,
            key=key,
            source_url=url,
            actor=event.actor,
        )
    for d in contact.departments.all():
        record_event(
            code="voice.complaint_verified.department",
            subject=d,
            occurred_on=day,
            source=contact,
            summary=summary,
            key=key,
            source_url=url,
            actor=event.actor,
        )


def on_complaint_rejected(*, matter: Matter, event: Any) -> None:
    """Not substantiated (also after a verification): void the events recorded."""
    contact = _source_of(matter, Contact)
    if contact is None:
        return
    if contact.verified_at is not None:
        void_events_for_source(
            source=contact,
            reason=event.note or _("The complaint was found not substantiated."),
            actor=event.actor,
        )
    contact.verified_at = None
    contact.save(update_fields=["verified_at"])


def on_complaint_answered(*, matter: Matter, event: Any) -> None:
    contact = _source_of(matter, Contact)
    if contact is not None:
        contact.answered_at = event.at
        contact.save(update_fields=["answered_at"])


def on_complaint_reopened(*, matter: Matter, event: Any) -> None:
    contact = _source_of(matter, Contact)
    if contact is not None:
        contact.answered_at = None
        contact.save(update_fields=["answered_at"])


# ---------------------------------------------------------------- surveys

TEMPLATES: dict[str, list[tuple[str, str, str]]] = {
    Survey.Kind.OUTPATIENT: [
        (
            gettext_noop("How satisfied are you with the doctor's explanation of your condition?"),
            "likert5",
            "communication",
        ),
        (
            gettext_noop("How satisfied are you with the attitude of the staff?"),
            "likert5",
            "attitude",
        ),
        (gettext_noop("How satisfied are you with the waiting time?"), "likert5", "waiting"),
        (
            gettext_noop("How satisfied are you with the cleanliness and signposting?"),
            "likert5",
            "environment",
        ),
        (gettext_noop("How clear were the charges?"), "likert5", "cost"),
        (
            gettext_noop(
                "Did any staff member ask for or accept a red envelope or gift? (5 = certainly not)"
            ),
            "likert5",
            "ethics",
        ),
        (
            gettext_noop("How likely are you to recommend this hospital (0–10)?"),
            "scale10",
            "overall",
        ),
    ],
    Survey.Kind.INPATIENT: [
        (gettext_noop("How often did nurses listen carefully to you?"), "likert5", "communication"),
        (
            gettext_noop("How often did doctors explain things in a way you could understand?"),
            "likert5",
            "communication",
        ),
        (
            gettext_noop("How satisfied are you with the care and skill of the treatment?"),
            "likert5",
            "technique",
        ),
        (
            gettext_noop("How quickly did you get help when you pressed the call button?"),
            "likert5",
            "waiting",
        ),
        (gettext_noop("How clean and quiet was the ward?"), "likert5", "environment"),
        (gettext_noop("How clear were the charges and the daily cost list?"), "likert5", "cost"),
        (
            gettext_noop(
                "Did any staff member ask for or accept a red envelope or gift? (5 = certainly not)"
            ),
            "likert5",
            "ethics",
        ),
        (gettext_noop("Rate the hospital overall (0–10)."), "scale10", "overall"),
    ],
    Survey.Kind.STAFF: [
        (
            gettext_noop("How satisfied are you with your workload and rest?"),
            "likert5",
            "workplace",
        ),
        (
            gettext_noop("How satisfied are you with communication with management?"),
            "likert5",
            "communication",
        ),
        (
            gettext_noop("How satisfied are you with training and career development?"),
            "likert5",
            "workplace",
        ),
        (
            gettext_noop("How likely are you to recommend the hospital as a workplace (0–10)?"),
            "scale10",
            "overall",
        ),
    ],
    Survey.Kind.DISCHARGE: [
        (
            gettext_noop("How satisfied were you with the medical care during your stay?"),
            "likert5",
            "technique",
        ),
        (
            gettext_noop("How satisfied were you with the attitude of doctors and nurses?"),
            "likert5",
            "attitude",
        ),
        (
            gettext_noop("Were the discharge instructions (medicines, follow-up visits) clear?"),
            "likert5",
            "discharge",
        ),
        (gettext_noop("How satisfied were you with the charges?"), "likert5", "cost"),
        (gettext_noop("Rate the hospital overall (0–10)."), "scale10", "overall"),
    ],
}


@transaction.atomic
def survey_create(
    *, title: str, kind: str, intro: str = "", actor: Any = None, from_template: bool = True
) -> Survey:
    """Create a draft survey, with the standard questions of its kind unless told not to."""
    survey = Survey(
        title=(title or "").strip(), kind=kind, intro=(intro or "").strip(), created_by=actor
    )
    survey.full_clean()
    survey.save()
    if from_template:
        Question.objects.bulk_create(
            Question(survey=survey, order=i, text=_(text), scale=scale, dimension=dim)
            for i, (text, scale, dim) in enumerate(TEMPLATES.get(kind, []), start=1)
        )
    return survey


def _editable(survey: Survey) -> None:
    if survey.responses.exists():
        raise ValidationError(
            _(
                "The survey already has responses: its questions can no longer change. "
                "Create a new survey instead."
            )
        )


@transaction.atomic
def question_add(
    *, survey: Survey, text: str, scale: str, dimension: str, required: bool = True
) -> Question:
    _editable(survey)
    last = survey.questions.order_by("-order").values_list("order", flat=True).first() or 0
    q = Question(
        survey=survey,
        order=last + 1,
        text=(text or "").strip(),
        scale=scale,
        dimension=dimension,
        required=required,
    )
    q.full_clean()
    q.save()
    _questions_changed(survey)
    return q


@transaction.atomic
def question_delete(*, question: Question) -> None:
    _editable(question.survey)
    question.delete()
    _questions_changed(question.survey)


def _questions_changed(survey: Survey) -> None:
    """Give the survey a new version, so that every worker reads its questions again."""
    survey.version = new_version()
    Survey.objects.filter(pk=survey.pk).update(version=survey.version)


@transaction.atomic
def survey_set_status(*, survey: Survey, status: str) -> Survey:
    if status not in Survey.Status.values:
        raise ValidationError({"status": _("Unknown status.")})
    if status == Survey.Status.OPEN and not survey.questions.exists():
        raise ValidationError(_("Add at least one question before opening the survey."))
    survey.status = status
    survey.save(update_fields=["status"])
    return survey


@transaction.atomic
def poster_create(*, survey: Survey, department: Department, place: str = "") -> Poster:
    poster = Poster(
        survey=survey,
        department=department,
        place=(place or "").strip(),
        code=secrets.token_urlsafe(9)[:12],
    )
    poster.full_clean()
    poster.save()
    return poster


@transaction.atomic
def contact_list_create(*, survey: Survey, name: str, lines: str, actor: Any = None) -> ContactList:
    """Create a contact list from lines "姓名,手机号[,科室名称或编码]"; all or nothing."""
    name = _plain(name, "name", max_length=100)
    depts: dict[str, Department] = {}
    for d in Department.objects.all():
        depts.setdefault(d.name, d)
        depts.setdefault(d.code, d)
    rows: list[tuple[str, str, Department | None]] = []
    errors: list[str] = []
    seen: set[str] = set()
    for i, raw in enumerate((lines or "").splitlines(), start=1):
        if not raw.strip():
            continue
        parts = [p.strip() for p in re.split(r"[,，\t]", raw)]
        if len(parts) < 2 or not parts[0]:
            errors.append(_("Line %(n)d: write “name, phone[, department]”.") % {"n": i})
            continue
        try:
            phone = clean_phone(parts[1], required=True)
        except ValidationError:
            errors.append(
                _("Line %(n)d: “%(v)s” is not a valid mainland phone number.")
                % {"n": i, "v": parts[1]}
            )
            continue
        if phone in seen:
            errors.append(_("Line %(n)d: this phone number is already in the list.") % {"n": i})
            continue
        seen.add(phone)
        dept = None
        if len(parts) > 2 and parts[2]:
            dept = depts.get(parts[2])
            if dept is None:
                errors.append(_("Line %(n)d: no department “%(d)s”.") % {"n": i, "d": parts[2]})
                continue
        rows.append((parts[0][:40], phone, dept))
    if errors:
        raise ValidationError({"lines": errors})
    if not rows:
        raise ValidationError({"lines": _("The list is empty.")})
    cl = ContactList(name=name, survey=survey, created_by=actor)
    cl.save()
    Invitation.objects.bulk_create(
        Invitation(
            survey=survey,
            contact_list=cl,
            department=d,
            name=n,
            phone=p,
            token=secrets.token_urlsafe(16)[:22],
        )
        for n, p, d in rows
    )
    return cl


def form_token() -> str:
    """A signed one-time token for a poster form (one response per token)."""
    return signing.dumps(secrets.token_urlsafe(12), salt=TOKEN_SALT)


def check_form_token(token: str) -> str:
    try:
        signing.loads(token, salt=TOKEN_SALT, max_age=24 * 3600)
    except signing.BadSignature:
        raise ValidationError(
            _("This questionnaire link has expired. Please scan the code again.")
        ) from None
    return token


def parse_answers(questions: Iterable[Question], data: Mapping[str, Any]) -> dict[int, int]:
    """Read ``q<id>`` values; refuse missing required answers and values off the scale."""
    out: dict[int, int] = {}
    errors: dict[str, list[str]] = {}
    for q in questions:
        given = data.get(f"q{q.pk}")
        raw = "" if given is None else str(given).strip()
        if raw == "":
            if q.required:
                errors[f"q{q.pk}"] = [_("Please answer this question.")]
            continue
        try:
            value = int(raw)
        except ValueError:
            value = -1
        if not q.min_value <= value <= q.max_value:
            errors[f"q{q.pk}"] = [
                _("The answer must be between %(a)d and %(b)d.")
                % {"a": q.min_value, "b": q.max_value}
            ]
            continue
        out[q.pk] = value
    if errors:
        raise ValidationError(errors)
    return out


def response_submit(
    *,
    survey: Survey,
    token: str,
    answers: Mapping[str, Any],
    channel: str,
    questions: Sequence[Question] | None = None,
    department: Department | int | None = None,
    poster: Poster | None = None,
    invitation: Invitation | None = None,
    comment: str = "",
    submitted_at: dt.datetime | None = None,
) -> Response:
    """Store one response (atomic; a second submission with the same token is refused)."""
    if survey.status != Survey.Status.OPEN:
        raise ValidationError(_("This survey is not collecting responses."))
    qs = list(questions) if questions is not None else list(survey.questions.all())
    values = parse_answers(qs, answers)
    if not values:
        raise ValidationError(_("Please answer at least one question."))
    # Kept as typed: templates escape it, so script in a comment is shown as text.
    comment = (comment or "").strip()[:1000]
    dept_id = department.pk if isinstance(department, Department) else department
    response = Response(
        survey=survey,
        department_id=dept_id,
        channel=channel,
        poster=poster,
        invitation=invitation,
        # A digest keeps the column short whatever the token (signed tokens are long).
        token=hashlib.sha256(token.encode()).hexdigest(),
        comment=comment,
        submitted_at=submitted_at or timezone.now(),
    )
    try:
        with transaction.atomic():
            _insert_response(response, values)
            if invitation is not None:
                Invitation.objects.filter(pk=invitation.pk).update(
                    responded_at=response.submitted_at
                )
    except IntegrityError:
        raise ValidationError(
            _("This questionnaire has already been submitted. Thank you!"), code="duplicate"
        ) from None
    return response


@functools.cache
def _insert_sql() -> tuple[str, str]:
    """The two INSERTs of a response (built from the models' metadata, once per process)."""
    # Identifiers from the models' metadata; every value is a parameter.
    r, a = Response._meta, Answer._meta
    cols = [f.column for f in r.concrete_fields if not f.primary_key]
    response_sql = "INSERT INTO {} ({}) VALUES ({}) RETURNING {}".format(  # noqa: S608
        r.db_table, ", ".join(cols), ", ".join(["%s"] * len(cols)), r.pk.column
    )
    answer_sql = "INSERT INTO {} ({}, {}, {}) VALUES ".format(  # noqa: S608
        a.db_table,
        a.get_field("response").column,
        a.get_field("question").column,
        a.get_field("value").column,
    )
    return response_sql, answer_sql


def _insert_response(response: Response, values: Mapping[int, int]) -> None:
    """Write ``response`` and its answers: one INSERT each, in the caller's transaction.

    Hand-written SQL on purpose: this is the public submit path (issue 5: ≥ 200 a second on
    two cores), and building these statements through the ORM (model instances, query
    compilation) cost more CPU than the rest of the write (docs/performance.md). The SQL is
    plain enough for every supported database (SQLite ≥ 3.35 and PostgreSQL); the checks
    are the same as before: values validated by ``parse_answers``, the token's uniqueness by
    the ``voice_response_one_per_token`` constraint.
    """
    conn = connections[router.db_for_write(Response)]
    response_sql, answer_sql = _insert_sql()
    params = [
        conn.ops.adapt_datetimefield_value(getattr(response, f.attname))
        if isinstance(f, models.DateTimeField)
        else getattr(response, f.attname)
        for f in Response._meta.concrete_fields
        if not f.primary_key
    ]
    with conn.cursor() as cur:
        cur.execute(response_sql, params)
        response.pk = cur.fetchone()[0]
        cur.execute(
            answer_sql + ", ".join(["(%s, %s, %s)"] * len(values)),
            [x for qid, v in values.items() for x in (response.pk, qid, v)],
        )
    response._state.adding = False
    response._state.db = conn.alias


# ---------------------------------------------------------------- discharge sampling


def quarter_bounds(year: int, quarter: int) -> tuple[dt.date, dt.date]:
    if quarter not in (1, 2, 3, 4):
        raise ValidationError({"quarter": _("The quarter is 1 to 4.")})
    start = dt.date(year, 3 * quarter - 2, 1)
    end = dt.date(year + (quarter == 4), (3 * quarter) % 12 + 1, 1) - dt.timedelta(days=1)
    return start, end


def eligibility(
    discharges: Iterable[Discharge], *, drawn_on: dt.date
) -> tuple[list[Discharge], dict[str, int]]:
    """Split discharges into eligible ones and counts of each exclusion.

    Excluded: under the minimum age at discharge, died, declined follow-up, sampled before,
    less than 48 hours or more than 6 weeks before the draw.
    """
    lo, hi = rules.window_days()
    min_age = rules.min_age()
    excluded = {
        "minor": 0,
        "deceased": 0,
        "opted_out": 0,
        "too_recent": 0,
        "too_old": 0,
        "sampled": 0,
    }
    eligible: list[Discharge] = []
    for d in discharges:
        if d.deceased:
            excluded["deceased"] += 1
        elif d.opted_out:
            excluded["opted_out"] += 1
        elif d.age_on(d.discharged_on) < min_age:
            excluded["minor"] += 1
        elif (drawn_on - d.discharged_on).days < lo:
            excluded["too_recent"] += 1
        elif (drawn_on - d.discharged_on).days > hi:
            excluded["too_old"] += 1
        elif getattr(d, "sampled", False):
            excluded["sampled"] += 1
        else:
            eligible.append(d)
    return eligible, excluded


@transaction.atomic
def sample_draw(
    *,
    survey: Survey,
    year: int,
    quarter: int,
    rate: int,
    drawn_on: dt.date | None = None,
    actor: Any = None,
    seed: str | None = None,
) -> Sample:
    """Draw a random sample (stratified by department) of the quarter's eligible discharges."""
    if survey.kind != Survey.Kind.DISCHARGE:
        raise ValidationError({"survey": _("Choose a discharge follow-up survey.")})
    if not 1 <= int(rate) <= 100:
        raise ValidationError({"rate": _("The sampling rate is from 1 to 100 %.")})
    drawn_on = drawn_on or timezone.localdate()
    start, end = quarter_bounds(year, quarter)
    if drawn_on < start:
        raise ValidationError({"quarter": _("This quarter has not started yet.")})
    seed = seed or secrets.token_hex(8)
    rows = list(
        Discharge.objects.filter(discharged_on__range=(start, end))
        .select_related("followup")
        .order_by("pk")
    )
    for d in rows:
        d.sampled = hasattr(d, "followup")  # type: ignore[attr-defined]
    eligible, excluded = eligibility(rows, drawn_on=drawn_on)
    if not eligible:
        raise ValidationError(
            _(
                "No discharged patient of this quarter is eligible today (48 hours to 6 weeks "
                "after discharge, adults, not deceased, not opted out, not sampled before)."
            )
        )
    rng = random.Random(seed)
    by_dept: dict[int, list[Discharge]] = {}
    for d in eligible:
        by_dept.setdefault(d.department_id, []).append(d)
    chosen: list[Discharge] = []
    for dept_id in sorted(by_dept):
        group = by_dept[dept_id]
        k = min(len(group), math.ceil(len(group) * int(rate) / 100))
        chosen.extend(rng.sample(group, k))
    sample = Sample(
        survey=survey,
        year=year,
        quarter=quarter,
        drawn_on=drawn_on,
        rate=int(rate),
        seed=seed,
        eligible=len(eligible),
        drawn=len(chosen),
        exclusions=excluded,
        drawn_by=actor,
    )
    sample.full_clean()
    sample.save()
    FollowUp.objects.bulk_create(FollowUp(sample=sample, discharge=d) for d in chosen)
    return sample


@transaction.atomic
def followup_record(
    *,
    followup: FollowUp,
    outcome: str,
    actor: Any,
    answers: Mapping[str, Any] | None = None,
    callback_at: dt.datetime | None = None,
    note: str = "",
    now: dt.datetime | None = None,
) -> FollowUp:
    """Record one call: its outcome, the answers of a completed interview, or a callback."""
    now = now or timezone.now()
    fu = (
        FollowUp.objects.select_for_update(of=("self",))
        .select_related("discharge", "sample__survey")
        .get(pk=followup.pk)
    )
    if fu.status not in FollowUp.OPEN_STATUSES:
        raise ValidationError(_("This follow-up is already finished."))
    if outcome not in FollowUp.Status.values or outcome == FollowUp.Status.PENDING:
        raise ValidationError({"outcome": _("Choose the outcome of the call.")})
    hi = rules.window_days()[1]
    days = (timezone.localtime(now).date() - fu.discharge.discharged_on).days
    if outcome == FollowUp.Status.COMPLETED:
        if days > hi:
            raise ValidationError(
                _(
                    "The 6-week follow-up window after discharge has passed: record the call "
                    "as not reached."
                )
            )
        survey = fu.sample.survey
        questions = list(survey.questions.all())
        response = response_submit(
            survey=survey,
            token=f"followup-{fu.pk}",
            answers=answers or {},
            channel=Response.Channel.PHONE,
            questions=questions,
            department=fu.discharge.department_id,
            submitted_at=now,
        )
        fu.response = response
    if outcome == FollowUp.Status.CALLBACK:
        if callback_at is None or callback_at <= now:
            raise ValidationError({"callback_at": _("Give a callback time in the future.")})
        fu.callback_at = callback_at
    else:
        fu.callback_at = None
    fu.status = outcome
    fu.attempts += 1
    fu.last_called_at = now
    fu.operator = actor
    if note.strip():
        stamp = timezone.localtime(now).strftime("%Y-%m-%d %H:%M")
        fu.note = (fu.note + "\n" if fu.note else "") + f"[{stamp}] {note.strip()}"
    fu.save()
    return fu


# ---------------------------------------------------------------- reception days


@transaction.atomic
def reception_save(*, day: ReceptionDay | None = None, **fields: Any) -> ReceptionDay:
    day = day or ReceptionDay()
    for k, v in fields.items():
        setattr(day, k, v.strip() if isinstance(v, str) else v)
    day.full_clean()
    day.save()
    return day


@transaction.atomic
def registration_add(
    *, day: ReceptionDay, name: str, phone: str, topic: str, consent: bool
) -> Registration:
    day = ReceptionDay.objects.select_for_update().get(pk=day.pk)
    if day.status != ReceptionDay.Status.PLANNED:
        raise ValidationError(_("Registration is closed for this session."))
    if day.registrations.count() >= day.capacity:
        raise ValidationError(_("All %(n)d places are taken.") % {"n": day.capacity})
    reg = Registration(
        day=day,
        name=_plain(name, "name", max_length=40),
        phone=clean_phone(phone, required=True),
        topic=_plain(topic, "topic"),
        consent_version=_consent(consent),
    )
    reg.full_clean()
    reg.save()
    return reg


@transaction.atomic
def issue_raise(
    *,
    day: ReceptionDay,
    text: str,
    department: Department,
    actor: Any,
    registration: Registration | None = None,
) -> RaisedIssue:
    """Record an issue raised at the session and open a matter for the department."""
    issue = RaisedIssue(
        day=day, text=_plain(text, "text"), department=department, registration=registration
    )
    issue.full_clean()
    issue.save()
    issue.matter = loops.matter_open(
        type="generic",
        title=_("%(day)s: %(t)s") % {"day": day.title, "t": issue.text[:40]},
        description=issue.text,
        originator=actor,
        owner_department=department,
        source=issue,
    )
    issue.save(update_fields=["matter"])
    return issue


@transaction.atomic
def reception_close(
    *, day: ReceptionDay, summary: str, attended_ids: Iterable[int] = ()
) -> ReceptionDay:
    day = ReceptionDay.objects.select_for_update().get(pk=day.pk)
    if day.status != ReceptionDay.Status.PLANNED:
        raise ValidationError(_("This session is already closed."))
    if day.starts_at > timezone.now():
        raise ValidationError(_("The session has not taken place yet."))
    day.summary = _plain(summary, "summary")
    day.status = ReceptionDay.Status.HELD
    day.save(update_fields=["summary", "status"])
    ids = set(attended_ids)
    for reg in day.registrations.all():
        if reg.attended != (reg.pk in ids):
            reg.attended = reg.pk in ids
            reg.save(update_fields=["attended"])
    return day


# ---------------------------------------------------------------- wishes


@transaction.atomic
def wish_submit(
    *,
    origin: str,
    text: str,
    wisher_name: str = "",
    phone: str = "",
    department: Department | None = None,
    place: str = "",
    consent: bool = False,
    actor: Any = None,
    created_at: dt.datetime | None = None,
) -> tuple[Wish, str]:
    """Hang a wish on the tree; it becomes a ``wish`` matter of the department (or office)."""
    if origin not in Wish.Origin.values:
        raise ValidationError({"origin": _("Choose who makes the wish.")})
    text = _plain(text, "text", max_length=500)
    phone = clean_phone(phone)
    wisher_name = _plain(wisher_name, "wisher_name", required=False, max_length=40)
    consent_version = ""
    if origin == Wish.Origin.PATIENT or wisher_name or phone:
        consent_version = _consent(consent)
    code = new_query_code()
    created = created_at or timezone.now()
    wish = Wish(
        number=uuid.uuid4().hex[:20],
        origin=origin,
        text=text,
        wisher_name=wisher_name,
        phone=phone,
        department=department,
        place=(place or "").strip()[:60],
        consent_version=consent_version,
        query_hash=query_hash(code),
        created_by=actor,
        created_at=created,
    )
    wish.full_clean(exclude=["number"])
    wish.save()
    wish.number = _number("XY", wish.pk, created)
    wish.save(update_fields=["number"])
    owner = None if department is not None else default_operator()
    wish.matter = loops.matter_open(
        type="wish",
        title=_("Wish: %(t)s") % {"t": text[:40]},
        description=text,
        originator=actor,
        owner=owner,
        owner_department=department,
        source=wish,
        opened_at=created,
    )
    wish.save(update_fields=["matter"])
    return wish, code


@transaction.atomic
def wish_match(*, wish: Wish, staff: Staff, actor: Any, note: str = "") -> Wish:
    """Match the wish to a responsible person (hands the matter over and moves it on)."""
    wish = Wish.objects.select_for_update(of=("self",)).select_related("matter").get(pk=wish.pk)
    matter = wish.matter
    if matter is None or matter.state != "collected":
        raise ValidationError(_("Only a wish that is still waiting can be matched."))
    if not loops.allowed_transitions(matter, actor) or "match" not in {
        t["action"] for t in loops.allowed_transitions(matter, actor)
    }:
        raise ValidationError(_("You may not match this wish."), code="forbidden")
    matter = loops.matter_transition(matter=matter, action="match", actor=actor, note=note)
    user = User.objects.filter(staff=staff, is_active=True).first()
    if user is not None and user.pk != matter.owner_id:
        matter = loops.matter_hand_over(
            matter=matter,
            actor=actor,
            new_owner=user,
            new_department=staff.department,
            note=_("Matched to %(name)s") % {"name": staff.name},
        )
    wish.responsible = staff
    wish.save(update_fields=["responsible"])
    return wish


def on_wish_fulfilled(*, matter: Matter, event: Any) -> None:
    wish = _source_of(matter, Wish)
    if wish is None:
        return
    wish.fulfilled_at = event.at
    # The step's evidence is written after this hook: the wall reads it through
    # selectors.fulfilment_stories; the transition's own note is kept here.
    wish.feedback = event.note
    wish.save(update_fields=["fulfilled_at", "feedback"])
    if wish.responsible_id:
        record_event(
            code="voice.wish_fulfilled",
            subject=wish.responsible,
            occurred_on=timezone.localtime(event.at).date(),
            source=wish,
            summary=_("Wish fulfilled: %(t)s") % {"t": wish.text[:80]},
            key=f"r{matter.reopened_count}",
            source_url=reverse("voice:wish_detail", args=[wish.pk]),
            actor=event.actor,
        )


def on_wish_reopened(*, matter: Matter, event: Any) -> None:
    wish = _source_of(matter, Wish)
    if wish is None:
        return
    if wish.fulfilled_at is not None:
        void_events_for_source(
            source=wish, reason=event.note or _("The wish was reopened."), actor=event.actor
        )
    wish.fulfilled_at = None
    wish.save(update_fields=["fulfilled_at"])
