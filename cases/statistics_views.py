from django.conf import settings
from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from cases import services
from cases.statistics import CTDC_COLUMNS, DIMENSIONS, case_table, ctdc_rows
from thb_portal.spreadsheets import csv_response


@login_required
@permission_required("cases.view_case_statistics", raise_exception=True)
def statistics(request: HttpRequest) -> HttpResponse:
    rows = request.GET.get("rows") if request.GET.get("rows") in DIMENSIONS else "member_state"
    columns = request.GET.get("columns") if request.GET.get("columns") in DIMENSIONS else "year"
    if columns == rows:
        columns = "year" if rows != "year" else "member_state"
    context = {
        "table": case_table(rows=rows, columns=columns),
        "dimensions": [(key, label) for key, (label, _) in DIMENSIONS.items()],
        "rows": rows,
        "columns": columns,
    }
    return render(request, "cases/statistics.html", context)


@login_required
@permission_required("cases.view_case_statistics", raise_exception=True)
def statistics_export(request: HttpRequest) -> HttpResponse:
    published, left_out = ctdc_rows()
    services.statistics_export_record(by=request.user, what="case statistics exported (CTDC)")
    if not published:
        # A file with only a header reads as "no cases"; say why it is empty instead.
        reason = (
            f"No rows: every group of the {left_out} case(s) has fewer than "
            f"{settings.THB_STATISTICS_MIN_CELL} cases and is suppressed to protect the victims."
            if left_out
            else "No rows: there are no cases."
        )
        published = [[reason]]
    return csv_response(f"thb-cases-ctdc-{timezone.localdate():%Y%m%d}.csv", CTDC_COLUMNS, published)
