from django.apps import AppConfig

from core.figures import count_publicly, figures_depend_on


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = "Projects"

    def ready(self):
        # At ready(): models load only once the app registry is ready.
        from auditlog.registry import auditlog

        from projects.models import Project

        auditlog.register(Project, m2m_fields={"partner_organisations", "partner_states"})
        # The public facts and figures say how many public projects there are.
        figures_depend_on(Project)
        count_publicly("projects", lambda: Project.objects.public().count())
