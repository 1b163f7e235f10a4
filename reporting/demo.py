"""Demo national reporting for `manage.py seed_demo` (thb_portal.demo), made through the
services: validated returns for the two years before last for most states (Estonia and Latvia
among them; every state for the earlier year, the later call closed without Germany), and an
open data call for last year in which Estonia's return is a draft, Latvia's is returned with
comments and Germany's has not started. Idempotent: a year with a data call
is left alone."""

import random
from datetime import date, timedelta

from django.utils import timezone

from members.demo import SECRETARIAT_EMAIL
from members.models import MemberState, User
from reporting import services
from reporting.models import CountryProfile, DataCall, Return
from reporting.profiles import profile_save
from reporting.services import Entry

# Every state reported for the earlier year, so its region totals are public. Germany did not
# report for the later one: the secretariat closed that call, so its region totals are public
# over the other nine states, and Germany's profile has one year of figures.
VALIDATED_STATES = ("DK", "EE", "FI", "IS", "LV", "LT", "NO", "PL", "SE")
COMPLETE_STATES = (*VALIDATED_STATES, "DE")


def _rep(code: str) -> User:
    # members.demo gives every state a representative with this address.
    return User.objects.get(email=f"rep.{code.lower()}@example.org")


def _entries(call: DataCall, rng: random.Random) -> dict[str, Entry]:
    """Figures that add up: each total split over its breakdown's parts."""
    indicators = list(call.indicator_set.indicators.all())
    totals = {i.code: rng.randint(3, 60) for i in indicators if i.kind == "number" and not i.total_code}
    entries: dict[str, Entry] = {code: Entry(number=number) for code, number in totals.items()}
    parts: dict[tuple[str, str], list[str]] = {}
    for indicator in indicators:
        if indicator.total_code:
            parts.setdefault((indicator.total_code, indicator.breakdown), []).append(indicator.code)
        elif indicator.kind == "text":
            entries[indicator.code] = Entry(text="No change in the year.")
    for (total_code, _), codes in parts.items():
        left = totals[total_code]
        for code in codes[:-1]:
            share = rng.randint(0, left)
            entries[code] = Entry(number=share)
            left -= share
        entries[codes[-1]] = Entry(number=left)
    return entries


def _return(call: DataCall, code: str) -> Return:
    return call.returns.get(member_state__code=code)


def seed_demo_reporting() -> int:
    secretariat = User.objects.get(email=SECRETARIAT_EMAIL)
    rng = random.Random(16)  # noqa: S311 - made-up figures, the same every run
    last_year = timezone.localdate().year - 1
    made = 0
    for year in (last_year - 2, last_year - 1):
        if DataCall.objects.filter(year=year).exists():
            continue
        call = services.data_call_open(year=year, deadline=timezone.localdate() + timedelta(days=1), by=secretariat)
        for code in COMPLETE_STATES if year == last_year - 2 else VALIDATED_STATES:
            return_record = _return(call, code)
            services.return_save(return_record=return_record, entries=_entries(call, rng), by=_rep(code))
            services.return_transition(return_record=return_record, step="submit", by=_rep(code))
            services.return_transition(return_record=return_record, step="validate", by=secretariat)
        if year == last_year - 1:
            services.data_call_close(
                call=call,
                note="Germany's figures were not available in time for the round-up report.",
                by=secretariat,
            )
        # A past call: its deadline was in the spring after its year (the service takes only future ones).
        DataCall.objects.filter(pk=call.pk).update(deadline=date(year + 1, 3, 31))
        made += 1
    if not DataCall.objects.filter(year=last_year).exists():
        call = services.data_call_open(
            year=last_year,
            deadline=timezone.localdate() + timedelta(days=45),
            note="Figures for the round-up report; the expert group discusses the draft in the spring.",
            by=secretariat,
        )
        estonia = _return(call, "EE")
        entries = _entries(call, rng)
        services.return_save(
            return_record=estonia, entries={k: v for k, v in entries.items() if k.startswith("victims.")}, by=_rep("EE")
        )
        latvia = _return(call, "LV")
        services.return_save(return_record=latvia, entries=_entries(call, rng), by=_rep("LV"))
        services.return_transition(return_record=latvia, step="submit", by=_rep("LV"))
        services.return_transition(
            return_record=latvia,
            step="send_back",
            comment="Residence permits look low against last year: please check with the migration office.",
            by=secretariat,
        )
        made += 1
    return made + seed_demo_profiles()


PROFILES = {
    "DK": ("Ministry of Immigration and Integration", "Danish Centre against Human Trafficking", "+45 70 20 25 90"),
    "EE": ("Ministry of Justice and Digital Affairs", "Social Insurance Board", "+372 660 7320"),
    "FI": ("Ministry of the Interior", "Assistance System for Victims of Human Trafficking", "+358 295 463 177"),
    "DE": ("Federal Ministry for Family Affairs", "KOK – German NGO Network against Trafficking", "+49 30 263 911 76"),
    "IS": ("Ministry of Justice", "Directorate of Labour", "112"),
    "LV": ("Ministry of the Interior", "Society Integration Foundation", "+371 80 002 012"),
    "LT": ("Ministry of the Interior", "Caritas Lithuania", "+370 800 66 366"),
    "NO": ("Ministry of Justice and Public Security", "KOM – the coordination unit for victims", "+47 800 400 33"),
    "PL": ("Ministry of the Interior and Administration", "National Intervention Centre", "+48 22 628 01 20"),
    "SE": ("Swedish Gender Equality Agency", "National Referral Mechanism Sweden", "+46 20 50 50 50"),
}


def seed_demo_profiles() -> int:
    """Every reporting state's profile, filled in by its representative."""
    made = 0
    for code, (coordinator, lead, hotline) in PROFILES.items():
        if CountryProfile.objects.filter(member_state__code=code).exists():
            continue
        profile_save(
            state=MemberState.objects.get(code=code),
            data={
                "national_coordinator": coordinator,
                "national_rapporteur": "National rapporteur on trafficking in human beings",
                "referral_mechanism": "Presumed victims are referred to assistance by the police, labour "
                "inspectors, social services and NGOs; the lead agency coordinates.",
                "lead_agency": lead,
                "hotlines": f"National anti-trafficking hotline: {hotline}",
            },
            by=_rep(code),
        )
        made += 1
    return made
