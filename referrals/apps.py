from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "referrals"
    verbose_name = "Referrals (BSR-TRM)"

    def ready(self):
        from core.jobs import register_jobs
        from referrals.jobs import JOBS

        register_jobs(JOBS)
        from auditlog.registry import auditlog

        from referrals.models import Referral, ReferralMessage

        # The snapshot and the note hold personal data: the log records that they changed, not how.
        auditlog.register(Referral, exclude_fields=["snapshot"], mask_fields=["note", "safeguard_note"])
        auditlog.register(ReferralMessage, exclude_fields=["body"])
