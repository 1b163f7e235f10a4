from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "meetings"

    def ready(self):
        # At ready(): models (and what reads them) load only once the app registry is ready.
        from auditlog.registry import auditlog

        from core.jobs import register_jobs
        from meetings.jobs import JOBS
        from meetings.models import AgendaItem, Attendee, Delegation, Meeting, Paper
        from meetings.notices import KINDS
        from notifications.kinds import register_kinds

        register_jobs(JOBS)
        register_kinds(KINDS)
        # Who planned, changed, decided and registered what, whoever calls the service (core.audit).
        for model in (Meeting, AgendaItem, Paper, Delegation, Attendee):
            auditlog.register(model)
