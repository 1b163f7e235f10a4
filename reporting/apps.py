from django.apps import AppConfig
from django.db.models.signals import post_migrate


def publish_after_migrate(sender, using="default", **kwargs):
    """After every migrate (a deploy): the first publications of figures validated before
    they were kept, and a change of k, recorded (reporting.published.refresh)."""
    from django.db import connections

    # At migrate's end only: the models are loaded and the tables exist (unless migrated back).
    from reporting.models import Publication
    from reporting.published import refresh

    if using != "default" or Publication._meta.db_table not in connections[using].introspection.table_names():
        return
    refresh()


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
        post_migrate.connect(publish_after_migrate, sender=self, dispatch_uid="reporting-publish-after-migrate")
