from django.apps import AppConfig


class ConsultationsConfig(AppConfig):
    name = "consultations"

    def ready(self):
        # At ready(): models (and what reads them) load only once the app registry is ready.
        from auditlog.registry import auditlog

        from consultations.jobs import JOBS
        from consultations.models import Answer, Consultation
        from consultations.notices import KINDS
        from core.jobs import register_jobs
        from notifications.kinds import register_kinds

        register_jobs(JOBS)
        register_kinds(KINDS)
        # Who opened, answered and replied, whoever calls the service (core.audit); the
        # answers' own history is AnswerRevision, shown on the page.
        auditlog.register(Consultation)
        auditlog.register(Answer)
