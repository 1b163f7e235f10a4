from django.apps import AppConfig


class ThbPortalConfig(AppConfig):
    name = "thb_portal"
    verbose_name = "THB Portal"

    def ready(self):
        # Connects the audit actor's receiver at start-up, before any request's (core.audit).
        import core.audit  # noqa: F401
