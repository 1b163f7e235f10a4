"""The parts of a case's page that apps built on cases fill in: its referrals.

Referrals are made from a case, so referrals sits above cases in the layering (pyproject
[tool.importlinter]) and cases may not read them. Such an app registers a section from its
AppConfig.ready(); the case page renders the registered sections, in their order, below the
panel of who outside the team has seen the case, and their buttons beside the case's title.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from cases.models import Case
from members.models import User


@dataclass(frozen=True)
class CaseSection:
    """One part of the case page, rendered by `template` with what `context(user, case)` gives.

    The page renders it on every view: its context must take the same number of queries however
    many rows it lists. The templates get that context alone (no request, no page context).
    """

    name: str
    # The lower, the higher on the page.
    order: int
    template: str
    context: Callable[[User, Case], Mapping[str, Any]]
    # Buttons beside the case's title, rendered with the same context; none when empty.
    actions_template: str = ""


@dataclass(frozen=True)
class RenderedSection:
    actions: SafeString
    body: SafeString


_SECTIONS: dict[str, CaseSection] = {}


def register_case_section(section: CaseSection) -> None:
    """Add a section to the case page; a section of the same name is replaced (a reload)."""
    _SECTIONS[section.name] = section


def case_sections() -> list[CaseSection]:
    return sorted(_SECTIONS.values(), key=lambda section: (section.order, section.name))


def render_case_sections(user: User, case: Case) -> list[RenderedSection]:
    """Each registered section's buttons and body as HTML, in order, for what `user` may see of `case`."""
    rendered = []
    for section in case_sections():
        # Asked once: the buttons and the body share one context.
        context = dict(section.context(user, case))
        actions = render_to_string(section.actions_template, context) if section.actions_template else SafeString()
        rendered.append(RenderedSection(actions=actions, body=render_to_string(section.template, context)))
    return rendered
