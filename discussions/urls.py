from django.urls import path

from discussions import views

app_name = "discussions"

urlpatterns = [
    path("", views.topic_list, name="list"),
    path("topics/new/", views.topic_create, name="topic_create"),
    path("topics/<int:pk>/", views.topic_detail, name="topic"),
    path("topics/<int:pk>/follow/", views.topic_follow, name="topic_follow"),
    path("topics/<int:pk>/new/", views.thread_start, name="thread_start"),
    path("threads/<int:pk>/", views.thread_detail, name="thread"),
    path("threads/<int:pk>/follow/", views.thread_follow, name="thread_follow"),
    path("threads/<int:pk>/read/", views.thread_read, name="thread_read"),
    path("threads/<int:pk>/reply/", views.reply, name="reply"),
    path("posts/<int:pk>/", views.post_link, name="post"),
    path("posts/<int:pk>/edit/", views.post_edit, name="post_edit"),
    path("posts/<int:pk>/hide/", views.post_hide, name="post_hide"),
    path("posts/<int:pk>/files/<int:attachment_pk>/", views.attachment_download, name="attachment"),
]
