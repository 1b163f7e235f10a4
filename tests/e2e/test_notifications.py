"""Notices in a real browser: the link in a notice's email (a GET that writes nothing) marks it
read on the way to its page and leaves no step of its own in the history; the notice list
opens a notice by a POST."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from members.models import Role
from notifications import services
from notifications.models import Notification
from tests.e2e.test_login_mfa import at_path, sign_in

pytestmark = pytest.mark.e2e


def test_a_notice_opened_from_its_email_or_the_list_is_read_and_leads_to_its_page(page, make_user, csp_violations):
    observer = make_user(Role.OBSERVER, full_name="Olga Observer")
    for text, link in [("New guidelines", "/library/"), ("Choose your emails", "/notifications/preferences/")]:
        services.notify(recipients=[observer], kind="announcement", text=text, link=link)
    from_email, from_list = Notification.objects.filter(recipient=observer).order_by("pk")

    sign_in(page, observer.email)
    expect(page).to_have_url(at_path("dashboard"))

    # The email's link: the page posts once loaded and moves on, in its own place in the history.
    page.goto(reverse("notifications:open", args=[from_email.pk]))
    expect(page).to_have_url(at_path("publications:library"))
    from_email.refresh_from_db()
    assert from_email.read_at is not None
    page.go_back()
    expect(page).to_have_url(at_path("dashboard"))

    # The list: the notice's title is a button that posts, marks it read and follows its link.
    page.goto(reverse("notifications:list"))
    page.get_by_role("button", name="Choose your emails", exact=True).click()
    expect(page).to_have_url(at_path("notifications:preferences"))
    from_list.refresh_from_db()
    assert from_list.read_at is not None
    assert csp_violations == []
