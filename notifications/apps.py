from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "notifications"

    def ready(self):
        # at ready(): the job registry and the kinds' registry are filled once the apps are loaded
        from core.jobs import register_jobs
        from notifications.jobs import JOBS
        from notifications.kinds import register_kinds
        from notifications.notices import KINDS as NOTICE_KINDS

        register_jobs(JOBS)
        register_kinds(NOTICE_KINDS)
