from django.urls import path

from hongfan.party import views

app_name = "party"

urlpatterns = [
    path("", views.tree, name="tree"),
    path("organisations/new/", views.organisation_create, name="organisation_create"),
    path("organisations/<int:pk>/", views.organisation_detail, name="organisation_detail"),
    path("organisations/<int:pk>/edit/", views.organisation_edit, name="organisation_edit"),
    path("organisations/<int:pk>/committee/", views.committee_edit, name="committee_edit"),
    path("members/", views.member_list, name="member_list"),
    path("members/new/", views.member_create, name="member_create"),
    path("members/<int:pk>/", views.member_detail, name="member_detail"),
    path("members/<int:pk>/edit/", views.member_edit, name="member_edit"),
    path("members/<int:pk>/transfer/", views.member_transfer, name="member_transfer"),
    path("warnings/", views.warnings, name="warnings"),
    path("composition/", views.composition, name="composition"),
    path("dual/", views.dual_list, name="dual_list"),
    path("dual/new/", views.dual_create, name="dual_create"),
    path("dual/<int:pk>/", views.dual_edit, name="dual_edit"),
    path("links/", views.links_list, name="links_list"),
    path("links/new/", views.link_create, name="link_create"),
    path("links/<int:pk>/", views.link_detail, name="link_detail"),
]
