from django.urls import path

from hongfan.learning import views

app_name = "learning"

urlpatterns = [
    path("", views.activity_list, name="activity_list"),
    path("activities/new/", views.activity_create, name="activity_create"),
    path("activities/<int:pk>/", views.activity_detail, name="activity_detail"),
    path("hours/", views.hours_report, name="hours_report"),
    path("questions/", views.question_list, name="question_list"),
    path("contests/", views.contest_list, name="contest_list"),
    path("contests/<int:pk>/", views.contest_take, name="contest_take"),
    path("contests/<int:pk>/results/", views.contest_results, name="contest_results"),
    path("brands/", views.brand_list, name="brand_list"),
    path("brands/<int:pk>/", views.brand_edit, name="brand_edit"),
]
