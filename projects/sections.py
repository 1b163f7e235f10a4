"""The parts of a project's page that other apps fill in: its publications, its trainings.

Publications and trainings belong to a project, so they sit above projects in the layering
(pyproject [tool.importlinter]) and projects may not read them. Each of those apps registers
a section from its AppConfig.ready(); the project page renders the registered sections, in
their order, below the project's description.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from core.types import AnyUser
from projects.models import Project


@dataclass(frozen=True)
class ProjectSection:
    """One part of the project page, rendered by `template` with what `context(user, project)` gives.

    The page renders it on every view: its context must take the same number of queries however
    many rows it lists. The template gets that context alone (no request, no page context).
    """

    name: str
    # The lower, the higher on the page.
    order: int
    template: str
    context: Callable[[AnyUser, Project], Mapping[str, Any]]


_SECTIONS: dict[str, ProjectSection] = {}


def register_project_section(section: ProjectSection) -> None:
    """Add a section to the project page; a section of the same name is replaced (a reload)."""
    _SECTIONS[section.name] = section


def project_sections() -> list[ProjectSection]:
    return sorted(_SECTIONS.values(), key=lambda section: (section.order, section.name))


def render_project_sections(user: AnyUser, project: Project) -> list[SafeString]:
    """Each registered section as HTML, in order, for what `user` may see of `project`."""
    return [render_to_string(section.template, dict(section.context(user, project))) for section in project_sections()]
