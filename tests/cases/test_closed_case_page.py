"""The case page asks Case.is_closed, as the services do: a closed case offers reopening and
no referral, an open one the reverse."""

from django.urls import reverse
from django.utils import timezone

from cases import services
from cases.models import ClosureReason, Stage
from tests.cases.factories import make_case

REFER = "Refer to another state</a>"
REOPEN = 'action="{}"'


def test_a_closed_case_offers_reopening_and_no_referral(ncp_client, ee_ncp):
    case = make_case(ee_ncp)
    url, reopen = reverse("cases:detail", args=[case.pk]), REOPEN.format(reverse("cases:reopen", args=[case.pk]))
    page = ncp_client.get(url).content.decode()
    assert REFER in page and reopen not in page
    services.case_move_stage(case=case, to_stage=Stage.CLOSED, by=ee_ncp, closure_reason=ClosureReason.REFERRED)
    case.refresh_from_db()
    assert case.is_closed
    page = ncp_client.get(url).content.decode()
    assert REFER not in page and reopen in page
    assert f"Closed {timezone.localtime(case.closed_at):%-d %b %Y}: {case.get_closure_reason_display()}" in page
