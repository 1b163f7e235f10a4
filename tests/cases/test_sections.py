"""The case page renders what the apps above cases register (cases/sections.py), in order."""

import pytest

from cases import sections
from core.sections import PageSection, PageSections
from tests.cases.factories import make_case

TEMPLATES = {
    "first.html": "<section>first of {{ case.reference }}</section>",
    "first_buttons.html": "<a>act on {{ case.reference }}</a>",
    "second.html": "<section>second, for {{ who }}</section>",
}


@pytest.fixture
def only_test_sections(monkeypatch, settings):
    """An empty registry and templates from memory, so only this test's sections render."""
    monkeypatch.setattr(sections, "case_page", PageSections())
    settings.TEMPLATES = [
        {
            "BACKEND": "django.template.backends.django.DjangoTemplates",
            "OPTIONS": {"loaders": [("django.template.loaders.locmem.Loader", TEMPLATES)]},
        }
    ]


def test_sections_render_in_their_order_each_asked_for_its_context_once(only_test_sections, ee_ncp):
    case = make_case(ee_ncp)
    asked = []

    def first_context(user, case):
        asked.append("first")
        return {"case": case}

    sections.case_page.register(
        PageSection(name="second", order=20, template="second.html", context=lambda user, case: {"who": user.email})
    )
    sections.case_page.register(
        PageSection(
            name="first", order=10, template="first.html", actions_template="first_buttons.html", context=first_context
        )
    )

    rendered = sections.case_page.render(ee_ncp, case)

    assert [str(section.body) for section in rendered] == [
        f"<section>first of {case.reference}</section>",
        f"<section>second, for {ee_ncp.email}</section>",
    ]
    # The buttons share the body's context; a section without buttons renders none.
    assert [str(section.actions) for section in rendered] == [f"<a>act on {case.reference}</a>", ""]
    assert asked == ["first"]


def test_registering_a_section_again_replaces_it(only_test_sections):
    sections.case_page.register(PageSection(name="first", order=10, template="first.html", context=lambda u, c: {}))
    sections.case_page.register(PageSection(name="first", order=5, template="second.html", context=lambda u, c: {}))

    assert [(section.name, section.template) for section in sections.case_page.sections()] == [("first", "second.html")]
