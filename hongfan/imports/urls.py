from django.urls import path

from hongfan.imports import views

app_name = "imports"

urlpatterns = [
    path("", views.index, name="index"),
    path("runs/", views.run_list, name="run_list"),
    path("runs/<int:pk>/", views.run_detail, name="run_detail"),
    path("runs/<int:pk>/apply/", views.run_apply, name="run_apply"),
    path("runs/<int:pk>/cancel/", views.run_cancel, name="run_cancel"),
    path("<slug:kind>/upload/", views.upload, name="upload"),
    path("<slug:kind>/template.xlsx", views.template, name="template"),
]
