from django.apps import AppConfig


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = "Members, organisations and users"

    def ready(self):
        from core.jobs import register_jobs
        from members.jobs import JOBS

        register_jobs(JOBS)
        # at ready(): the notice kinds name members.services (the invitation link), which needs the models
        from members.notices import KINDS as NOTICE_KINDS
        from notifications.kinds import register_kinds

        register_kinds(NOTICE_KINDS)
        from auditlog.registry import auditlog

        from members.models import AccessRequest, MemberState, Organisation, User

        auditlog.register(User, exclude_fields=["password", "last_login"], m2m_fields={"groups", "expertise"})
        auditlog.register(MemberState)
        auditlog.register(Organisation)
        # Its entries are written by members.services with the deciding person as actor
        # (also outside a request); registered so that the audit log lists the type.
        auditlog.register(AccessRequest)

        from members import receivers

        receivers.connect()
