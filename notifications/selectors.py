from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, Q

from core.types import AnyUser
from notifications.models import Announcement, AnnouncementQuerySet, Notification, NotificationQuerySet

# An anonymous visitor has no notices and is in no announcement's audience: the pages
# that show them require signing in, and these answer nothing rather than fail.


def notification_list(*, user: AnyUser) -> NotificationQuerySet:
    if not user.is_authenticated:
        return Notification.objects.none()
    return Notification.objects.for_user(user).select_related("actor").order_by("-created_at", "-pk")


def unread_count(*, user: AnyUser) -> int:
    if not user.is_authenticated:
        return 0
    return Notification.objects.for_user(user).unread().count()


def has_unread_about(*, user: AnyUser, target: Model) -> bool:
    """Whether the user has unread notices about this object (its page then marks them read)."""
    if not user.is_authenticated:
        return False
    target_type = ContentType.objects.get_for_model(target)
    return Notification.objects.for_user(user).unread().filter(target_type=target_type, target_id=target.pk).exists()


def announcements_for(user: AnyUser) -> AnnouncementQuerySet:
    """Published announcements whose audience includes the user (all of them for the secretariat)."""
    if not user.is_authenticated:
        return Announcement.objects.none()
    announcements = Announcement.objects.published()
    if user.is_staff:
        return announcements
    audience = Q(audience_all=True) | (
        (Q(audience_states__isnull=True) | Q(audience_states=user.member_state_id))
        & (Q(audience_roles__isnull=True) | Q(audience_roles__name=user.role))
        & (Q(audience_states__isnull=False) | Q(audience_roles__isnull=False))
    )
    # The audience test joins the M2M tables; select the matching ids, then the rows once each.
    matching = announcements.filter(audience).values("pk")
    return Announcement.objects.filter(pk__in=matching)


def current_announcements_for(user: AnyUser, limit: int = 5) -> list[Announcement]:
    return list(announcements_for(user).current().order_by("-published_at")[:limit])
