from django.apps import AppConfig


class ThbPortalConfig(AppConfig):
    name = "thb_portal"
    verbose_name = "THB Portal"
