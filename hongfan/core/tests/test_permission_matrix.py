"""Run every app's permission-matrix cases for every role and for anonymous visitors."""

from __future__ import annotations

import pytest

from hongfan.core.matrix import Case, all_cases, check_case, role_params
from hongfan.core.testing import World

PARAMS = role_params(all_cases())


@pytest.mark.parametrize(("case", "role"), PARAMS, ids=[f"{c.id}|{r}" for c, r in PARAMS])
def test_role_gets_the_expected_status(case: Case, role: str, world: World) -> None:
    check_case(case, world, role)
