"""Demo projects (DESIGN.md section 9): invented, in the spirit of the task force's work."""

from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction

from core.visibility import Visibility
from members.models import MemberState, Organisation, OrganisationType
from projects import services
from projects.models import FundingSource, Project, ProjectStatus

ALL_CBSS = ["DK", "EE", "FI", "DE", "IS", "LV", "LT", "NO", "PL", "SE"]

PROJECTS: list[dict[str, Any]] = [
    {
        "slug": "bsr-trm",
        "acronym": "BSR-TRM",
        "title": "Transnational Referral Mechanism for the Baltic Sea Region, Bulgaria, Romania and Ukraine",
        "summary": "Agreed procedures and contact points so that a presumed victim identified in one country gets "
        "safe help in another.",
        "description": "The project set up and now maintains the region's transnational referral mechanism: "
        "national contact points, common forms, a secure portal and regular case conferences. It trains the "
        "contact points and reviews the referrals made each year.",
        "status": ProjectStatus.ONGOING,
        "funding_source": FundingSource.EU,
        "budget": Decimal("1450000"),
        "co_financing": Decimal("290000"),
        "start_date": date(2022, 1, 1),
        "end_date": date(2026, 12, 31),
        "partner_states": [*ALL_CBSS, "BG", "RO", "UA"],
        "partners": ["International Organization for Migration (IOM)"],
        "visibility": Visibility.PUBLIC,
    },
    {
        "slug": "safe-harbours",
        "acronym": "SAFE HARBOURS",
        "title": "Safe Harbours: protecting people fleeing the war in Ukraine from exploitation",
        "summary": "Early warning, safe information and outreach for refugees from Ukraine at the region's borders, "
        "stations and reception centres.",
        "description": "Multilingual information for arrivals, training for volunteers and reception staff on "
        "signs of trafficking, and a regional exchange on recruitment offers that target refugees.",
        "status": ProjectStatus.ONGOING,
        "funding_source": FundingSource.PSF,
        "budget": Decimal("85000"),
        "co_financing": Decimal("15000"),
        "start_date": date(2023, 3, 1),
        "end_date": date(2026, 2, 28),
        "partner_states": ["PL", "LT", "LV", "EE", "UA"],
        "partners": [],
        "visibility": Visibility.PUBLIC,
    },
    {
        "slug": "labour-link",
        "acronym": "LABOUR-LINK",
        "title": "Labour Link: preventing labour exploitation in seasonal agriculture and construction",
        "summary": "Labour inspectors, trade unions and employers together against forced labour in the sectors "
        "where it is most often found.",
        "description": "Joint inspections, a study of recruitment chains and guidelines for labour inspectors.",
        "status": ProjectStatus.COMPLETED,
        "funding_source": FundingSource.EU,
        "budget": Decimal("620000"),
        "co_financing": Decimal("124000"),
        "start_date": date(2018, 9, 1),
        "end_date": date(2021, 8, 31),
        "partner_states": ["FI", "SE", "NO", "EE", "LT"],
        "partners": [],
        "visibility": Visibility.PUBLIC,
    },
    {
        "slug": "local-responders",
        "acronym": "LOCAL ACT",
        "title": "Local Responders: municipal action against human trafficking",
        "summary": "Municipal staff learn to recognise trafficking and to refer victims to help, with a guide and "
        "training for 500 local actors.",
        "description": "Pilot municipalities wrote local action plans and shared them in a regional network.",
        "status": ProjectStatus.COMPLETED,
        "funding_source": FundingSource.PSF,
        "budget": Decimal("60000"),
        "co_financing": Decimal("12000"),
        "start_date": date(2019, 2, 1),
        "end_date": date(2020, 12, 31),
        "partner_states": ["LV", "LT", "PL", "SE"],
        "partners": [],
        "visibility": Visibility.PUBLIC,
    },
    {
        "slug": "media-for-change",
        "acronym": "MEDIA-THB",
        "title": "Media for Change: training journalists to report on human trafficking",
        "summary": "Workshops for journalists and media students on ethical, accurate reporting that protects victims.",
        "description": "Journalism schools in the region use the project's course module and guidelines.",
        "status": ProjectStatus.ONGOING,
        "funding_source": FundingSource.PSF,
        "budget": Decimal("45000"),
        "co_financing": None,
        "start_date": date(2024, 1, 15),
        "end_date": date(2026, 6, 30),
        "partner_states": ["DE", "DK", "EE", "PL"],
        "partners": [],
        "visibility": Visibility.PUBLIC,
    },
    {
        "slug": "consular-frontline",
        "acronym": "CONSUL",
        "title": "Consular Frontline: identification of victims by diplomatic and consular staff",
        "summary": "A handbook and training for embassies and consulates, which are often the first place a "
        "trafficked national abroad turns to.",
        "description": "More than 1,000 consular officials of the member states took part in the training.",
        "status": ProjectStatus.COMPLETED,
        "funding_source": FundingSource.NATIONAL,
        "budget": Decimal("150000"),
        "co_financing": Decimal("30000"),
        "start_date": date(2015, 1, 1),
        "end_date": date(2017, 12, 31),
        "partner_states": ALL_CBSS,
        "partners": [],
        "visibility": Visibility.PUBLIC,
    },
    {
        "slug": "data-bridges",
        "acronym": "DATA-BSR",
        "title": "Data Bridges: comparable data on human trafficking in the Baltic Sea Region",
        "summary": "Common definitions and a shared dataset so that national figures on trafficking can be compared.",
        "description": "In preparation with the national rapporteurs and statistical offices; shared with the "
        "expert group for comments.",
        "status": ProjectStatus.PLANNED,
        "funding_source": FundingSource.EU,
        "budget": Decimal("900000"),
        "co_financing": Decimal("180000"),
        "start_date": date(2026, 9, 1),
        "end_date": date(2029, 8, 31),
        "partner_states": ALL_CBSS,
        "partners": ["International Organization for Migration (IOM)"],
        "visibility": Visibility.MEMBERS,
    },
    {
        "slug": "childhood-without-exploitation",
        "acronym": "CHILD-SAFE",
        "title": "Childhood without exploitation: child trafficking and online grooming",
        "summary": "Child protection services, police and schools against the recruitment of children online.",
        "description": "A concept note being drafted by the secretariat.",
        "status": ProjectStatus.PLANNED,
        "funding_source": FundingSource.OTHER,
        "budget": None,
        "co_financing": None,
        "start_date": date(2027, 1, 1),
        "end_date": None,
        "partner_states": ["SE", "FI", "NO", "IS"],
        "partners": [],
        "visibility": Visibility.DRAFT,
    },
]


@transaction.atomic
def seed_demo_projects() -> int:
    """Create or refresh the demo projects; returns how many there are."""
    secretariat, _ = Organisation.objects.get_or_create(
        name="CBSS Secretariat", member_state=None, defaults={"type": OrganisationType.INTERNATIONAL}
    )
    states = {state.code: state for state in MemberState.objects.all()}
    for spec in PROJECTS:
        spec = dict(spec)
        state_codes, partner_names, visibility = (
            spec.pop("partner_states"),
            spec.pop("partners"),
            spec.pop("visibility"),
        )
        project, _ = Project.objects.update_or_create(
            slug=spec.pop("slug"),
            defaults={**spec, "lead_organisation": secretariat, "contact_email": "tf-thb@example.org"},
        )
        project.full_clean()
        project.partner_states.set([states[code] for code in state_codes if code in states])
        project.partner_organisations.set(Organisation.objects.filter(name__in=partner_names, member_state=None))
        if project.visibility != visibility:
            services.project_set_visibility(project=project, visibility=visibility)
    return len(PROJECTS)
