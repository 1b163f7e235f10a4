from django.urls import path

from consultations import views

app_name = "consultations"

urlpatterns = [
    path("", views.consultation_list, name="list"),
    path("new/", views.consultation_create, name="create"),
    path("<int:pk>/", views.consultation_detail, name="detail"),
    path("<int:pk>/document/", views.document_download, name="document"),
    path("<int:pk>/answer/", views.answer, name="answer"),
    path("<int:pk>/answers/<int:answer_pk>/reply/", views.answer_reply, name="reply"),
    path("<int:pk>/new-round/", views.new_round, name="new_round"),
]
