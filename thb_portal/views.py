from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from members.models import Role, User
from members.selectors import ncp_directory_list
from notifications.models import Delivery, DeliveryStatus
from notifications.selectors import current_announcements_for


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "home.html")


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    user: User = request.user
    context = {
        "role_label": Role(user.role).label if user.role else "Administrator",
        "announcements": current_announcements_for(user),
    }
    if user.member_state_id:
        # A state's experts see their own contact points first.
        context["own_contact_points"] = ncp_directory_list(user=user).filter(member_state=user.member_state)[:5]
    if user.is_staff:
        context["pending_invitations"] = User.objects.active().invitation_pending().count()
        context["failed_deliveries"] = Delivery.objects.filter(status=DeliveryStatus.FAILED).count()
    return render(request, "dashboard.html", context)


def permission_denied(request: HttpRequest, exception=None) -> HttpResponse:
    return render(request, "403.html", status=403)


def page_not_found(request: HttpRequest, exception=None) -> HttpResponse:
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    # No context processors: whatever failed may be what they need.
    from django.template import loader

    return HttpResponse(loader.get_template("500.html").render(), status=500)
