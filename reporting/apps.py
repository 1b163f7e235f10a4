from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "reporting"

    def ready(self):
        # At ready(): models (and what reads them) load only once the app registry is ready.
        from auditlog.registry import auditlog

        from core.jobs import register_jobs
        from notifications.kinds import register_kinds
        from reporting.jobs import JOBS
        from reporting.models import DataCall, Return
        from reporting.notices import KINDS

        register_jobs(JOBS)
        register_kinds(KINDS)
        # Who opened a call and who moved a return; each value's history is ValueRevision,
        # each move a ReturnEvent, shown on the return's page.
        auditlog.register(DataCall)
        auditlog.register(Return)
