from django.urls import path

from hongfan.innovation import views

app_name = "innovation"

urlpatterns = [
    path("", views.project_list, name="list"),
    path("new/", views.project_create, name="create"),
    path("<int:pk>/", views.project_detail, name="detail"),
    path("<int:pk>/edit/", views.project_edit, name="edit"),
    path("<int:pk>/stage/", views.project_stage, name="stage"),
    path("<int:pk>/team/", views.project_team, name="team"),
    path("<int:pk>/team/<int:member_pk>/remove/", views.team_remove, name="team_remove"),
    path("<int:pk>/reports/<int:report_pk>/", views.report_detail, name="report"),
    path("<int:pk>/files/<int:file_pk>/", views.report_file, name="report_file"),
    path("<int:pk>/evaluate/", views.project_evaluate, name="evaluate"),
    path("<int:pk>/accept/", views.project_accept, name="accept"),
]
