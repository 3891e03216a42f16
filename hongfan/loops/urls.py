from django.urls import path

from hongfan.loops import views

app_name = "loops"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("new/", views.create, name="create"),
    path("board/", views.board, name="board"),
    path("stats/", views.stats, name="stats"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/transition/", views.transition, name="transition"),
    path("<int:pk>/evidence/", views.evidence, name="evidence"),
    path("<int:pk>/comments/", views.comment, name="comment"),
]
