from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "notifications"

    def ready(self):
        from core.jobs import register_jobs
        from notifications.jobs import JOBS

        register_jobs(JOBS)
