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
    # Patient voice (hongfan.voice)
    VOICE_VIEW = "voice.view"  # complaints, surveys, wishes and statistics (scoped)
    VOICE_OPERATE = "voice.operate"  # hotline intake, follow-up workstation
    VOICE_MANAGE = "voice.manage"  # survey builder, sampling, reception days, settings


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
