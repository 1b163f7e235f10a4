"""Demo case files: a handful per demo state, in different stages. Pseudonymous and invented."""

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from cases import services
from cases.models import (
    AgeBand,
    Case,
    ClosureReason,
    Consent,
    ControlMeans,
    ExploitationForm,
    Gender,
    RiskAssessment,
    Stage,
    TraffickingStatus,
)
from members.models import MemberState, Role, User

DEMO_STATES = ["EE", "LV", "LT", "FI", "SE", "PL"]
INFORMED_CHECKLIST = [
    "informed_of_purpose",
    "informed_of_data_use",
    "informed_of_research_use",
    "informed_of_access_right",
    "informed_of_retention",
    "informed_of_withdrawal",
]
SCENARIOS = [
    # forms, gender, age band, citizenship, country of exploitation, stage path
    (["labour"], Gender.MAN, AgeBand.AGE_30_38, "UA", None, [Stage.FORMALLY_IDENTIFIED, Stage.URGENT_ASSISTANCE]),
    (["sexual"], Gender.WOMAN, AgeBand.AGE_21_23, "RO", None, [Stage.REFLECTION_PERIOD]),
    (["forced_criminality"], Gender.MAN, AgeBand.AGE_9_17, "BG", None, []),
    (
        ["labour", "forced_begging"],
        Gender.WOMAN,
        AgeBand.AGE_39_47,
        "LT",
        "NO",
        [Stage.FORMALLY_IDENTIFIED, Stage.LONG_TERM_ASSISTANCE, Stage.FOLLOW_UP],
    ),
    (["forced_marriage"], Gender.WOMAN, AgeBand.AGE_18_20, "LV", None, [Stage.CLOSED]),
]


@transaction.atomic
def seed_demo_cases() -> int:
    created = 0
    for code in DEMO_STATES:
        state = MemberState.objects.get(code=code)
        if Case.objects.filter(member_state=state).exists():
            continue
        ncp = User.objects.filter(member_state=state, role=Role.NCP).first()
        if ncp is None:  # a state without a contact point has no one to register its cases
            continue
        for forms, gender, age_band, citizenship, exploitation, path in SCENARIOS:
            case = services.case_create(
                member_state=state,
                by=ncp,
                data={
                    "case_worker": ncp,
                    "organisation": ncp.organisation if ncp else None,
                    "trafficking_status": TraffickingStatus.POSSIBLE,
                    "gender": gender,
                    "age_band": age_band,
                    "citizenship": citizenship,
                    "country_of_exploitation": exploitation or code,
                    "languages": "English",
                },
                m2m={
                    "forms_of_exploitation": ExploitationForm.objects.filter(code__in=forms),
                    "means_of_control": ControlMeans.objects.filter(code__in=["threats", "withheld_documents"]),
                },
            )
            for stage in path:
                services.case_move_stage(
                    case=case,
                    to_stage=stage,
                    by=ncp,
                    closure_reason=ClosureReason.ASSISTANCE_COMPLETED if stage == Stage.CLOSED else "",
                    reflection_start=date.today(),
                    reflection_end=date.today() + timedelta(days=30),
                )
            services.identity_save(
                case=case, by=ncp, data={"given_names": "Demo", "family_name": f"Person {case.reference}"}
            )
            consent = Consent(
                given_by="person",
                given_on=timezone.localdate(),
                method="written",
                purposes=["assistance", "referral"],
                data_categories=["case_variables", "risk"],
                **dict.fromkeys(INFORMED_CHECKLIST, True),
            )
            services.case_record_add(case=case, record=consent, by=ncp, m2m={"member_states": [state]})
            risk = RiskAssessment(kind="initial", assessed_on=timezone.localdate(), level="medium")
            services.case_record_add(case=case, record=risk, by=ncp)
            created += 1
    return created
