from django.urls import path

from reporting import views

app_name = "reporting"

urlpatterns = [
    path("", views.index, name="index"),
    path("calls/new/", views.call_create, name="call_create"),
    path("calls/<int:pk>/", views.call_detail, name="call"),
    path("calls/<int:pk>/close/", views.call_close, name="call_close"),
    path("returns/<int:pk>/", views.return_detail, name="return"),
    path("returns/<int:pk>/step/<str:step>/", views.return_step, name="return_step"),
    path("returns/<int:pk>/export/", views.return_export, name="return_export"),
    path("returns/<int:pk>/import/", views.return_import, name="return_import"),
    path("returns/<int:pk>/comments/", views.return_comment, name="return_comment"),
    path("returns/<int:pk>/files/", views.return_file_upload, name="return_file_upload"),
    path("returns/<int:pk>/files/<int:file_pk>/", views.return_file, name="return_file"),
    path("indicators/", views.indicators, name="indicators"),
    path("figures/", views.secretariat_figures, name="figures"),
    path("figures/table.csv", views.figures_csv, name="figures_csv"),
    path("figures/round-up.xlsx", views.roundup_workbook, name="roundup"),
    path("region/", views.region, name="region"),
]
