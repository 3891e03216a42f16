from django.urls import path

from hongfan.scoring import views

app_name = "scoring"

urlpatterns = [
    path("", views.home, name="home"),
    path("events/", views.event_list, name="event_list"),
    path("events/add/", views.event_add, name="event_add"),
    path("events/<int:pk>/review/", views.event_review, name="event_review"),
    path("files/", views.file_list, name="file_list"),
    path("files/<int:pk>/", views.file_detail, name="file_detail"),
    path("files/<int:pk>/word/", views.file_docx, name="file_docx"),
    path("files/<int:pk>/pdf/", views.file_pdf, name="file_pdf"),
    path("mine/", views.my_assessments, name="my_assessments"),
    path("mine/<int:pk>/self/", views.self_assess, name="self_assess"),
    path("mine/<int:pk>/appeal/", views.appeal_file, name="appeal_file"),
    path("scorecards/", views.scorecard_list, name="scorecard_list"),
    path("scorecards/defaults/", views.scorecard_defaults, name="scorecard_defaults"),
    path("scorecards/<int:pk>/", views.scorecard_detail, name="scorecard_detail"),
    path("scorecards/<int:pk>/items/add/", views.item_add, name="item_add"),
    path("items/<int:pk>/", views.item_edit, name="item_edit"),
    path("grades/<int:pk>/", views.band_edit, name="band_edit"),
    path("periods/", views.period_list, name="period_list"),
    path("periods/add/", views.period_add, name="period_add"),
    path("periods/<int:pk>/", views.period_detail, name="period_detail"),
    path("periods/<int:pk>/action/", views.period_action, name="period_action"),
    path("periods/<int:pk>/hr/", views.period_hr_export, name="period_hr_export"),
    path("assessments/<int:pk>/", views.assessment_detail, name="assessment_detail"),
    path("assessments/<int:pk>/department/", views.department_review, name="department_review"),
    path("assessments/<int:pk>/institution/", views.institution_review, name="institution_review"),
    path("assessments/<int:pk>/grade/", views.grade_set, name="grade_set"),
    path("appeals/", views.appeal_list, name="appeal_list"),
    path("appeals/<int:pk>/", views.appeal_decide, name="appeal_decide"),
    path("red-flag/", views.redflag_list, name="redflag_list"),
    path("red-flag/compute/", views.redflag_compute, name="redflag_compute"),
    path("red-flag/weights/", views.redflag_weights, name="redflag_weights"),
    path("red-flag/<int:pk>/", views.redflag_detail, name="redflag_detail"),
    path("red-flag/<int:pk>/award/", views.redflag_award, name="redflag_award"),
]
