"""Every write on referrals: drafting, the guarded transitions, messages, and the jobs.

A transition locks the referral's row, checks that the action is allowed from the
current status and by the acting side, writes its immutable event (unique per
kind), changes the grants, and notifies the other side through the outbox, all in
one transaction. Two people acting at once: the second finds the status changed.
"""

from datetime import timedelta

from auditlog.models import LogEntry
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from guardian.shortcuts import assign_perm, remove_perm

from cases.models import Case, Consent, DataCategory, RevealPurpose
from core.audit import audited_as_by
from core.db import update_fields
from core.uploads import CASE_DOCUMENT_TYPES, check_upload, store_checked_upload
from core.workflow import Transition
from members.models import MemberState, Role, User
from members.roles import team_group
from notifications.services import notify
from referrals.models import (
    DRAFT_FIELDS,
    ENDED_STATUSES,
    EventKind,
    Referral,
    ReferralDocument,
    ReferralEvent,
    ReferralMessage,
    ReferralStatus,
    Side,
)

# Re-exported: the referral's page asks services whether a draft can be sent.
from referrals.sending import add_working_days as add_working_days
from referrals.sending import build_snapshot as build_snapshot
from referrals.sending import send_guard_problems as send_guard_problems
from referrals.workflow import CONSENT_WITHDRAWAL, REFERRAL_WORKFLOW

SENDER_PERMISSIONS = ("referrals.view_referral", "referrals.change_referral")
RECEIVER_PERMISSIONS = ("referrals.view_referral", "referrals.change_referral")


def side_of(referral: Referral, user: User) -> str | None:
    if user.member_state_id == referral.sending_state_id:
        return Side.SENDING
    if user.member_state_id == referral.receiving_state_id:
        return Side.RECEIVING
    return None


def _state_contacts(state: MemberState):
    return User.objects.ncps_of(state)


def _notify_side(referral: Referral, side: str, text: str, *, actor: User | None, kind: str = "referral_update"):
    state = referral.sending_state if side == Side.SENDING else referral.receiving_state
    notify(
        recipients=_state_contacts(state),
        kind=kind,
        text=f"{referral.reference}: {text}",
        link=referral.get_absolute_url(),
        target=referral,
        actor=actor,
    )


# Drafting ---------------------------------------------------------------------------


@audited_as_by
@transaction.atomic
def referral_create(*, case: Case, by: User, data: dict) -> Referral:
    """A draft referral of a case; only the sending state sees it until it is sent."""
    # Locking the case serialises the numbering of its referrals (…-R1, …-R2).
    Case.objects.select_for_update().get(pk=case.pk)
    # The highest number so far, not the count: a deleted draft leaves a gap.
    used = [
        int(ref.rsplit("-R", 1)[1]) for ref in Referral.objects.filter(case=case).values_list("reference", flat=True)
    ]
    referral = Referral(
        case=case,
        sending_state=case.member_state,
        sending_contact=by,
        reference=f"{case.reference}-R{max(used, default=0) + 1}",
        **data,
    )
    _check_draft(referral)
    referral.full_clean()
    referral.save()
    sending_team = team_group(referral.sending_state, Role.NCP)
    for permission in SENDER_PERMISSIONS:
        assign_perm(permission, sending_team, referral)
    return referral


@audited_as_by
@transaction.atomic
def referral_update_draft(*, referral: Referral, by: User, data: dict) -> Referral:
    """Change a draft before it is sent; once sent, the snapshot is what the receiver got."""
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    if referral.status != ReferralStatus.DRAFT:
        raise ValidationError(
            f"Only a draft can be changed; this referral is “{referral.get_status_display()}”. "
            "Write to the receiving state in the thread instead."
        )
    unknown = set(data) - set(DRAFT_FIELDS)
    if unknown:
        raise ValidationError(f"These cannot be changed in a draft: {', '.join(sorted(unknown))}.")
    update_fields(referral, data, check=_check_draft)
    return referral


@audited_as_by
@transaction.atomic
def referral_delete_draft(*, referral: Referral, by: User) -> str:
    """Delete a draft its sending state will not send; it was never shared, so nothing else goes.

    The case's audit trail keeps a record (its reference and who deleted it). Returns the reference.
    """
    referral = Referral.objects.select_for_update().select_related("sending_state").get(pk=referral.pk)
    if side_of(referral, by) != Side.SENDING or by.role != Role.NCP:
        raise ValidationError("Only the sending state's contact points can delete a draft.")
    if referral.status != ReferralStatus.DRAFT:
        raise ValidationError(
            f"Only a draft can be deleted; this referral is “{referral.get_status_display()}”. Withdraw it instead."
        )
    reference = referral.reference
    LogEntry.objects.log_create(
        referral,
        force_log=True,
        action=LogEntry.Action.DELETE,
        actor=by,
        changes={},
        additional_data={
            "case_id": referral.case_id,
            "referral_id": referral.pk,
            "what": f"draft referral {reference} deleted",
            "role": by.role,
            "side": Side.SENDING,
            "state": referral.sending_state.code,
            "state_name": referral.sending_state.name,
        },
    )
    referral.delete()
    return reference


def _check_draft(referral: Referral) -> None:
    if referral.receiving_state_id == referral.sending_state_id:
        raise ValidationError({"receiving_state": "A referral goes to another state."})
    if referral.consent.case_id != referral.case_id:
        raise ValidationError({"consent": "Choose a consent recorded on this case."})
    unknown = set(referral.shared_categories) - set(DataCategory.values)
    if unknown:
        raise ValidationError({"shared_categories": f"Unknown data categories: {', '.join(sorted(unknown))}."})
    if not referral.shared_categories:
        raise ValidationError({"shared_categories": "Choose what the referral shares."})


# Transitions ------------------------------------------------------------------------


def actions_for(referral: Referral, user: User) -> list[Transition]:
    """The steps `user` may take on the referral as it is now, in the table's order."""
    side = side_of(referral, user)
    return REFERRAL_WORKFLOW.available(referral.status, side) if side else []


def transition_refusal(referral: Referral, action: str, *, by: User) -> str | None:
    """Why `by` cannot take this step on the referral as it is now; None when they can."""
    transition = REFERRAL_WORKFLOW.get(action)
    if side_of(referral, by) not in transition.by:
        sides = " or the ".join(Side(side).label.lower() for side in transition.by)
        return f"Only the {sides} can {transition.label.lower()}."
    if referral.status not in transition.sources:
        return REFERRAL_WORKFLOW.refusal(transition, referral.get_status_display())
    return None


def _grant_receiver(referral: Referral) -> None:
    receiving_team = team_group(referral.receiving_state, Role.NCP)
    for permission in RECEIVER_PERMISSIONS:
        assign_perm(permission, receiving_team, referral)


def _revoke_receiver(referral: Referral, *, by: User | None) -> None:
    receiving_team = team_group(referral.receiving_state, Role.NCP)
    for permission in RECEIVER_PERMISSIONS:
        remove_perm(permission, receiving_team, referral)
    referral.receiving_access_revoked_at = timezone.now()
    referral.save(update_fields=["receiving_access_revoked_at"])
    ReferralEvent.objects.create(referral=referral, kind=EventKind.ACCESS_REVOKED, side=Side.PORTAL, actor=by)


@audited_as_by
@transaction.atomic
def referral_transition(*, referral: Referral, action: str, by: User, data: dict | None = None) -> Referral:
    """Take one step of the referral table (referrals.workflow), whichever it is."""
    data = data or {}
    if action not in REFERRAL_WORKFLOW:
        raise ValidationError(f"“{action}” is not an action on a referral.")
    transition = REFERRAL_WORKFLOW.get(action)
    referral = (
        Referral.objects.select_for_update().select_related("receiving_state", "sending_state").get(pk=referral.pk)
    )
    side = side_of(referral, by)
    refusal = transition_refusal(referral, action, by=by)
    if refusal:
        raise ValidationError(refusal)
    event_data = transition.record(referral, data) if transition.record else {}
    now = timezone.now()
    update = ["status"]
    for name in transition.stamps:
        setattr(referral, name, now)
        update.append(name)
    if transition.apply:
        update += transition.apply(referral, data, now)
    if transition.target in ENDED_STATUSES:
        referral.ended_at = now
        update.append("ended_at")
    referral.status = transition.target
    referral.save(update_fields=update)
    ReferralEvent.objects.create(referral=referral, kind=transition.records, side=side, actor=by, data=event_data)
    if transition.grants:
        _grant_receiver(referral)
    if transition.revokes:
        _revoke_receiver(referral, by=by)
    # The referral table tells one audience: the other side's contact points.
    other_side = Side.RECEIVING if side == Side.SENDING else Side.SENDING
    for notice in transition.notifies:
        label = EventKind(transition.records).label.lower()
        _notify_side(referral, other_side, f"{label} by {by.full_name}", actor=by, kind=notice.kind)
    return referral


# Reads and reveals ------------------------------------------------------------------

# The snapshot categories that stay hidden until someone states why they need them.
REVEALED_CATEGORIES = ("identity", "contact")


def _log_read(referral: Referral, *, by: User, what: str, **extra) -> None:
    """An access entry on the referral, findable from its case (cases.selectors).

    It names the acting side and state, so the owning state can tell its own team's
    reads from the receiving state's; never a shared value. log_create runs inside
    auditlog's request context, which records the client's address.
    """
    side = side_of(referral, by)
    state = {Side.SENDING: referral.sending_state, Side.RECEIVING: referral.receiving_state}.get(side)
    LogEntry.objects.log_create(
        referral,
        force_log=True,
        action=LogEntry.Action.ACCESS,
        actor=by,
        changes={},
        additional_data={
            "case_id": referral.case_id,
            "referral_id": referral.pk,
            "what": what,
            "role": by.role,
            "side": side,
            "state": state.code if state else None,
            "state_name": state.name if state else None,
            **extra,
        },
    )


@audited_as_by
def referral_read_record(*, referral: Referral, by: User, what: str, **extra) -> None:
    """Record a read of a referral (viewed, printed, attachment downloaded)."""
    _log_read(referral, by=by, what=what, **extra)


def shared_identity(referral: Referral) -> dict:
    """The hidden categories of the snapshot that this referral shares, empty when none."""
    snapshot = referral.snapshot or {}
    return {category: snapshot[category] for category in REVEALED_CATEGORIES if snapshot.get(category)}


@audited_as_by
@transaction.atomic
def referral_identity_reveal(
    *, referral: Referral, by: User, purpose: str, note: str = "", printed: bool = False
) -> dict:
    """Return the shared identity and contact details, and record who saw them, when and why."""
    shared = shared_identity(referral)
    if not shared:
        raise ValidationError("This referral shares no identity or contact details.")
    if purpose not in RevealPurpose.values:
        raise ValidationError({"purpose": "Choose why you need to see the identity."})
    _log_read(
        referral,
        by=by,
        what="shared identity revealed",
        purpose=RevealPurpose(purpose).label,
        note=note[:500],
        categories=sorted(shared),
        printed=printed,
    )
    return shared


@audited_as_by
@transaction.atomic
def referral_statistics_record(*, by: User) -> None:
    """Audit a look at the referral statistics: a read of referral data, though of no one referral."""
    LogEntry.objects.log_create(
        # An unsaved Referral stands for "referral data": the entry's type is Referral.
        Referral(),
        force_log=True,
        action=LogEntry.Action.ACCESS,
        actor=by,
        changes={},
        object_pk="statistics",
        object_repr="Referral statistics",
        additional_data={"what": "referral statistics viewed", "role": by.role},
    )


# Messages ---------------------------------------------------------------------------


@audited_as_by
@transaction.atomic
def referral_message_post(*, referral: Referral, by: User, body: str, upload=None) -> ReferralMessage:
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    side = side_of(referral, by)
    if side is None:
        raise ValidationError("Only the two states' contact points can write here.")
    if referral.status == ReferralStatus.DRAFT:
        raise ValidationError("Send the referral before writing messages.")
    if referral.status in ENDED_STATUSES and referral.status != ReferralStatus.CLOSED:
        raise ValidationError("The referral has ended; no more messages can be added.")
    if not body.strip():
        raise ValidationError({"body": "Write a message."})
    attachment = None
    if upload is not None:
        try:
            checked = check_upload(upload, allowed=CASE_DOCUMENT_TYPES)
        except ValidationError as error:
            # Said at the file, so the message's text can stay where it was written.
            raise ValidationError({"attachment": error.messages}) from None
        attachment = ReferralDocument(referral=referral, uploaded_by=by)
        store_checked_upload(attachment, upload, checked)
    message = ReferralMessage.objects.create(
        referral=referral, author=by, side=side, body=body.strip(), attachment=attachment
    )
    other_side = Side.RECEIVING if side == Side.SENDING else Side.SENDING
    _notify_side(referral, other_side, f"new message from {by.full_name}", actor=by)
    return message


# Periodic jobs ----------------------------------------------------------------------


def referrals_mark_overdue(*, now=None) -> dict:
    """Sent referrals past their acknowledgement deadline: record it and tell both sides and the secretariat."""
    now = now or timezone.now()
    count = 0
    for referral_id in (
        Referral.objects.overdue(now).filter(overdue_notified_at__isnull=True).values_list("pk", flat=True)
    ):
        with transaction.atomic():
            referral = Referral.objects.select_for_update().get(pk=referral_id)
            if referral.overdue_notified_at or referral.status != ReferralStatus.SENT:
                continue
            referral.overdue_notified_at = now
            referral.save(update_fields=["overdue_notified_at"])
            ReferralEvent.objects.create(referral=referral, kind=EventKind.OVERDUE, side=Side.PORTAL)
            text = "not acknowledged by its deadline"
            for side in (Side.SENDING, Side.RECEIVING):
                _notify_side(referral, side, text, actor=None, kind="referral_overdue")
            notify(
                recipients=User.objects.active().filter(role=Role.SECRETARIAT),
                kind="referral_overdue",
                text=f"A referral from {referral.sending_state.code} to {referral.receiving_state.code} is overdue",
                link="",
                target=referral,
            )
            count += 1
    return {"overdue": count}


def referrals_follow_up_reminders(*, now=None) -> dict:
    """Remind the sending state to follow up at 3, 6 and 12 months (configurable) after completion."""
    now = now or timezone.now()
    reminded = 0
    for months in settings.THB_REFERRAL_FOLLOW_UP_MONTHS:
        due = Referral.objects.filter(
            status__in=[ReferralStatus.COMPLETED, ReferralStatus.CLOSED],
            completed_at__lte=now - timedelta(days=round(months * 30.44)),
        ).select_related("sending_state")
        for referral in due:
            with transaction.atomic():
                created = notify(
                    recipients=_state_contacts(referral.sending_state),
                    kind="referral_follow_up",
                    text=f"{referral.reference}: follow up {months} month{'s' if months != 1 else ''} after completion",
                    link=referral.get_absolute_url(),
                    target=referral,
                    dedupe_prefix=f"referral:{referral.pk}:follow-up:{months}",
                )
                reminded += len(created)
    return {"reminders": reminded}


def referrals_expire_access(*, now=None) -> dict:
    """After the access period, an ended referral's data is no longer the receiving state's to see.

    Withdrawal and consent withdrawal revoke at once; closed, declined and referred-onward
    referrals keep the receiving side's access for THB_REFERRAL_ACCESS_DAYS, for questions.
    """
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.THB_REFERRAL_ACCESS_DAYS)
    count = 0
    ended_with_access = [ReferralStatus.CLOSED, ReferralStatus.DECLINED, ReferralStatus.REFERRED_ONWARD]
    for referral_id in Referral.objects.filter(
        status__in=ended_with_access, ended_at__lt=cutoff, receiving_access_revoked_at__isnull=True
    ).values_list("pk", flat=True):
        with transaction.atomic():
            referral = Referral.objects.select_for_update().get(pk=referral_id)
            if referral.receiving_access_revoked_at is None:
                _revoke_receiver(referral, by=None)
                count += 1
    return {"revoked": count}


# Consent withdrawal and retention (connected to cases.hooks in ReferralsConfig.ready) ----


@audited_as_by
@transaction.atomic
def referrals_end_for_withdrawn_consent(*, consent: Consent, by: User) -> dict:
    """Every referral resting on a withdrawn consent stops being readable by the receiving state.

    An active referral ends as "consent withdrawn", which revokes and tells the receiving
    state. One that had already ended (declined, closed, referred onward) keeps its status,
    and the receiving side's grants go now rather than at the end of the access period. A
    draft was never shared, and the send guard refuses it from now on.
    """
    ended, revoked = 0, 0
    relying = Referral.objects.filter(consent=consent).exclude(status=ReferralStatus.DRAFT).order_by("pk")
    for referral_id in relying.values_list("pk", flat=True):
        referral = (
            Referral.objects.select_for_update().select_related("receiving_state", "sending_state").get(pk=referral_id)
        )
        if referral.status in CONSENT_WITHDRAWAL.sources:
            referral_transition(
                referral=referral,
                action=CONSENT_WITHDRAWAL.name,
                by=by,
                data={"reason": "The person withdrew the consent this referral relied on."},
            )
            ended += 1
        elif referral.receiving_access_revoked_at is None:
            _revoke_receiver(referral, by=by)
            _notify_side(
                referral, Side.RECEIVING, "access ended: the person withdrew the consent it relied on", actor=by
            )
            revoked += 1
    return {"ended": ended, "revoked": revoked}


def referrals_anonymise_for_case(*, case: Case) -> dict:
    """Retention reaches what the case shared, on both sides: snapshots, notes, messages,
    the steps' free text and the attachments.

    Runs inside the case's anonymisation (cases.services, through cases.hooks), after the case is
    marked anonymised: the events' trigger allows blanking a step's data only then. The
    bulk updates bypass auditlog's signals; the caller logs the counts on the case.
    """
    referrals = list(Referral.objects.select_for_update().filter(case=case).order_by("pk"))
    for referral in referrals:
        # What stays says which case it was and that its content is gone, nothing more.
        referral.snapshot = {"case_reference": case.reference, "anonymised": True} if referral.snapshot else None
        referral.note = ""
        referral.safeguard_note = ""
        referral.save(update_fields=["snapshot", "note", "safeguard_note"])
    messages = ReferralMessage.objects.filter(referral__case=case)
    message_count = messages.update(body="", attachment=None)
    # Reasons, reception plans, meeting places: free text that may name the person.
    event_count = ReferralEvent.objects.filter(referral__case=case, data__isnull=False).update(data=None)
    documents = list(ReferralDocument.objects.filter(referral__case=case))
    for document in documents:
        # The file goes once the rows are gone for good: a rolled-back run keeps both.
        transaction.on_commit(lambda name=document.file.name, storage=document.file.storage: storage.delete(name))
    ReferralDocument.objects.filter(pk__in=[document.pk for document in documents]).delete()
    return {
        "referrals": len(referrals),
        "messages": message_count,
        "events": event_count,
        "attachments": len(documents),
    }
