from django.urls import path

from cases import statistics_views, views

app_name = "cases"

urlpatterns = [
    path("", views.case_list, name="list"),
    path("new/", views.case_create, name="create"),
    path("statistics/", statistics_views.statistics, name="statistics"),
    path("statistics/export.csv", statistics_views.statistics_export, name="statistics_export"),
    path("<int:pk>/", views.case_detail, name="detail"),
    path("<int:pk>/edit/", views.case_edit, name="edit"),
    path("<int:pk>/stage/", views.case_move_stage, name="move_stage"),
    path("<int:pk>/reopen/", views.case_reopen, name="reopen"),
    path("<int:pk>/identity/", views.identity_edit, name="identity_edit"),
    path("<int:pk>/identity/reveal/", views.identity_reveal, name="identity_reveal"),
    path("<int:pk>/records/<slug:kind>/new/", views.record_add, name="record_add"),
    path("<int:pk>/consents/<int:consent_pk>/withdraw/", views.consent_withdraw, name="consent_withdraw"),
    path("<int:pk>/follow-ups/<int:follow_up_pk>/done/", views.follow_up_done, name="follow_up_done"),
    path("<int:pk>/documents/new/", views.document_upload, name="document_upload"),
    path("<int:pk>/documents/<int:document_pk>/", views.document_download, name="document_download"),
    path("<int:pk>/audit/", views.case_audit, name="audit"),
]
