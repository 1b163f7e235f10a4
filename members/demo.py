"""Demo reference data and accounts (DESIGN.md section 9): the states, organisations, expertise
areas and one login per role. The whole demo (`manage.py seed_demo`) is seeded by the shell,
thb_portal.demo, which runs this first: every other app's demo needs these."""

from datetime import timedelta
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from members.models import ExpertiseArea, MemberState, MemberStateKind, Organisation, OrganisationType, Role, User
from members.services import user_set_role

DEMO_PASSWORD = "thb-demo-2026"  # noqa: S105 -- public by design, refused without DEBUG
SECRETARIAT_EMAIL = "secretariat@example.org"

MEMBER_STATES = [
    # code, name, kind, EU/EEA
    ("DK", "Denmark", MemberStateKind.CBSS_MEMBER, True),
    ("EE", "Estonia", MemberStateKind.CBSS_MEMBER, True),
    ("FI", "Finland", MemberStateKind.CBSS_MEMBER, True),
    ("DE", "Germany", MemberStateKind.CBSS_MEMBER, True),
    ("IS", "Iceland", MemberStateKind.CBSS_MEMBER, True),
    ("LV", "Latvia", MemberStateKind.CBSS_MEMBER, True),
    ("LT", "Lithuania", MemberStateKind.CBSS_MEMBER, True),
    ("NO", "Norway", MemberStateKind.CBSS_MEMBER, True),
    ("PL", "Poland", MemberStateKind.CBSS_MEMBER, True),
    ("SE", "Sweden", MemberStateKind.CBSS_MEMBER, True),
    ("EU", "European Union", MemberStateKind.EU, True),
    ("BG", "Bulgaria", MemberStateKind.TRM_PARTNER, True),
    ("RO", "Romania", MemberStateKind.TRM_PARTNER, True),
    ("UA", "Ukraine", MemberStateKind.TRM_PARTNER, False),
]

# The states whose contact points and representatives take part in the BSR-TRM.
PARTICIPATING_STATE_CODES = [code for code, _, kind, _ in MEMBER_STATES if kind != MemberStateKind.EU]

EXPERTISE_AREAS = [
    "Labour exploitation",
    "Sexual exploitation",
    "Child trafficking",
    "Forced criminality",
    "Victim assistance",
    "Return and reintegration",
    "Law enforcement",
    "Data and statistics",
]


def _state_organisations(state: MemberState) -> dict[str, Organisation]:
    specs = {
        "ministry": (f"Ministry of the Interior of {state.name}", OrganisationType.MINISTRY),
        "police": (f"National Police of {state.name}", OrganisationType.POLICE),
        "ngo": (f"Victim Support Centre {state.name}", OrganisationType.NGO),
    }
    return {
        key: Organisation.objects.update_or_create(name=name, member_state=state, defaults={"type": kind})[0]
        for key, (name, kind) in specs.items()
    }


def _demo_user(
    *,
    email: str,
    full_name: str,
    role: str,
    member_state: MemberState | None,
    organisation: Organisation,
    password_hash: str,
    **profile: Any,
) -> User:
    user, _ = User.objects.update_or_create(
        email=email, defaults={"full_name": full_name, "password": password_hash, "is_active": True, **profile}
    )
    user_set_role(user=user, role=role, member_state=member_state, organisation=organisation)
    return user


@transaction.atomic
def seed_demo_members() -> list[tuple[str, str]]:
    """Create or refresh the states, organisations and users; returns (email, role label) of the demo logins."""
    password_hash = make_password(DEMO_PASSWORD)  # hashed once: hashing is deliberately slow
    states: dict[str, MemberState] = {}
    for code, name, kind, eu_eea in MEMBER_STATES:
        states[code], _ = MemberState.objects.update_or_create(
            code=code, defaults={"name": name, "kind": kind, "is_eu_eea": eu_eea, "is_active": True}
        )
    areas = {name: ExpertiseArea.objects.get_or_create(name=name)[0] for name in EXPERTISE_AREAS}
    secretariat_org, _ = Organisation.objects.update_or_create(
        name="CBSS Secretariat", member_state=None, defaults={"type": OrganisationType.INTERNATIONAL}
    )
    iom, _ = Organisation.objects.update_or_create(
        name="International Organization for Migration (IOM)",
        member_state=None,
        defaults={"type": OrganisationType.INTERNATIONAL},
    )
    logins: list[tuple[str, str]] = []
    secretariat = _demo_user(
        email=SECRETARIAT_EMAIL,
        full_name="Sofia Secretariat",
        role=Role.SECRETARIAT,
        member_state=None,
        organisation=secretariat_org,
        password_hash=password_hash,
        position="Senior Adviser, TF-THB unit",
    )
    logins.append((secretariat.email, Role.SECRETARIAT.label))
    verified = timezone.now() - timedelta(days=30)
    for index, code in enumerate(PARTICIPATING_STATE_CODES):
        state = states[code]
        organisations = _state_organisations(state)
        ncp = _demo_user(
            email=f"ncp.{code.lower()}@example.org",
            full_name=f"{state.name} Contact Point",
            role=Role.NCP,
            member_state=state,
            organisation=organisations["ministry"],
            password_hash=password_hash,
            position="National contact point, BSR-TRM",
            phone=f"+00 555 01{index:02d}",
            languages="English",
            directory_verified_at=verified if index % 3 else None,
        )
        ncp.expertise.set([areas["Victim assistance"], areas["Return and reintegration"]])
        # A second contact point: acknowledging a referral names a key contact and an alternate.
        alternate = _demo_user(
            email=f"ncp2.{code.lower()}@example.org",
            full_name=f"{state.name} Alternate Contact Point",
            role=Role.NCP,
            member_state=state,
            organisation=organisations["ngo"],
            password_hash=password_hash,
            position="Alternate contact point, BSR-TRM",
            languages="English",
            directory_verified_at=verified if index % 3 else None,
        )
        rep = _demo_user(
            email=f"rep.{code.lower()}@example.org",
            full_name=f"{state.name} Representative",
            role=Role.NATIONAL_REPRESENTATIVE,
            member_state=state,
            organisation=organisations["police"] if index % 2 else organisations["ministry"],
            password_hash=password_hash,
            position="Expert group member",
            languages="English",
        )
        rep.expertise.set([areas[EXPERTISE_AREAS[index % len(EXPERTISE_AREAS)]]])
        logins += [
            (ncp.email, Role.NCP.label),
            (alternate.email, f"{Role.NCP.label} (alternate)"),
            (rep.email, Role.NATIONAL_REPRESENTATIVE.label),
        ]
    trainer = _demo_user(
        email="trainer@example.org",
        full_name="Tomas Trainer",
        role=Role.TRAINER,
        member_state=None,
        organisation=secretariat_org,
        password_hash=password_hash,
        position="Trainer, consular staff programme",
    )
    observer = _demo_user(
        email="observer@example.org",
        full_name="Olga Observer",
        role=Role.OBSERVER,
        member_state=None,
        organisation=iom,
        password_hash=password_hash,
        position="Programme officer",
    )
    logins += [(trainer.email, Role.TRAINER.label), (observer.email, Role.OBSERVER.label)]
    return logins
