"""Every write on referrals, one concern a module; the names below are the public API.

- drafts: a draft made from a case, changed or deleted before it is sent;
- transitions: the guarded steps of the referral table (referrals.workflow);
- sharing: the receiving state's grants and what is shared behind the reveal step;
- reads: audited reads (views, prints, reveals, statistics);
- messages: the two states' thread, with checked attachments;
- jobs: overdue acknowledgements, follow-up reminders, access expiry (referrals.jobs);
- case_hooks: what a case's consent withdrawal and anonymisation do to its referrals.
"""

# The send step's rules (referrals.sending), through here for the referral's page and the tests.
from referrals.sending import add_working_days, build_snapshot, send_guard_problems
from referrals.services._sides import side_of
from referrals.services.case_hooks import referrals_anonymise_for_case, referrals_end_for_withdrawn_consent
from referrals.services.drafts import referral_create, referral_delete_draft, referral_update_draft
from referrals.services.jobs import referrals_expire_access, referrals_follow_up_reminders, referrals_mark_overdue
from referrals.services.messages import referral_message_post
from referrals.services.reads import referral_identity_reveal, referral_read_record, referral_statistics_record
from referrals.services.sharing import RECEIVER_PERMISSIONS, REVEALED_CATEGORIES, SENDER_PERMISSIONS, shared_identity
from referrals.services.transitions import actions_for, referral_transition, transition_refusal

__all__ = [
    "RECEIVER_PERMISSIONS",
    "REVEALED_CATEGORIES",
    "SENDER_PERMISSIONS",
    "actions_for",
    "add_working_days",
    "build_snapshot",
    "referral_create",
    "referral_delete_draft",
    "referral_identity_reveal",
    "referral_message_post",
    "referral_read_record",
    "referral_statistics_record",
    "referral_transition",
    "referral_update_draft",
    "referrals_anonymise_for_case",
    "referrals_end_for_withdrawn_consent",
    "referrals_expire_access",
    "referrals_follow_up_reminders",
    "referrals_mark_overdue",
    "send_guard_problems",
    "shared_identity",
    "side_of",
    "transition_refusal",
]
