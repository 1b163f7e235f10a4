from django.apps import AppConfig

from core.jobs import register_jobs
from referrals.jobs import JOBS


class ReferralsConfig(AppConfig):
    name = "referrals"
    verbose_name = "Referrals (BSR-TRM)"

    def ready(self) -> None:
        register_jobs(JOBS)
        # at ready(): notifications knows no app; each registers its notice kinds at start-up
        from notifications.kinds import register_kinds
        from referrals.notices import KINDS as NOTICE_KINDS

        register_kinds(NOTICE_KINDS)
        # at ready(): cases.hooks and these services load the models. cases knows no referrals:
        # its consent withdrawal and anonymisation call these in their own transaction (cases/hooks.py)
        from cases import hooks
        from referrals.services import referrals_anonymise_for_case, referrals_end_for_withdrawn_consent

        hooks.consent_withdrawn.connect(referrals_end_for_withdrawn_consent)
        hooks.case_anonymised.connect(referrals_anonymise_for_case)
        # at ready() (these load the models): the case page lists the case's referrals, which
        # cases, below us, cannot read (cases/sections.py)
        from cases.sections import case_page
        from core.sections import PageSection
        from referrals.selectors import case_referrals

        case_page.register(
            PageSection(
                name="referrals",
                order=10,
                template="referrals/_case_section.html",
                actions_template="referrals/_case_actions.html",
                context=lambda user, case: {"case": case, "referrals": case_referrals(case=case, user=user)},
            )
        )
        # at ready(): auditlog's registry and the models load only once the app registry is ready
        from auditlog.registry import auditlog

        from referrals.models import Referral, ReferralMessage

        # The snapshot and the note hold personal data: the log records that they changed, not how.
        auditlog.register(Referral, exclude_fields=["snapshot"], mask_fields=["note", "safeguard_note"])
        auditlog.register(ReferralMessage, exclude_fields=["body"])
