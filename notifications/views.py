from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from core.forms import form_data, form_status
from core.pagination import paginate
from core.types import AuthenticatedRequest
from notifications import selectors, services
from notifications.access import access_announcement, access_notification
from notifications.forms import PreferencesForm
from notifications.models import Notification, NotificationPreference


@login_required
def notification_list(request: AuthenticatedRequest) -> HttpResponse:
    page = paginate(request, selectors.notification_list(user=request.user))
    return render(request, "notifications/list.html", {"page": page})


def _destination(notification: Notification) -> str:
    # Only a path on this site: a stored link must never send anyone elsewhere.
    if notification.link and url_has_allowed_host_and_scheme(notification.link, allowed_hosts=None):
        return notification.link
    return reverse("notifications:list")


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def notification_open(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Open a notice: a POST (the notice list's button) marks it read and goes on to its page.

    A GET (the link in the notice's email) writes nothing. An unread notice gets a page that
    makes that POST once loaded (htmx; a button without JavaScript), so that the person still
    lands on the page and the notice is read; a notice already read goes straight on.
    """
    notification = access_notification(request.user, pk)
    destination = _destination(notification)
    if request.method == "POST":
        services.notification_mark_read(notification=notification)
        if request.htmx:
            return HttpResponse(status=204, headers={"HX-Redirect": destination})
        return HttpResponseRedirect(destination, status=303)
    if notification.read_at is not None:
        return redirect(destination)
    return render(request, "notifications/open.html", {"notification": notification})


@login_required
@require_POST
def notification_mark_read(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    notification = access_notification(request.user, pk)
    services.notification_mark_read(notification=notification)
    if request.htmx:
        return render(request, "notifications/list.html#notification", {"notification": notification})
    return redirect("notifications:list")


@login_required
@require_POST
def notifications_mark_all_read(request: AuthenticatedRequest) -> HttpResponse:
    count = services.notifications_mark_all_read(user=request.user)
    messages.success(request, f"Marked {count} notification{'s' if count != 1 else ''} as read.")
    return redirect("notifications:list")


@login_required
def unread_badge(request: AuthenticatedRequest) -> HttpResponse:
    return render(request, "notifications/_badge.html", {"unread_count": selectors.unread_count(user=request.user)})


@login_required
def preferences(request: AuthenticatedRequest) -> HttpResponse:
    current = dict(NotificationPreference.objects.filter(user=request.user).values_list("kind", "email"))
    form = PreferencesForm(*form_data(request), user=request.user, current=current)
    if request.method == "POST" and form.is_valid():
        for kind, email in form.preferences().items():
            services.preference_set(user=request.user, kind=kind, email=email)
        messages.success(request, "Your notification preferences were saved.")
        return redirect("notifications:preferences")
    status = form_status(form)
    return render(request, "notifications/preferences.html", {"form": form}, status=status)


@login_required
def announcement_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    announcement = access_announcement(request.user, pk)
    return render(request, "notifications/announcement.html", {"announcement": announcement})
