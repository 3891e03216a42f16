from django.urls import path

from hongfan.development import views

app_name = "development"

urlpatterns = [
    path("", views.candidate_list, name="candidate_list"),
    path("new/", views.candidate_create, name="candidate_create"),
    path("<int:pk>/", views.candidate_detail, name="candidate_detail"),
    path("<int:pk>/steps/", views.step_record, name="step_record"),
    path("<int:pk>/extend/", views.candidate_extend, name="candidate_extend"),
    path("<int:pk>/file.docx", views.candidate_docx_view, name="candidate_docx"),
]
