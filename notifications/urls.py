from django.urls import path

from notifications import views

app_name = "notifications"

urlpatterns = [
    path("", views.notification_list, name="list"),
    path("<int:pk>/open/", views.notification_open, name="open"),
    path("<int:pk>/read/", views.notification_mark_read, name="mark_read"),
    path("read-all/", views.notifications_mark_all_read, name="mark_all_read"),
    path("badge/", views.unread_badge, name="badge"),
    path("preferences/", views.preferences, name="preferences"),
    path("announcements/<int:pk>/", views.announcement_detail, name="announcement"),
]
