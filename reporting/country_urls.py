from django.urls import path

from reporting import country_views

app_name = "countries"

urlpatterns = [
    path("", country_views.country_list, name="list"),
    path("<str:code>/", country_views.country_detail, name="detail"),
    path("<str:code>/edit/", country_views.country_edit, name="edit"),
    path("<str:code>/confirm/", country_views.country_confirm, name="confirm"),
]
