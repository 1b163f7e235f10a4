"""The first indicator set: the quantitative indicators of the EU's data collection on
trafficking in human beings, so that answers compare across states and years, and the
qualitative sections of the round-up. Seeded by migration 0002 as version 1; a later
version adds to it (reporting.services.indicator_set_new_version)."""

from dataclasses import dataclass

VICTIM_BREAKDOWNS = {
    "sex": [("female", "Female"), ("male", "Male"), ("other_unknown", "Other or unknown")],
    "age": [("child", "Child"), ("adult", "Adult"), ("unknown", "Age unknown")],
    "citizenship": [
        ("own", "Citizens of the reporting state"),
        ("other_eu", "Citizens of another EU state"),
        ("non_eu", "Citizens of a non-EU state"),
        ("unknown", "Citizenship unknown"),
    ],
    "form": [
        ("sexual", "Sexual exploitation"),
        ("labour", "Labour exploitation"),
        ("criminality", "Forced criminality"),
        ("begging", "Forced begging"),
        ("marriage", "Forced or sham marriage"),
        ("organs", "Removal of organs"),
        ("other", "Other forms"),
    ],
}
TRAFFICKER_SEX = [("female", "Female"), ("male", "Male"), ("unknown", "Sex unknown")]
QUALITATIVE = [
    ("law_policy", "Changes in law and policy"),
    ("action_plan", "The national action plan and its status"),
    ("nrm_changes", "Changes in the national referral mechanism"),
    ("good_practices", "Good practices"),
    ("challenges", "Challenges"),
]

VICTIMS = "Registered victims"
TRAFFICKERS = "Traffickers"
PERMITS = "Residence permits and reflection periods"
ASSISTANCE = "Assistance and referral"
SECTIONS = "Qualitative sections"
GROUPS = (VICTIMS, TRAFFICKERS, PERMITS, ASSISTANCE, SECTIONS)


@dataclass(frozen=True)
class IndicatorSpec:
    code: str
    label: str
    group: str
    kind: str = "number"
    total_code: str = ""
    breakdown: str = ""
    help_text: str = ""


def first_set() -> list[IndicatorSpec]:
    specs = []
    for status, status_label in (("identified", "identified"), ("presumed", "presumed")):
        total = f"victims.{status}"
        specs.append(IndicatorSpec(total, f"Victims {status_label}", VICTIMS, help_text="Registered in the year."))
        for breakdown, parts in VICTIM_BREAKDOWNS.items():
            for code, label in parts:
                specs.append(
                    IndicatorSpec(
                        f"{total}.{breakdown}.{code}",
                        f"Victims {status_label}: {label.lower() if breakdown != 'citizenship' else label}",
                        VICTIMS,
                        total_code=total,
                        breakdown=breakdown,
                    )
                )
    for stage in ("suspected", "prosecuted", "convicted"):
        total = f"traffickers.{stage}"
        specs.append(IndicatorSpec(total, f"Traffickers {stage}", TRAFFICKERS))
        specs += [
            IndicatorSpec(
                f"{total}.sex.{code}",
                f"Traffickers {stage}: {label.lower()}",
                TRAFFICKERS,
                total_code=total,
                breakdown="sex",
            )
            for code, label in TRAFFICKER_SEX
        ]
    specs += [
        IndicatorSpec("permits.residence", "Residence permits granted to third-country victims", PERMITS),
        IndicatorSpec("permits.reflection", "Reflection periods granted to third-country victims", PERMITS),
        IndicatorSpec("assistance.assisted", "Victims assisted", ASSISTANCE),
        IndicatorSpec("assistance.referred_national", "Victims referred nationally", ASSISTANCE),
        IndicatorSpec(
            "assistance.referred_trm", "Victims referred through the transnational referral mechanism", ASSISTANCE
        ),
    ]
    specs += [IndicatorSpec(f"section.{code}", label, SECTIONS, kind="text") for code, label in QUALITATIVE]
    return specs
