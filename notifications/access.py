from django.http import Http404

from core.types import AnyUser
from notifications.models import Announcement, Notification
from notifications.selectors import announcements_for


def access_notification(user: AnyUser, pk: int) -> Notification:
    """The user's own notification, or 404 (missing and not-yours look the same)."""
    if not user.is_authenticated:
        raise Http404("No such notification.")
    notification = Notification.objects.filter(pk=pk, recipient=user).first()
    if notification is None:
        raise Http404("No such notification.")
    return notification


def access_announcement(user: AnyUser, pk: int) -> Announcement:
    announcement = announcements_for(user).filter(pk=pk).first()
    if announcement is None:
        raise Http404("No such announcement.")
    return announcement
