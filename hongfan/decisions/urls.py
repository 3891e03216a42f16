from django.urls import path

from hongfan.decisions import views

app_name = "decisions"

urlpatterns = [
    path("", views.meeting_list, name="meeting_list"),
    path("meetings/new/", views.meeting_create, name="meeting_create"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("meetings/<int:pk>/edit/", views.meeting_edit, name="meeting_edit"),
    path("meetings/<int:pk>/attendance/", views.meeting_attendance, name="meeting_attendance"),
    path("meetings/<int:pk>/minutes/", views.meeting_minutes, name="meeting_minutes"),
    path("meetings/<int:pk>/items/new/", views.item_create, name="item_create"),
    path("items/<int:pk>/edit/", views.item_edit, name="item_edit"),
    path("items/<int:pk>/recusal/", views.item_recusal, name="item_recusal"),
    path("items/<int:pk>/decide/", views.item_decide, name="item_decide"),
    path("items/<int:pk>/refer/", views.item_refer, name="item_refer"),
    path("items/<int:pk>/defer/", views.item_defer, name="item_defer"),
    path("resolutions/", views.resolution_list, name="resolution_list"),
    path("resolutions/<int:pk>/", views.resolution_detail, name="resolution_detail"),
    path("resolutions/<int:pk>/publish/", views.resolution_publish, name="resolution_publish"),
    path("disclosure/", views.disclosure, name="disclosure"),
    path("compliance/", views.compliance, name="compliance"),
    path("office-members/", views.office_members, name="office_members"),
]
