from datetime import timedelta

from django.utils import timezone

from reporting import services
from reporting.models import DataCall, Return
from reporting.services import Entry


def open_call(secretariat, year: int | None = None) -> DataCall:
    return services.data_call_open(
        year=year or timezone.localdate().year - 1,
        deadline=timezone.localdate() + timedelta(days=30),
        by=secretariat,
    )


def return_of(call: DataCall, code: str) -> Return:
    return call.returns.get(member_state__code=code)


def complete_entries(call: DataCall, **numbers: int) -> dict[str, Entry]:
    """Every number indicator given, adding up: totals 10, each breakdown's first part 10 and
    the rest 0 (override with code=number); every section a line of text."""
    entries = {}
    for indicator in call.indicator_set.indicators.all():
        if indicator.kind == "text":
            entries[indicator.code] = Entry(text="Nothing new.")
            continue
        first_part = indicator.total_code and indicator.code.endswith(
            tuple(f".{indicator.breakdown}.{first}" for first in ("female", "child", "own", "sexual"))
        )
        number = 10 if not indicator.total_code or first_part else 0
        entries[indicator.code] = Entry(number=numbers.get(indicator.code.replace(".", "_"), number))
    return entries
