from django.urls import path

from hongfan.clinical import views

app_name = "clinical"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("screen/", views.screen, name="screen"),
    path("prescriptions/", views.prescription_list, name="prescriptions"),
    path("prescriptions/<str:rx_no>/", views.prescription_detail, name="prescription"),
    path("findings/", views.finding_list, name="findings"),
    path("imports/", views.import_list, name="imports"),
    path("imports/<int:pk>/", views.import_detail, name="import_detail"),
    path("profiles/", views.profile_list, name="profiles"),
    path("profiles/<int:pk>/", views.profile_edit, name="profile"),
    path("samples/", views.sample_list, name="samples"),
    path("samples/draw/", views.sample_draw, name="sample_draw"),
    path("samples/<int:pk>/", views.sample_detail, name="sample"),
    path("review/<int:pk>/", views.workstation, name="workstation"),
    path("review/<int:pk>/findings/<int:finding_pk>/", views.finding_review, name="finding_review"),
    path("review/<int:pk>/add/", views.finding_add, name="finding_add"),
    path("review/<int:pk>/complete/", views.item_complete, name="item_complete"),
    path("warnings/", views.warning_list, name="warnings"),
    path("warnings/<int:pk>/", views.warning_detail, name="warning"),
    path("warnings/<int:pk>/form/", views.warning_form, name="warning_form"),
    path("feedback/", views.feedback_form, name="feedback"),
    path("parameters/", views.parameter_list, name="parameters"),
]
