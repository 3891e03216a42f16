from django.urls import path

from hongfan.integrity import views

app_name = "integrity"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("my/", views.my_integrity, name="my"),
    # Responsibility letters and pledges
    path("letters/", views.letters, name="letters"),
    path("letters/templates/new/", views.template_edit, name="template_create"),
    path("letters/templates/<int:pk>/", views.template_edit, name="template_edit"),
    path("letters/new/", views.campaign_create, name="campaign_create"),
    path("letters/<int:pk>/", views.campaign_detail, name="campaign_detail"),
    path("letters/<int:pk>/close/", views.campaign_close, name="campaign_close"),
    path("letters/sign/<int:pk>/", views.sign, name="sign"),
    # Risk register
    path("risks/", views.risks, name="risks"),
    path("risks/new/", views.risk_edit, name="risk_create"),
    path("risks/<int:pk>/", views.risk_detail, name="risk_detail"),
    path("risks/<int:pk>/edit/", views.risk_edit, name="risk_edit"),
    # Reminder campaigns
    path("reminders/", views.reminders, name="reminders"),
    path("reminders/dates/new/", views.keydate_edit, name="keydate_create"),
    path("reminders/dates/<int:pk>/", views.keydate_edit, name="keydate_edit"),
    path("reminders/<int:pk>/", views.reminder_detail, name="reminder_detail"),
    path("reminders/<int:pk>/send/", views.reminder_send, name="reminder_send"),
    path("reminders/<int:pk>/read/", views.reminder_read, name="reminder_read"),
    # Festival self-checks
    path("selfchecks/", views.selfchecks, name="selfchecks"),
    path("selfchecks/new/", views.selfcheck_create, name="selfcheck_create"),
    path("selfchecks/<int:pk>/", views.selfcheck_detail, name="selfcheck_detail"),
    path("selfchecks/<int:pk>/fill/", views.selfcheck_fill, name="selfcheck_fill"),
    # 红包 register
    path("envelopes/", views.envelopes, name="envelopes"),
    path("envelopes/new/", views.envelope_create, name="envelope_create"),
    path("envelopes/<int:pk>/", views.envelope_detail, name="envelope_detail"),
    path("envelopes/<int:pk>/decide/", views.envelope_decide, name="envelope_decide"),
    path("envelopes/<int:pk>/receipt.docx", views.envelope_receipt, name="envelope_receipt"),
    # 四必谈
    path("talks/", views.talks, name="talks"),
    path("talks/new/", views.talk_create, name="talk_create"),
    path("talks/<int:pk>/", views.talk_detail, name="talk_detail"),
    # Warning education
    path("education/", views.education, name="education"),
    path("education/new/", views.session_edit, name="session_create"),
    path("education/<int:pk>/", views.session_detail, name="session_detail"),
    path("education/<int:pk>/edit/", views.session_edit, name="session_edit"),
    path("education/materials/<int:pk>/", views.material_download, name="material"),
    # Reports (举报)
    path("reports/", views.reports, name="reports"),
    path("reports/<int:pk>/", views.report_detail, name="report_detail"),
    path("reports/<int:pk>/files/<int:att_pk>/", views.report_attachment, name="report_attachment"),
    path("report/named/", views.report_named, name="report_named"),
    path("report/mine/<int:pk>/", views.report_mine, name="report_mine"),
    path("report/anonymous/", views.anonymous_report, name="anonymous_report"),
    path("report/anonymous/follow/", views.anonymous_follow, name="anonymous_follow"),
    # Service code
    path("code/", views.code_list, name="code_list"),
    path("code/new/", views.code_edit, name="code_create"),
    path("code/<int:pk>/", views.code_detail, name="code_detail"),
    path("code/<int:pk>/edit/", views.code_edit, name="code_edit"),
]
