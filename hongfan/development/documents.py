"""The printable file of a candidate's steps (Word, python-docx)."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _
from docx import Document
from docx.shared import Pt

from hongfan.development.models import Candidate, StepRecord


def candidate_docx(candidate: Candidate) -> bytes:
    """Return a .docx listing every step of the rule set with its recorded date and people."""
    records: dict[int, list[StepRecord]] = {}
    for r in candidate.records.select_related("step").prefetch_related(
        "contacts__staff", "introducers__staff"
    ):
        records.setdefault(r.step_id, []).append(r)
    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = "SimSun"
    style.font.size = Pt(10.5)
    doc.add_heading(
        _("Member development file: %(name)s") % {"name": candidate.staff.name}, level=1
    )
    doc.add_paragraph(
        _("Branch: %(branch)s    Employee number: %(no)s    Rules: %(rules)s")
        % {
            "branch": candidate.branch.name,
            "no": candidate.staff.employee_no,
            "rules": candidate.rule_set.name,
        }
    )
    table = doc.add_table(rows=1, cols=5)
    table.style = "Table Grid"
    for cell, text in zip(
        table.rows[0].cells,
        (_("No."), _("Step"), _("Date"), _("People and approvals"), _("Note")),
        strict=True,
    ):
        cell.text = str(text)
    current_stage = None
    for step in candidate.rule_set.steps.select_related("stage").order_by("order"):
        if step.stage_id != current_stage:
            current_stage = step.stage_id
            row = table.add_row().cells
            merged = row[0].merge(row[4])
            merged.text = f"{step.stage.order}. {step.stage.name}"
        recs = records.get(step.id, [])
        row = table.add_row().cells
        row[0].text = str(step.order)
        row[1].text = step.name
        row[2].text = "、".join(f"{r.date:%Y-%m-%d}" for r in recs) or "—"
        people = []
        for r in recs:
            if r.contacts.all():
                people.append(_("Contacts: ") + "、".join(m.staff.name for m in r.contacts.all()))
            if r.introducers.all():
                people.append(
                    _("Introducers: ") + "、".join(m.staff.name for m in r.introducers.all())
                )
            if r.approved_by:
                people.append(f"{r.approved_by} {r.approval_ref}".strip())
            if r.members_due is not None:
                people.append(
                    _("Due %(due)s, present %(present)s, yes %(yes)s")
                    % {"due": r.members_due, "present": r.members_present, "yes": r.votes_yes}
                )
        row[3].text = "；".join(people)
        row[4].text = "；".join(r.note for r in recs if r.note)
    if candidate.extension_months:
        doc.add_paragraph(
            _("Probation extended by %(months)s months on %(date)s: %(reason)s")
            % {
                "months": candidate.extension_months,
                "date": f"{candidate.extended_on:%Y-%m-%d}" if candidate.extended_on else "",
                "reason": candidate.extension_reason,
            }
        )
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
