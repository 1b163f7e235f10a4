"""Every write on case files, one concern a module; the names below are the public API.
Callers have already passed cases.access.

- case_files: opening and editing a case, and the records added to it;
- stages: stage moves and reopening (the stage table, cases.workflow);
- consent: withdrawing a consent, with what rested on it (cases.hooks);
- identity: the encrypted identity, its audited reveal and its re-encryption;
- documents: checked uploads;
- reads: audited reads of case data;
- retention: the anonymisation job (cases.jobs).
"""

from cases.services.case_files import (
    TEAM_CASE_PERMISSIONS,
    case_create,
    case_record_add,
    case_update,
    follow_up_complete,
)
from cases.services.consent import consent_withdraw
from cases.services.documents import document_upload
from cases.services.identity import identities_reencrypt, identity_reveal, identity_save
from cases.services.reads import case_read_record, statistics_export_record
from cases.services.retention import AnonymiseResult, cases_anonymise_closed
from cases.services.stages import allowed_stage_moves, case_move_stage, case_reopen

__all__ = [
    "TEAM_CASE_PERMISSIONS",
    "AnonymiseResult",
    "allowed_stage_moves",
    "case_create",
    "case_move_stage",
    "case_read_record",
    "case_record_add",
    "case_reopen",
    "case_update",
    "cases_anonymise_closed",
    "consent_withdraw",
    "document_upload",
    "follow_up_complete",
    "identities_reencrypt",
    "identity_reveal",
    "identity_save",
    "statistics_export_record",
]
