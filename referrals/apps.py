from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "referrals"
    verbose_name = "Referrals (BSR-TRM)"

    def ready(self):
        from core.jobs import register_jobs
        from referrals.jobs import JOBS

        register_jobs(JOBS)
        # at ready(): notifications knows no app; each registers its notice kinds at start-up
        from notifications.kinds import register_kinds
        from referrals.notices import KINDS as NOTICE_KINDS

        register_kinds(NOTICE_KINDS)
        # at ready(): cases knows no referrals; its consent withdrawal and anonymisation call
        # these inside their own transaction (cases/hooks.py)
        from cases import hooks
        from referrals.services import referrals_anonymise_for_case, referrals_end_for_withdrawn_consent

        hooks.consent_withdrawn.connect(referrals_end_for_withdrawn_consent)
        hooks.case_anonymised.connect(referrals_anonymise_for_case)
        # The case page lists the case's referrals; cases, below us, cannot read them.
        from cases.sections import CaseSection, register_case_section
        from referrals.selectors import case_referrals

        register_case_section(
            CaseSection(
                name="referrals",
                order=10,
                template="referrals/_case_section.html",
                actions_template="referrals/_case_actions.html",
                context=lambda user, case: {"case": case, "referrals": case_referrals(case=case, user=user)},
            )
        )
        from auditlog.registry import auditlog

        from referrals.models import Referral, ReferralMessage

        # The snapshot and the note hold personal data: the log records that they changed, not how.
        auditlog.register(Referral, exclude_fields=["snapshot"], mask_fields=["note", "safeguard_note"])
        auditlog.register(ReferralMessage, exclude_fields=["body"])
