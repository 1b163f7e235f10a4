from django.urls import path

from trainings import views

app_name = "trainings"

urlpatterns = [
    path("", views.training_list, name="list"),
    path("<int:pk>/", views.training_detail, name="detail"),
    path("<int:pk>/settings/", views.training_settings, name="settings"),
    path("<int:pk>/sessions/add/", views.session_add, name="session_add"),
    path("<int:pk>/sessions/<int:session_pk>/remove/", views.session_remove, name="session_remove"),
    path("<int:pk>/register/", views.register, name="register"),
    path("<int:pk>/import/", views.import_upload, name="import"),
    path("<int:pk>/import/confirm/", views.import_confirm, name="import_confirm"),
    path("<int:pk>/attendance/", views.attendance, name="attendance"),
    path(
        "<int:pk>/attendance/<int:registration_pk>/<int:session_pk>/",
        views.attendance_toggle,
        name="attendance_toggle",
    ),
    path("<int:pk>/participants/<int:registration_pk>/status/", views.registration_move, name="move"),
    path("<int:pk>/participants/<int:registration_pk>/certificate.pdf", views.certificate, name="certificate"),
    path("<int:pk>/certificates.pdf", views.certificates, name="certificates"),
    path("<int:pk>/export.csv", views.export_csv, name="export_csv"),
    path("<int:pk>/export.xlsx", views.export_xlsx, name="export_xlsx"),
    path("<int:pk>/complete/", views.complete, name="complete"),
    path("facts-and-figures/", views.facts_and_figures, name="facts"),
]
