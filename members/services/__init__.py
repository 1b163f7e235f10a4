"""Writes on users, roles, invitations and access requests.

Every change of role or state made by a person goes through user_reassign (and an
invitation through user_invite): a change that would open case data to someone becomes
a pending AccessRequest that only a different person can confirm (four-eyes, DESIGN §5).
user_set_role is the low-level step underneath, which keeps the role group, the state
team group and is_staff in step with the user's role; only system actions with no
second person (the demo seeder, test factories) call it directly.

One concern per module; the public names are exported here, so callers import them from
`members.services`. Underscored names are steps the modules share, not services.
"""

from members.services.access_requests import (
    access_request_cancel,
    access_request_confirm,
    access_request_deciders_text,
    access_request_decline,
    access_requests_expire,
    may_decide_access_request,
)
from members.services.emails import user_email_address_ensure, user_email_change_request, user_email_locked
from members.services.invitation_csv import INVITATION_CSV_COLUMNS, InvitationImportError, invitations_import_csv
from members.services.invitations import (
    INVITATION_SALT,
    InvitationError,
    invitation_accept,
    invitation_link,
    invitation_token,
    invitation_user,
    user_invite,
    user_reinvite,
)
from members.services.profiles import (
    DETAIL_FIELDS,
    user_update_details,
    user_update_profile,
    users_mark_directory_verified,
)
from members.services.role_assignment import (
    CONFIRMED_ROLES,
    role_change_needs_confirmation,
    user_grants_revoke,
    user_set_role,
    validate_role_assignment,
)
from members.services.sessions import user_sessions_end_others
from members.services.users import user_deactivate, user_reactivate, user_reassign, user_set_superuser

__all__ = [
    "CONFIRMED_ROLES",
    "DETAIL_FIELDS",
    "INVITATION_CSV_COLUMNS",
    "INVITATION_SALT",
    "InvitationError",
    "InvitationImportError",
    "access_request_cancel",
    "access_request_confirm",
    "access_request_deciders_text",
    "access_request_decline",
    "access_requests_expire",
    "invitation_accept",
    "invitation_link",
    "invitation_token",
    "invitation_user",
    "invitations_import_csv",
    "may_decide_access_request",
    "role_change_needs_confirmation",
    "user_deactivate",
    "user_email_address_ensure",
    "user_email_change_request",
    "user_email_locked",
    "user_grants_revoke",
    "user_invite",
    "user_reactivate",
    "user_reassign",
    "user_reinvite",
    "user_sessions_end_others",
    "user_set_role",
    "user_set_superuser",
    "user_update_details",
    "user_update_profile",
    "users_mark_directory_verified",
    "validate_role_assignment",
]
