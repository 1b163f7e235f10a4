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
    path("<int:pk>/minutes/", views.minutes, name="minutes"),
    path("<int:pk>/minutes/v<int:number>/", views.minutes_version, name="minutes_version"),
    path("<int:pk>/minutes/edit/", views.minutes_edit, name="minutes_edit"),
    path("<int:pk>/minutes/circulate/", views.minutes_circulate, name="minutes_circulate"),
    path("<int:pk>/decisions/new/", views.decision_add, name="decision_add"),
    path("<int:pk>/actions/new/", views.action_add, name="action_add"),
    path("<int:pk>/actions/<int:action_pk>/", views.action_update, name="action_update"),
    path("actions/", views.action_list, name="actions"),
    path("calendar/", views.calendar, name="calendar"),
    path("calendar/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
]
