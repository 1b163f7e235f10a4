"""What sending a referral checks and shares: the send guard, the snapshot, the deadline.

The send step of the referral table (referrals.workflow) runs these; the referral's
page shows the guard's problems on a draft (through referrals.services).
"""

from datetime import datetime, timedelta

from django.utils import timezone

from cases.models import CaseIdentity, Consent, DataCategory
from referrals.models import CONSENT_PURPOSE_FOR, Referral


def add_working_days(start: datetime, days: int) -> datetime:
    """The moment `days` working days (Monday to Friday) after `start`."""
    moment = start
    remaining = days
    while remaining > 0:
        moment += timedelta(days=1)
        if moment.weekday() < 5:
            remaining -= 1
    return moment


def send_guard_problems(referral: Referral) -> list[str]:
    """Why the referral cannot be sent yet; empty when it can."""
    consent: Consent = referral.consent
    problems = []
    if consent.withdrawn_at:
        problems.append("The consent it relies on was withdrawn.")
    if "referral" not in consent.purposes:
        problems.append("The consent does not cover a referral.")
    needed_purpose = CONSENT_PURPOSE_FOR[referral.purpose]
    if needed_purpose not in consent.purposes:
        problems.append(f"The consent does not cover the purpose “{referral.get_purpose_display()}”.")
    if not consent.member_states.filter(pk=referral.receiving_state_id).exists():
        problems.append(f"The consent does not cover sharing with {referral.receiving_state.name}.")
    uncovered = [c for c in referral.shared_categories if c not in consent.data_categories]
    if uncovered:
        labels = ", ".join(DataCategory(c).label for c in uncovered)
        problems.append(f"The consent does not cover these data categories: {labels}.")
    if not referral.receiving_state.is_eu_eea and not referral.safeguard:
        problems.append(
            f"{referral.receiving_state.name} is outside the EU/EEA: record the transfer safeguard before sending."
        )
    return problems


def build_snapshot(referral: Referral) -> dict:
    """Exactly the categories the sender chose to share, as they are now."""
    case = referral.case
    categories = set(referral.shared_categories)
    snapshot: dict = {"case_reference": case.reference, "taken_at": timezone.now().isoformat()}
    if DataCategory.CASE_VARIABLES in categories:
        snapshot["case_variables"] = {
            "stage": case.get_stage_display(),
            "trafficking_status": case.get_trafficking_status_display(),
            "gender": case.get_gender_display(),
            "age_band": case.get_age_band_display(),
            "minor": "yes" if case.is_minor else "no",
            "citizenship": case.citizenship.name if case.citizenship else "",
            "country_of_exploitation": case.country_of_exploitation.name if case.country_of_exploitation else "",
            "forms_of_exploitation": ", ".join(f.name for f in case.forms_of_exploitation.all()),
            "means_of_control": ", ".join(m.name for m in case.means_of_control.all()),
            "languages": case.languages,
            "interpretation": case.interpretation_language if case.interpretation_needed else "",
        }
    if DataCategory.RISK in categories:
        latest = case.riskassessments.order_by("-assessed_on", "-pk").first()
        snapshot["risk"] = (
            {
                "assessed_on": latest.assessed_on.isoformat(),
                "level": latest.get_level_display(),
                "needs": latest.needs,
                "safety_plan": latest.safety_plan,
            }
            if latest
            else None
        )
    if DataCategory.PROCEEDINGS in categories:
        snapshot["proceedings"] = [
            {"country": p.country.name, "kind": p.get_kind_display(), "stage": p.get_stage_display()}
            for p in case.proceedingss.all()
        ]
    if categories & {DataCategory.IDENTITY, DataCategory.CONTACT}:
        identity = CaseIdentity.objects.filter(case=case).first()
        if identity and DataCategory.IDENTITY in categories:
            snapshot["identity"] = {
                "given_names": identity.given_names,
                "family_name": identity.family_name,
                "date_of_birth": identity.date_of_birth,
                "document_numbers": identity.document_numbers,
            }
        if identity and DataCategory.CONTACT in categories:
            snapshot["contact"] = {"contact_details": identity.contact_details, "address": identity.address}
    if DataCategory.HEALTH in categories:
        snapshot["health"] = "Shared on request through the message thread."
    return snapshot
