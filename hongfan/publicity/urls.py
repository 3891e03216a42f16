from django.urls import path

from hongfan.publicity import views

app_name = "publicity"

urlpatterns = [
    path("", views.story_list, name="story_list"),
    path("stories/new/", views.story_create, name="story_create"),
    path("stories/<int:pk>/", views.story_detail, name="story_detail"),
    path("stories/<int:pk>/edit/", views.story_edit, name="story_edit"),
    path("stories/<int:pk>/submit/", views.story_submit, name="story_submit"),
    path("stories/<int:pk>/withdraw/", views.story_withdraw, name="story_withdraw"),
    path("stories/<int:pk>/review/", views.story_review, name="story_review"),
    path("stories/<int:pk>/matches/<int:match_pk>/", views.match_resolve, name="match_resolve"),
    path("stories/<int:pk>/versions/<int:number>/", views.story_version, name="story_version"),
    path("stories/<int:pk>/plan/", views.story_plan, name="story_plan"),
    path("queue/", views.queue, name="queue"),
    path("calendar/", views.publishing_calendar, name="calendar"),
    path("publications/<int:pk>/", views.publication_record, name="publication_record"),
    path("publications/<int:pk>/publish/", views.publication_publish, name="publication_publish"),
    path("publications/<int:pk>/remove/", views.publication_remove, name="publication_remove"),
    path("platforms/", views.platform_list, name="platform_list"),
    path("platforms/new/", views.platform_edit, name="platform_create"),
    path("platforms/<int:pk>/", views.platform_edit, name="platform_edit"),
    path("platforms/<int:pk>/package/", views.platform_package, name="platform_package"),
    path("correspondents/", views.correspondent_list, name="correspondent_list"),
    path("correspondents/new/", views.correspondent_edit, name="correspondent_create"),
    path("correspondents/<int:pk>/", views.correspondent_edit, name="correspondent_edit"),
    path("reviewers/", views.reviewer_list, name="reviewer_list"),
    path("reviewers/<int:pk>/remove/", views.reviewer_remove, name="reviewer_remove"),
    path("words/", views.word_list, name="word_list"),
    path("words/<int:pk>/toggle/", views.word_toggle, name="word_toggle"),
    path("media/", views.media_list, name="media_list"),
    path("media/new/", views.media_create, name="media_create"),
    path("media/<int:pk>/", views.media_detail, name="media_detail"),
    path("media/<int:pk>/file/", views.media_file, name="media_file"),
    path("activities/", views.activity_list, name="activity_list"),
    path("activities/new/", views.activity_create, name="activity_create"),
    path("activities/<int:pk>/", views.activity_detail, name="activity_detail"),
    path("activities/<int:pk>/edit/", views.activity_edit, name="activity_edit"),
    path("statistics/", views.stats, name="stats"),
]
