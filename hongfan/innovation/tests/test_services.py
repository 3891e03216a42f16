"""Innovation services: the seven-stage loop, report schedule across holidays, reminders,
evaluation and acceptance."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from hongfan.accounts.roles import Role
from hongfan.core.testing import World
from hongfan.innovation import services
from hongfan.innovation.models import EvaluationItem, Project, Stage, StageChange
from hongfan.innovation.tests.factories import mentor, project
from hongfan.notifications.models import Notification
from hongfan.party.models import CommitteeMember
from hongfan.workdays.models import CalendarDay
from hongfan.workdays.services import calendar_day_set

pytestmark = pytest.mark.django_db


@pytest.fixture
def national_day() -> None:
    for d in range(1, 9):
        calendar_day_set(day=dt.date(2026, 10, d), kind=CalendarDay.Kind.HOLIDAY, name="国庆节")
    calendar_day_set(day=dt.date(2026, 9, 27), kind=CalendarDay.Kind.WORKDAY, name="国庆调休")
    calendar_day_set(day=dt.date(2026, 10, 10), kind=CalendarDay.Kind.WORKDAY, name="国庆调休")


def _advance(p: Project, world: World, to: str) -> Project:
    office = world.user(Role.PARTY_OFFICE)
    while p.stage != to:
        nxt = list(Stage.values)[list(Stage.values).index(p.stage) + 1]
        if p.stage == Stage.TEAM and not p.team.exists():
            services.team_member_add(project=p, staff=world.staff["plain_a1"], role="骨干")
        p = services.project_move_stage(project=p, to_stage=nxt, actor=office)
    return p


class TestStages:
    def test_a_new_project_starts_at_initiation_with_one_history_row(self, world: World) -> None:
        p = project(world)
        assert p.stage == Stage.INITIATION
        assert p.code.startswith("CX2026-")
        assert list(p.stage_changes.values_list("to_stage", flat=True)) == [Stage.INITIATION]

    def test_stages_move_forward_one_at_a_time(self, world: World) -> None:
        p = project(world)
        with pytest.raises(ValidationError) as exc:
            services.project_move_stage(
                project=p, to_stage=Stage.GUIDANCE, actor=world.user(Role.PARTY_OFFICE)
            )
        assert "跳过" in str(exc.value.messages)
        p.refresh_from_db()
        assert p.stage == Stage.INITIATION

    def test_team_building_cannot_be_left_without_a_team(self, world: World) -> None:
        p = project(world)
        office = world.user(Role.PARTY_OFFICE)
        p = services.project_move_stage(project=p, to_stage=Stage.TEAM, actor=office)
        with pytest.raises(ValidationError):
            services.project_move_stage(project=p, to_stage=Stage.GUIDANCE, actor=office)
        services.team_member_add(project=p, staff=world.staff["plain_a1"], role="骨干")
        p = services.project_move_stage(project=p, to_stage=Stage.GUIDANCE, actor=office)
        assert p.stage == Stage.GUIDANCE

    def test_all_seven_stages_can_be_walked(self, world: World) -> None:
        p = _advance(project(world), world, Stage.ACCEPTANCE)
        assert p.stage_number == 7
        assert p.stage_changes.count() == 7

    def test_moving_back_without_a_reason_is_refused_and_nothing_is_saved(
        self, world: World
    ) -> None:
        p = _advance(project(world), world, Stage.REPORTING)
        before = StageChange.objects.count()
        with pytest.raises(ValidationError) as exc:
            services.project_move_stage(
                project=p, to_stage=Stage.GUIDANCE, actor=world.user(Role.PARTY_OFFICE), reason=" "
            )
        assert exc.value.message_dict["reason"] == ["退回到之前的阶段必须填写原因。"]
        p.refresh_from_db()
        assert p.stage == Stage.REPORTING
        assert StageChange.objects.count() == before

    def test_moving_back_with_a_reason_is_recorded(self, world: World) -> None:
        p = _advance(project(world), world, Stage.REPORTING)
        p = services.project_move_stage(
            project=p,
            to_stage=Stage.TEAM,
            actor=world.user(Role.PARTY_OFFICE),
            reason="核心成员调离，需重新组建团队",
        )
        last = p.stage_changes.last()
        assert p.stage == Stage.TEAM
        assert last.is_backwards and last.reason == "核心成员调离，需重新组建团队"

    def test_moving_back_from_acceptance_withdraws_the_result(self, world: World) -> None:
        p = _advance(project(world), world, Stage.ACCEPTANCE)
        p = services.project_accept(
            project=p,
            result=Project.Result.PASS,
            accepted_on=dt.date(2026, 1, 20),
            note="达到预期目标",
            actor=world.user(Role.PARTY_OFFICE),
        )
        p = services.project_move_stage(
            project=p, to_stage=Stage.REVIEW, actor=world.user(Role.PARTY_OFFICE), reason="复核"
        )
        assert p.result == "" and p.accepted_on is None

    def test_the_mentor_must_sit_on_the_party_committee(self, world: World) -> None:
        branch_seat = CommitteeMember.objects.get(
            organisation=world.branch_a, member=world.members["secretary_a"]
        )
        with pytest.raises(ValidationError) as exc:
            project(world, mentor=branch_seat)
        assert "mentor" in exc.value.message_dict
        assert not Project.objects.exists()

    def test_an_end_before_the_start_is_refused(self, world: World) -> None:
        with pytest.raises(ValidationError):
            project(world, planned_end=dt.date(2025, 12, 1))
        assert not Project.objects.exists()


class TestReportSchedule:
    def test_a_due_date_in_the_national_day_holiday_moves_to_the_next_working_day(
        self, national_day: None
    ) -> None:
        dates = services.report_schedule(
            started_on=dt.date(2026, 7, 1), planned_end=dt.date(2026, 12, 31), every_months=3
        )
        assert dates == [dt.date(2026, 10, 9)]

    def test_an_adjusted_saturday_workday_is_kept(self, national_day: None) -> None:
        dates = services.report_schedule(
            started_on=dt.date(2026, 9, 10), planned_end=dt.date(2026, 10, 31), every_months=1
        )
        assert dates == [dt.date(2026, 10, 10)]

    def test_a_sunday_due_date_moves_to_monday(self, national_day: None) -> None:
        dates = services.report_schedule(
            started_on=dt.date(2026, 9, 11), planned_end=dt.date(2026, 10, 31), every_months=1
        )
        assert dates == [dt.date(2026, 10, 12)]

    def test_month_ends_are_clamped(self) -> None:
        dates = services.report_schedule(
            started_on=dt.date(2026, 1, 31), planned_end=dt.date(2026, 3, 31), every_months=1
        )
        assert dates == [dt.date(2026, 3, 2), dt.date(2026, 3, 31)]  # 2-28 is a Saturday

    def test_a_project_gets_its_reports_and_a_new_interval_reschedules_open_ones(
        self, world: World
    ) -> None:
        p = project(world)
        assert p.reports.count() == 3  # every 3 months from 2026-01-05 up to 12-31
        first = p.reports.first()
        services.report_submit(report=first, actor=world.user(Role.PARTY_OFFICE), text="进展顺利")
        p = services.project_update(
            project=p, actor=world.user(Role.PARTY_OFFICE), report_every_months=6
        )
        dues = list(p.reports.values_list("due_on", flat=True))
        assert first.due_on in dues  # submitted reports stay
        assert dt.date(2026, 7, 6) in dues

    def test_a_report_without_text_is_refused(self, world: World) -> None:
        p = project(world)
        with pytest.raises(ValidationError):
            services.report_submit(report=p.reports.first(), actor=None, text="  ")
        assert not p.reports.filter(submitted_at__isnull=False).exists()


class TestReminders:
    def test_reminders_go_to_leader_and_mentor_once(self, world: World) -> None:
        from hongfan.core.testing import make_user

        leader_user = make_user("leader", world.staff["member_a"], (Role.STAFF, {}))
        mentor_user = make_user("mentor", world.staff["secretary_b"], (Role.STAFF, {}))
        p = project(world)
        due = p.reports.first().due_on  # 2026-04-07 (04-05 is a Sunday → Monday 04-06)
        counts = services.report_reminders_send(today=due - dt.timedelta(days=1))
        assert counts["due_soon"] == 1
        assert set(Notification.objects.values_list("recipient_id", flat=True)) == {
            leader_user.pk,
            mentor_user.pk,
        }
        again = services.report_reminders_send(today=due - dt.timedelta(days=1))
        assert again["notifications"] == 0
        overdue = services.report_reminders_send(today=due + dt.timedelta(days=1))
        assert overdue["overdue"] == 1
        assert Notification.objects.count() == 4

    def test_nothing_is_sent_for_a_report_far_ahead_or_submitted(self, world: World) -> None:
        p = project(world)
        first = p.reports.first()
        assert services.report_reminders_send(today=dt.date(2026, 2, 1))["notifications"] == 0
        services.report_submit(report=first, actor=None, text="已完成")
        counts = services.report_reminders_send(today=first.due_on + dt.timedelta(days=3))
        assert counts["overdue"] == 0

    def test_the_command_prints_a_summary(
        self, world: World, capsys: pytest.CaptureFixture
    ) -> None:
        from hongfan.core.testing import make_user

        make_user("leader", world.staff["member_a"], (Role.STAFF, {}))
        project(world)
        call_command("innovation_report_reminders", "--today", "2026-04-03")
        assert "due soon: 1" in capsys.readouterr().out


class TestEvaluation:
    def _scores(self, value: str = "10") -> dict[int, Decimal]:
        return {i.pk: min(Decimal(value), i.max_score) for i in EvaluationItem.objects.all()}

    def test_scores_are_summed_at_effect_evaluation(self, world: World) -> None:
        p = _advance(project(world), world, Stage.EVALUATION)
        e = services.evaluation_record(
            project=p,
            evaluator=world.staff["office"],
            evaluated_on=dt.date(2026, 1, 10),
            scores=self._scores("15"),
        )
        assert e.total == Decimal("75")  # 15+15+15+15+15
        assert e.stage == Stage.EVALUATION

    def test_scores_before_effect_evaluation_are_refused(self, world: World) -> None:
        p = project(world)
        with pytest.raises(ValidationError):
            services.evaluation_record(
                project=p,
                evaluator=world.staff["office"],
                evaluated_on=dt.date(2026, 1, 10),
                scores=self._scores(),
            )

    def test_a_score_above_the_item_maximum_is_refused(self, world: World) -> None:
        p = _advance(project(world), world, Stage.EVALUATION)
        scores = self._scores()
        scores[EvaluationItem.objects.get(name="创新性").pk] = Decimal("25")
        with pytest.raises(ValidationError) as exc:
            services.evaluation_record(
                project=p,
                evaluator=world.staff["office"],
                evaluated_on=dt.date(2026, 1, 10),
                scores=scores,
            )
        assert "创新性" in str(exc.value.messages)
        assert not p.evaluations.exists()


class TestAcceptance:
    def test_a_result_before_year_end_acceptance_is_refused(self, world: World) -> None:
        p = _advance(project(world), world, Stage.REVIEW)
        with pytest.raises(ValidationError):
            services.project_accept(
                project=p,
                result=Project.Result.EXCELLENT,
                accepted_on=dt.date(2026, 1, 20),
                note="很好",
                actor=None,
            )

    def test_the_result_is_recorded_at_acceptance(self, world: World) -> None:
        p = _advance(project(world), world, Stage.ACCEPTANCE)
        p = services.project_accept(
            project=p,
            result=Project.Result.EXCELLENT,
            accepted_on=dt.date(2026, 1, 20),
            note="成效显著，建议全院推广",
            actor=None,
        )
        assert p.get_result_display() and p.accepted_on == dt.date(2026, 1, 20)


def test_the_mentor_helper_is_a_committee_seat(world: World) -> None:
    assert mentor(world).organisation == world.committee
