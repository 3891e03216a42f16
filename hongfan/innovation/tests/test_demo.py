"""The innovation part of the small demo hospital."""

from __future__ import annotations

import datetime as dt

import pytest

from hongfan.demo import extensions
from hongfan.demo.services import demo_seed
from hongfan.innovation.models import Project, Stage

pytestmark = pytest.mark.django_db


def test_the_small_demo_has_a_project_at_every_stage(monkeypatch: pytest.MonkeyPatch) -> None:
    only_mine = {k: v for k, v in extensions._REGISTRY.items() if k == "innovation"}
    monkeypatch.setattr(extensions, "_REGISTRY", only_mine)
    result = demo_seed(size="small", seed=1, today=dt.date(2026, 11, 23))
    assert result.extra_counts["innovation projects"] == 7
    assert set(Project.objects.values_list("stage", flat=True)) == set(Stage.values)
    assert Project.objects.filter(team__isnull=False).distinct().count() == 7
    # Every project's history ends at its current stage.
    for p in Project.objects.all():
        assert p.stage_changes.last().to_stage == p.stage
    assert Project.objects.filter(stage=Stage.ACCEPTANCE, result__gt="").exists()
