"""The benchmark's data (issue 14, README "Benchmark"), for `manage.py seed_bench --size S|M|L`.

The shapes, one per size:

| size | cases     | member states with cases | referrals | publications | participants of the big training |
|------|----------:|-------------------------:|----------:|-------------:|---------------------------------:|
| S    |     1,000 | 1 (the big state)        |       100 |           50 |                               20 |
| M    |   100,000 | 13                       |    10,000 |        5,000 |                            2,000 |
| L    | 1,000,000 | 13                       |   100,000 |       50,000 |                           20,000 |

The big state is Estonia; its NCP is the one the benchmark signs in as. Half of the referrals
are sent by it, half are sent to it by the other twelve states (so its inbox and outbox both
grow with the size); at S, where only the big state has case files, the cases behind the
referrals it receives are added in the other states (50 more). Cases spread over every stage,
six years and one form of exploitation each; one case in a hundred has a follow-up. The
publications' abstracts are made of the field's phrases, a theme each, so that "labour" and
"forced labour" match a fifth of them or so. The big training has two sessions, one past.

What the services would write is written, grants included: each case's
cases.services.TEAM_CASE_PERMISSIONS for its state's NCP team (3 rows a case, 3 M at L), each
referral's SENDER_PERMISSIONS for the sending team and, once sent and until withdrawn, the
RECEIVER_PERMISSIONS for the receiving team, with its consent, its snapshot and its timeline.

The logins (made as the demo makes them, with user_set_role, and enrolled in TOTP where the role
needs MFA) and the big training (training_create, with its trainer's grants) go through the
services; the bulk goes in with PostgreSQL's COPY and INSERT … SELECT instead of a service call
per row, which would take hours at L (L takes about two minutes). The random choices are
seeded: every run writes the same data.

The database must be PostgreSQL (the benchmark measures its plans) and hold no portal data
yet: seed_bench refuses one that holds cases, referrals, publications or trainings, unless it
holds exactly this size's bench data, in which case only the logins are refreshed (password,
authenticator), so that a second `make bench` starts at once.

The expert group's work grows with the size too (expert_group.GROUP_SIZES: at L 2,000 meetings
with 10,000 action points, 2,000 consultations answered by the states, a topic of 5,000 threads
and a thread of 20,000 posts).

National reporting grows in years (reporting.REPORT_YEARS: 3 at S, 10 at M, 30 at L): a data
call a year, every reporting state's return validated with a value per indicator, the newest
call open with returns in every status, and a profile per state.

One module a part: world (the sizes, the logins, what a run shares), bulk (COPY and the grants),
cases, referrals, library, training, expert_group, reporting; this package runs them in that order.
"""

from django.core.management.color import no_style
from django.db import connection, transaction

from cases.models import Case, Consent
from core.figures import public_figures_changed
from members.models import Role, User
from publications.models import Publication
from referrals.models import Referral
from reporting.models import DataCall
from reporting.published import public_figures_changed as reporting_figures_changed
from thb_portal.bench_data.cases import write_cases
from thb_portal.bench_data.expert_group import BIG_THREAD_TITLE, BIG_TOPIC_TITLE, GROUP_SIZES, write_expert_group
from thb_portal.bench_data.library import write_publications
from thb_portal.bench_data.referrals import write_referrals
from thb_portal.bench_data.reporting import REPORT_YEARS, write_reporting
from thb_portal.bench_data.training import BIG_TRAINING_TITLE, write_training
from thb_portal.bench_data.world import (
    BENCH_LOGINS,
    BENCH_PASSWORD,
    BENCH_TOTP_SECRET,
    BIG_STATE,
    SIZES,
    BenchSize,
    bench_logins,
    logins,
    plan_of,
    states,
    world,
)
from trainings.models import Registration, Training

__all__ = [
    "BENCH_LOGINS",
    "BENCH_PASSWORD",
    "BENCH_TOTP_SECRET",
    "BIG_STATE",
    "BIG_THREAD_TITLE",
    "BIG_TOPIC_TITLE",
    "BIG_TRAINING_TITLE",
    "GROUP_SIZES",
    "REPORT_YEARS",
    "SIZES",
    "BenchRefused",
    "BenchSize",
    "bench_logins",
    "seed_bench",
    "seeded_size",
]


class BenchRefused(Exception):
    """The database is not one seed_bench may fill (the message says why)."""


def seeded_size() -> str | None:
    """The size whose bench data the database holds, or None (empty, or not the bench's)."""
    if not User.objects.filter(email=BENCH_LOGINS[Role.NCP]).exists():
        return None
    counts = (Case.objects.count(), Referral.objects.count(), Publication.objects.count())
    for size in SIZES.values():
        if counts == (plan_of(size).total_cases, size.referrals, size.publications):
            return size.name
    return None


def seed_bench(size_name: str) -> str:
    """Fill the database with the size's data, or only refresh the logins when it holds that
    size already. Returns what was done, in a sentence."""
    if connection.vendor != "postgresql":
        raise BenchRefused("The benchmark's data needs PostgreSQL (it measures PostgreSQL's plans).")
    size = SIZES[size_name]
    if seeded_size() == size.name:
        with transaction.atomic():
            logins(states())
        return f"The database holds the size {size.name} data already; the logins were refreshed."
    held = {
        "cases": Case.objects.count(),
        "referrals": Referral.objects.count(),
        "publications": Publication.objects.count(),
        "trainings": Training.objects.count(),
        "data calls": DataCall.objects.count(),
    }
    if any(held.values()):
        what = ", ".join(f"{count:,} {name}" for name, count in held.items() if count)
        raise BenchRefused(
            f"seed_bench fills a database without portal data (or re-uses one with this size's bench data); "
            f"this one holds {what}. Use a fresh database."
        )
    with transaction.atomic():
        if size.name != "S" and _is_superuser():
            # Foreign keys are checked at commit, a row at a time: minutes at L, for data made
            # consistent by construction. A superuser may switch the checks (and the append-only
            # triggers, which only refuse updates) off for this transaction; at S, which the
            # smoke test seeds, PostgreSQL checks every key of the same generator.
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL session_replication_role = replica")
        _seed(size)
    # Fresh statistics, so that the planner sees the data as it will be measured.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return f"Seeded size {size.name}: {plan_of(size).total_cases:,} cases, {size.referrals:,} referrals."


def _seed(size: BenchSize) -> None:
    made = world(size)
    write_referrals(made, write_cases(made))
    write_publications(made)
    write_training(made)
    write_expert_group(made)
    write_reporting(made)
    # The ids were given explicitly; the tables' sequences continue after them.
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), [Case, Consent, Referral, Publication, Registration]):
            cursor.execute(sql)
    # Bulk writes send no signals, so the cached facts and figures are dropped here, and the
    # region's published tables.
    public_figures_changed()
    reporting_figures_changed()


def _is_superuser() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SHOW is_superuser")
        return cursor.fetchone()[0] == "on"
