from django.urls import path

from hongfan.budget import views

app_name = "budget"

urlpatterns = [
    path("", views.line_list, name="list"),
    path("new/", views.line_create, name="create"),
    path("<int:pk>/", views.line_detail, name="detail"),
    path("<int:pk>/edit/", views.line_edit, name="edit"),
    path("<int:pk>/submit/", views.line_submit, name="submit"),
    path("<int:pk>/review/", views.line_review, name="review"),
    path("<int:pk>/approve/", views.line_approve, name="approve"),
    path("<int:pk>/return/", views.line_return, name="return"),
    path("<int:pk>/adjust/", views.line_adjust, name="adjust"),
    path("adjustments/", views.adjustment_list, name="adjustments"),
    path("adjustments/<int:pk>/approve/", views.adjustment_approve, name="adjustment_approve"),
    path("adjustments/<int:pk>/reject/", views.adjustment_reject, name="adjustment_reject"),
    path("analysis/", views.analysis, name="analysis"),
    path("assessment/", views.assessment, name="assessment"),
    path("performance/", views.performance, name="performance"),
]
