from django.urls import path

from members import views

app_name = "members"

urlpatterns = [
    path("directory/", views.directory, name="directory"),
    path("directory/contact-points/", views.ncp_directory, name="ncp_directory"),
    path("profile/", views.profile, name="profile"),
    path("invitation/<str:token>/", views.accept_invitation, name="accept_invitation"),
]
