from django.apps import AppConfig

from core.figures import figures_depend_on


class TrainingsConfig(AppConfig):
    name = "trainings"

    def ready(self):
        # At ready(): models (and what reads them) load only once the app registry is ready.
        from auditlog.registry import auditlog

        from core.jobs import register_jobs
        from core.sections import PageSection
        from members.models import MemberState
        from notifications.kinds import register_kinds
        from projects.sections import project_page
        from trainings.jobs import JOBS
        from trainings.models import HistoricalTotal, Registration, Training, TrainingSession
        from trainings.notices import KINDS as NOTICE_KINDS
        from trainings.selectors import project_trainings

        register_jobs(JOBS)
        # notifications knows no app: each registers its notice kinds at start-up.
        register_kinds(NOTICE_KINDS)

        # Who changed a training, its sessions and the figures before the portal, whoever calls
        # the service (core.audit). Registrations hold participants' personal data, which is
        # deleted after the retention date: the append-only log must not keep a copy.
        auditlog.register(Training, m2m_fields={"trainers"})
        auditlog.register(TrainingSession)
        auditlog.register(HistoricalTotal)
        # The public facts and figures (trainings/facts.py) read these; a state's name labels its bar.
        figures_depend_on(Training, Registration, HistoricalTotal, MemberState)
        # A project's page lists its trainings, below its publications; projects cannot read them.
        project_page.register(
            PageSection(
                name="trainings",
                order=20,
                template="trainings/_project_trainings.html",
                context=lambda user, project: {"trainings": project_trainings(project=project)},
            )
        )
