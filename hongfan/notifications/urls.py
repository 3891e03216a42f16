from django.urls import path

from hongfan.notifications import views

app_name = "notifications"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("<int:pk>/read/", views.read, name="read"),
    path("badge/", views.badge, name="badge"),
    path("preferences/", views.preferences, name="preferences"),
]
