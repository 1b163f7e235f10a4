"""The parts of a project's page that other apps fill in: its publications, its trainings (core.sections).

Publications and trainings belong to a project, so they sit above projects in the layering
and projects may not read them. Each of those apps registers a section on `project_page` from
its AppConfig.ready(); the project page renders them below the project's description.
"""

from core.sections import PageSections
from core.types import AnyUser
from projects.models import Project

project_page: PageSections[AnyUser, Project] = PageSections()
