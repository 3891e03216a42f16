from django.urls import path

from hongfan.orglife import views

app_name = "orglife"

urlpatterns = [
    path("", views.meeting_list, name="meeting_list"),
    path("plan/", views.meeting_plan, name="meeting_plan"),
    path("plan/year/", views.year_plan, name="year_plan"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("meetings/<int:pk>/record/", views.meeting_record, name="meeting_record"),
    path("meetings/<int:pk>/files/", views.meeting_file_upload, name="meeting_file_upload"),
    path("files/<int:pk>/", views.meeting_file_download, name="meeting_file_download"),
    path("meetings/<int:pk>/qr/", views.meeting_qr, name="meeting_qr"),
    path("s/<str:token>/", views.sign_in, name="sign_in"),
    path("compliance/", views.compliance_matrix, name="compliance_matrix"),
    path("compliance/<int:pk>/", views.compliance_branch, name="compliance_branch"),
    path("rules/", views.rule_list, name="rule_list"),
    path("rules/add/", views.rule_edit, name="rule_add"),
    path("rules/<int:pk>/", views.rule_edit, name="rule_edit"),
    path("settings/", views.settings_edit, name="settings_edit"),
    path("reviews/", views.campaign_list, name="campaign_list"),
    path("reviews/<int:pk>/", views.campaign_detail, name="campaign_detail"),
    path("reviews/<int:pk>/self/", views.review_self, name="review_self"),
    path("reviews/<int:pk>/mutual/", views.review_mutual, name="review_mutual"),
    path("reviews/<int:pk>/vote/", views.review_vote, name="review_vote"),
    path("members/<int:pk>/", views.member_reviews, name="member_reviews"),
]
