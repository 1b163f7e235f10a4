from django.urls import path

from referrals import views

app_name = "referrals"

urlpatterns = [
    path("inbox/", views.inbox, name="inbox"),
    path("outbox/", views.outbox, name="outbox"),
    path("statistics/", views.statistics, name="statistics"),
    path("new/<int:case_pk>/", views.referral_create, name="create"),
    path("<int:pk>/", views.referral_detail, name="detail"),
    path("<int:pk>/edit/", views.referral_edit, name="edit"),
    path("<int:pk>/delete/", views.referral_delete, name="delete"),
    path("<int:pk>/notices-read/", views.notices_read, name="notices_read"),
    path("<int:pk>/print/", views.referral_print, name="print"),
    path("<int:pk>/identity/reveal/", views.identity_reveal, name="identity_reveal"),
    path("<int:pk>/actions/<slug:action>/", views.referral_action, name="action"),
    path("<int:pk>/messages/", views.message_post, name="message_post"),
    path("<int:pk>/documents/<int:document_pk>/", views.document_download, name="document_download"),
]
