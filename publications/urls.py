from django.urls import path

from publications import feeds, views

app_name = "publications"

urlpatterns = [
    path("library/", views.library, name="library"),
    path("library/feed/rss/", feeds.NewPublicationsFeed(), name="feed_rss"),
    path("library/feed/atom/", feeds.NewPublicationsAtomFeed(), name="feed_atom"),
    path("library/<slug:slug>/", views.publication_detail, name="detail"),
    path("library/<slug:slug>/cover/", views.publication_cover, name="cover"),
    path("library/<slug:slug>/download/<str:language>/", views.publication_download, name="download"),
    path(
        "library/<slug:slug>/download/<str:language>/count/",
        views.publication_download_counted,
        name="download_counted",
    ),
    path("mandates/", views.mandates, name="mandates"),
]
