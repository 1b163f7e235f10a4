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
        auditlog.register(
            Case,
            mask_fields=[
                "not_identified_reason",
                "best_interests_note",
                "reopened_reason",
                "languages",
                "interpretation_language",
            ],
            m2m_fields={"forms_of_exploitation", "means_of_control"},
        )
        auditlog.register(
            Consent, mask_fields=["withdrawal_reason", "interpreter_language"], m2m_fields={"member_states"}
        )
        auditlog.register(RiskAssessment, mask_fields=["needs", "safety_plan"])
        auditlog.register(AssistanceService, mask_fields=["provider"])
        auditlog.register(Proceedings, mask_fields=["outcome"])
        auditlog.register(FollowUp, mask_fields=["outcome"])
        # A document's title or file name can name the person ("Passport of ...").
        auditlog.register(CaseDocument, exclude_fields=["file", "sha256"], mask_fields=["title", "original_name"])
        # CaseIdentity is deliberately not registered: its values must never reach the log.
