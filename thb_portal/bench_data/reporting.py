"""National reporting at the size's scale: a data call per year, every reporting state's return
validated with all its values (breakdowns adding up to their totals), the latest call still
open with returns in every status, and a filled-in profile per state; so that the board, the
region's figures and the country pages are measured as the years add up (issue 14, point 7).

What grows with the data here is the number of years (the issue's own test of the pages is 3
against 30 years of returns); a year holds a return per reporting state and a value per
indicator. The rows are what the services write: a value's revision, and a return's events
for every move it made.
"""

from datetime import timedelta

from members.models import Role
from reporting import published
from reporting.models import (
    CountryProfile,
    CountryProfileRevision,
    DataCall,
    Indicator,
    IndicatorKind,
    IndicatorSet,
    Return,
    ReturnEvent,
    ReturnStatus,
    Value,
    ValueRevision,
)
from reporting.services import reporting_states
from thb_portal.bench_data.world import BIG_STATE, World

# Years of returns at each size; the newest of them is the open data call.
REPORT_YEARS = {"S": 3, "M": 10, "L": 30}
BATCH = 5_000

# The moves a return in each status made from "not started".
MOVES = {
    ReturnStatus.NOT_STARTED: [],
    ReturnStatus.DRAFT: [("start", ReturnStatus.NOT_STARTED, ReturnStatus.DRAFT)],
    ReturnStatus.SUBMITTED: [
        ("start", ReturnStatus.NOT_STARTED, ReturnStatus.DRAFT),
        ("submit", ReturnStatus.DRAFT, ReturnStatus.SUBMITTED),
    ],
    ReturnStatus.RETURNED: [
        ("start", ReturnStatus.NOT_STARTED, ReturnStatus.DRAFT),
        ("submit", ReturnStatus.DRAFT, ReturnStatus.SUBMITTED),
        ("send_back", ReturnStatus.SUBMITTED, ReturnStatus.RETURNED),
    ],
    ReturnStatus.VALIDATED: [
        ("start", ReturnStatus.NOT_STARTED, ReturnStatus.DRAFT),
        ("submit", ReturnStatus.DRAFT, ReturnStatus.SUBMITTED),
        ("validate", ReturnStatus.SUBMITTED, ReturnStatus.VALIDATED),
    ],
}


def write_reporting(world: World) -> None:
    indicator_set = IndicatorSet.objects.order_by("-version").first()
    if indicator_set is None:
        raise RuntimeError("no indicator set: the reporting migrations seed version 1")
    indicators = list(indicator_set.indicators.order_by("position"))
    states = list(reporting_states())
    secretariat = world.users[Role.SECRETARIAT]
    newest = world.now.year - 1
    years = list(range(newest - REPORT_YEARS[world.size.name] + 1, newest + 1))
    calls = DataCall.objects.bulk_create(
        DataCall(
            year=year,
            indicator_set=indicator_set,
            deadline=world.now.date() + timedelta(days=30)
            if year == newest
            else world.now.date().replace(year=year + 1),
            note=f"Figures for {year} (benchmark).",
            opened_by=secretariat,
            opened_at=world.now - timedelta(days=30 + 365 * (newest - year)),
        )
        for year in years
    )
    returns = []
    for call in calls:
        for index, state in enumerate(states):
            status = ReturnStatus.VALIDATED if call.year != newest else _open_status(state.code, index)
            returns.append(_return(world, call, state, status))
    Return.objects.bulk_create(returns, batch_size=BATCH)
    _values(world, returns, indicators)
    _events(world, returns, secretariat)
    _profiles(world, states)
    # The publications the validations would have kept (one per year, as of now).
    published.record(years)


def _open_status(code: str, index: int) -> str:
    """The open call, as in the demo: the big state's return a draft, Latvia's returned with
    comments, the rest submitted or not started."""
    if code == BIG_STATE:
        return ReturnStatus.DRAFT
    if code == "LV":
        return ReturnStatus.RETURNED
    return ReturnStatus.SUBMITTED if index % 2 else ReturnStatus.NOT_STARTED


def _return(world: World, call: DataCall, state, status: str) -> Return:
    at = call.opened_at + timedelta(days=20)
    return Return(
        data_call=call,
        member_state=state,
        status=status,
        changed_at=at,
        changed_by=world.users[state.code] if status != ReturnStatus.NOT_STARTED else None,
        submitted_at=at if status in (ReturnStatus.SUBMITTED, ReturnStatus.VALIDATED) else None,
        validated_at=at + timedelta(days=5) if status == ReturnStatus.VALIDATED else None,
    )


def _numbers(world: World, indicators: list[Indicator]) -> dict[str, int]:
    """A number per indicator: the totals made up, each breakdown splitting its total."""
    numbers = {one.code: world.rng.randint(0, 400) for one in indicators if not one.total_code}
    parts: dict[tuple[str, str], list[str]] = {}
    for one in indicators:
        if one.total_code and one.kind == IndicatorKind.NUMBER:
            parts.setdefault((one.total_code, one.breakdown), []).append(one.code)
    for (total_code, _), codes in parts.items():
        left = numbers.get(total_code, 0)
        for code in codes[:-1]:
            numbers[code] = world.rng.randint(0, left)
            left -= numbers[code]
        numbers[codes[-1]] = left
    return numbers


def _values(world: World, returns: list[Return], indicators: list[Indicator]) -> None:
    values = []
    for record in returns:
        if record.status == ReturnStatus.NOT_STARTED:
            continue
        numbers = _numbers(world, indicators)
        for one in indicators:
            text = one.kind == IndicatorKind.TEXT
            values.append(
                Value(
                    return_record=record,
                    indicator=one,
                    number=None if text else numbers[one.code],
                    text="Nothing new this year (benchmark)." if text else "",
                    changed_by=record.changed_by,
                    changed_at=record.changed_at,
                )
            )
    Value.objects.bulk_create(values, batch_size=BATCH)
    ValueRevision.objects.bulk_create(
        (
            ValueRevision(
                value=value,
                status=value.status,
                number=value.number,
                text=value.text,
                note=value.note,
                changed_by=value.changed_by,
                changed_at=value.changed_at,
            )
            for value in values
        ),
        batch_size=BATCH,
    )


def _events(world: World, returns: list[Return], secretariat) -> None:
    events = []
    for record in returns:
        for step, before, after in MOVES[ReturnStatus(record.status)]:
            by = secretariat if step in ("send_back", "validate") else world.users[record.member_state.code]
            events.append(
                ReturnEvent(
                    return_record=record,
                    step=step,
                    from_status=before,
                    to_status=after,
                    comment="Please explain the change in labour exploitation." if step == "send_back" else "",
                    by=by,
                    at=record.changed_at,
                )
            )
    ReturnEvent.objects.bulk_create(events, batch_size=BATCH)


def _profiles(world: World, states: list) -> None:
    for state in states:
        ncp = world.users[state.code]
        data = {
            "national_coordinator": f"National coordinator of {state.name} (benchmark)",
            "national_rapporteur": "The national rapporteur's office",
            "referral_mechanism": "The national referral mechanism, led by the social services.",
            "lead_agency": "Social services",
            "hotlines": "Hotline: 116 006",
        }
        profile = CountryProfile.objects.create(
            member_state=state, changed_at=world.now, changed_by=ncp, confirmed_at=world.now, confirmed_by=ncp, **data
        )
        CountryProfileRevision.objects.create(profile=profile, data=data, changed_by=ncp, changed_at=world.now)
