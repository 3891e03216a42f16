# ruff: noqa: E501 (report text: one paragraph per line)
"""The default report templates (content in Chinese, edited by the Party office afterwards).

They mirror the structure of the work reports hospitals write by hand (the seed articles):
organisation building, organisational life, Party dues, supervision, complaints.
"""

from __future__ import annotations

ANNUAL_TITLE = "{{ institution.name }}{{ period.year }}年度党建工作报告"
ANNUAL_BODY = """# 一、基本情况
截至报告期末，{{ institution.name }}共有在岗党员 {{ membership.members_in_post }} 名，党支部 {{ membership.branches }} 个。专业技术人员党员占比 {{ membership.professional_pct }}，高级职称人员中党员占比 {{ membership.senior_pct }}，硕士、博士人员中党员占比 {{ membership.postgraduate_pct }}，党支部书记“双带头人”占比 {{ membership.dual_leader_pct }}。

# 二、组织生活制度落实情况
{{ period.label }}，{{ orglife.branches }} 个党支部按“三会一课”等制度要求开展组织生活，已到期的要求中落实 {{ orglife.requirements_met }} 项、未落实 {{ orglife.requirements_missed }} 项，落实率 {{ orglife.compliance_pct }}；{{ orglife.branches_compliant }} 个党支部全部按期落实。

# 三、党费收缴情况
全年应交党费 {{ dues.due }} 元，实交 {{ dues.paid }} 元，收缴率 {{ dues.payment_pct }}，尚欠 {{ dues.arrears }} 元。

# 四、督办落实与为民服务
## （一）重点事项督办
全年纳入闭环督办事项 {{ matters.total }} 件，已办结 {{ matters.closed }} 件，其中按期办结 {{ matters.on_time }} 件，按期办结率 {{ matters.on_time_pct }}；目前逾期未办结 {{ matters.overdue_open }} 件。

## （二）投诉处理
坚持首诉负责制，全年受理患者投诉 {{ complaints.received }} 件，已答复 {{ complaints.closed }} 件，按期答复率 {{ complaints.on_time_pct }}，投诉人对处理结果的平均评价 {{ complaints.rating }} 分（满分 5 分）。全年患者满意度调查中，门诊患者满意度 {{ satisfaction.outpatient_pct }}，住院患者满意度 {{ satisfaction.inpatient_pct }}，医务人员满意度 {{ satisfaction.staff_pct }}（“—”表示样本量不足、不予发布）。

## （三）志愿服务与健康惠民
全年开展义诊、健康夜市、送医下乡、健康讲座等志愿服务活动 {{ outreach.activities }} 场次，参与医务人员 {{ outreach.staff_times }} 人次（其中党员 {{ outreach.member_times }} 人次），志愿服务时长 {{ outreach.hours }} 小时，服务群众 {{ outreach.people_served }} 人次，开展检查 {{ outreach.examinations }} 人次，发放宣传资料 {{ outreach.materials }} 份，减免费用 {{ outreach.fees_waived }} 元；累计服务群众 {{ outreach.people_served_cumulative }} 人次。应急任务中派出医务人员 {{ outreach.people_deployed }} 人。

# 五、荣誉表彰
全年获得各级荣誉 {{ honours.total }} 项，其中国家级、省级 {{ honours.national_provincial }} 项；医院集体荣誉 {{ honours.hospital }} 项，党支部荣誉 {{ honours.branch }} 项，个人荣誉 {{ honours.person }} 项。

# 六、下一步工作打算
（由党委办公室结合年度工作要点填写。）
"""

QUARTERLY_TITLE = "{{ institution.name }}{{ period.label }}党建工作报告"
QUARTERLY_BODY = """# 一、党员队伍
报告期末在岗党员 {{ membership.members_in_post }} 名，党支部 {{ membership.branches }} 个，专业技术人员党员占比 {{ membership.professional_pct }}。

# 二、组织生活
本季度已到期的组织生活要求中落实 {{ orglife.requirements_met }} 项、未落实 {{ orglife.requirements_missed }} 项，落实率 {{ orglife.compliance_pct }}。

# 三、党费收缴
本季度应交党费 {{ dues.due }} 元，实交 {{ dues.paid }} 元，收缴率 {{ dues.payment_pct }}。

# 四、志愿服务
本季度开展志愿服务活动 {{ outreach.activities }} 场次，服务群众 {{ outreach.people_served }} 人次，志愿服务时长 {{ outreach.hours }} 小时；获得各级荣誉 {{ honours.total }} 项。

# 五、督办与投诉
本季度纳入督办事项 {{ matters.total }} 件，按期办结率 {{ matters.on_time_pct }}；受理投诉 {{ complaints.received }} 件，按期答复率 {{ complaints.on_time_pct }}。
"""

DEFAULTS = [
    ("年度党建工作报告（标准模板）", "annual", ANNUAL_TITLE, ANNUAL_BODY),
    ("季度党建工作报告（标准模板）", "quarterly", QUARTERLY_TITLE, QUARTERLY_BODY),
]
