"""What every part of the benchmark's data shares: the sizes, the logins, and the world one
seeding run writes into (the states, their NCP teams, the users, the clock and the dice)."""

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from members.demo import MEMBER_STATES, PARTICIPATING_STATE_CODES
from members.models import MemberState, Organisation, OrganisationType, Role, User
from members.roles import role_requires_mfa, team_group
from members.services import user_email_address_ensure, user_set_role


@dataclass(frozen=True)
class BenchSize:
    name: str
    cases: int
    # How many states have case files of their own (the big state first).
    case_states: int
    referrals: int
    publications: int
    participants: int


SIZES = {
    "S": BenchSize("S", cases=1_000, case_states=1, referrals=100, publications=50, participants=20),
    "M": BenchSize("M", cases=100_000, case_states=13, referrals=10_000, publications=5_000, participants=2_000),
    "L": BenchSize("L", cases=1_000_000, case_states=13, referrals=100_000, publications=50_000, participants=20_000),
}

BIG_STATE = "EE"
OTHER_STATES = [code for code in PARTICIPATING_STATE_CODES if code != BIG_STATE]
# The benchmark's logins. Public by design, like the demo's: seed_bench is refused without
# DEBUG unless forced, and the benchmark forces it only in databases of its own.
BENCH_PASSWORD = "thb-bench-2026"  # noqa: S105
BENCH_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # noqa: S105 -- base32; the benchmark computes the codes
BENCH_DOMAIN = "bench.example.org"
# The roles the benchmark signs in as, and their logins.
BENCH_LOGINS: dict[str, str] = {
    Role.NCP: f"ncp.{BIG_STATE.lower()}@{BENCH_DOMAIN}",
    Role.NATIONAL_REPRESENTATIVE: f"rep.{BIG_STATE.lower()}@{BENCH_DOMAIN}",
    Role.TRAINER: f"trainer@{BENCH_DOMAIN}",
    Role.SECRETARIAT: f"secretariat@{BENCH_DOMAIN}",
}
YEARS = 6
RANDOM_SEED = 14


def bench_logins() -> list[dict[str, str]]:
    """What the benchmark signs in with, per role; the TOTP secret only where the role needs MFA."""
    return [
        {
            "role": str(role),
            "email": email,
            "password": BENCH_PASSWORD,
            "totp_secret": BENCH_TOTP_SECRET if role_requires_mfa(role) else "",
        }
        for role, email in BENCH_LOGINS.items()
    ]


def spread(total: int, codes: list[str]) -> dict[str, int]:
    """`total` shared as evenly as can be among the states, the first ones taking the remainder."""
    return {code: total // len(codes) + (1 if index < total % len(codes) else 0) for index, code in enumerate(codes)}


@dataclass(frozen=True)
class Plan:
    cases_per_state: dict[str, int]
    # How many of each state's cases are referred: the big state's to the others, the others' to it.
    referred_per_state: dict[str, int]

    @property
    def total_cases(self) -> int:
        return sum(self.cases_per_state.values())


def plan_of(size: BenchSize) -> Plan:
    per_state = dict.fromkeys(PARTICIPATING_STATE_CODES, 0)
    per_state.update(spread(size.cases, [BIG_STATE, *OTHER_STATES][: size.case_states]))
    referred = {BIG_STATE: size.referrals // 2, **spread(size.referrals - size.referrals // 2, OTHER_STATES)}
    # A state needs as many cases as it refers (at S the other states have none of their own).
    for code, count in referred.items():
        per_state[code] = max(per_state[code], count)
    return Plan(cases_per_state=per_state, referred_per_state=referred)


@dataclass
class World:
    size: BenchSize
    states: dict[str, MemberState]
    # The NCP of every state taking part (by its code) and the logins (by their role).
    users: dict[str, User]
    # Each state's NCP team group, by code: the holder of its object permissions.
    teams: dict[str, int]
    plan: Plan = field(init=False)
    now: datetime = field(default_factory=timezone.now)
    # Made-up data, seeded so that every run writes the same.
    rng: random.Random = field(default_factory=lambda: random.Random(RANDOM_SEED))  # noqa: S311

    def __post_init__(self) -> None:
        self.plan = plan_of(self.size)

    @property
    def start(self) -> datetime:
        """When the oldest case and publication were made."""
        return self.now - timedelta(days=365 * YEARS)


def states() -> dict[str, MemberState]:
    made = {}
    for code, name, kind, eu_eea in MEMBER_STATES:
        made[code], _ = MemberState.objects.get_or_create(
            code=code, defaults={"name": name, "kind": kind, "is_eu_eea": eu_eea}
        )
    return made


def organisation_of(state: MemberState) -> Organisation:
    organisation, _ = Organisation.objects.get_or_create(
        name=f"Victim Support Centre {state.name} (benchmark)", member_state=state, defaults={"type": "ngo"}
    )
    return organisation


def _login(email: str, full_name: str, role: str, state: MemberState | None, password_hash: str) -> User:
    if state is None:
        organisation, _ = Organisation.objects.get_or_create(
            name="CBSS Secretariat (benchmark)", member_state=None, defaults={"type": OrganisationType.INTERNATIONAL}
        )
    else:
        organisation = organisation_of(state)
    # Made as the demo makes its logins: a system action, so user_set_role (no four-eyes request).
    user, _ = User.objects.update_or_create(
        email=email, defaults={"full_name": full_name, "password": password_hash, "is_active": True}
    )
    user_set_role(user=user, role=role, member_state=state, organisation=organisation)
    user_email_address_ensure(user=user)
    if role_requires_mfa(role):
        # Enrolled as the portal requires of these roles, with the secret the benchmark knows;
        # made anew each time, so that it is encrypted with the key ring of this run.
        Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).delete()
        TOTP.activate(user, BENCH_TOTP_SECRET)
    return user


def logins(made_states: dict[str, MemberState]) -> dict[str, User]:
    """The NCP of every state taking part (the big state's signs in), its representative, the
    trainer and the secretariat; the NCPs by state code, the logins by their role."""
    password_hash = make_password(BENCH_PASSWORD)  # hashed once: hashing is deliberately slow
    users = {}
    for code in PARTICIPATING_STATE_CODES:
        ncp_state = made_states[code]
        email, full_name = f"ncp.{code.lower()}@{BENCH_DOMAIN}", f"{ncp_state.name} Bench NCP"
        users[code] = _login(email, full_name, Role.NCP, ncp_state, password_hash)
    users[Role.NCP] = users[BIG_STATE]
    others: list[tuple[str, str, MemberState | None]] = [
        (Role.NATIONAL_REPRESENTATIVE, "Bench Representative", made_states[BIG_STATE]),
        (Role.TRAINER, "Bench Trainer", None),
        (Role.SECRETARIAT, "Bench Secretariat", None),
    ]
    for role, full_name, state in others:
        users[role] = _login(BENCH_LOGINS[role], full_name, role, state, password_hash)
    return users


def world(size: BenchSize) -> World:
    made = states()
    users = logins(made)
    teams = {code: team_group(made[code], Role.NCP).pk for code in PARTICIPATING_STATE_CODES}
    return World(size=size, states=made, users=users, teams=teams)
