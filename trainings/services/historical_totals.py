"""The totals recorded before the portal, which the public figures add to the live counts."""

from django.db import transaction

from core.audit import audited_as_by
from members.models import User
from trainings.models import HistoricalTotal


@audited_as_by
@transaction.atomic
def historical_total_save(*, total: HistoricalTotal, by: User | None) -> HistoricalTotal:
    total.full_clean()
    total.save()
    return total


@audited_as_by
@transaction.atomic
def historical_total_delete(*, total: HistoricalTotal, by: User | None) -> None:
    total.delete()
