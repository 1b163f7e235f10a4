"""Inviting from a CSV file (the admin's Invite from CSV): every row, or nobody.

Every row is checked, and every problem of every row reported at once, before anything is
written; only then is each row invited through user_invite.
"""

import csv
import io
from dataclasses import dataclass, field
from typing import TypeAlias, TypedDict

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from core.audit import audit_actor_from
from core.errors import error_text
from members.models import MemberState, Organisation, User
from members.roles import ALL_ROLES
from members.services._common import normalise_email
from members.services.invitations import user_invite
from members.services.role_assignment import validate_role_assignment

INVITATION_CSV_COLUMNS = ["email", "full_name", "role", "member_state", "organisation", "position"]

# An organisation is found by (lower-case name, its state's pk or None), or by the lower-case
# name the admin shows (Organisation.__str__).
OrganisationKey: TypeAlias = tuple[str, int | None] | str


class InvitationData(TypedDict):
    """One row, resolved: user_invite's arguments but the inviter."""

    email: str
    full_name: str
    role: str
    member_state: MemberState | None
    organisation: Organisation | None
    position: str


@dataclass
class InvitationImportError(Exception):
    """Raised with every bad row of an invitation CSV; nothing has been written."""

    row_errors: list[tuple[int, str]] = field(default_factory=list)

    def __str__(self) -> str:
        return "; ".join(f"row {row}: {message}" for row, message in self.row_errors)


def _read_invitation_csv(raw: bytes) -> list[dict[str, str]]:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InvitationImportError(
            [(0, "The file is not UTF-8 text. Save it as “CSV UTF-8” and try again.")]
        ) from error
    if not text.strip():
        raise InvitationImportError([(0, "The file is empty.")])
    if "\x00" in text:
        raise InvitationImportError([(0, "The file contains binary data, not CSV text.")])
    dialect: type[csv.Dialect]
    try:
        dialect = csv.Sniffer().sniff(text.splitlines()[0], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.DictReader(io.StringIO(text, newline=""), dialect=dialect)
    try:
        headers = [h.strip().lower() for h in (reader.fieldnames or [])]
        missing = [column for column in ("email", "full_name", "role") if column not in headers]
        if missing:
            raise InvitationImportError(
                [(1, f"Missing column(s): {', '.join(missing)}. Expected: {', '.join(INVITATION_CSV_COLUMNS)}.")]
            )
        rows = [
            {(key or "").strip().lower(): (value or "").strip() for key, value in raw_row.items() if key}
            for raw_row in reader
        ]
    except csv.Error as error:
        raise InvitationImportError([(reader.line_num, f"The CSV cannot be read: {error}")]) from error
    if not rows:
        raise InvitationImportError([(0, "The file has a header but no rows.")])
    return rows


def _resolve_invitation_row(
    row: dict[str, str], states: dict[str, MemberState], organisations: dict[OrganisationKey, Organisation]
) -> InvitationData:
    """The row's invitation data, or a ValidationError listing every problem of the row at once
    (an admin fixing a file should not have to upload it once per mistake)."""
    problems: list[str] = []
    reported: set[str] = set()
    email = normalise_email(row.get("email", ""))
    try:
        validate_email(email)
    except ValidationError as error:
        problems.append(error_text(error))
        reported.add("email")
    if not row.get("full_name"):
        problems.append("full_name is empty.")
        reported.add("full_name")
    role = row.get("role", "").lower()
    role_known = role in ALL_ROLES
    if not role_known:
        problems.append(f"unknown role “{row.get('role', '')}” (use one of: {', '.join(ALL_ROLES)}).")
    state_code = row.get("member_state", "").upper()
    member_state = None
    state_known = True
    if state_code:
        member_state = states.get(state_code)
        if member_state is None:
            state_known = False
            problems.append(f"unknown member state code “{state_code}”.")
    organisation = None
    name = row.get("organisation", "").lower()
    if name:
        # By its name within the row's state, a state-less one by its name, or by the name the
        # admin shows (Organisation.__str__, e.g. "Police (EE)"), which names its state itself.
        organisation = (
            organisations.get((name, member_state.pk if member_state is not None else None))
            or organisations.get((name, None))
            or organisations.get(name)
        )
        if organisation is None:
            problems.append(f"unknown organisation “{row['organisation']}” for that member state.")
    if role_known and state_known:
        # Only meaningful once role and state are known; an unknown one is reported above.
        try:
            validate_role_assignment(role=role, member_state=member_state, organisation=organisation)
        except ValidationError as error:
            problems.append(error_text(error))
    data = InvitationData(
        email=email,
        full_name=row.get("full_name", ""),
        role=role,
        member_state=member_state,
        organisation=organisation,
        position=row.get("position", ""),
    )
    # Field limits (lengths and the like) are checked here, before anything is written, except
    # on fields whose problem is already named above.
    try:
        User(**data).clean_fields(exclude=["password", "member_state", "organisation", "role", *reported])
    except ValidationError as error:
        problems.extend(message for messages in error.message_dict.values() for message in messages)
    if problems:
        raise ValidationError(problems)
    return data


@audit_actor_from("invited_by")
@transaction.atomic
def invitations_import_csv(*, raw: bytes, invited_by: User) -> list[User]:
    """Invite every row of a CSV, or nobody: all rows are checked before any is written."""
    rows = _read_invitation_csv(raw)
    states = {state.code: state for state in MemberState.objects.all()}
    organisations: dict[OrganisationKey, Organisation] = {}
    for org in Organisation.objects.select_related("member_state"):
        organisations[(org.name.lower(), org.member_state_id)] = org
        organisations.setdefault(str(org).lower(), org)
    existing = set(
        User.objects.filter(email__in=[normalise_email(r.get("email", "")) for r in rows]).values_list(
            "email", flat=True
        )
    )
    resolved: list[InvitationData] = []
    errors: list[tuple[int, str]] = []
    seen: dict[str, int] = {}
    for line_number, row in enumerate(rows, start=2):
        problems: list[str] = []
        data: InvitationData | None = None
        try:
            data = _resolve_invitation_row(row, states, organisations)
        except ValidationError as error:
            problems.extend(error.messages)
        # Every problem of the row is reported at once, the email's clash with others too.
        email = normalise_email(row.get("email", ""))
        if email and email in existing:
            problems.append(f"a user with the email address {email} already exists.")
        elif email and email in seen:
            problems.append(f"{email} is also on row {seen[email]}.")
        elif email:
            seen[email] = line_number
        if data is None or problems:
            errors.append((line_number, " ".join(problems)))
        else:
            resolved.append(data)
    if errors:
        raise InvitationImportError(errors)
    return [user_invite(**data, invited_by=invited_by) for data in resolved]
