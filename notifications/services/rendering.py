"""The emails' subjects and bodies: a notice's, a digest's, and one to an address."""

from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template import Context, Engine, TemplateDoesNotExist
from django.template.loader import render_to_string
from django.urls import reverse

from core.types import PortalUser
from notifications.kinds import get_kind
from notifications.models import Delivery, Notification


def _absolute(link: str) -> str:
    if not link or link.startswith(("http://", "https://")):
        return link
    base: str = settings.THB_PUBLIC_BASE_URL
    return base.rstrip("/") + link


def email_link(notification: Notification) -> str:
    """The link of a notice's email: its open page (a GET that writes nothing), which marks it
    read on the way to its page, as opening it in the portal does. Empty for a notice without one."""
    if not notification.link:
        return ""
    return _absolute(notification.get_absolute_url())


def _subject(text: str) -> str:
    # One line: a header cannot carry a line break (a name typed with one must not make
    # the email unsendable, nor add a header of its own).
    return " ".join(f"[THB Portal] {text}".split())[:200]


def render_plain_text(template_name: str, context: dict[str, Any]) -> str:
    """A plain-text email body: HTML escaping would turn O'Neill & Sons into
    O&#x27;Neill &amp; Sons, and a text mail part is never parsed as HTML."""
    return Engine.get_default().get_template(template_name).render(Context(context, autoescape=False))


def _render_pair(template_base: str, fallback_base: str, context: dict[str, Any]) -> tuple[str, str]:
    try:
        text = render_plain_text(f"{template_base}.txt", context)
        html = render_to_string(f"{template_base}.html", context)
    except TemplateDoesNotExist:
        text = render_plain_text(f"{fallback_base}.txt", context)
        html = render_to_string(f"{fallback_base}.html", context)
    return text, html


def _message_id(delivery: Delivery) -> str:
    # Stable per delivery, so any downstream duplicate can be recognised as one.
    return f"<{delivery.key.replace(':', '.')}@thb-portal>"


def _recipient(delivery: Delivery) -> PortalUser:
    # A notice's or digest's delivery has a recipient (the delivery_has_someone_to_reach check
    # allows an address instead only for the address channel); a row without is unsendable.
    if delivery.recipient is None:
        raise ValueError(f"Delivery {delivery.key} has no recipient.")
    return delivery.recipient


def notice_of(delivery: Delivery) -> Notification:
    """The notice a notice's or digest item's delivery carries (one without cannot be sent)."""
    if delivery.notification is None:
        raise ValueError(f"Delivery {delivery.key} has no notice.")
    return delivery.notification


def notification_email(delivery: Delivery) -> EmailMultiAlternatives:
    notification = notice_of(delivery)
    recipient = _recipient(delivery)
    kind = get_kind(notification.kind)
    context: dict[str, Any] = {
        "notification": notification,
        "recipient": recipient,
        "link": email_link(notification),
        "preferences_link": _absolute(reverse("notifications:preferences")),
        "kind": kind,
    }
    if kind.email_context:
        context.update(kind.email_context(notification))
    text, html = _render_pair(f"notifications/email/{kind.key}", "notifications/email/default", context)
    message = EmailMultiAlternatives(
        subject=_subject(notification.text),
        body=text,
        to=[recipient.email],
        headers={"Message-ID": _message_id(delivery)},
    )
    message.attach_alternative(html, "text/html")
    return message


def address_email(delivery: Delivery) -> EmailMultiAlternatives:
    return EmailMultiAlternatives(
        subject=_subject(delivery.subject),
        body=delivery.body,
        to=[delivery.address],
        headers={"Message-ID": _message_id(delivery)},
    )


def digest_email(digest: Delivery, items: list[Delivery]) -> EmailMultiAlternatives:
    recipient = _recipient(digest)
    notices = [notice_of(item) for item in items]
    context = {
        "recipient": recipient,
        "items": [{"notification": notice, "link": email_link(notice)} for notice in notices],
        "preferences_link": _absolute(reverse("notifications:preferences")),
        "inbox_link": _absolute(reverse("notifications:list")),
    }
    text, html = _render_pair("notifications/email/digest", "notifications/email/digest", context)
    count = len(items)
    message = EmailMultiAlternatives(
        subject=_subject(f"Your daily digest: {count} notice{'s' if count != 1 else ''}"),
        body=text,
        to=[recipient.email],
        headers={"Message-ID": _message_id(digest)},
    )
    message.attach_alternative(html, "text/html")
    return message
