"""Roles and what each may do: the single table every permission check reads.

Three-way separation of duties (三权分立): the system, security and audit administrators are
three roles and no account may hold two of them (enforced in services.assign_role).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    SYSTEM_ADMIN = "system_admin", _("System administrator")
    SECURITY_ADMIN = "security_admin", _("Security administrator")
    AUDIT_ADMIN = "audit_admin", _("Audit administrator")
    PARTY_OFFICE = "party_office", _("Party committee office")
    BRANCH_SECRETARY = "branch_secretary", _("Branch secretary")
    DISCIPLINE = "discipline", _("Discipline inspection office")
    MEDICAL_AFFAIRS = "medical_affairs", _("Medical affairs / pharmacy")
    PRESIDENT_OFFICE = "president_office", _("President's office")
    DEPARTMENT_HEAD = "department_head", _("Department head")
    STAFF = "staff", _("Staff")


ADMIN_ROLES = frozenset({Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN})
# Roles that must pass a TOTP second factor (SECURITY.md).
SECOND_FACTOR_ROLES = ADMIN_ROLES | {Role.DISCIPLINE}
# Roles whose data scope is the whole deployment (every institution).
HOSPITAL_WIDE_ROLES = frozenset(
    {Role.PARTY_OFFICE, Role.DISCIPLINE, Role.MEDICAL_AFFAIRS, Role.PRESIDENT_OFFICE}
)


class Cap:
    """Capability names. Views ask for a capability, never for a role."""

    # People and organisation
    ORG_VIEW = "org.view"
    ORG_MANAGE = "org.manage"
    STRUCTURE_MANAGE = "org.structure_manage"  # institutions, departments, centres
    PARTY_VIEW = "party.view"
    PARTY_MANAGE = "party.manage"
    COMPOSITION_VIEW = "party.composition_view"
    IMPORTS_RUN = "imports.run"
    SENSITIVE_VIEW = "org.sensitive_view"  # unmasked ID-card / phone on a detail page (audited)
    # System
    ACCOUNTS_MANAGE = "accounts.manage"
    ROLES_MANAGE = "accounts.roles_manage"
    SECURITY_VIEW = "accounts.security_view"
    AUDIT_VIEW = "audit.view"
    CALENDAR_MANAGE = "workdays.manage"
    ADMIN_SITE = "admin.site"
    # Party work
    DEVELOPMENT_MANAGE = "development.manage"  # 发展党员: candidate files and steps
    DUES_MANAGE = "dues.manage"  # 党费: ledger, payments, summaries
    # Own records
    SELF_VIEW = "self.view"
    # Organisational life and learning (hongfan.orglife, hongfan.learning)
    ORGLIFE_MANAGE = "orglife.manage"  # plan/record meetings, compliance; scoped for secretaries
    ORGLIFE_OVERRIDE = "orglife.override"  # record past the back-fill window (with a reason)
    LEARNING_MANAGE = "learning.manage"  # study activities, contests, branch brands
    LEARNING_ADMIN = "learning.admin"  # question bank, contests, brand evaluation (hospital-wide)
    # Closed-loop matters (hongfan.loops) and rectification
    LOOPS_SUPERVISE = "loops.supervise"  # supervise general matter types, open matters, board
    LOOPS_SUPERVISE_CLINICAL = "loops.supervise_clinical"  # clinical warnings / formal talks
    LOOPS_INTEGRITY = "loops.integrity"  # restricted integrity matters (reports, 四必谈)
    RECTIFICATION_MANAGE = "rectification.manage"
    # Decision meetings (hongfan.decisions) and innovation projects (hongfan.innovation)
    DECISIONS_VIEW = "decisions.view"  # meetings, resolutions, 三重一大 report (read)
    DECISIONS_MANAGE = "decisions.manage"  # record meetings, votes, resolutions, publishing
    INNOVATION_VIEW = "innovation.view"
    INNOVATION_MANAGE = "innovation.manage"
    # Clinical integrity analytics (hongfan.clinical)
    CLINICAL_VIEW = "clinical.view"  # indicators, findings, warnings (heads: their departments)
    CLINICAL_REVIEW = "clinical.review"  # pharmacists' workstation: review the sample
    CLINICAL_MANAGE = "clinical.manage"  # HIS imports, screening, sampling, warnings
    # Integrity (hongfan.integrity); reports themselves need LOOPS_INTEGRITY
    INTEGRITY_MANAGE = "integrity.manage"  # letters, risk register, campaigns, registers
    INTEGRITY_VIEW = "integrity.view"  # read the integrity dashboards (no reports, no patients)
    # Assessments (hongfan.scoring): ledger, ethics files, 医德考评, star ratings, red flag
    SCORING_MANAGE = "scoring.manage"  # the office running assessments (hospital-wide)
    SCORING_VIEW = "scoring.view"  # read results in scope (heads, secretaries, president)
    SCORING_DEPARTMENT_REVIEW = "scoring.department_review"  # 科室评价 by the department head
    # Operations: three-level budget and equipment life cycle (hongfan.budget, hongfan.equipment)
    BUDGET_VIEW = "budget.view"  # budget lines, execution, analysis (scoped for heads)
    BUDGET_MANAGE = "budget.manage"  # prepare lines, import spending, adjustments, assessment
    BUDGET_APPROVE = "budget.approve"  # the budget committee approves lines and adjustments
    PERFORMANCE_VIEW = "budget.performance"  # department performance sheet (all indicators)
    EQUIPMENT_VIEW = "equipment.view"
    EQUIPMENT_MANAGE = "equipment.manage"  # register, maintenance, checks, events, scrapping
    # Publicity and culture (hongfan.publicity)
    PUBLICITY_MANAGE = "publicity.manage"  # platforms, word list, correspondents, calendar
    CULTURE_MANAGE = "publicity.culture_manage"  # cultural activities (scoped for secretaries)
    # Patient voice (hongfan.voice)
    VOICE_VIEW = "voice.view"  # complaints, surveys, wishes and statistics (scoped)
    VOICE_OPERATE = "voice.operate"  # hotline intake, follow-up workstation
    VOICE_MANAGE = "voice.manage"  # survey builder, sampling, reception days, settings
    # Outreach, honours and emergency mobilisation (hongfan.outreach)
    OUTREACH_VIEW = "outreach.view"  # activities and totals (scoped)
    OUTREACH_MANAGE = "outreach.manage"  # record activities (a secretary: for their branch)
    HONOURS_MANAGE = "outreach.honours_manage"  # honours register
    MOBILISATION_MANAGE = "outreach.mobilisation_manage"  # calls, deployments, task teams
    # One-stop logistics service and energy monitoring (hongfan.logistics, hongfan.energy)
    LOGISTICS_MANAGE = "logistics.manage"  # service desk: every work order, teams, statistics
    ENERGY_VIEW = "energy.view"  # meters, readings, alarms (scoped to a head's departments)
    ENERGY_MANAGE = "energy.manage"  # register meters, import readings, detect, handle alarms


_ALL_STAFF = {Cap.SELF_VIEW}

ROLE_CAPABILITIES: dict[str, frozenset[str]] = {
    Role.SYSTEM_ADMIN: frozenset(
        {Cap.ACCOUNTS_MANAGE, Cap.CALENDAR_MANAGE, Cap.STRUCTURE_MANAGE, Cap.ADMIN_SITE}
    ),
    Role.SECURITY_ADMIN: frozenset({Cap.ROLES_MANAGE, Cap.SECURITY_VIEW}),
    Role.AUDIT_ADMIN: frozenset({Cap.AUDIT_VIEW}),
    Role.PARTY_OFFICE: frozenset(
        {
            Cap.ORG_VIEW,
            Cap.ORG_MANAGE,
            Cap.STRUCTURE_MANAGE,
            Cap.PARTY_VIEW,
            Cap.PARTY_MANAGE,
            Cap.COMPOSITION_VIEW,
            Cap.IMPORTS_RUN,
            Cap.SENSITIVE_VIEW,
            Cap.DEVELOPMENT_MANAGE,
            Cap.DUES_MANAGE,
            *_ALL_STAFF,
        }
    ),
    Role.BRANCH_SECRETARY: frozenset(
        {
            Cap.ORG_VIEW,
            Cap.PARTY_VIEW,
            Cap.COMPOSITION_VIEW,
            Cap.DEVELOPMENT_MANAGE,
            Cap.DUES_MANAGE,
            *_ALL_STAFF,
        }
    ),
    Role.DISCIPLINE: frozenset({Cap.ORG_VIEW, Cap.PARTY_VIEW, *_ALL_STAFF}),
    Role.MEDICAL_AFFAIRS: frozenset({Cap.ORG_VIEW, *_ALL_STAFF}),
    Role.PRESIDENT_OFFICE: frozenset(
        {Cap.ORG_VIEW, Cap.PARTY_VIEW, Cap.COMPOSITION_VIEW, *_ALL_STAFF}
    ),
    Role.DEPARTMENT_HEAD: frozenset({Cap.ORG_VIEW, *_ALL_STAFF}),
    Role.STAFF: frozenset(_ALL_STAFF),
}


# Closed-loop matters and rectification (hongfan.loops, hongfan.rectification).
for _role, _extra in {
    Role.PARTY_OFFICE: {Cap.LOOPS_SUPERVISE, Cap.RECTIFICATION_MANAGE},
    Role.PRESIDENT_OFFICE: {Cap.LOOPS_SUPERVISE},
    Role.MEDICAL_AFFAIRS: {Cap.LOOPS_SUPERVISE_CLINICAL},
    Role.DISCIPLINE: {Cap.LOOPS_INTEGRITY},
}.items():
    ROLE_CAPABILITIES[_role] = ROLE_CAPABILITIES[_role] | frozenset(_extra)


# Organisational life and learning (hongfan.orglife, hongfan.learning).
for _role, _extra in {
    Role.PARTY_OFFICE: {
        Cap.ORGLIFE_MANAGE,
        Cap.ORGLIFE_OVERRIDE,
        Cap.LEARNING_MANAGE,
        Cap.LEARNING_ADMIN,
    },
    Role.BRANCH_SECRETARY: {Cap.ORGLIFE_MANAGE, Cap.LEARNING_MANAGE},
}.items():
    ROLE_CAPABILITIES[_role] = ROLE_CAPABILITIES[_role] | frozenset(_extra)


# Decision meetings and innovation projects (hongfan.decisions, hongfan.innovation).
for _role, _extra in {
    Role.PARTY_OFFICE: {
        Cap.DECISIONS_VIEW,
        Cap.DECISIONS_MANAGE,
        Cap.INNOVATION_VIEW,
        Cap.INNOVATION_MANAGE,
    },
    Role.PRESIDENT_OFFICE: {
        Cap.DECISIONS_VIEW,
        Cap.DECISIONS_MANAGE,
        Cap.INNOVATION_VIEW,
        Cap.INNOVATION_MANAGE,
    },
    Role.DISCIPLINE: {Cap.DECISIONS_VIEW},
    Role.BRANCH_SECRETARY: {Cap.INNOVATION_VIEW},
    Role.DEPARTMENT_HEAD: {Cap.INNOVATION_VIEW},
}.items():
    ROLE_CAPABILITIES[_role] = ROLE_CAPABILITIES[_role] | frozenset(_extra)


# Working-day calendar (hongfan.workdays): the Party office keeps the holiday table too.
ROLE_CAPABILITIES[Role.PARTY_OFFICE] = ROLE_CAPABILITIES[Role.PARTY_OFFICE] | frozenset(
    {Cap.CALENDAR_MANAGE}
)


# Patient voice (hongfan.voice): the president's office runs the hotline (院长热线).
for _role, _extra in {
    Role.PRESIDENT_OFFICE: {Cap.VOICE_VIEW, Cap.VOICE_OPERATE, Cap.VOICE_MANAGE},
    Role.PARTY_OFFICE: {Cap.VOICE_VIEW, Cap.VOICE_MANAGE},
    Role.MEDICAL_AFFAIRS: {Cap.VOICE_VIEW},
    Role.DISCIPLINE: {Cap.VOICE_VIEW},
    Role.BRANCH_SECRETARY: {Cap.VOICE_VIEW},
    Role.DEPARTMENT_HEAD: {Cap.VOICE_VIEW},
}.items():
    ROLE_CAPABILITIES[_role] = ROLE_CAPABILITIES[_role] | frozenset(_extra)


# Publicity and culture (hongfan.publicity): the Party office runs publicity (党委宣传);
# branch secretaries record their branch's cultural activities.
for _role, _extra in {
    Role.PARTY_OFFICE: {Cap.PUBLICITY_MANAGE, Cap.CULTURE_MANAGE},
    Role.BRANCH_SECRETARY: {Cap.CULTURE_MANAGE},
}.items():
    ROLE_CAPABILITIES[_role] = ROLE_CAPABILITIES[_role] | frozenset(_extra)


# Operations: budget (the president's office runs the committee's secretariat; department
# heads prepare and follow their own lines) and equipment (medical engineering sits under
# medical affairs).
for _role, _extra in {
    Role.PRESIDENT_OFFICE: {
        Cap.BUDGET_VIEW,
        Cap.BUDGET_MANAGE,
        Cap.BUDGET_APPROVE,
        Cap.PERFORMANCE_VIEW,
        Cap.EQUIPMENT_VIEW,
        Cap.EQUIPMENT_MANAGE,
    },
    Role.PARTY_OFFICE: {Cap.BUDGET_VIEW, Cap.PERFORMANCE_VIEW},
    Role.MEDICAL_AFFAIRS: {Cap.EQUIPMENT_VIEW, Cap.EQUIPMENT_MANAGE},
    Role.DEPARTMENT_HEAD: {Cap.BUDGET_VIEW, Cap.EQUIPMENT_VIEW},
}.items():
    ROLE_CAPABILITIES[_role] = ROLE_CAPABILITIES[_role] | frozenset(_extra)


# Assessments (hongfan.scoring).
for _role, _extra in {
    Role.PARTY_OFFICE: {Cap.SCORING_MANAGE, Cap.SCORING_VIEW},
    Role.DISCIPLINE: {Cap.SCORING_MANAGE, Cap.SCORING_VIEW},
    Role.PRESIDENT_OFFICE: {Cap.SCORING_VIEW},
    Role.BRANCH_SECRETARY: {Cap.SCORING_VIEW},
    Role.DEPARTMENT_HEAD: {Cap.SCORING_VIEW, Cap.SCORING_DEPARTMENT_REVIEW},
}.items():
    ROLE_CAPABILITIES[_role] = ROLE_CAPABILITIES[_role] | frozenset(_extra)


# Leadership cockpit and generated reports (hongfan.cockpit).
Cap.COCKPIT_VIEW = "cockpit.view"  # the cockpit page (panels further limited by their caps)
Cap.COCKPIT_REPORTS = "cockpit.reports"  # generate and download work reports, appraisal export
Cap.COCKPIT_TEMPLATES = "cockpit.templates"  # edit report templates (Party office)
for _role, _extra in {
    Role.PARTY_OFFICE: {Cap.COCKPIT_VIEW, Cap.COCKPIT_REPORTS, Cap.COCKPIT_TEMPLATES},
    Role.PRESIDENT_OFFICE: {Cap.COCKPIT_VIEW, Cap.COCKPIT_REPORTS},
    Role.DISCIPLINE: {Cap.COCKPIT_VIEW},
    Role.MEDICAL_AFFAIRS: {Cap.COCKPIT_VIEW},
    Role.BRANCH_SECRETARY: {Cap.COCKPIT_VIEW},
}.items():
    ROLE_CAPABILITIES[_role] = ROLE_CAPABILITIES[_role] | frozenset(_extra)


# Outreach, honours and emergency mobilisation (hongfan.outreach).
for _role, _extra in {
    Role.PARTY_OFFICE: {
        Cap.OUTREACH_VIEW,
        Cap.OUTREACH_MANAGE,
        Cap.HONOURS_MANAGE,
        Cap.MOBILISATION_MANAGE,
    },
    Role.PRESIDENT_OFFICE: {Cap.OUTREACH_VIEW, Cap.MOBILISATION_MANAGE},
    Role.BRANCH_SECRETARY: {Cap.OUTREACH_VIEW, Cap.OUTREACH_MANAGE},
    Role.DEPARTMENT_HEAD: {Cap.OUTREACH_VIEW},
}.items():
    ROLE_CAPABILITIES[_role] = ROLE_CAPABILITIES[_role] | frozenset(_extra)


# One-stop logistics service and energy monitoring (hongfan.logistics, hongfan.energy): the
# president's office runs the service desk (后勤服务中心) and facilities; heads follow the
# energy use of their own departments.
for _role, _extra in {
    Role.PRESIDENT_OFFICE: {Cap.LOGISTICS_MANAGE, Cap.ENERGY_VIEW, Cap.ENERGY_MANAGE},
    Role.DEPARTMENT_HEAD: {Cap.ENERGY_VIEW},
}.items():
    ROLE_CAPABILITIES[_role] = ROLE_CAPABILITIES[_role] | frozenset(_extra)


# Integrity (hongfan.integrity): the discipline office runs it, the Party office reads.
for _role, _extra in {
    Role.DISCIPLINE: {Cap.INTEGRITY_MANAGE, Cap.INTEGRITY_VIEW},
    Role.PARTY_OFFICE: {Cap.INTEGRITY_VIEW},
}.items():
    ROLE_CAPABILITIES[_role] = ROLE_CAPABILITIES[_role] | frozenset(_extra)


# Clinical integrity analytics (hongfan.clinical): medical affairs / pharmacy run it.
for _role, _extra in {
    Role.MEDICAL_AFFAIRS: {Cap.CLINICAL_VIEW, Cap.CLINICAL_REVIEW, Cap.CLINICAL_MANAGE},
    Role.PRESIDENT_OFFICE: {Cap.CLINICAL_VIEW},
    Role.DISCIPLINE: {Cap.CLINICAL_VIEW},
    Role.DEPARTMENT_HEAD: {Cap.CLINICAL_VIEW},
}.items():
    ROLE_CAPABILITIES[_role] = ROLE_CAPABILITIES[_role] | frozenset(_extra)
