"""Rules of outreach activities, honours and mobilisation, tested at their edges."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from hongfan.accounts.roles import Role
from hongfan.audit.models import AuditEntry
from hongfan.core.testing import World
from hongfan.notifications.models import Notification
from hongfan.outreach import services
from hongfan.outreach.models import Activity, Deployment, Honour, Participant, Pledge
from hongfan.outreach.tests.factories import TODAY, activity, call, honour, pdf, png
from hongfan.party.models import PartyOrganisation, TemporaryAssignment
from hongfan.scoring.models import LedgerEvent
from hongfan.scoring.selectors import events_for_source, total_points

pytestmark = pytest.mark.django_db


def _live(source: object) -> list[LedgerEvent]:
    return list(
        events_for_source(source).exclude(status=LedgerEvent.Status.VOIDED).order_by("staff__name")
    )


# --- Activities ---------------------------------------------------------------------------


def test_an_activity_gives_each_participant_its_hours_as_volunteer_service(world: World) -> None:
    a = activity(world)
    events = _live(a)
    assert {e.staff_id for e in events} == {
        world.staff["member_a"].pk,
        world.staff["head_a1"].pk,
    }
    assert all(e.rule.code == "outreach.volunteer_hours" for e in events)
    assert all(e.quantity == Decimal("3") for e in events)
    # 0.5 points per hour × 3 hours each.
    assert total_points(events_for_source(a)) == Decimal("3.0")


def test_party_members_are_marked_among_the_participants(world: World) -> None:
    a = activity(world)
    marks = dict(a.participants.values_list("staff__name", "is_member"))
    assert marks == {"赵党员": True, "孙主任": False}


def test_saving_an_unchanged_activity_records_no_new_events(world: World) -> None:
    a = activity(world)
    services.activity_update(activity=a, actor=None, summary="补充说明", today=TODAY)
    assert events_for_source(a).count() == 2
    assert len(_live(a)) == 2


def test_changing_the_hours_voids_the_old_events_and_records_new_ones(world: World) -> None:
    a = activity(world)
    services.activity_update(activity=a, actor=None, hours=Decimal("5"), today=TODAY)
    assert events_for_source(a).filter(status=LedgerEvent.Status.VOIDED).count() == 2
    live = _live(a)
    assert [e.quantity for e in live] == [Decimal("5"), Decimal("5")]
    assert total_points(events_for_source(a)) == Decimal("5.0")


def test_a_participant_taken_off_the_list_loses_the_hours(world: World) -> None:
    a = activity(world)
    services.activity_update(
        activity=a, actor=None, participants=[world.staff["member_a"]], today=TODAY
    )
    assert [e.staff_id for e in _live(a)] == [world.staff["member_a"].pk]


def test_changing_back_to_the_old_hours_still_counts_them(world: World) -> None:
    a = activity(world)
    services.activity_update(activity=a, actor=None, hours=Decimal("5"), today=TODAY)
    services.activity_update(activity=a, actor=None, hours=Decimal("3"), today=TODAY)
    assert [e.quantity for e in _live(a)] == [Decimal("3"), Decimal("3")]


def test_deleting_an_activity_voids_its_volunteer_hours(world: World) -> None:
    a = activity(world)
    source_id = a.pk
    services.activity_delete(activity=a, actor=world.user(Role.PARTY_OFFICE))
    assert not Activity.objects.filter(pk=source_id).exists()
    events = LedgerEvent.objects.filter(rule__code="outreach.volunteer_hours")
    assert events.count() == 2
    assert set(events.values_list("status", flat=True)) == {LedgerEvent.Status.VOIDED}


def test_a_negative_count_is_refused_and_nothing_is_saved(world: World) -> None:
    with pytest.raises(ValidationError) as exc:
        activity(world, materials=-5)
    assert "materials" in exc.value.message_dict
    assert not Activity.objects.exists()
    assert not LedgerEvent.objects.exists()


def test_more_people_than_the_stated_cap_is_refused(world: World) -> None:
    with pytest.raises(ValidationError) as exc:
        activity(world, people_served=151, people_cap=150)
    assert "151" in exc.value.message_dict["people_served"][0]
    assert not Activity.objects.exists()


def test_exactly_the_stated_cap_is_accepted(world: World) -> None:
    assert activity(world, people_served=150, people_cap=150).people_served == 150


def test_more_examinations_than_people_served_is_allowed(world: World) -> None:
    a = activity(world, people_served=80, examinations=240)
    assert a.examinations == 240


def test_an_activity_dated_tomorrow_is_refused_but_today_is_accepted(world: World) -> None:
    with pytest.raises(ValidationError) as exc:
        activity(world, held_on=TODAY + dt.timedelta(days=1))
    assert "held_on" in exc.value.message_dict
    assert activity(world, held_on=TODAY).held_on == TODAY


def test_hours_outside_half_an_hour_to_a_day_are_refused(world: World) -> None:
    with pytest.raises(ValidationError):
        activity(world, hours=Decimal("0.4"))
    with pytest.raises(ValidationError):
        activity(world, hours=Decimal("24.5"))
    assert activity(world, hours=Decimal("0.5")).hours == Decimal("0.5")


def test_an_activity_needs_its_participants(world: World) -> None:
    with pytest.raises(ValidationError) as exc:
        activity(world, participants=[])
    assert "participants" in exc.value.message_dict


def test_a_secretary_records_only_for_their_own_branch(world: World) -> None:
    secretary = world.user(Role.BRANCH_SECRETARY)
    with pytest.raises(ValidationError) as exc:
        activity(world, actor=secretary, organisation=world.branch_b)
    assert "organisation" in exc.value.message_dict
    assert activity(world, actor=secretary, organisation=world.branch_a).pk


def test_photos_are_stored_and_other_files_refused(world: World) -> None:
    a = activity(world, photos=[png()])
    assert a.photos.count() == 1
    with pytest.raises(ValidationError):
        activity(world, title="另一场", photos=[pdf()])
    fake = SimpleUploadedFile("伪装.png", b"MZ\x90\x00 not an image", content_type="image/png")
    with pytest.raises(ValidationError):
        activity(world, title="又一场", photos=[fake])
    assert Activity.objects.count() == 1


# --- Honours ------------------------------------------------------------------------------


def test_a_persons_honour_scores_by_its_level(world: World) -> None:
    h = honour(world)
    (event,) = _live(h)
    assert event.rule.code == "outreach.honour.city"
    assert event.points == Decimal("4")
    assert event.staff_id == world.staff["member_a"].pk


def test_an_honour_of_the_hospital_or_a_branch_scores_no_one(world: World) -> None:
    h1 = honour(world, holder=Honour.Holder.HOSPITAL, staff=None, institution=world.hospital)
    h2 = honour(world, holder=Honour.Holder.BRANCH, staff=None, organisation=world.branch_a)
    assert not events_for_source(h1).exists()
    assert not events_for_source(h2).exists()
    assert h2.institution == world.hospital


def test_raising_the_level_of_an_honour_re_scores_it(world: World) -> None:
    h = honour(world)
    services.honour_update(honour=h, actor=None, level=Honour.Level.PROVINCIAL, today=TODAY)
    (event,) = _live(h)
    assert event.rule.code == "outreach.honour.provincial"
    assert event.points == Decimal("6")
    assert events_for_source(h).filter(status=LedgerEvent.Status.VOIDED).count() == 1


def test_a_revoked_honour_no_longer_counts(world: World) -> None:
    h = honour(world)
    with pytest.raises(ValidationError):
        services.honour_revoke(honour=h, actor=None, on=TODAY, reason="  ")
    with pytest.raises(ValidationError):
        services.honour_revoke(honour=h, actor=None, on=dt.date(2026, 6, 30), reason="错误")
    services.honour_revoke(honour=h, actor=None, on=TODAY, reason="复核不符合条件")
    assert _live(h) == []


def test_a_persons_honour_must_name_the_person(world: World) -> None:
    with pytest.raises(ValidationError) as exc:
        honour(world, staff=None)
    assert "staff" in exc.value.message_dict


def test_an_honour_in_the_future_is_refused(world: World) -> None:
    with pytest.raises(ValidationError):
        honour(world, awarded_on=TODAY + dt.timedelta(days=1))


def test_honour_evidence_is_validated(world: World) -> None:
    h = honour(world, evidence=pdf())
    assert h.evidence_name == "证书.pdf"
    bad = SimpleUploadedFile("证书.exe", b"MZ\x90", content_type="application/octet-stream")
    with pytest.raises(ValidationError) as exc:
        honour(world, evidence=bad)
    assert "evidence" in exc.value.message_dict


# --- Emergency mobilisation ---------------------------------------------------------------


def test_a_call_tells_every_staff_account_once(world: World) -> None:
    c = call(world)
    told = Notification.objects.filter(source_type="outreach.emergencycall", source_id=str(c.pk))
    # Every account with a staff record in the hospital (the three admins have none).
    assert told.count() == 7
    assert told.filter(recipient=world.user(Role.STAFF)).exists()


def test_a_pledge_is_signed_by_typing_ones_name(world: World) -> None:
    c = call(world)
    user = world.user(Role.STAFF)
    when = timezone.make_aware(dt.datetime(2026, 11, 20, 21, 5))
    with pytest.raises(ValidationError) as exc:
        services.pledge_sign(call=c, user=user, typed_name="周 群", now=when)
    assert "typed_name" in exc.value.message_dict
    p = services.pledge_sign(
        call=c, user=user, typed_name=" 周 群众 ", statement="随时出发", now=when
    )
    assert p.typed_name == "周群众"
    assert p.signed_at == when
    assert p.text == c.pledge_text
    assert AuditEntry.objects.filter(object_type="outreach.pledge", object_id=str(p.pk)).exists()
    with pytest.raises(ValidationError):
        services.pledge_sign(call=c, user=user, typed_name="周群众", now=when)
    assert Pledge.objects.count() == 1


def test_sign_up_closes_after_its_last_day(world: World) -> None:
    c = call(world, sign_up_until=dt.date(2026, 11, 20))
    last = timezone.make_aware(dt.datetime(2026, 11, 20, 23, 50))
    after = timezone.make_aware(dt.datetime(2026, 11, 21, 0, 10))
    with pytest.raises(ValidationError):
        services.pledge_sign(
            call=c, user=world.user(Role.DEPARTMENT_HEAD), typed_name="孙主任", now=after
        )
    assert services.pledge_sign(
        call=c, user=world.user(Role.DEPARTMENT_HEAD), typed_name="孙主任", now=last
    )


def test_an_account_without_a_staff_record_cannot_sign(world: World) -> None:
    c = call(world)
    with pytest.raises(ValidationError):
        services.pledge_sign(call=c, user=world.user(Role.SYSTEM_ADMIN), typed_name="admin")


def test_a_deployment_ending_before_it_starts_is_refused(world: World) -> None:
    c = call(world)
    with pytest.raises(ValidationError) as exc:
        services.deployment_create(
            call=c,
            actor=None,
            staff=world.staff["plain_a1"],
            place="西河乡",
            role="医疗队员",
            starts_on=dt.date(2026, 11, 10),
            ends_on=dt.date(2026, 11, 9),
        )
    assert "ends_on" in exc.value.message_dict
    assert not Deployment.objects.exists()
    same_day = services.deployment_create(
        call=c,
        actor=None,
        staff=world.staff["plain_a1"],
        place="西河乡",
        role="医疗队员",
        starts_on=dt.date(2026, 11, 10),
        ends_on=dt.date(2026, 11, 10),
    )
    assert same_day.pk


def test_a_deployment_scores_and_tells_the_person(world: World) -> None:
    c = call(world)
    d = services.deployment_create(
        call=c,
        actor=None,
        staff=world.staff["plain_a1"],
        place="西河乡",
        role="医疗队员",
        starts_on=dt.date(2026, 11, 10),
    )
    (event,) = _live(d)
    assert event.rule.code == "outreach.emergency_deployment"
    assert event.points == Decimal("3")
    assert Notification.objects.filter(
        recipient=world.user(Role.STAFF), source_type="outreach.deployment"
    ).exists()
    with pytest.raises(ValidationError):
        services.deployment_end(deployment=d, actor=None, ends_on=dt.date(2026, 11, 9))
    services.deployment_end(deployment=d, actor=None, ends_on=dt.date(2026, 11, 18))


def test_the_same_person_cannot_be_deployed_twice_at_once(world: World) -> None:
    c = call(world)
    kwargs = {"call": c, "actor": None, "staff": world.staff["plain_a1"], "role": "队员"}
    services.deployment_create(
        place="西河乡", starts_on=dt.date(2026, 11, 10), ends_on=dt.date(2026, 11, 15), **kwargs
    )
    with pytest.raises(ValidationError):
        services.deployment_create(place="东河乡", starts_on=dt.date(2026, 11, 15), **kwargs)
    assert services.deployment_create(place="东河乡", starts_on=dt.date(2026, 11, 16), **kwargs)


def test_a_temporary_branch_is_set_up_in_the_tree_and_deployed_members_join(
    world: World,
) -> None:
    c = call(world)
    services.deployment_create(
        call=c,
        actor=None,
        staff=world.staff["member_a"],
        place="西河乡",
        role="护理组长",
        starts_on=dt.date(2026, 11, 5),
    )
    branch = services.temporary_branch_create(
        call=c,
        actor=None,
        code="LS2026-01",
        name="抗洪医疗队临时党支部",
        parent=world.committee,
        secretary=world.members["secretary_b"],
        established_on=dt.date(2026, 11, 6),
    )
    assert branch.is_temporary and branch.parent == world.committee
    assert branch.kind == PartyOrganisation.Kind.BRANCH
    c.refresh_from_db()
    assert c.temporary_branch == branch
    joined = set(
        TemporaryAssignment.objects.filter(organisation=branch).values_list(
            "member__staff__name", flat=True
        )
    )
    assert joined == {"赵党员", "王支书"}
    # A member deployed later joins on deployment; their own branch does not change.
    services.deployment_create(
        call=c,
        actor=None,
        staff=world.staff["secretary_a"],
        place="西河乡",
        role="医疗队长",
        starts_on=dt.date(2026, 11, 8),
    )
    assert TemporaryAssignment.objects.filter(
        organisation=branch, member=world.members["secretary_a"]
    ).exists()
    world.members["secretary_a"].refresh_from_db()
    assert world.members["secretary_a"].organisation == world.branch_a
    with pytest.raises(ValidationError):
        services.temporary_branch_create(
            call=c,
            actor=None,
            code="LS2026-02",
            name="重复",
            parent=world.committee,
            secretary=world.members["secretary_b"],
            established_on=dt.date(2026, 11, 6),
        )


def test_participants_are_unique_per_activity(world: World) -> None:
    a = activity(world)
    assert Participant.objects.filter(activity=a).count() == 2


def test_someone_not_yet_employed_on_the_day_cannot_take_part(world: World) -> None:
    newcomer = world.staff["plain_b1"]
    newcomer.hired_on = dt.date(2026, 9, 13)
    newcomer.save(update_fields=["hired_on"])
    with pytest.raises(ValidationError) as exc:
        activity(world, participants=[newcomer])
    assert "吴群众" in exc.value.message_dict["participants"][0]
    assert activity(world, participants=[newcomer], held_on=dt.date(2026, 9, 13)).pk
