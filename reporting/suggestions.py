"""Suggestions from the portal's own data, next to a return's victim and referral figures:
the state's case files of the reference year (the year of registration, as in a case's
reference) counted by the indicators' breakdowns, and the referrals it sent through the
mechanism that year. Shown only to that state's representatives and NCPs, labelled "from
case files", and never copied into the return without a click.

A case file is an identified victim once its trafficking status is "actual victim", a
presumed one while it is "possible"; "not a victim" counts in neither. A case with several
forms of exploitation counts under each (the total's note then explains the difference).
Six aggregate queries, whatever the number of cases.
"""

from django.db.models import Case as SqlCase
from django.db.models import CharField, Count, F, Q, QuerySet, Value, When

from cases.models import MINOR_AGE_BANDS, AgeBand, Case, Gender, TraffickingStatus
from members.models import MemberState
from referrals.models import Referral, ReferralStatus

# The EU's member states, for "citizens of another EU state" (ISO 3166 codes, as django-countries).
EU_COUNTRIES = frozenset(
    [
        "AT",
        "BE",
        "BG",
        "HR",
        "CY",
        "CZ",
        "DK",
        "EE",
        "FI",
        "FR",
        "DE",
        "GR",
        "HU",
        "IE",
        "IT",
        "LV",
        "LT",
        "LU",
        "MT",
        "NL",
        "PL",
        "PT",
        "RO",
        "SK",
        "SI",
        "ES",
        "SE",
    ]
)
STATUS_OF = {TraffickingStatus.ACTUAL: "identified", TraffickingStatus.POSSIBLE: "presumed"}
SEX_OF = {Gender.WOMAN: "female", Gender.MAN: "male"}
# The portal's forms of exploitation (cases' lookup codes) under the EU's categories.
FORM_OF = {
    "sexual": "sexual",
    "labour": "labour",
    "forced_criminality": "criminality",
    "forced_begging": "begging",
    "forced_marriage": "marriage",
    "organ_removal": "organs",
}


def _citizenship_group(country: str, state: MemberState) -> str:
    if not country:
        return "unknown"
    if country == state.code:
        return "own"
    return "other_eu" if country in EU_COUNTRIES else "non_eu"


def _cases(state: MemberState, year: int) -> QuerySet[Case]:
    return Case.objects.filter(member_state=state, year=year, trafficking_status__in=list(STATUS_OF))


def suggestions(*, state: MemberState, year: int) -> dict[str, int]:
    """The counts by indicator code (only the codes the data can tell)."""
    found: dict[str, int] = {}

    def add(code: str, count: int) -> None:
        found[code] = found.get(code, 0) + count

    cases = _cases(state, year)
    for row in cases.values("trafficking_status", "gender").annotate(n=Count("pk")).order_by():
        status = STATUS_OF[row["trafficking_status"]]
        add(f"victims.{status}", row["n"])
        add(f"victims.{status}.sex.{SEX_OF.get(row['gender'], 'other_unknown')}", row["n"])
    age = SqlCase(
        When(Q(is_minor=True) | Q(age_band__in=MINOR_AGE_BANDS), then=Value("child")),
        When(age_band=AgeBand.UNKNOWN, then=Value("unknown")),
        default=Value("adult"),
        output_field=CharField(),
    )
    for row in cases.annotate(age=age).values("trafficking_status", "age").annotate(n=Count("pk")).order_by():
        add(f"victims.{STATUS_OF[row['trafficking_status']]}.age.{row['age']}", row["n"])
    for row in cases.values("trafficking_status", "citizenship").annotate(n=Count("pk")).order_by():
        group = _citizenship_group(str(row["citizenship"] or ""), state)
        add(f"victims.{STATUS_OF[row['trafficking_status']]}.citizenship.{group}", row["n"])
    forms = cases.filter(forms_of_exploitation__isnull=False).annotate(form=F("forms_of_exploitation__code"))
    for row in forms.values("trafficking_status", "form").annotate(n=Count("pk")).order_by():
        add(f"victims.{STATUS_OF[row['trafficking_status']]}.form.{FORM_OF.get(row['form'], 'other')}", row["n"])
    # Every status that can be told has a number, 0 included: "none in the case files" is a suggestion too.
    for status in STATUS_OF.values():
        found.setdefault(f"victims.{status}", 0)
    found["assistance.referred_trm"] = (
        Referral.objects.filter(sending_state=state, sent_at__year=year).exclude(status=ReferralStatus.DRAFT).count()
    )
    return found
