from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from allauth.account.models import EmailAddress


class AuthenticationBackend(AllauthBackend):
    """allauth's backend, except that an address someone is changing to signs nobody in
    until it has been confirmed: allauth would also accept the unverified address."""

    def _authenticate_by_email(self, email: str, password: str):
        user = super()._authenticate_by_email(email, password)
        if user is None or user.email.lower() == email.lower():
            return user
        if EmailAddress.objects.filter(user=user, email__iexact=email, verified=True).exists():
            return user
        return None
