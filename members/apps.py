from django.apps import AppConfig


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = "Members, organisations and users"

    def ready(self):
        from auditlog.registry import auditlog

        from members.models import MemberState, Organisation, User

        auditlog.register(User, exclude_fields=["password", "last_login"], m2m_fields={"groups", "expertise"})
        auditlog.register(MemberState)
        auditlog.register(Organisation)

        from members import receivers

        receivers.connect()
