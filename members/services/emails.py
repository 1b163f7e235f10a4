"""The login email: who may change it, allauth's EmailAddress row for it, and a change."""

from allauth.account.models import EmailAddress
from allauth.core import context
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from core.audit import audited_as_by
from members.models import AccessRequest, User
from members.services._common import normalise_email
from members.services.role_assignment import CONFIRMED_ROLES


def _check_email_free(email: str) -> None:
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": f"A user with the email address {email} already exists."})


def user_email_locked(user: User) -> bool:
    """Whether only the user may change their login email.

    Whoever could send this account's password reset to themselves could take it over: so
    nobody else changes the email of someone who reads case data (NCP, superuser), of
    someone who confirms others' access (the secretariat: one member must not take over a
    second one and confirm their own requests with it), nor of someone an access request
    is waiting about (the confirmer must know whom they confirm).
    """
    if user.role in CONFIRMED_ROLES or user.is_superuser:
        return True
    return AccessRequest.objects.pending().filter(subject=user).exists()


@transaction.atomic
def user_email_address_ensure(*, user: User) -> EmailAddress | None:
    """The verified primary EmailAddress of the login email, which allauth's email change
    needs (to tell the old address, and to know what a confirmation replaces). Called
    where users are created and at each sign-in (members.adapters), so that accounts
    made without one (the demo, createsuperuser) get it too. Returns None when the
    address is another user's row (nothing sensible to make then)."""
    address = EmailAddress.objects.filter(email__iexact=user.email).first()
    if address is not None and address.user_id != user.pk:
        return None
    if address is not None and address.verified and address.primary:
        return address
    # The login email is the primary address; another one marked primary is stale (an
    # email changed outside allauth).
    EmailAddress.objects.filter(user=user, primary=True).exclude(email__iexact=user.email).update(primary=False)
    if address is None:
        return EmailAddress.objects.create(user=user, email=user.email.lower(), verified=True, primary=True)
    address.verified = address.primary = True
    address.save(update_fields=["verified", "primary"])
    return address


@audited_as_by
@transaction.atomic
def user_email_change_request(*, user: User, new_email: str, by: User) -> None:
    """Ask to change the login email; it changes only when the new address confirms the
    link allauth sends to it, and allauth then tells the old address.

    The secretariat cannot change the email of someone with case access (they could
    otherwise send that user's password reset to themselves): that user changes it.
    """
    if by.pk != user.pk and user_email_locked(user):
        raise ValidationError(
            {
                "email": f"{user.email} has (or is waiting for) access to case files or to confirming it, so only "
                "they can change their email: they change it themselves, from their profile."
            }
        )
    new_email = normalise_email(new_email)
    validate_email(new_email)
    if new_email == user.email.lower():
        raise ValidationError({"email": f"{new_email} is already the login email."})
    in_use = User.objects.filter(email__iexact=new_email).exists() or (
        EmailAddress.objects.filter(email__iexact=new_email).exclude(user=user, verified=False).exists()
    )
    if in_use:
        raise ValidationError({"email": f"The email address {new_email} is already in use."})
    if context.request is None:
        # allauth builds the confirmation link, and rate-limits it, from the current
        # request (its middleware sets it): the admin has one, a shell does not.
        raise RuntimeError("An email change is requested from a page (the admin), not outside a request.")
    user_email_address_ensure(user=user)
    EmailAddress.objects.add_new_email(context.request, user, new_email)
