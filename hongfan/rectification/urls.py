from django.urls import path

from hongfan.rectification import views

app_name = "rectification"

urlpatterns = [
    path("", views.inspection_list, name="list"),
    path("new/", views.inspection_create, name="create"),
    path("ledger/", views.ledger, name="ledger"),
    path("board/", views.board, name="board"),
    path("<int:pk>/", views.inspection_detail, name="detail"),
    path("<int:pk>/problems/", views.problem_add, name="problem_add"),
    path("problems/<int:pk>/tasks/new/", views.task_add, name="task_add"),
]
