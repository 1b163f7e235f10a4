from django.conf import settings
from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from cases import services
from cases.statistics import (
    CTDC_COLUMNS,
    DIMENSIONS,
    case_publication,
    case_years,
    ctdc_rows,
    ctdc_suppressed_groups,
)
from core.forms import PeriodForm
from core.spreadsheets import csv_response
from core.types import AuthenticatedRequest

PERIOD_NOUN = "cases registered"


def _statistics_page(request: AuthenticatedRequest, *, export_refused: bool = False) -> HttpResponse:
    rows = request.GET.get("rows", "")
    rows = rows if rows in DIMENSIONS else "member_state"
    columns = request.GET.get("columns", "")
    columns = columns if columns in DIMENSIONS else "year"
    if columns == rows:
        columns = "year" if rows != "year" else "member_state"
    # One publication for every period and view (see cases.statistics): the years it
    # holds are the periods on offer.
    publication = case_publication()
    period_form = PeriodForm(request.GET, years=publication.years, noun=PERIOD_NOUN)
    context: dict[str, object] = {
        "dimensions": [(key, label) for key, (label, _) in DIMENSIONS.items()],
        "rows": rows,
        "columns": columns,
        "period_form": period_form,
        "k": publication.k,
        "export_refused": export_refused,
    }
    if not period_form.is_valid():
        return render(request, "cases/statistics.html", context, status=400)
    year = period_form.cleaned_data["period"]
    context |= {
        "table": publication.table(rows=rows, columns=columns, year=year),
        "year": year,
        "export_query": f"?period={year}" if year is not None else "",
        "ctdc_suppressed_groups": ctdc_suppressed_groups(k=publication.k, year=year),
    }
    return render(request, "cases/statistics.html", context)


@login_required
@permission_required("cases.view_case_statistics", raise_exception=True)
def statistics(request: AuthenticatedRequest) -> HttpResponse:
    return _statistics_page(request)


@login_required
@permission_required("cases.view_case_statistics", raise_exception=True)
def statistics_export(request: AuthenticatedRequest) -> HttpResponse:
    # The export takes the page's period: a year's file is the all-years file's rows of
    # that year (see cases.statistics.ctdc_rows), so it reveals nothing new.
    period_form = PeriodForm(request.GET, years=case_years(), noun=PERIOD_NOUN)
    if not period_form.is_valid():
        return _statistics_page(request, export_refused=True)
    year = period_form.cleaned_data["period"]
    published, left_out = ctdc_rows(year=year)
    services.statistics_export_record(
        by=request.user, what="case statistics exported (CTDC)" + (f", {year}" if year is not None else "")
    )
    if not published:
        # A file with only a header reads as "no cases"; say why it is empty instead.
        of = f" registered in {year}" if year is not None else ""
        reason = (
            f"No rows: every group of the {left_out} case(s){of} has fewer than "
            f"{settings.THB_STATISTICS_MIN_CELL} cases and is suppressed to protect the victims."
            if left_out
            else f"No rows: there are no cases{of}."
        )
        published = [[reason]]
    suffix = f"-{year}" if year is not None else ""
    return csv_response(f"thb-cases-ctdc{suffix}-{timezone.localdate():%Y%m%d}.csv", CTDC_COLUMNS, published)
