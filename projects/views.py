from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from core.pagination import paginate, querystring_without_page
from core.visibility import sign_in_for_members_only
from projects import selectors
from projects.access import access_project
from projects.filters import ProjectFilter
from projects.sections import project_page

# The three project lists share a template; each names itself for the tabs and the <title>.
LISTS = {
    "ongoing": (
        "Ongoing projects",
        "Projects the task force leads or takes part in now, across the Baltic Sea Region.",
    ),
    "psf": (
        "PSF projects",
        "Anti-trafficking projects funded by the CBSS Project Support Facility (PSF).",
    ),
    "all": ("All projects", "Every project of the task force: planned, ongoing and completed."),
}


def _project_list(request: HttpRequest, which: str, queryset, project_filter=None) -> HttpResponse:
    title, description = LISTS[which]
    context = {
        "which": which,
        "title": title,
        "description": description,
        "filter": project_filter,
        "page": paginate(request, project_filter.qs if project_filter else queryset),
        "querystring": querystring_without_page(request),
    }
    return render(request, "projects/list.html", context)


@require_safe
def ongoing(request: HttpRequest) -> HttpResponse:
    return _project_list(request, "ongoing", selectors.project_list(user=request.user).ongoing())


@require_safe
def psf(request: HttpRequest) -> HttpResponse:
    return _project_list(request, "psf", selectors.project_list(user=request.user).psf())


@require_safe
def all_projects(request: HttpRequest) -> HttpResponse:
    project_filter = ProjectFilter(request.GET, queryset=selectors.project_list(user=request.user))
    return _project_list(request, "all", None, project_filter)


@require_safe
@sign_in_for_members_only
def project_detail(request: HttpRequest, slug: str) -> HttpResponse:
    project = access_project(request.user, slug)
    context = {
        "project": project,
        "partners": selectors.project_partners(project=project),
        # Its publications and trainings, from the apps they belong to (projects/sections.py).
        "sections": project_page.render(request.user, project),
    }
    return render(request, "projects/detail.html", context)
