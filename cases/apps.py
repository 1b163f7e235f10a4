from django.apps import AppConfig

from cases.jobs import JOBS
from core.jobs import register_jobs


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = "Case files"

    def ready(self) -> None:
        register_jobs(JOBS)
        # at ready(): auditlog's registry and the models load only once the app registry is ready
        from auditlog.registry import auditlog

        from cases.models import AssistanceService, Case, CaseDocument, Consent, FollowUp, Proceedings, RiskAssessment

        # Free text about a person is masked in the log: it says that it changed, not to what.
        # (Copies: auditlog appends its own settings' fields to the list it is given.)
        auditlog.register(
            Case, mask_fields=list(Case.PERSONAL_TEXT_FIELDS), m2m_fields={"forms_of_exploitation", "means_of_control"}
        )
        auditlog.register(Consent, mask_fields=list(Consent.PERSONAL_TEXT_FIELDS), m2m_fields={"member_states"})
        for record in (RiskAssessment, AssistanceService, Proceedings, FollowUp):
            auditlog.register(record, mask_fields=list(record.PERSONAL_TEXT_FIELDS))
        # A document's title or file name can name the person ("Passport of ...").
        auditlog.register(
            CaseDocument, exclude_fields=["file", "sha256"], mask_fields=list(CaseDocument.PERSONAL_TEXT_FIELDS)
        )
        # CaseIdentity is deliberately not registered: its values must never reach the log.

        # Cached figures over a state's cases (the list's per-stage counts) start again after
        # any write to one of its cases or their grants, whichever service or admin made it.
        from django.db import transaction
        from django.db.models.signals import post_delete, post_save

        from cases.models import CaseGroupObjectPermission
        from cases.selectors import cases_changed

        def changed(member_state_id):
            cases_changed(member_state_id=member_state_id)
            # Again once the write is visible to others: a reader between the save and the
            # commit cannot see it yet, and would have cached its counts under the new version.
            transaction.on_commit(lambda: cases_changed(member_state_id=member_state_id))

        def case_written(sender, instance, **kwargs):
            changed(instance.member_state_id)

        def grant_written(sender, instance, **kwargs):
            # assign_perm hands the case itself, so this usually reads no row.
            if CaseGroupObjectPermission.content_object.is_cached(instance):
                changed(instance.content_object.member_state_id)
            else:
                case = Case.objects.filter(pk=instance.content_object_id).values_list("member_state_id", flat=True)
                changed(case.first())

        for name, signal in (("saved", post_save), ("deleted", post_delete)):
            # weak=False: the receivers are local to ready() and would be collected.
            signal.connect(case_written, sender=Case, weak=False, dispatch_uid=f"case-{name}")
            signal.connect(grant_written, sender=CaseGroupObjectPermission, weak=False, dispatch_uid=f"grant-{name}")
