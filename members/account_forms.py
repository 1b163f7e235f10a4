"""allauth forms the portal adjusts (ACCOUNT_FORMS)."""

from allauth.account.forms import AddEmailForm as AllauthAddEmailForm
from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError

from members.models import User


class AddEmailForm(AllauthAddEmailForm):
    """The email page's "change to" field, refusing an address already in use with a
    clear message. allauth would accept it silently (against enumeration) and mail a
    confirmation link to that address's owner; among invited colleagues, a clear error
    is worth more than hiding that an address has an account."""

    def clean_email(self) -> str:
        value = super().clean_email()
        taken = (
            User.objects.filter(email__iexact=value).exclude(pk=self.user.pk).exists()
            or EmailAddress.objects.filter(email__iexact=value).exclude(user=self.user).exists()
        )
        if taken:
            raise ValidationError(f"The email address {value} is already in use.")
        return value
