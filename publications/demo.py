"""Demo library (DESIGN.md section 9): the five mandates and an invented catalogue.

Titles and abstracts are invented in the spirit of the task force's work. Every file
is a small valid PDF generated here, so the demo needs no binary fixtures.
"""

import struct
import zlib
from datetime import date

from django.core.files.base import ContentFile
from django.db import transaction

from core.visibility import Visibility
from projects.models import Project
from publications import services
from publications.models import Audience, Publication, PublicationFile, PublicationType, Topic

T = PublicationType
PUBLIC, MEMBERS, DRAFT = Visibility.PUBLIC, Visibility.MEMBERS, Visibility.DRAFT


def _pdf_text(text: str) -> str:
    text = text.encode("ascii", "replace").decode("ascii")
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def _wrap(text: str, width: int = 60) -> list[str]:
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return [*lines, line] if line else lines


def minimal_pdf(title: str, pages: int = 1) -> bytes:
    """A small, valid PDF: `pages` A4 pages showing the title (Helvetica, no compression)."""
    page_ids = [4 + 2 * n for n in range(pages)]
    objects = {
        1: "<< /Type /Catalog /Pages 2 0 R >>",
        2: f"<< /Type /Pages /Kids [{' '.join(f'{i} 0 R' for i in page_ids)}] /Count {pages} >>",
        3: "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    }
    for number, page_id in enumerate(page_ids, start=1):
        lines = [*_wrap(title), "", f"Page {number} of {pages}", "Demo file of the THB Portal"]
        text = " ".join(f"({_pdf_text(line)}) Tj T*" for line in lines)
        stream = f"BT /F1 16 Tf 20 TL 72 770 Td {text} ET"
        objects[page_id] = (
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
            f"/Resources << /Font << /F1 3 0 R >> >> /Contents {page_id + 1} 0 R >>"
        )
        objects[page_id + 1] = f"<< /Length {len(stream)} >>\nstream\n{stream}\nendstream"
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for number in sorted(objects):
        offsets[number] = len(out)
        out += f"{number} 0 obj\n{objects[number]}\nendobj\n".encode("ascii")
    xref_at = len(out)
    count = max(objects) + 1
    out += f"xref\n0 {count}\n0000000000 65535 f \n".encode("ascii")
    for number in range(1, count):
        out += f"{offsets[number]:010d} 00000 n \n".encode("ascii")
    out += f"trailer\n<< /Size {count} /Root 1 0 R >>\nstartxref\n{xref_at}\n%%EOF\n".encode("ascii")
    return bytes(out)


def tiny_png(width: int = 60, height: int = 84, rgb: tuple[int, int, int] = (13, 71, 161)) -> bytes:
    """A valid PNG of one colour, for demo covers."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    row = b"\x00" + bytes(rgb) * width
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(row * height))
        + chunk(b"IEND", b"")
    )


def isbn13(serial: int) -> str:
    digits = f"978919876{serial:03d}"
    total = sum(int(d) * (1 if i % 2 == 0 else 3) for i, d in enumerate(digits))
    return f"978-91-9876-{serial:03d}-{(10 - total % 10) % 10}"


# slug, type, date, title, abstract, audiences, topics, languages, visibility, project, pages
CATALOGUE = [
    # The five mandates.
    (
        "strategic-plan-2020-2025",
        T.MANDATE,
        date(2020, 6, 3),
        "Council of the Baltic Sea States Task Force against Trafficking in Human Beings Strategic Plan 2020-2025",
        "The task force's goals for 2020-2025: prevention, protection and assistance of victims, prosecution of "
        "traffickers and partnership across the region, with the actions the expert group will take for each.",
        ["policy-makers", "general-public"],
        ["prevention", "victim-assistance", "prosecution"],
        ["en"],
        PUBLIC,
        None,
        4,
    ),
    (
        "terms-of-reference",
        T.MANDATE,
        date(2020, 6, 3),
        "Terms of Reference of the CBSS Task Force against Trafficking in Human Beings",
        "The task force's mandate, membership, chairing and working methods, as agreed by the Committee of Senior "
        "Officials of the Council of the Baltic Sea States.",
        ["policy-makers"],
        ["prevention"],
        ["en"],
        PUBLIC,
        None,
        2,
    ),
    (
        "joint-statement-labour-exploitation",
        T.MANDATE,
        date(2019, 11, 20),
        "Joint Statement of commitment to work against human trafficking for labour exploitation in the Baltic "
        "Sea Region",
        "The member states commit to prevent labour exploitation, to identify and assist its victims, and to "
        "cooperate with labour inspectorates, social partners and businesses across the region.",
        ["policy-makers", "frontline-professionals"],
        ["labour-exploitation", "identification"],
        ["en", "de", "pl"],
        PUBLIC,
        None,
        2,
    ),
    (
        "vilnius-ii-declaration",
        T.MANDATE,
        date(2010, 6, 2),
        "Vilnius II Declaration: a vision for the Baltic Sea Region by 2020",
        "The declaration notes the region's progress in protecting children at risk and in fighting organised "
        "crime, including all forms of trafficking, especially in human beings, and sets the course for further "
        "cooperation.",
        ["policy-makers", "general-public"],
        ["child-trafficking", "prosecution"],
        ["en", "lt"],
        PUBLIC,
        None,
        3,
    ),
    (
        "cbss-action-plan-2021-2025",
        T.MANDATE,
        date(2021, 6, 1),
        "CBSS Action Plan 2021-2025",
        "The Council's action plan for a safe and secure region, in which countering trafficking in human beings "
        "is one of the priorities carried out by the task force.",
        ["policy-makers"],
        ["prevention", "crisis-response"],
        ["en"],
        PUBLIC,
        None,
        3,
    ),
    # Round-up reports.
    *[
        (
            f"round-up-report-{year}",
            T.ROUND_UP_REPORT,
            date(year + 1, 3, 15),
            f"Human Trafficking in the Baltic Sea Region: Round-up Report {year}",
            f"What the member states reported for {year}: identified victims by form of exploitation, "
            "investigations and convictions, new legislation and national action plans, and the trends the "
            "expert group sees across the region."
            + (" Includes a chapter on the war in Ukraine." if year >= 2022 else ""),
            ["policy-makers", "frontline-professionals", "general-public"],
            ["data-research", "labour-exploitation", "sexual-exploitation"]
            + (["crisis-response"] if year >= 2022 else []),
            ["en", "ru"] if year >= 2021 else ["en"],
            PUBLIC if year < 2023 else MEMBERS,
            None,
            6,
        )
        for year in (2019, 2020, 2021, 2022, 2023)
    ],
    # Studies.
    (
        "labour-trafficking-construction",
        T.STUDY,
        date(2021, 5, 10),
        "Trafficking for labour exploitation in the construction sector",
        "Interviews with workers, employers and inspectors in five countries show how subcontracting chains and "
        "posted work hide exploitation, and where inspections can find it.",
        ["policy-makers", "frontline-professionals"],
        ["labour-exploitation", "identification"],
        ["en", "fi", "et"],
        PUBLIC,
        "labour-link",
        5,
    ),
    (
        "seasonal-berry-pickers",
        T.STUDY,
        date(2020, 10, 5),
        "Picked and exploited: the working conditions of seasonal berry pickers in the Nordic countries",
        "A study of recruitment fees, debt and housing conditions among seasonal workers in berry picking, with "
        "recommendations for recruiters, buyers and authorities.",
        ["policy-makers", "frontline-professionals", "mass-media"],
        ["labour-exploitation"],
        ["en", "sv", "fi"],
        PUBLIC,
        "labour-link",
        4,
    ),
    (
        "forced-criminality-networks",
        T.STUDY,
        date(2022, 2, 14),
        "Forced criminality: shoplifting, cannabis cultivation and drug couriers",
        "How traffickers force victims to commit crimes, why victims are prosecuted instead of protected, and how "
        "the non-punishment principle can be applied.",
        ["frontline-professionals", "policy-makers"],
        ["forced-criminality", "prosecution"],
        ["en", "lv"],
        PUBLIC,
        None,
        4,
    ),
    (
        "sham-marriages-study",
        T.STUDY,
        date(2019, 9, 30),
        "Sham marriages and human trafficking: a regional study",
        "Women recruited for marriages of convenience are exploited sexually and for benefit fraud. The study "
        "describes the routes and proposes checks for registry offices.",
        ["municipalities", "frontline-professionals"],
        ["forced-marriage", "sexual-exploitation"],
        ["en", "lv", "lt", "pl"],
        PUBLIC,
        None,
        3,
    ),
    (
        "ukraine-vulnerability-assessment",
        T.STUDY,
        date(2023, 1, 20),
        "On the move: vulnerability to human trafficking among people fleeing Ukraine",
        "An assessment of the risks refugees from Ukraine face on the way and after arrival, from offers of "
        "transport and housing to online job advertisements.",
        ["policy-makers", "frontline-professionals", "general-public"],
        ["crisis-response", "online-recruitment", "prevention"],
        ["en", "uk", "pl"],
        PUBLIC,
        "safe-harbours",
        4,
    ),
    (
        "online-recruitment-social-media",
        T.STUDY,
        date(2024, 4, 8),
        "Recruited online: the role of social media in trafficking for sexual exploitation",
        "How recruiters use social media and messaging apps, and what platforms, police and schools can do.",
        ["frontline-professionals", "mass-media"],
        ["online-recruitment", "sexual-exploitation"],
        ["en", "sv"],
        PUBLIC,
        None,
        3,
    ),
    (
        "child-trafficking-unaccompanied-minors",
        T.STUDY,
        date(2022, 11, 2),
        "Child trafficking and unaccompanied minors in the Baltic Sea Region",
        "Unaccompanied and separated children go missing from reception. The study maps the gaps between child "
        "protection, migration and police authorities.",
        ["frontline-professionals", "municipalities"],
        ["child-trafficking", "identification"],
        ["en", "de"],
        MEMBERS,
        None,
        4,
    ),
    # Guidelines and handbooks.
    (
        "guidelines-municipalities",
        T.GUIDELINES,
        date(2020, 12, 1),
        "Guidelines for municipalities: detecting and responding to human trafficking",
        "Practical steps for social services, housing, schools and health care to recognise signs of "
        "trafficking and refer presumed victims to assistance, with a model local action plan.",
        ["municipalities", "frontline-professionals"],
        ["identification", "referral", "victim-assistance"],
        ["en", "lv", "lt", "pl", "sv"],
        PUBLIC,
        "local-responders",
        5,
    ),
    (
        "guidelines-mass-media",
        T.GUIDELINES,
        date(2024, 9, 16),
        "Guidelines for the mass media: reporting on human trafficking",
        "How to report accurately and without harming victims: words to use and avoid, consent and anonymity, "
        "images, and sources of reliable data.",
        ["mass-media"],
        ["prevention", "victim-assistance"],
        ["en", "de", "da", "et", "pl"],
        PUBLIC,
        "media-for-change",
        3,
    ),
    (
        "handbook-diplomatic-consular-staff",
        T.HANDBOOK,
        date(2017, 10, 10),
        "Handbook for diplomatic and consular personnel on how to assist and protect victims of human trafficking",
        "What consular staff can do when a national abroad may be a victim of trafficking: recognising the "
        "signs, the first interview, travel documents, and the return home in safety.",
        ["diplomatic-consular-staff"],
        ["identification", "victim-assistance", "return-reintegration"],
        ["en", "ru", "lv", "lt", "et", "pl"],
        PUBLIC,
        "consular-frontline",
        6,
    ),
    (
        "guidelines-labour-inspectors",
        T.GUIDELINES,
        date(2021, 9, 1),
        "Guidelines for labour inspectors on identifying forced labour",
        "Indicators of forced labour that an inspection can find, how to talk to workers safely, and when to "
        "involve the police and victim support.",
        ["frontline-professionals"],
        ["labour-exploitation", "identification"],
        ["en", "fi", "no"],
        PUBLIC,
        "labour-link",
        3,
    ),
    (
        "guidelines-bsr-trm-referral",
        T.GUIDELINES,
        date(2023, 5, 25),
        "Guidelines for frontline professionals on the transnational referral of presumed victims",
        "The steps of the Baltic Sea Region Transnational Referral Mechanism: consent, risk assessment, contact "
        "with the national contact point, and follow-up after the return.",
        ["frontline-professionals", "diplomatic-consular-staff"],
        ["referral", "return-reintegration", "victim-assistance"],
        ["en", "bg", "ro", "uk"],
        PUBLIC,
        "bsr-trm",
        4,
    ),
    (
        "handbook-victim-centred-interviewing",
        T.HANDBOOK,
        date(2019, 4, 15),
        "Handbook on victim-centred and trauma-informed interviewing",
        "For police, prosecutors and social workers: preparing an interview, working with interpreters and "
        "avoiding re-traumatisation.",
        ["frontline-professionals"],
        ["victim-assistance", "prosecution"],
        ["en", "de", "sv"],
        PUBLIC,
        None,
        4,
    ),
    (
        "handbook-social-workers-child-trafficking",
        T.HANDBOOK,
        date(2025, 2, 3),
        "Handbook for social workers on child trafficking",
        "Draft for comments: identification of child victims, best-interests assessment and guardianship.",
        ["frontline-professionals", "municipalities"],
        ["child-trafficking", "victim-assistance"],
        ["en"],
        DRAFT,
        None,
        2,
    ),
    # Articles, policy documents, newsletters, other.
    (
        "demand-side-labour-exploitation",
        T.ARTICLE,
        date(2022, 6, 12),
        "Demand-side approaches to labour exploitation in supply chains",
        "Public procurement and due diligence can reduce the demand for exploited labour. An overview of what "
        "the member states have tried.",
        ["policy-makers"],
        ["labour-exploitation", "prevention"],
        ["en"],
        MEMBERS,
        None,
        2,
    ),
    (
        "trafficked-nationals-at-home",
        T.ARTICLE,
        date(2021, 11, 3),
        "Beyond borders: identifying nationals trafficked in their own country",
        "Trafficking is often seen as a migration issue, so nationals exploited at home are overlooked. The "
        "article discusses why, and how to change it.",
        ["policy-makers", "frontline-professionals"],
        ["identification", "data-research"],
        ["en", "et"],
        PUBLIC,
        None,
        2,
    ),
    (
        "forced-begging-article",
        T.ARTICLE,
        date(2023, 8, 21),
        "Forced begging in the region's capitals: a note from the expert group",
        "What police and social services in the capitals see, and which responses protect the people forced to beg.",
        ["municipalities", "general-public"],
        ["forced-begging"],
        ["en", "ro", "bg"],
        PUBLIC,
        None,
        1,
    ),
    (
        "recommendations-non-punishment",
        T.MANDATE,
        date(2024, 6, 5),
        "Recommendations to the member states on the non-punishment of victims of trafficking",
        "Policy recommendations adopted by the expert group on applying the non-punishment principle in "
        "investigation, prosecution and immigration procedures.",
        ["policy-makers"],
        ["forced-criminality", "prosecution"],
        ["en"],
        MEMBERS,
        None,
        2,
    ),
    (
        "organ-removal-briefing",
        T.OTHER,
        date(2018, 3, 12),
        "Trafficking for the removal of organs: a briefing note",
        "A short note on the legal framework and the few cases known in the region.",
        ["policy-makers", "frontline-professionals"],
        ["organ-removal"],
        ["en"],
        PUBLIC,
        None,
        1,
    ),
    *[
        (
            f"newsletter-{season.lower()}-{year}",
            T.NEWSLETTER,
            date(year, 4 if season == "Spring" else 10, 1),
            f"TF-THB Newsletter, {season} {year}",
            "News from the task force: meetings of the expert group, new publications, trainings and project results.",
            ["general-public"],
            ["prevention"],
            ["en"],
            PUBLIC,
            None,
            2,
        )
        for season, year in (("Spring", 2023), ("Autumn", 2023), ("Spring", 2024), ("Autumn", 2024))
    ],
    (
        "work-in-safety-toolkit",
        T.OTHER,
        date(2024, 11, 18),
        "Work in Safety: awareness campaign toolkit",
        "Posters, social media cards and a leaflet for people looking for work abroad: questions to ask before "
        "accepting an offer, and where to get help.",
        ["general-public", "municipalities"],
        ["prevention", "labour-exploitation", "online-recruitment"],
        ["en", "uk", "ru", "pl", "ro"],
        PUBLIC,
        "safe-harbours",
        2,
    ),
]

COVERS = {
    "strategic-plan-2020-2025": (13, 71, 161),
    "round-up-report-2022": (0, 105, 92),
    "handbook-diplomatic-consular-staff": (94, 53, 177),
}


@transaction.atomic
def seed_demo_publications() -> int:
    """Create or refresh the demo catalogue (idempotent); returns how many publications it has."""
    audiences = {audience.code: audience for audience in Audience.objects.all()}
    topics = {topic.code: topic for topic in Topic.objects.all()}
    projects = {project.slug: project for project in Project.objects.all()}
    for serial, entry in enumerate(CATALOGUE, start=1):
        slug, kind, day, title, abstract, audience_codes, topic_codes, languages, visibility, project, pages = entry
        publication, _ = Publication.objects.update_or_create(
            slug=slug,
            defaults={
                "title": title,
                "type": kind,
                "publication_date": day,
                "abstract": abstract,
                "authors": "CBSS Secretariat, TF-THB unit" if kind != T.NEWSLETTER else "",
                "isbn": isbn13(serial) if kind in (T.ROUND_UP_REPORT, T.STUDY, T.HANDBOOK) else "",
                "project": projects.get(project) if project else None,
            },
        )
        publication.full_clean()
        publication.audiences.set([audiences[code] for code in audience_codes])
        services.publication_set_topics(publication=publication, topics=[topics[code] for code in topic_codes])
        have = set(PublicationFile.objects.filter(publication=publication).values_list("language", flat=True))
        for language in languages:
            if language not in have:
                services.publication_file_attach(
                    publication=publication,
                    language=language,
                    upload=ContentFile(minimal_pdf(f"{title} ({language})", pages), name=f"{slug}-{language}.pdf"),
                )
        if slug in COVERS and not publication.cover:
            services.publication_set_cover(
                publication=publication, upload=ContentFile(tiny_png(rgb=COVERS[slug]), name=f"{slug}.png")
            )
        if publication.visibility != visibility:
            services.publication_set_visibility(publication=publication, visibility=visibility)
    return len(CATALOGUE)
