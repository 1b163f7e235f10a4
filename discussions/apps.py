from django.apps import AppConfig


class DiscussionsConfig(AppConfig):
    name = "discussions"

    def ready(self):
        # At ready(): models (and what reads them) load only once the app registry is ready.
        from auditlog.registry import auditlog

        from discussions.models import Post, Thread, Topic
        from discussions.notices import KINDS
        from notifications.kinds import register_kinds

        register_kinds(KINDS)
        # Who posted, edited and hid what, and the text before an edit (core.audit: the
        # service's `by`); follows and read marks are the members' own and not audited.
        auditlog.register(Topic)
        auditlog.register(Thread)
        auditlog.register(Post)
