from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = "Projects"

    def ready(self):
        from auditlog.registry import auditlog

        from projects.models import Project

        auditlog.register(Project, m2m_fields={"partner_organisations", "partner_states"})
