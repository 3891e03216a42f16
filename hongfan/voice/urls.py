from django.urls import path

from hongfan.voice import views

app_name = "voice"

urlpatterns = [
    path("", views.index, name="index"),
    # Hotline and complaints
    path("contacts/", views.contact_list, name="contacts"),
    path("contacts/new/", views.contact_create, name="contact_create"),
    path("contacts/<int:pk>/", views.contact_detail, name="contact_detail"),
    path("contacts/<int:pk>/involved/", views.contact_involve, name="contact_involve"),
    path("stats/", views.stats, name="stats"),
    # Surveys
    path("surveys/", views.survey_list, name="surveys"),
    path("surveys/new/", views.survey_create, name="survey_create"),
    path("surveys/<int:pk>/", views.survey_detail, name="survey_detail"),
    path("surveys/<int:pk>/questions/", views.question_add, name="question_add"),
    path(
        "surveys/<int:pk>/questions/<int:question_pk>/delete/",
        views.question_delete,
        name="question_delete",
    ),
    path("surveys/<int:pk>/status/", views.survey_status, name="survey_status"),
    path("surveys/<int:pk>/posters/", views.poster_add, name="poster_add"),
    path("surveys/<int:pk>/lists/new/", views.contact_list_add, name="contact_list_add"),
    path("posters/<int:pk>/", views.poster_print, name="poster_print"),
    path("lists/<int:pk>/", views.contact_list_links, name="contact_list_links"),
    path("scores/", views.scores, name="scores"),
    # Discharge follow-up
    path("discharges/", views.discharge_list, name="discharges"),
    path("samples/", views.sample_list, name="samples"),
    path("followups/", views.workstation, name="workstation"),
    path("followups/<int:pk>/", views.followup_detail, name="followup"),
    path("followups/<int:pk>/dial/", views.followup_dial, name="followup_dial"),
    # Reception days
    path("receptions/", views.reception_list, name="receptions"),
    path("receptions/new/", views.reception_create, name="reception_create"),
    path("receptions/<int:pk>/", views.reception_detail, name="reception_detail"),
    # Wish tree
    path("wishes/", views.wish_list, name="wishes"),
    path("wishes/new/", views.wish_create, name="wish_create"),
    path("wishes/<int:pk>/", views.wish_detail, name="wish_detail"),
    # Patients' phone pages (no login)
    path("p/complaint/", views.public_complaint, name="public_complaint"),
    path("p/query/", views.public_query, name="public_query"),
    path("p/s/<str:code>/", views.public_survey, name="public_survey"),
    path("p/i/<str:token>/", views.public_invite, name="public_invite"),
    path("p/wish/", views.public_wish, name="public_wish"),
    path("p/wall/", views.wish_wall, name="wish_wall"),
]
