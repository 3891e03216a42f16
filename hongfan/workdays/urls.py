from django.urls import path

from hongfan.workdays import views

app_name = "workdays"

urlpatterns = [
    path("", views.year_view, name="year"),
    path("calculator/", views.calculator, name="calculator"),
    path("days/", views.day_list, name="day_list"),
    path("days/new/", views.day_create, name="day_create"),
    path("days/<int:pk>/edit/", views.day_edit, name="day_edit"),
    path("days/<int:pk>/delete/", views.day_delete, name="day_delete"),
    path("years/<int:year>/mark/", views.year_mark, name="year_mark"),
]
