"""The inbox, the outbox and the admin's changelist read a page off an index matching the
list's filter and order, tie-breaker included."""

from datetime import timedelta
from itertools import count

import pytest
from django.contrib import admin
from django.db import connection
from django.utils import timezone

from members.models import Role
from referrals import selectors
from referrals.models import Referral
from tests.cases.factories import make_case
from tests.referrals.factories import make_consent

_serial = count(1)


def _index(name: str) -> list[str]:
    [index] = [index for index in Referral._meta.indexes if index.name == name]
    return list(index.fields)


def _columns(order_by) -> list[str]:
    return [field.replace("pk", "id") for field in order_by]


@pytest.fixture
def lv_ncp(make_user):
    return make_user(Role.NCP, "LV")


def test_the_inbox_and_outbox_indexes_end_in_their_lists_order_and_its_tie_breaker(lv_ncp):
    inbox = _columns(selectors.inbox(user=lv_ncp).query.order_by)
    outbox = _columns(selectors.outbox(user=lv_ncp).query.order_by)
    assert inbox == ["-sent_at", "-id"]
    assert outbox == ["-created_at", "-id"]
    assert _index("referral_inbox_list_idx") == ["receiving_state", *inbox]
    assert _index("referral_outbox_list_idx") == ["sending_state", *outbox]


def test_the_admins_order_has_its_index():
    assert _index("referral_created_list_idx") == list(admin.site._registry[Referral].ordering)


@pytest.fixture
def many_referrals(make_user, demo_states):
    """Latvia's referrals among more between three other states (as one state among 13), some drafts."""
    ee_ncp = make_user(Role.NCP, "EE")
    case = make_case(ee_ncp)
    consent = make_consent(case, ee_ncp, states=[demo_states["LV"], demo_states["LT"]])
    now = timezone.now()
    pairs = [("EE", "LV"), ("LV", "EE"), ("EE", "LT"), ("LT", "FI"), ("FI", "EE"), ("LT", "EE"), ("FI", "LT")]
    rows = []
    for sender, receiver in pairs:
        for n in range(300 if "LV" in (sender, receiver) else 1200):
            draft = n % 10 == 0
            rows.append(
                Referral(
                    reference=f"IDX-{next(_serial):06d}",
                    case=case,
                    consent=consent,
                    sending_state=demo_states[sender],
                    receiving_state=demo_states[receiver],
                    purpose="assistance",
                    shared_categories=["case_variables"],
                    status="draft" if draft else "closed",
                    created_at=now - timedelta(hours=n),
                    sent_at=None if draft else now - timedelta(hours=n - 1),
                )
            )
    Referral.objects.bulk_create(rows)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE referrals_referral")


@pytest.mark.postgres
def test_a_page_of_the_inbox_is_read_off_its_index_without_a_sort(many_referrals, lv_ncp, demo_states):
    order = selectors.inbox(user=lv_ncp).query.order_by
    page = Referral.objects.filter(receiving_state=demo_states["LV"]).exclude(status="draft").order_by(*order)[:25]
    plan = page.explain()
    assert "referral_inbox_list_idx" in plan and "Sort" not in plan, plan


@pytest.mark.postgres
def test_a_page_of_the_outbox_is_read_off_its_index_without_a_sort(many_referrals, lv_ncp, demo_states):
    order = selectors.outbox(user=lv_ncp).query.order_by
    plan = Referral.objects.filter(sending_state=demo_states["LV"]).order_by(*order)[:25].explain()
    assert "referral_outbox_list_idx" in plan and "Sort" not in plan, plan


@pytest.mark.postgres
def test_a_page_of_the_admins_changelist_is_read_off_its_index_without_a_sort(many_referrals):
    plan = Referral.objects.order_by(*admin.site._registry[Referral].ordering)[:50].explain()
    assert "referral_created_list_idx" in plan and "Sort" not in plan, plan
