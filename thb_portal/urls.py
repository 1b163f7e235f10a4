from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from health_check.views import HealthCheckView

from thb_portal import views
from thb_portal.health import HEALTH_CHECKS
from thb_portal.sitemaps import SITEMAPS

# The admin login goes through allauth, so it passes the MFA stage like any other login.
admin.site.login = secure_admin_login(admin.site.login)  # type: ignore[method-assign]  # allauth's documented way
admin.site.site_header = "THB Portal administration"
admin.site.site_title = "THB Portal admin"
admin.site.index_title = "Secretariat"

handler403 = "thb_portal.views.permission_denied"
handler404 = "thb_portal.views.page_not_found"
handler500 = "thb_portal.views.server_error"

urlpatterns = [
    path("", views.home, name="home"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("health/", HealthCheckView.as_view(checks=HEALTH_CHECKS), name="health"),
    path("accounts/", include("allauth.urls")),
    path("members/", include("members.urls")),
    path("notifications/", include("notifications.urls")),
    path("cases/", include("cases.urls")),
    path("referrals/", include("referrals.urls")),
    path("", include("publications.urls")),
    path("projects/", include("projects.urls")),
    path("trainings/", include("trainings.urls")),
    path("meetings/", include("meetings.urls")),
    path("consultations/", include("consultations.urls")),
    path("discussions/", include("discussions.urls")),
    path("reporting/", include("reporting.urls")),
    path("countries/", include("reporting.country_urls")),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("admin/", admin.site.urls),
]
