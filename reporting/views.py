"""National reporting's pages. Every page answers 404 to anyone who neither reports for a
CBSS member state nor works in the secretariat; a return answers 404 to other states."""

import logging
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from core.errors import error_text
from core.forms import add_service_error, form_data, form_status
from core.pagination import paginate
from core.spreadsheets import ImportFileError, csv_response, read_uploaded_table
from core.types import AuthenticatedRequest
from core.workflow import UnknownTransition
from reporting import figures, published, selectors, services
from reporting.access import (
    NCP,
    STATE_SIDES,
    access_data_call,
    access_return,
    access_return_file,
    is_reporter,
    manages,
    may_edit,
    side_of,
)
from reporting.forms import (
    CloseForm,
    CommentForm,
    DataCallForm,
    ImportForm,
    IndicatorForm,
    ReturnForm,
    SectionFileForm,
    StepForm,
)
from reporting.spreadsheet import MAX_BYTES, MAX_ROWS, XLSX_TYPE, export_return, parse_return, roundup_xlsx
from reporting.suggestions import suggestions
from reporting.workflow import RETURN_WORKFLOW

logger = logging.getLogger(__name__)

# The steps taken on a return's own page; "start" is its first save, "close" the call's.
STEP_URL = "reporting:return_step"
CLOSE = RETURN_WORKFLOW.get("close")


def _sections(indicators: list, files: dict) -> list[dict[str, Any]]:
    """The qualitative sections with their current file (or None)."""
    return [{"indicator": one, "file": files.get(one.pk)} for one in indicators if one.kind == "text"]


R = TypeVar("R", bound=HttpResponseBase)


def reporters_only(view: Callable[..., R]) -> Callable[..., R]:
    """Anyone else, signed in or not, gets 404: the pages do not show that they exist."""

    @wraps(view)
    def run(request: HttpRequest, *args: Any, **kwargs: Any) -> R:
        if not is_reporter(request.user):
            raise Http404("No such page.")
        return view(request, *args, **kwargs)

    return run


@never_cache
@reporters_only
def index(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    if manages(user):
        context = {"manages": True, "page": paginate(request, selectors.data_calls(user=user))}
    else:
        context = {"manages": False, "page": paginate(request, selectors.own_returns(user=user))}
    return render(request, "reporting/index.html", context)


@reporters_only
def call_create(request: AuthenticatedRequest) -> HttpResponse:
    if not manages(request.user):
        raise Http404("No such page.")
    form = DataCallForm(*form_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            call = services.data_call_open(**form.cleaned_data, by=request.user)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, f"The data call for {call.year} is open; every state's members are told.")
            return redirect(call)
    return render(request, "reporting/call_form.html", {"form": form}, status=form_status(form))


@never_cache
@reporters_only
def call_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    call = access_data_call(request.user, pk)
    board = list(selectors.board(call=call))
    # A closed call's return reopened since: the call is closed again once it is settled.
    reopened_since = call.closed_at is not None and any(one.status in CLOSE.sources for one in board)
    context = {"call": call, "board": board, "reopened_since": reopened_since}
    return render(request, "reporting/call.html", context)


@reporters_only
def call_close(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The secretariat closes the call (confirmed on this page): the rest are not reported."""
    call = access_data_call(request.user, pk)
    board = list(selectors.board(call=call))
    unreported = [one for one in board if one.status in CLOSE.sources]
    form = CloseForm(*form_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.data_call_close(call=call, note=form.cleaned_data["note"], by=request.user)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, f"The data call for {call.year} is closed.")
            return redirect(call)
    context = {"call": call, "form": form, "transition": CLOSE, "unreported": unreported}
    return render(request, "reporting/call_close.html", context, status=form_status(form))


@never_cache
@reporters_only
def indicators(request: AuthenticatedRequest) -> HttpResponse:
    """The indicator set's versions, the newest one's indicators, and an indicator added in a
    new version (the secretariat's): the versions in use by data calls are never changed."""
    if not manages(request.user):
        raise Http404("No such page.")
    versions = selectors.indicator_versions()
    latest = versions[0] if versions else None
    listed = list(latest.indicators.order_by("position")) if latest else []
    form = IndicatorForm(*form_data(request), indicators=listed)
    if request.method == "POST" and form.is_valid():
        try:
            made = services.indicator_set_new_version(
                label=form.cleaned_data["version_label"], additions=[form.addition()], by=request.user
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request,
                f"Version {made.version} adds “{form.cleaned_data['label']}”; new data calls ask for it.",
            )
            return redirect("reporting:indicators")
    context = {"versions": versions, "latest": latest, "listed": listed, "form": form}
    return render(request, "reporting/indicators.html", context, status=form_status(form))


@never_cache
@reporters_only
def return_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The return: its values with the problems next to each; the state edits it here."""
    return_record = access_return(request.user, pk)
    editable = may_edit(request.user, return_record)
    if request.method == "POST" and not editable:
        raise Http404("This return cannot be changed by you now.")
    indicators = list(return_record.data_call.indicator_set.indicators.order_by("position"))
    values = {value.indicator_id: value for value in return_record.values.all()}
    form = ReturnForm(
        *form_data(request),
        indicators=indicators,
        values=values,
        initial={"publish_unsuppressed": return_record.publish_unsuppressed},
    )
    side = side_of(request.user, return_record)
    # From the portal's case files: for the state's own members only, copied on a click.
    suggested = (
        suggestions(state=return_record.member_state, year=return_record.data_call.year) if side in STATE_SIDES else {}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.return_save(
                return_record=return_record,
                entries=form.entries(),
                use_suggestion=request.POST.get("use_suggestion", ""),
                publish_unsuppressed=form.cleaned_data["publish_unsuppressed"],
                by=request.user,
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, "Saved. Problems, if any, are marked next to the values.")
            return redirect(return_record)
    saved = list(return_record.values.all()) if request.method == "POST" else list(values.values())
    problems = services.return_problems(return_record, indicators=indicators, values=saved)
    steps = [step for step in RETURN_WORKFLOW.available(return_record.status, side) if step.url == STEP_URL]
    rows = form.rows()
    for row in rows:
        row["problems"] = [problem for problem in problems if problem.code == row["indicator"].code]
        row["suggestion"] = suggested.get(row["indicator"].code)
    context = {
        "return_record": return_record,
        "form": form,
        "rows": rows,
        "problem_list": problems,
        "editable": editable,
        "steps": steps,
        # An NCP fills in the draft; the state's representatives submit it.
        "representatives_submit": side == NCP and return_record.status in RETURN_WORKFLOW.get("submit").sources,
        "events": selectors.events(return_record=return_record),
        "comments": selectors.comments(return_record=return_record),
        "comment_form": CommentForm(),
        "sections": _sections(indicators, selectors.section_files(return_record=return_record)),
        "manages": manages(request.user),
    }
    return render(request, "reporting/return.html", context, status=form_status(form))


@never_cache
@reporters_only
def return_export(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return_record = access_return(request.user, pk)
    indicators = list(return_record.data_call.indicator_set.indicators.order_by("position"))
    values = {value.indicator_id: value for value in return_record.values.all()}
    response = HttpResponse(export_return(return_record, indicators, values), content_type=XLSX_TYPE)
    name = f"return-{return_record.member_state.code}-{return_record.data_call.year}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@reporters_only
def return_import(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The state's figures from an XLSX of the export's columns: nothing is imported while
    any cell has an error, and every error is listed with its line."""
    return_record = access_return(request.user, pk)
    if not may_edit(request.user, return_record):
        raise Http404("This return cannot be changed by you now.")
    form = ImportForm(*form_data(request))
    errors: list[tuple[int, str, str]] = []
    if request.method == "POST" and form.is_valid():
        indicators = list(return_record.data_call.indicator_set.indicators.order_by("position"))
        try:
            table = read_uploaded_table(form.cleaned_data["file"], max_bytes=MAX_BYTES, max_rows=MAX_ROWS)
        except ImportFileError as error:
            form.add_error("file", str(error))
        else:
            parsed = parse_return(table, indicators)
            errors = parsed.errors
            if errors:
                form.add_error(
                    None, f"Nothing was imported: {len(errors)} cell{'s' if len(errors) > 1 else ''} to correct."
                )
            else:
                try:
                    services.return_save(return_record=return_record, entries=parsed.entries, by=request.user)
                except ValidationError as error:
                    add_service_error(form, error)
                else:
                    messages.success(request, f"{len(parsed.entries)} values imported; problems, if any, are marked.")
                    return redirect(return_record)
    context = {"return_record": return_record, "form": form, "errors": errors}
    return render(request, "reporting/import.html", context, status=form_status(form))


@reporters_only
def return_step(request: AuthenticatedRequest, pk: int, step: str) -> HttpResponse:
    return_record = access_return(request.user, pk)
    try:
        transition = RETURN_WORKFLOW.get(step)
    except UnknownTransition:
        raise Http404("No such step.") from None
    if transition.url != STEP_URL or side_of(request.user, return_record) not in transition.by:
        raise Http404("No such step.")
    form = StepForm(*form_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.return_transition(
                return_record=return_record, step=step, comment=form.cleaned_data["comment"], by=request.user
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, f"{transition.label}: done.")
            return redirect(return_record)
    context = {"return_record": return_record, "transition": transition, "form": form}
    return render(request, "reporting/step.html", context, status=form_status(form))


@reporters_only
@require_POST
def return_file_upload(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """A file added to (or, with "remove", taken off) a qualitative section of the return."""
    return_record = access_return(request.user, pk)
    if not may_edit(request.user, return_record):
        raise Http404("This return cannot be changed by you now.")
    form = SectionFileForm(request.POST, request.FILES)
    back = f"{return_record.get_absolute_url()}#section-files"
    if not form.is_valid():
        messages.error(request, "Choose the section and the file to add.")
        return redirect(back)
    section = form.cleaned_data["section"]
    try:
        if request.POST.get("remove"):
            services.return_file_remove(return_record=return_record, code=section, by=request.user)
            messages.success(request, "The file is removed from the section.")
        else:
            added = services.return_file_attach(
                return_record=return_record, code=section, upload=form.cleaned_data["file"], by=request.user
            )
            messages.success(request, f"“{added.original_name}” is added.")
    except ValidationError as error:
        messages.error(request, f"The file was not added: {error_text(error)}")
    return redirect(back)


@never_cache
@reporters_only
@require_safe
def return_file(request: AuthenticatedRequest, pk: int, file_pk: int) -> FileResponse:
    found = access_return_file(request.user, pk, file_pk)
    try:
        content = found.file.open("rb")
    except OSError as error:
        logger.error("Stored file of return file %s is missing: %s", found.pk, error)
        raise Http404("The file is not available.") from error
    return FileResponse(content, as_attachment=True, filename=found.original_name, content_type=found.content_type)


@reporters_only
@require_POST
def return_comment(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return_record = access_return(request.user, pk)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            services.return_comment_add(return_record=return_record, text=form.cleaned_data["text"], by=request.user)
        except ValidationError as error:
            messages.error(request, error_text(error))
        else:
            messages.success(request, "Comment added.")
    else:
        messages.error(request, "Write the comment before adding it.")
    return redirect(return_record)


def _chosen(request: HttpRequest, indicators: list) -> Any:
    """The indicator asked for (?indicator=code), the first one otherwise; an unknown code is ignored."""
    code = request.GET.get("indicator", "")
    return next(
        (indicator for indicator in indicators if indicator.code == code), indicators[0] if indicators else None
    )


@require_safe
def region(request: HttpRequest) -> HttpResponse:
    """The public tables of the region's figures, small cells protected."""
    indicators = published.public_indicators()
    chosen = _chosen(request, indicators)
    # Only the chosen table is read from the cache, not every indicator's.
    table = next(iter(published.cached_public_tables([chosen.code])), None) if chosen else None
    context = {
        "indicators": indicators,
        "table": table,
        # The region's total year on year, as protected as the table's own total row.
        "trend": figures.trend(table.total, table.years) if table else [],
        "public": True,
    }
    return render(request, "reporting/figures.html", context)


@never_cache
@reporters_only
def secretariat_figures(request: AuthenticatedRequest) -> HttpResponse:
    """The region's tables as validated, for the round-up report (the secretariat's)."""
    if not manages(request.user):
        raise Http404("No such page.")
    indicators = figures.number_indicators()
    chosen = _chosen(request, indicators)
    found = figures.validated_figures([chosen.code] if chosen else [])
    table = figures.secretariat_tables(found, [chosen])[0] if chosen else None
    context = {
        "indicators": indicators,
        "table": table,
        "trend": figures.trend(table.total, table.years) if table else [],
        "public": False,
    }
    return render(request, "reporting/figures.html", context)


@reporters_only
def figures_csv(request: AuthenticatedRequest) -> HttpResponse:
    if not manages(request.user):
        raise Http404("No such page.")
    indicators = figures.number_indicators()
    chosen = _chosen(request, indicators)
    if chosen is None:
        raise Http404("No indicators.")
    one = figures.secretariat_tables(figures.validated_figures([chosen.code]), [chosen])[0]
    rows = [[name, *cells] for name, cells in one.rows] + [["Region", *one.total]]
    return csv_response(f"{chosen.code}.csv", ["State", *map(str, one.years)], rows)


@reporters_only
def roundup_workbook(request: AuthenticatedRequest) -> HttpResponse:
    """For the round-up report: a sheet per indicator group (states as rows, years as columns,
    a block per indicator) and a sheet of the qualitative answers."""
    if not manages(request.user):
        raise Http404("No such page.")
    content = roundup_xlsx()
    response = HttpResponse(content, content_type=XLSX_TYPE)
    response["Content-Disposition"] = 'attachment; filename="round-up-figures.xlsx"'
    return response
