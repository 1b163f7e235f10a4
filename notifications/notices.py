"""The notices notifications sends itself (registered from NotificationsConfig.ready())."""

from notifications.kinds import NotificationKind

KINDS = [
    NotificationKind(
        key="announcement",
        label="Announcements",
        description="Announcements and alerts from the CBSS Secretariat.",
    ),
]
