"""Messages of the importers declared outside this app (org, party) and shared texts.

They live here so that the imports catalogue translates them.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _


class M:
    """Lazy messages used by hongfan.org.importers and hongfan.party.importers."""

    ambiguous_department = _("Several institutions have department “%(dept)s”; fill in 机构代码.")
    ambiguous_staff = _("Several institutions have employee number %(no)s; fill in 机构代码.")
    applied_after_joined = _("The application date is after the joining date.")
    approver_not_superior = _(
        "The approving organisation %(code)s is not a superior of this branch."
    )
    bad_nesting = _("A %(kind)s cannot sit directly under a %(parent_kind)s.")
    bad_phone = _("A mobile number has 11 digits starting with 13–19.")
    birth_date_required = _("Fill in the birth date or the ID-card number.")
    children_misfit = _(
        "Organisation %(child)s (%(child_kind)s) is under this one "
        "and would no longer fit under the new type."
    )
    confirmed_before_joined = _("The date of becoming a full member precedes the joining date.")
    cycle = _("The superior organisations form a cycle: %(path)s.")
    date_in_future = _("The date is in the future.")
    department_mismatch = _("Department code %(code)s is “%(actual)s”, not “%(name)s”.")
    department_name_taken = _("The name “%(name)s” is already used by department %(code)s.")
    department_required = _("Fill in 科室编码 or 科室名称.")
    desc_departments = _(
        "Departments (科室) of each institution, with their category and discipline centre."
    )
    desc_party_members = _(
        "Party members: their branch, group, category and key dates. "
        "The staff must be imported first."
    )
    desc_party_organisations = _(
        "The Party organisation tree (党委 → 党总支 → 党支部 → 党小组) with bound departments."
    )
    desc_staff = _("Staff records: identity, department, post, title, education and status.")
    dissolved_branch = _("Branch %(code)s has been dissolved.")
    full_needs_confirmation = _("A full member needs 转正日期.")
    gender_mismatch = _("The gender does not match the ID-card number.")
    gender_required = _("Fill in the gender or the ID-card number.")
    group_as_branch = _(
        "%(code)s is a Party group: put the branch in 所在支部编码 and the group in 党小组编码."
    )
    group_elsewhere = _("Party group %(code)s does not belong to branch %(branch)s.")
    group_no_departments = _("A Party group is not bound to departments.")
    help_approved_by = _(
        "Temporary branches only: code of the superior organisation that approved it."
    )
    help_bool_default_no = _("是 or 否; blank means 否.")
    help_bound_departments = _("Department codes, separated by 、 or a comma.")
    help_centre = _("Name of the discipline centre (学科中心); created when new.")
    help_confirmed_on = _("Required for full members; blank for probationary members.")
    help_default_in_post = _("Blank means 在职.")
    help_default_masses = _("Blank means 群众.")
    help_default_none = _("Blank means 无.")
    help_default_normal = _("Blank means 正常.")
    help_department_code = _(
        "Unique within the institution; the key that identifies the department."
    )
    help_employee_no = _("Unique within the institution; the key that identifies the person.")
    help_from_id_card = _("May be left blank when the ID-card number is given (taken from it).")
    help_id_card = _("18 characters; the check digit is verified. Format the column as text.")
    help_institution = _("Leave blank when the deployment has one institution.")
    help_left_on = _("Required when the status is 离职.")
    help_member_staff = _("The employee number of an imported staff member.")
    help_parent = _("Code of the superior organisation; blank only for a 党委.")
    help_staff_department = _("Department code, or fill 科室名称 instead.")
    help_temporary_task = _("Temporary branches only: the task it was set up for.")
    hired_before_born = _("The hiring date is before the birth date.")
    id_card_as_number = _(
        "The ID-card number was stored as a number and lost digits; format the column as text."
    )
    id_card_taken = _("This ID-card number is already registered for employee number %(no)s.")
    id_card_twice = _("This ID-card number already appears in row %(row)d of this file.")
    institution_required = _("Fill in 机构代码 (there are several institutions).")
    joined_under_18 = _("The member would have joined before the age of 18.")
    kind_departments = _("Departments")
    kind_party_members = _("Party members")
    kind_party_organisations = _("Party organisations")
    kind_staff = _("Staff")
    left_before_hired = _("The leaving date precedes the hiring date.")
    left_on_in_post = _("A person in post has no leaving date.")
    left_on_required = _("Fill in the leaving date for a person who has left.")
    member_twice = _("%(no)s already appears in row %(row)d: one person can be in only one branch.")
    name_twice_in_file = _("The name “%(name)s” is used by two departments in this file.")
    no_institution = _("No institution exists yet; create the hospital first.")
    not_a_branch = _("%(code)s is a %(kind)s, not a branch.")
    not_a_group = _("%(code)s is not a Party group.")
    not_temporary_fields = _("临时任务 and 批准组织编码 are only for temporary branches.")
    own_parent = _("An organisation cannot be its own superior.")
    parent_required = _("A %(kind)s needs a superior organisation.")
    probationary_confirmed = _("A probationary member has no 转正日期.")
    temporary_as_branch = _(
        "%(code)s is a temporary branch: members keep their regular branch "
        "and are assigned to it separately."
    )
    temporary_has_members = _("The organisation has members and cannot become a temporary branch.")
    temporary_needs_approver = _("A temporary branch needs the approving organisation.")
    temporary_needs_task = _("A temporary branch needs its task.")
    temporary_only_branch = _("Only a branch can be temporary.")
    unknown_department_code = _("Unknown department code %(code)s.")
    unknown_department_name = _("Unknown department “%(name)s”.")
    unknown_institution = _("Unknown institution code %(code)s.")
    unknown_org = _("Unknown organisation code %(code)s.")
    unknown_staff = _("No staff member has employee number %(no)s; import the staff first.")


# The messages of hongfan.org.validators, translated in this catalogue too so that import
# reasons are Chinese whatever org's own catalogue holds (when both translate a message, the
# app listed first in INSTALLED_APPS wins). tests/test_messages.py checks they are Chinese.
VALIDATOR_MESSAGES = (
    _("An ID-card number has 18 characters."),
    _("An ID-card number is 17 digits followed by a digit or X."),
    _("The ID-card number contains an invalid birth date."),
    _("The check digit of the ID-card number is wrong."),
    _("The birth date in the ID-card number (%(id)s) does not match the birth date (%(birth)s)."),
    _("Enter a mainland mobile number of 11 digits starting with 13–19."),
)
