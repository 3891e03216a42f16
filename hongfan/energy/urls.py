from django.urls import path

from hongfan.energy import views

app_name = "energy"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("meters/", views.meter_list, name="meters"),
    path("meters/new/", views.meter_edit, name="meter_create"),
    path("meters/<int:pk>/", views.meter_detail, name="meter"),
    path("meters/<int:pk>/edit/", views.meter_edit, name="meter_edit"),
    path("alarms/", views.alarm_list, name="alarms"),
    path("alarms/<int:pk>/", views.alarm_detail, name="alarm"),
    path("alarms/<int:pk>/act/", views.alarm_act, name="alarm_act"),
    path("import/", views.import_readings, name="import"),
    path("import/template.csv", views.import_template, name="import_template"),
    path("detect/", views.detect, name="detect"),
]
