from django.urls import path

from hongfan.equipment import views

app_name = "equipment"

urlpatterns = [
    path("", views.device_list, name="list"),
    path("new/", views.device_create, name="create"),
    path("schedule/", views.schedule, name="schedule"),
    path("events/", views.event_list, name="events"),
    path("benefit/", views.benefit, name="benefit"),
    path("<int:pk>/", views.device_detail, name="detail"),
    path("<int:pk>/edit/", views.device_edit, name="edit"),
    path("<int:pk>/maintenance/", views.maintenance_add, name="maintenance_add"),
    path("<int:pk>/checks/", views.check_add, name="check_add"),
    path("<int:pk>/events/", views.event_add, name="event_add"),
    path("<int:pk>/events/<int:event_pk>/status/", views.event_status, name="event_status"),
    path("<int:pk>/revenue/", views.revenue_add, name="revenue_add"),
    path("<int:pk>/scrap/", views.device_scrap, name="scrap"),
]
