from django.urls import path

from members import views

app_name = "members"

urlpatterns = [
    path("directory/", views.directory, name="directory"),
    path("directory/contact-points/", views.ncp_directory, name="ncp_directory"),
    path("profile/", views.profile, name="profile"),
    path("invitation/<str:token>/", views.accept_invitation, name="accept_invitation"),
    path("access-requests/", views.access_request_list, name="access_requests"),
    path("access-requests/<int:pk>/", views.access_request_detail, name="access_request_detail"),
    path("access-requests/<int:pk>/confirm/", views.access_request_confirm, name="access_request_confirm"),
    path("access-requests/<int:pk>/decline/", views.access_request_decline, name="access_request_decline"),
    path("access-requests/<int:pk>/cancel/", views.access_request_cancel, name="access_request_cancel"),
]
