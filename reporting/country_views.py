"""The public country pages (/countries/): each reporting state's anti-trafficking structure,
its validated key figures (protected as the region's), and what the portal links to it.
Members of the expert group also see the state's NCPs and representatives with contacts;
the state's own members edit and confirm the structure."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST, require_safe

from core.forms import add_service_error, form_data, form_status
from core.types import AuthenticatedRequest
from members.expert_group import is_group_member
from members.models import STATE_ROLES, MemberState, User
from projects.models import Project
from publications.models import Publication
from reporting import figures, profiles, published
from reporting.access import reporting_state
from reporting.forms import CountryProfileForm
from reporting.services import reporting_states
from trainings.models import Training, TrainingStatus

# The key figures a profile shows, by indicator code.
KEY_FIGURES = (
    "victims.identified",
    "victims.presumed",
    "traffickers.prosecuted",
    "traffickers.convicted",
    "assistance.assisted",
)
LINKED = 10


def _state(code: str) -> MemberState:
    state = reporting_states().filter(code=code.upper()).first()
    if state is None:
        raise Http404("No such country.")
    return state


def _key_figures(state: MemberState) -> tuple[list[int], list[tuple[str, str, list[object]]]]:
    """(years, [(indicator label, code, cells by year)]): the state's rows of the public tables."""
    tables = published.cached_public_tables(KEY_FIGURES)
    rows = []
    years: list[int] = tables[0].years if tables else []
    for one in tables:
        cells = next((cells for code, (_, cells) in zip(one.codes, one.rows, strict=True) if code == state.code), None)
        if cells is not None and any(cell != "" for cell in cells):
            rows.append((one.indicator.label, one.indicator.code, cells))
    return years, rows


@require_safe
def country_list(request: HttpRequest) -> HttpResponse:
    return render(request, "reporting/countries.html", {"states": reporting_states()})


@require_safe
def country_detail(request: HttpRequest, code: str) -> HttpResponse:
    state = _state(code)
    years, key_rows = _key_figures(state)
    contacts = None
    if is_group_member(request.user):
        contacts = (
            User.objects.active()
            .filter(role__in=STATE_ROLES, member_state=state)
            .select_related("organisation")
            .order_by("role", "full_name", "pk")
        )
    context = {
        "state": state,
        "profile": profiles.profile_of(state),
        "years": years,
        "key_rows": key_rows,
        # A trend chart per key figure: the same protected cells as the table above.
        "trends": [(label, code, figures.trend(cells, years)) for label, code, cells in key_rows],
        **_linked(state),
        "trainings": Training.objects.filter(member_state=state, status=TrainingStatus.COMPLETED).order_by(
            "-starts_on", "-pk"
        )[:LINKED],
        "contacts": contacts,
        "may_edit": _may_edit(request, state),
    }
    return render(request, "reporting/country.html", context)


def _linked(state: MemberState) -> dict[str, object]:
    """The state's projects and the publications of those projects. Their ids first: a join
    ordered by date and cut to ten walks every publication when few are linked to a project."""
    project_ids = list(Project.objects.filter(partner_states=state).values_list("pk", flat=True))
    return {
        "publications": Publication.objects.public().filter(project_id__in=project_ids)[:LINKED],
        "projects": Project.objects.public().filter(pk__in=project_ids)[:LINKED],
    }


def _may_edit(request: HttpRequest, state: MemberState) -> bool:
    own = reporting_state(request.user)
    return own is not None and own.pk == state.pk


def country_edit(request: AuthenticatedRequest, code: str) -> HttpResponse:
    state = _state(code)
    if not _may_edit(request, state):
        raise Http404("No such page.")
    profile = profiles.profile_of(state)
    initial = {name: getattr(profile, name) for name in profile.STRUCTURE_FIELDS}
    form = CountryProfileForm(*form_data(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            profiles.profile_save(state=state, data=form.cleaned_data, by=request.user)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, f"{state}'s profile is saved and confirmed as of today.")
            return redirect("countries:detail", code=state.code.lower())
    history = profiles.profile_versions(profile) if profile.pk else []
    context = {"state": state, "profile": profile, "form": form, "history": history}
    return render(request, "reporting/country_edit.html", context, status=form_status(form))


@require_POST
def country_confirm(request: AuthenticatedRequest, code: str) -> HttpResponse:
    state = _state(code)
    if not _may_edit(request, state):
        raise Http404("No such page.")
    try:
        profiles.profile_confirm(state=state, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"{state}'s profile is confirmed as of today.")
    return redirect("countries:detail", code=state.code.lower())
