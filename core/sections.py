"""Parts of one app's page that apps above it fill in, without the app below knowing them.

The layering (pyproject [tool.importlinter]) lets an app import only the apps below it; yet
the case page lists the case's referrals, and a project's page its publications and trainings.
The lower app declares one `PageSections` for such a page (cases.sections, projects.sections);
an app above registers a `PageSection` on it from its AppConfig.ready(); the page's view
renders what is registered, in order.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.template.loader import render_to_string
from django.utils.safestring import SafeString

Viewer = TypeVar("Viewer")  # who views the page
Subject = TypeVar("Subject")  # the object the page is about


@dataclass(frozen=True)
class PageSection(Generic[Viewer, Subject]):
    """One part of a page, rendered by `template` with what `context(user, obj)` gives.

    The page renders it on every view: its context must take the same number of queries however
    many rows it lists. The templates get that context alone (no request, no page context).
    """

    name: str
    # The lower, the higher on the page.
    order: int
    template: str
    context: Callable[[Viewer, Subject], Mapping[str, Any]]
    # Buttons for the page's title, rendered with the same context; none when empty.
    actions_template: str = ""


@dataclass(frozen=True)
class RenderedSection:
    actions: SafeString
    body: SafeString


class PageSections(Generic[Viewer, Subject]):
    """The sections registered for one page."""

    def __init__(self) -> None:
        self._sections: dict[str, PageSection[Viewer, Subject]] = {}

    def register(self, section: PageSection[Viewer, Subject]) -> None:
        """Add a section; a section of the same name is replaced (a reload)."""
        self._sections[section.name] = section

    def sections(self) -> list[PageSection[Viewer, Subject]]:
        return sorted(self._sections.values(), key=lambda section: (section.order, section.name))

    def render(self, user: Viewer, obj: Subject) -> list[RenderedSection]:
        """Each section's buttons and body as HTML, in order, for what `user` may see of `obj`."""
        rendered = []
        for section in self.sections():
            # Asked once: the buttons and the body share one context.
            context = dict(section.context(user, obj))
            actions = render_to_string(section.actions_template, context) if section.actions_template else SafeString()
            rendered.append(RenderedSection(actions=actions, body=render_to_string(section.template, context)))
        return rendered
