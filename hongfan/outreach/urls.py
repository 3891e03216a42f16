from django.urls import path

from hongfan.outreach import views

app_name = "outreach"

urlpatterns = [
    path("", views.activity_list, name="activity_list"),
    path("activities/new/", views.activity_create, name="activity_create"),
    path("activities/<int:pk>/", views.activity_detail, name="activity_detail"),
    path("activities/<int:pk>/edit/", views.activity_edit, name="activity_edit"),
    path("activities/<int:pk>/delete/", views.activity_delete, name="activity_delete"),
    path(
        "activities/<int:pk>/photos/<int:photo_pk>/",
        views.activity_photo,
        name="activity_photo",
    ),
    path(
        "activities/<int:pk>/photos/<int:photo_pk>/delete/",
        views.activity_photo_delete,
        name="activity_photo_delete",
    ),
    path("totals/", views.totals, name="totals"),
    path("desk/", views.desk_roster, name="desk_roster"),
    path("desk/shifts/", views.shift_add, name="shift_add"),
    path("desk/shifts/<int:pk>/delete/", views.shift_remove, name="shift_remove"),
    path("honours/", views.honour_list, name="honour_list"),
    path("honours/new/", views.honour_create, name="honour_create"),
    path("honours/<int:pk>/edit/", views.honour_edit, name="honour_edit"),
    path("honours/<int:pk>/revoke/", views.honour_revoke, name="honour_revoke"),
    path("honours/<int:pk>/evidence/", views.honour_evidence, name="honour_evidence"),
    path("mobilisation/", views.call_list, name="call_list"),
    path("mobilisation/new/", views.call_create, name="call_create"),
    path("mobilisation/<int:pk>/", views.call_detail, name="call_detail"),
    path("mobilisation/<int:pk>/sign/", views.call_sign, name="call_sign"),
    path("mobilisation/<int:pk>/close/", views.call_close, name="call_close"),
    path("mobilisation/<int:pk>/teams/", views.team_create, name="team_create"),
    path("mobilisation/<int:pk>/deployments/", views.deployment_create, name="deployment_create"),
    path(
        "mobilisation/<int:pk>/deployments/<int:deployment_pk>/end/",
        views.deployment_end,
        name="deployment_end",
    ),
    path(
        "mobilisation/<int:pk>/temporary-branch/",
        views.temporary_branch_create,
        name="temporary_branch_create",
    ),
]
