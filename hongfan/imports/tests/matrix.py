from __future__ import annotations

from hongfan.accounts.roles import Role
from hongfan.core.matrix import Case
from hongfan.core.testing import World
from hongfan.imports import services
from hongfan.imports.tests.helpers import xlsx

OFFICE = {Role.PARTY_OFFICE}
# The president's office imports discharge lists (patient voice) and budget spending, so it
# has the imports pages; a run of a kind it may not import is outside its scope (404).
IMPORTERS = OFFICE | {Role.PRESIDENT_OFFICE}
OTHER_KIND_RUN = {Role.PRESIDENT_OFFICE: 404}


def _pending_run(w: World) -> dict[str, int]:
    data = xlsx(
        ["机构代码", "科室编码", "科室名称", "科室类别"], [["H01", "MX01", "矩阵科", "临床"]]
    )
    run = services.import_validate(
        kind="departments", data=data, file_name="m.xlsx", user=w.user(Role.PARTY_OFFICE)
    )
    return {"pk": run.pk}


CASES = [
    Case("imports:index", allowed=IMPORTERS),
    Case("imports:run_list", allowed=IMPORTERS),
    Case("imports:upload", allowed=OFFICE, kwargs=lambda w: {"kind": "staff"}),
    Case("imports:template", allowed=OFFICE, kwargs=lambda w: {"kind": "party_members"}),
    Case("imports:run_detail", allowed=OFFICE, kwargs=_pending_run, per_role=OTHER_KIND_RUN),
    Case(
        "imports:run_apply",
        allowed=OFFICE,
        kwargs=_pending_run,
        method="post",
        ok_status=302,
        per_role=OTHER_KIND_RUN,
    ),
    Case(
        "imports:run_cancel",
        allowed=OFFICE,
        kwargs=_pending_run,
        method="post",
        ok_status=302,
        per_role=OTHER_KIND_RUN,
    ),
]
