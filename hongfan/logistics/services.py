"""Writes of the one-stop logistics service: teams, filing, dispatch, start, finish, rating.

Every work order is a closed-loop matter of type ``logistics_work_order`` (deadline in clock
hours by category and urgency, see ``models.DEADLINE_HOURS``): the team leader owns it when it
is filed, dispatches it to a worker (the matter is handed over), the worker starts and finishes
it with a result; the requester rates it. Overdue orders escalate through the engine
(``manage.py escalate_matters``): level 1 to the owner and their head, level 2 eight hours later
to the service desk (``logistics.manage``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, pgettext_lazy

from hongfan.accounts.roles import Cap
from hongfan.logistics.models import Category, ServiceTeam, Urgency, WorkOrder
from hongfan.loops import services as loops
from hongfan.loops.models import Matter, MatterType

TYPE_CODE = "logistics_work_order"
OWNER, ORIGINATOR, SUPERVISOR = "owner", "originator", "supervisor"


def _state(code: str, label: str, *, terminal: bool = False) -> dict[str, Any]:
    return {"code": code, "label": label, "terminal": terminal}


def _step(
    action: str,
    label: str,
    sources: list[str],
    target: str,
    actors: list[str],
    *,
    evidence: bool = False,
    note: bool = False,
) -> dict[str, Any]:
    return {
        "action": action,
        "label": label,
        "from": sources,
        "to": target,
        "actors": actors,
        "evidence": evidence,
        "note": note,
    }


WORKFLOW: dict[str, Any] = {
    "initial": "submitted",
    "states": [
        _state("submitted", gettext_noop("Awaiting dispatch")),
        _state("dispatched", gettext_noop("Dispatched")),
        _state("in_progress", gettext_noop("Being handled")),
        _state("done", gettext_noop("Finished"), terminal=True),
        _state("cancelled", gettext_noop("Withdrawn"), terminal=True),
    ],
    "transitions": [
        _step(
            "dispatch",
            gettext_noop("Dispatch to a worker"),
            ["submitted"],
            "dispatched",
            [OWNER, SUPERVISOR],
        ),
        _step("start", gettext_noop("Start work"), ["dispatched"], "in_progress", [OWNER]),
        _step(
            "finish",
            gettext_noop("Finish with result"),
            ["dispatched", "in_progress"],
            "done",
            [OWNER, SUPERVISOR],
            evidence=True,
        ),
        _step(
            "cancel",
            gettext_noop("Withdraw"),
            ["submitted", "dispatched"],
            "cancelled",
            [ORIGINATOR, SUPERVISOR],
            note=True,
        ),
        _step(
            "reopen",
            gettext_noop("Not solved: reopen"),
            ["done"],
            "in_progress",
            [ORIGINATOR, SUPERVISOR],
            note=True,
        ),
    ],
}

# The same labels under the engine's "workflow" context (``loops.models.workflow_text`` reads
# that first): plain "Finished" or "Dispatched" may mean something else in another catalogue.
WORKFLOW_CONTEXT_LABELS = (
    pgettext_lazy("workflow", "Awaiting dispatch"),
    pgettext_lazy("workflow", "Dispatched"),
    pgettext_lazy("workflow", "Being handled"),
    pgettext_lazy("workflow", "Finished"),
    pgettext_lazy("workflow", "Withdrawn"),
    pgettext_lazy("workflow", "Dispatch to a worker"),
    pgettext_lazy("workflow", "Start work"),
    pgettext_lazy("workflow", "Finish with result"),
    pgettext_lazy("workflow", "Withdraw"),
    pgettext_lazy("workflow", "Not solved: reopen"),
    pgettext_lazy("workflow", "Logistics work order"),
)

TYPE_FIELDS: dict[str, Any] = {
    "name": gettext_noop("Logistics work order"),
    "workflow": WORKFLOW,
    "deadline_unit": MatterType.DeadlineUnit.HOURS,
    "deadline_amount": 24,
    "escalation_level1_after": 0,
    "escalation_level2_after": 8,
    "supervisor_capability": Cap.LOGISTICS_MANAGE,
}


def work_order_type() -> MatterType:
    """Return the work-order matter type, creating it when missing (idempotent)."""
    found = MatterType.objects.filter(code=TYPE_CODE).first()
    return found or loops.matter_type_ensure(code=TYPE_CODE, **TYPE_FIELDS)


# ---------------------------------------------------------------- teams


@transaction.atomic
def team_save(
    *,
    team: ServiceTeam | None = None,
    name: str,
    category: str,
    leader: Any,
    members: Sequence[Any] = (),
    phone: str = "",
    is_active: bool = True,
) -> ServiceTeam:
    team = team or ServiceTeam()
    team.name = name.strip()
    team.category = category
    team.leader = leader
    team.phone = phone.strip()
    team.is_active = is_active
    team.full_clean()
    team.save()
    team.members.set(members)
    return team


def team_for(category: str) -> ServiceTeam:
    team = ServiceTeam.objects.filter(category=category, is_active=True).order_by("pk").first()
    if team is None:
        raise ValidationError(
            {
                "category": _(
                    "No service team takes “%(category)s” orders yet: call the service desk."
                )
                % {"category": Category(category).label}
            }
        )
    return team


# ---------------------------------------------------------------- work orders


def _next_number(at: dt.datetime) -> str:
    prefix = "GD" + timezone.localtime(at).strftime("%Y%m%d")
    last = (
        WorkOrder.objects.select_for_update()
        .filter(number__startswith=prefix)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )
    seq = int(last[len(prefix) :]) + 1 if last else 1
    return f"{prefix}{seq:04d}"


@transaction.atomic
def work_order_file(
    *,
    requester: Any,
    category: str,
    title: str,
    location: str,
    description: str = "",
    urgency: str = Urgency.NORMAL,
    contact_phone: str = "",
    team: ServiceTeam | None = None,
    source_label: str = "",
    filed_at: dt.datetime | None = None,
) -> WorkOrder:
    """File a work order: routed to the category's team, whose leader owns the matter."""
    if category not in Category.values:
        raise ValidationError({"category": _("Choose a category.")})
    if urgency not in Urgency.values:
        raise ValidationError({"urgency": _("Choose an urgency.")})
    phone = contact_phone.strip()
    if phone and not (phone.isdigit() and 3 <= len(phone) <= 11):
        raise ValidationError(
            {"contact_phone": _("Enter a mobile number or an internal extension (digits only).")}
        )
    team = team or team_for(category)
    now = filed_at or timezone.now()
    staff = getattr(requester, "staff", None)
    order = WorkOrder(
        number=_next_number(now),
        category=category,
        urgency=urgency,
        title=title.strip(),
        description=description.strip(),
        location=location.strip(),
        requester=requester,
        department=getattr(staff, "department", None),
        contact_phone=phone,
        team=team,
        filed_at=now,
        source_label=source_label.strip(),
    )
    order.full_clean()
    order.save()
    order.matter = loops.matter_open(
        type=work_order_type(),
        title=f"{order.number} {order.get_category_display()}：{order.title}",
        description=f"{order.location}\n{order.description}".strip(),
        originator=requester,
        owner=team.leader,
        source=order,
        opened_at=now,
        deadline_amount=order.deadline_hours,
    )
    order.save(update_fields=["matter"])
    return order


def _matter(order: WorkOrder) -> Matter:
    if order.matter_id is None:
        raise ValidationError(_("This work order has lost its tracking record."))
    # Always the current row: an order object may hold a matter loaded before the last step.
    return Matter.objects.select_related("type").get(pk=order.matter_id)


@transaction.atomic
def work_order_dispatch(
    *,
    order: WorkOrder,
    actor: Any,
    assignee: Any,
    note: str = "",
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> WorkOrder:
    """Dispatch to a worker of the order's team: the worker becomes the matter's owner."""
    team_user_ids = {order.team.leader_id, *order.team.members.values_list("pk", flat=True)}
    if assignee is None or assignee.pk not in team_user_ids:
        raise ValidationError(
            {"assignee": _("Choose a worker of the team %(team)s.") % {"team": order.team.name}}
        )
    matter = loops.matter_transition(
        matter=_matter(order),
        action="dispatch",
        actor=actor,
        note=note,
        expected_version=expected_version,
        now=now,
    )
    if matter.owner_id != assignee.pk:
        loops.matter_hand_over(
            matter=matter,
            actor=actor,
            new_owner=assignee,
            note=_("Dispatched to %(name)s") % {"name": _person(assignee)},
        )
    order.assignee = assignee
    order.full_clean()
    order.save(update_fields=["assignee"])
    return order


def _person(user: Any) -> str:
    staff = getattr(user, "staff", None)
    return staff.name if staff is not None else user.get_username()


@transaction.atomic
def work_order_start(
    *,
    order: WorkOrder,
    actor: Any,
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> WorkOrder:
    loops.matter_transition(
        matter=_matter(order),
        action="start",
        actor=actor,
        expected_version=expected_version,
        now=now,
    )
    return order


@transaction.atomic
def work_order_finish(
    *,
    order: WorkOrder,
    actor: Any,
    result: str,
    files: Sequence[UploadedFile] = (),
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> WorkOrder:
    """Close the order with its result (what was done); an order without a result is refused."""
    result = result.strip()
    if not result:
        raise ValidationError(
            {"result": _("Write what was done: an order cannot be closed without a result.")}
        )
    now = now or timezone.now()
    loops.matter_transition(
        matter=_matter(order),
        action="finish",
        actor=actor,
        evidence_files=files,
        evidence_note=result,
        expected_version=expected_version,
        now=now,
    )
    order.result = result
    order.finished_at = now
    order.full_clean()
    order.save(update_fields=["result", "finished_at"])
    return order


@transaction.atomic
def work_order_cancel(
    *, order: WorkOrder, actor: Any, reason: str, expected_version: int | None = None
) -> WorkOrder:
    loops.matter_transition(
        matter=_matter(order),
        action="cancel",
        actor=actor,
        note=reason,
        expected_version=expected_version,
    )
    return order


@transaction.atomic
def work_order_reopen(
    *, order: WorkOrder, actor: Any, reason: str, expected_version: int | None = None
) -> WorkOrder:
    """The requester says it is not solved: back to the worker with a fresh deadline."""
    now = timezone.now()
    loops.matter_transition(
        matter=_matter(order),
        action="reopen",
        actor=actor,
        note=reason,
        expected_version=expected_version,
        due_at=now + dt.timedelta(hours=order.deadline_hours),
        now=now,
    )
    order.finished_at = None
    order.full_clean()
    order.save(update_fields=["finished_at"])
    return order


@transaction.atomic
def work_order_rate(*, order: WorkOrder, actor: Any, rating: int, comment: str = "") -> WorkOrder:
    """The requester's rating (1–5 stars) of a finished order."""
    matter = _matter(order)
    if matter.state != "done":
        raise ValidationError(_("An order can be rated once it is finished."))
    loops.matter_feedback(matter=matter, actor=actor, text=comment, rating=rating)
    return order
