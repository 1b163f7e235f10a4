"""The portal's authentication backends: Django's and allauth's, each loading a signed-in
user in fewer queries.

Every signed-in request loads the user (and asks whether MFA is set up, for the MFA
middleware) and, on most pages, the user's permissions for the navigation. Django runs
these as four queries; here they are two: the user row carries whether an authenticator
exists, and the user's own and their groups' permissions come in one query.
"""

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend
from django.contrib.auth.models import Permission
from django.db.models import Exists, OuterRef

# Set on the user the session loads; read by members.middleware only, before the view runs
# (a view that removes the authenticator changes what is true later in the same request).
MFA_ENABLED_AT_LOAD = "thb_mfa_enabled_at_load"


class _OneQueryUserMixin:
    def get_user(self, user_id):
        # The state comes with the user: the navigation and the expert group's pages ask its kind.
        users = (
            get_user_model()
            ._default_manager.select_related("member_state")
            .annotate(**{MFA_ENABLED_AT_LOAD: Exists(Authenticator.objects.filter(user=OuterRef("pk")))})
        )
        user = users.filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None  # type: ignore[attr-defined]

    def get_all_permissions(self, user_obj, obj=None):
        # As Django's ModelBackend (same cache attribute, so every backend shares it), in one query.
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None or user_obj.is_superuser:
            return super().get_all_permissions(user_obj, obj)  # type: ignore[misc]
        if not hasattr(user_obj, "_perm_cache"):
            fields = ("content_type__app_label", "codename")
            own = Permission.objects.filter(user=user_obj).order_by().values_list(*fields)
            through_groups = Permission.objects.filter(group__user=user_obj).order_by().values_list(*fields)
            rows = own.union(through_groups)
            user_obj._perm_cache = {f"{app_label}.{codename}" for app_label, codename in rows}
        return user_obj._perm_cache


class ModelBackend(_OneQueryUserMixin, DjangoModelBackend):
    """Django's backend (password sign-in, the admin, tests' force_login), loading users as above."""


class AuthenticationBackend(_OneQueryUserMixin, AllauthBackend):
    """allauth's backend, except that an address someone is changing to signs nobody in
    until it has been confirmed: allauth would also accept the unverified address."""

    def _authenticate_by_email(self, email: str, password: str):
        user = super()._authenticate_by_email(email, password)
        if user is None or user.email.lower() == email.lower():
            return user
        if EmailAddress.objects.filter(user=user, email__iexact=email, verified=True).exists():
            return user
        return None
