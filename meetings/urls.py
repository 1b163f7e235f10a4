from django.urls import path

from meetings import views

app_name = "meetings"

urlpatterns = [
    path("", views.meeting_list, name="list"),
    path("new/", views.meeting_create, name="create"),
    path("<int:pk>/", views.meeting_detail, name="detail"),
    path("<int:pk>/edit/", views.meeting_edit, name="edit"),
    path("<int:pk>/steps/<slug:step>/", views.meeting_step, name="step"),
    path("<int:pk>/propose/", views.item_propose, name="propose"),
    path("<int:pk>/items/<int:item_pk>/", views.item_detail, name="item"),
    path("<int:pk>/items/<int:item_pk>/decide/", views.item_decide, name="item_decide"),
    path("<int:pk>/items/<int:item_pk>/move/", views.item_move, name="item_move"),
    path("<int:pk>/papers/new/", views.paper_add, name="paper_add"),
    path("<int:pk>/papers/<int:paper_pk>/", views.paper_download, name="paper_download"),
    path("<int:pk>/registration/", views.registration, name="registration"),
    path("<int:pk>/delegations/", views.delegations, name="delegations"),
    path("<int:pk>/attendance/", views.attendance, name="attendance"),
]
