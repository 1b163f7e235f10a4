"""The cases: made by PostgreSQL itself (generate_series), since a million rows made in Python
take minutes; each with its form of exploitation, one in a hundred with a follow-up, and the
grants case_create gives (cases.services.TEAM_CASE_PERMISSIONS, to the state's NCP team)."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import connection, models

from cases.models import (
    MINOR_AGE_BANDS,
    AgeBand,
    Case,
    CaseGroupObjectPermission,
    CaseStatus,
    ClosureReason,
    ExploitationForm,
    Gender,
    Stage,
    TraffickingStatus,
)
from cases.services import TEAM_CASE_PERMISSIONS
from members.demo import PARTICIPATING_STATE_CODES
from thb_portal.bench_data.bulk import grant, next_id, require_columns
from thb_portal.bench_data.world import World, organisation_of

STAGES = list(Stage.values)
# The values the cases' columns are drawn from (uniformly, by PostgreSQL's random()).
CASE_CHOICES: dict[str, list[str]] = {
    "genders": [Gender.WOMAN, Gender.MAN, Gender.WOMAN, Gender.UNKNOWN, Gender.TRANS_OTHER],
    "age_bands": [band for band in AgeBand.values if band != AgeBand.UNKNOWN],
    "countries": ["UA", "RO", "BG", "VN", "NG", "PH", "EE", "LV", "LT", "PL", "BY", "MD"],
    # A case closed "referred" has a status of its own; the bench's closed cases are closed otherwise.
    "closure_reasons": [reason for reason in ClosureReason.values if reason != ClosureReason.REFERRED],
    "trafficking_statuses": list(TraffickingStatus.values),
    "identified_by": ["police", "ngo", "government"],
    "recruitment_methods": ["job_offer", "romance", "online", "agency", "unknown"],
    "labour_sectors": ["A", "C", "F", "G", "I", "T"],
}
CASE_COLUMNS = [
    "id",
    "reference",
    "member_state_id",
    "year",
    "sequence",
    "organisation_id",
    "case_worker_id",
    "stage",
    "status",
    "stage_changed_at",
    "not_identified_reason",
    "reflection_start",
    "reflection_end",
    "closure_reason",
    "closed_at",
    "reopened_reason",
    "trafficking_status",
    "identified_by",
    "gender",
    "age_band",
    "is_minor",
    "guardian_appointed",
    "best_interests_note",
    "citizenship",
    "country_of_recruitment",
    "countries_of_transit",
    "country_of_exploitation",
    "recruitment_method",
    "recruiter_relation",
    "labour_sector",
    "languages",
    "interpretation_needed",
    "interpretation_language",
    "created_at",
    "created_by_id",
    "updated_at",
    "anonymised_at",
]
# One state's cases, `count` of them from id `first`, created evenly over the years (oldest first)
# and numbered per year as case_create numbers them (EE-2024-0042); the stages in turn; the status
# each stage gives (as cases.services sets it on a stage move).
# Only the models' own names and choices are formatted in; the data are parameters.
CASES_SQL = f"""
INSERT INTO cases_case ({", ".join(CASE_COLUMNS)})
SELECT
    id, %(code)s || '-' || year || '-' || lpad(seq::text, greatest(4, length(seq::text)), '0'), %(state)s,
    year, seq, %(organisation)s, %(worker)s, stage,
    CASE stage WHEN '{Stage.CLOSED}' THEN '{CaseStatus.CLOSED}' WHEN '{Stage.FOLLOW_UP}' THEN '{CaseStatus.FOLLOW_UP}'
        ELSE '{CaseStatus.ACTIVE}' END,
    changed,
    CASE WHEN stage = '{Stage.NOT_IDENTIFIED}' THEN 'Indicators were not confirmed.' ELSE '' END,
    CASE WHEN stage = '{Stage.REFLECTION_PERIOD}' THEN changed::date END,
    CASE WHEN stage = '{Stage.REFLECTION_PERIOD}' THEN changed::date + 90 END,
    CASE WHEN stage = '{Stage.CLOSED}' THEN pg_temp.pick(%(closure_reasons)s) ELSE '' END,
    CASE WHEN stage = '{Stage.CLOSED}' THEN changed END,
    '', pg_temp.pick(%(trafficking_statuses)s), pg_temp.pick(%(identified_by)s), pg_temp.pick(%(genders)s), age_band,
    age_band = ANY(%(minor_bands)s), false, '', pg_temp.pick(%(countries)s), pg_temp.pick(%(countries)s), '', %(code)s,
    pg_temp.pick(%(recruitment_methods)s), 'unknown', pg_temp.pick(%(labour_sectors)s), 'English', false, '',
    created, %(worker)s, changed, NULL
FROM (
    SELECT *, row_number() OVER (PARTITION BY year ORDER BY id) AS seq
    FROM (
        SELECT %(first)s + i AS id, created, extract(year FROM created AT TIME ZONE %(tz)s)::int AS year,
            (%(stages)s::text[])[1 + i %% cardinality(%(stages)s::text[])] AS stage,
            created + (%(now)s - created) * (random() * 0.5) AS changed, pg_temp.pick(%(age_bands)s) AS age_band
        FROM (
            SELECT i, %(start)s + %(span)s * (i + random()) AS created FROM generate_series(0, %(count)s - 1) AS i
        ) AS series
    ) AS drawn
) AS numbered
"""  # noqa: S608
# One form of exploitation a case, the forms in turn.
FORMS_SQL = """
INSERT INTO cases_case_forms_of_exploitation (case_id, exploitationform_id)
SELECT id, (%s::bigint[])[1 + id %% %s] FROM cases_case WHERE id BETWEEN %s AND %s
"""
# One case in a hundred has a follow-up due within a month either way; half the past ones are done.
FOLLOW_UPS_SQL = """
INSERT INTO cases_followup (case_id, member_state_id, recorded_by_id, recorded_at, due_on, done_on, method, outcome)
SELECT id, member_state_id, %(worker)s, %(now)s, due,
    CASE WHEN due < current_date AND random() < 0.5 THEN due END, 'phone', ''
FROM (
    SELECT id, member_state_id, current_date + floor(random() * 61)::int - 30 AS due
    FROM cases_case WHERE id BETWEEN %(first)s AND %(last)s AND (id - %(first)s) %% 100 = 0
) AS due
"""
# A uniform pick from an array, for the statements above (a function of the seeding transaction only).
PICK_FUNCTION = """
CREATE FUNCTION pg_temp.pick(text[]) RETURNS text LANGUAGE sql VOLATILE AS
'SELECT $1[1 + floor(random() * cardinality($1))::int]'
"""


@dataclass(frozen=True)
class ReferredCase:
    """What a referral needs of its case, read back for the few cases that get one."""

    id: int
    reference: str
    state: str
    created_at: datetime
    stage: str
    gender: str


def write_cases(world: World) -> dict[str, list[ReferredCase]]:
    """Write every case; returns, per state, the cases its referrals are made from."""
    first_id = next_id(Case)
    referred: dict[str, list[ReferredCase]] = {}
    forms = list(ExploitationForm.objects.values_list("pk", flat=True))
    require_columns(Case, CASE_COLUMNS)
    with connection.cursor() as cursor:
        cursor.execute(PICK_FUNCTION)
        # PostgreSQL's random() draws the same as every run too.
        cursor.execute("SELECT setseed(%s)", [world.rng.random() - 0.5])
    for code in PARTICIPATING_STATE_CODES:
        count = world.plan.cases_per_state[code]
        if not count:
            continue
        last_id = first_id + count - 1
        state, ncp = world.states[code], world.users[code]
        params: dict[str, Any] = {
            "first": first_id,
            "count": count,
            "code": code,
            "state": state.pk,
            "organisation": organisation_of(state).pk,
            "worker": ncp.pk,
            "start": world.start,
            "span": (world.now - world.start) / count,
            "now": world.now,
            "tz": settings.TIME_ZONE,
            "stages": STAGES,
            "minor_bands": list(MINOR_AGE_BANDS),
            **CASE_CHOICES,
        }
        with connection.cursor() as cursor:
            cursor.execute(CASES_SQL, params)
            cursor.execute(FORMS_SQL, [forms, len(forms), first_id, last_id])
            cursor.execute(FOLLOW_UPS_SQL, {"first": first_id, "last": last_id, "worker": ncp.pk, "now": world.now})
        these = "id BETWEEN %s AND %s"
        for permission in TEAM_CASE_PERMISSIONS:
            grant(CaseGroupObjectPermission, Case, permission, world.teams[code], these, [first_id, last_id])
        referred[code] = _referred_cases(world, code, first_id, count)
        first_id += count
    return referred


def _referred_cases(world: World, code: str, first_id: int, count: int) -> list[ReferredCase]:
    """Every so many of the state's cases, as many as the plan refers, spread over the years."""
    wanted = world.plan.referred_per_state[code]
    if not wanted:
        return []
    every = max(1, count // wanted)
    rows = (
        Case.objects.filter(id__gte=first_id, id__lt=first_id + count)
        .annotate(step=(models.F("id") - first_id) % every)
        .filter(step=0)
        .order_by("id")
        .values_list("id", "reference", "created_at", "stage", "gender")[:wanted]
    )
    return [ReferredCase(pk, reference, code, created, stage, gender) for pk, reference, created, stage, gender in rows]
