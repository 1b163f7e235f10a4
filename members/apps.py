from django.apps import AppConfig

from core.jobs import register_jobs
from members.jobs import JOBS
from notifications.kinds import register_kinds


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = "Members, organisations and users"

    def ready(self) -> None:
        register_jobs(JOBS)
        # at ready(): the notice kinds name members.services (the invitation link), which needs the models
        from members.notices import KINDS as NOTICE_KINDS

        register_kinds(NOTICE_KINDS)
        # at ready(): auditlog's registry and the models load only once the app registry is ready
        from auditlog.registry import auditlog

        from members.models import AccessRequest, MemberState, Organisation, User

        auditlog.register(User, exclude_fields=["password", "last_login"], m2m_fields={"groups", "expertise"})
        auditlog.register(MemberState)
        auditlog.register(Organisation)
        # Its entries are written by members.services with the deciding person as actor
        # (also outside a request); registered so that the audit log lists the type.
        auditlog.register(AccessRequest)
        # at ready(): the receivers call members.services, which needs the models
        from members import receivers

        receivers.connect()
