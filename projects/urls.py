from django.urls import path

from projects import views

app_name = "projects"

urlpatterns = [
    path("", views.ongoing, name="ongoing"),
    path("psf/", views.psf, name="psf"),
    path("all/", views.all_projects, name="all"),
    path("<slug:slug>/", views.project_detail, name="detail"),
]
