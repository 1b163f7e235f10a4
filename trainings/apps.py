from django.apps import AppConfig


class TrainingsConfig(AppConfig):
    name = "trainings"

    def ready(self):
        from core.jobs import register_jobs
        from trainings.jobs import JOBS

        register_jobs(JOBS)
        from auditlog.registry import auditlog

        from trainings.models import HistoricalTotal, Training, TrainingSession

        # Who changed a training, its sessions and the figures before the portal, whoever calls
        # the service (core.audit). Registrations hold participants' personal data, which is
        # deleted after the retention date: the append-only log must not keep a copy.
        auditlog.register(Training, m2m_fields={"trainers"})
        auditlog.register(TrainingSession)
        auditlog.register(HistoricalTotal)
