import logging
import time
from smtplib import SMTPException

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from django.core.exceptions import ImproperlyConfigured

from core.encryption import decrypt_text, encrypt_text
from members.middleware import SESSION_STARTED_KEY
from members.services import user_email_address_ensure

logger = logging.getLogger(__name__)


def one_line(text: str) -> str:
    # A header cannot carry a line break; a name with one must not make an email unsendable.
    return " ".join(str(text).split())


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request) -> bool:
        # Accounts come only from the secretariat's invitations.
        return False

    def login(self, request, user) -> None:
        super().login(request, user)
        # The absolute session lifetime counts from here (members.middleware).
        request.session[SESSION_STARTED_KEY] = int(time.time())
        # An account made without its EmailAddress row (the demo, createsuperuser) gets
        # it now, so that a later email change can tell the old address.
        user_email_address_ensure(user=user)

    def get_client_ip(self, request) -> str:
        """The client's address as THB_TRUSTED_PROXY_COUNT says: the hop our own proxy
        appended to X-Forwarded-For, never a value the client wrote there itself.

        The audit log takes its address from here too (thb_portal.middleware), so the rate
        limits and the audit trail agree on who asked.
        """
        try:
            return super().get_client_ip(request)
        except ImproperlyConfigured:
            # Fewer hops than proxies configured: the request did not come through them all.
            return request.META["REMOTE_ADDR"]

    def format_email_subject(self, subject: str) -> str:
        return one_line(super().format_email_subject(subject))

    def send_notification_mail(self, *args, **kwargs) -> None:
        # The security notices (email changed, authenticator added, password changed) are
        # sent at the end of the change itself: a mail relay that is down must not turn a
        # change already made into an error page.
        try:
            super().send_notification_mail(*args, **kwargs)
        except (SMTPException, OSError):
            logger.warning("A security notice could not be sent.", exc_info=True)


class MFAAdapter(DefaultMFAAdapter):
    # TOTP secrets are encrypted with the same key ring as case identities.
    def encrypt(self, text: str) -> str:
        return encrypt_text(text)

    def decrypt(self, encrypted_text: str) -> str:
        return decrypt_text(encrypted_text)
