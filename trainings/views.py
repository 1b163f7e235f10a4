import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from core.errors import error_text
from core.forms import add_service_error, form_data, form_status
from core.pagination import paginate, querystring_without_page
from core.spreadsheets import csv_response, safe_cell
from core.types import AuthenticatedRequest
from members.models import Role
from trainings import imports, selectors, services
from trainings.access import access_registration, access_session, access_training, sees_all_trainings
from trainings.certificates import certificate_filename, certificate_pdf, certificates_pdf
from trainings.facts import facts_and_figures as compute_facts_and_figures
from trainings.forms import (
    ImportConfirmForm,
    ImportUploadForm,
    MoveForm,
    ParticipantFilter,
    RegistrationForm,
    SessionForm,
    TrainingSettingsForm,
)
from trainings.models import RegistrationStatus, Training, TrainingStatus
from trainings.workflow import RUNNING_STATUSES

CHANGE = "trainings.change_training"
EXPORT_HEADER = [
    "name",
    "email",
    "organisation",
    "country",
    "profession",
    "gender",
    "consent",
    "status",
    "sessions attended",
    "registered",
]
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _require_training_role(request: AuthenticatedRequest) -> None:
    # The list is a trainer's or the secretariat's page; anyone else gets 403.
    if request.user.role != Role.TRAINER and not sees_all_trainings(request.user):
        raise PermissionDenied


@login_required
def training_list(request: AuthenticatedRequest) -> HttpResponse:
    _require_training_role(request)
    context = {"page": paginate(request, selectors.training_list(user=request.user))}
    return render(request, "trainings/list.html", context)


@never_cache
@login_required
def training_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _render_detail(request, access_training(request.user, pk))


def _render_detail(request, training, *, refused_move=None, status=200) -> HttpResponse:
    """The training's page; `refused_move` is (registration, chosen status, message) of a status
    change that was refused, shown at its row and at the top."""
    participant_filter = ParticipantFilter(request.GET, queryset=selectors.registration_list(training=training))
    page = paginate(request, participant_filter.qs, bounded=True)
    page.object_list = list(page.object_list)
    for registration in page.object_list:
        # The template is given each row's moves; allowed_moves is a pure function, no query.
        registration.moves = [(move, RegistrationStatus(move).label) for move in services.allowed_moves(registration)]
        if refused_move and refused_move[0].pk == registration.pk:
            registration.move_chosen, registration.move_error = refused_move[1], refused_move[2]
    context = {
        "training": training,
        "sessions": training.sessions.all(),
        "trainers": training.trainers.all(),
        "counts": selectors.training_counts(training=training),
        "filter": participant_filter,
        "page": page,
        "querystring": querystring_without_page(request),
        "registration_open": training.registration_is_open(),
        "refused_move": refused_move,
    }
    return render(request, "trainings/detail.html", context, status=status)


def _render_settings(request, training, *, form=None, session_form=None, confirm=None, status=200) -> HttpResponse:
    final = training.status not in RUNNING_STATUSES
    if form is None and not final:
        form = TrainingSettingsForm(instance=training)
    context = {
        "training": training,
        "final": final,
        "form": form,
        "confirm": confirm,
        "session_form": session_form or SessionForm(),
        "sessions": selectors.sessions_with_attendance(training=training),
    }
    return render(request, "trainings/settings.html", context, status=status)


@login_required
def training_settings(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    training = access_training(request.user, pk, perm=CHANGE)
    if request.method != "POST" or training.status not in RUNNING_STATUSES:
        return _render_settings(request, training)
    form = TrainingSettingsForm(request.POST, instance=Training.objects.get(pk=training.pk))
    if form.is_valid():
        new_status = form.cleaned_data["status"]
        cancelling = new_status == TrainingStatus.CANCELLED and training.status != new_status
        if cancelling and request.POST.get("confirm_final") != new_status:
            # Cancelling is final and emails participants: the same form again, with what was
            # typed, asks first and says how many people it reaches. Nothing is saved yet.
            confirm = services.training_final_effect(training, new_status)
            return _render_settings(request, training, form=form, confirm=confirm)
        try:
            services.training_update(
                training=training, by=request.user, data={name: form.cleaned_data[name] for name in form.changed_data}
            )
        except ValidationError as error:
            # The form checked the model already; this is a change made meanwhile, said in words.
            form.add_error(None, error.messages)
        else:
            messages.success(request, "The training is saved.")
            return redirect(training)
    return _render_settings(request, training, form=form, status=400)


@login_required
@require_POST
def session_add(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    training = access_training(request.user, pk, perm=CHANGE)
    form = SessionForm(request.POST)
    if form.is_valid():
        try:
            session = services.session_add(training=training, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, f"Session added: {timezone.localtime(session.starts_at):%d %b %Y %H:%M}.")
            return redirect("trainings:settings", pk=training.pk)
    return _render_settings(request, training, session_form=form, status=400)


@login_required
@require_POST
def session_remove(request: AuthenticatedRequest, pk: int, session_pk: int) -> HttpResponse:
    training = access_training(request.user, pk, perm=CHANGE)
    session = access_session(training, session_pk)
    try:
        services.session_remove(session=session, by=request.user)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, "The session is removed.")
    return redirect("trainings:settings", pk=training.pk)


@login_required
def register(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    training = access_training(request.user, pk, perm=CHANGE)
    form = RegistrationForm(*form_data(request), training=training)
    if request.method == "POST" and form.is_valid():
        try:
            registration = services.registration_register(training=training, data=form.cleaned_data, by=request.user)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request, f"{registration.full_name} is registered: {registration.get_status_display().lower()}."
            )
            return redirect(training)
    return render(request, "trainings/register.html", {"training": training, "form": form}, status=form_status(form))


@login_required
def import_upload(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Step one: read and check the file, and show every row with its errors. Saves nothing."""
    training = access_training(request.user, pk, perm=CHANGE)
    form = ImportUploadForm(*form_data(request))
    context = {"training": training, "form": form}
    if request.method == "POST" and form.is_valid():
        try:
            rows = imports.validate_rows(training, imports.parse_rows(imports.read_table(form.cleaned_data["file"])))
        except imports.ImportFileError as error:
            form.add_error("file", str(error))
        else:
            bad = [row for row in rows if row.errors]
            context.update(
                rows=rows,
                bad_count=len(bad),
                confirm_form=ImportConfirmForm(initial={"token": imports.rows_token(training, rows)})
                if not bad
                else None,
            )
            return render(request, "trainings/import_preview.html", context)
    return render(request, "trainings/import.html", context, status=form_status(form))


def _import_refused(request: AuthenticatedRequest, training: Training, text: str) -> HttpResponse:
    """The upload page again, saying why nothing was imported (the file has to be chosen again)."""
    context = {"training": training, "form": ImportUploadForm(), "refusal": text}
    return render(request, "trainings/import.html", context, status=400)


@login_required
@require_POST
def import_confirm(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Step two: check the rows again and import them all, or none."""
    training = access_training(request.user, pk, perm=CHANGE)
    form = ImportConfirmForm(request.POST)
    if not form.is_valid():
        return _import_refused(request, training, "The preview is missing. Upload the file again.")
    try:
        rows = imports.validate_rows(training, imports.rows_from_token(training, form.cleaned_data["token"]))
    except imports.ImportFileError as error:
        return _import_refused(request, training, str(error))
    bad = [row for row in rows if row.errors]
    if bad:
        # Registrations changed since the preview: show the rows again, import nothing.
        messages.error(request, "Some rows are no longer valid. Nothing was imported.")
        context = {"training": training, "form": ImportUploadForm(), "rows": rows, "bad_count": len(bad)}
        return render(request, "trainings/import_preview.html", context, status=400)
    try:
        created = services.registrations_import(training=training, rows=[row.data for row in rows], by=request.user)
    except ValidationError as error:
        return _import_refused(request, training, error_text(error))
    waitlisted = sum(1 for r in created if r.status == RegistrationStatus.WAITLISTED)
    text = f"{len(created)} participants were imported."
    if waitlisted:
        text += f" {waitlisted} of them are on the waiting list."
    messages.success(request, text)
    return redirect(training)


@never_cache
@login_required
def attendance(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    training = access_training(request.user, pk, perm=CHANGE)
    sessions = list(training.sessions.all())
    page = paginate(request, selectors.attendance_sheet(training=training), per_page=50)
    rows = []
    for registration in page.object_list:
        present = {attendance.session_id for attendance in registration.attendances.all()}
        rows.append({"registration": registration, "cells": [(session, session.pk in present) for session in sessions]})
    context = {"training": training, "sessions": sessions, "page": page, "rows": rows, "querystring": ""}
    return render(request, "trainings/attendance.html", context)


@login_required
@require_POST
def attendance_toggle(request: AuthenticatedRequest, pk: int, registration_pk: int, session_pk: int) -> HttpResponse:
    training, registration = access_registration(request.user, pk, registration_pk, perm=CHANGE)
    session = access_session(training, session_pk)
    present = request.POST.get("present") == "on"
    status = 200
    try:
        registration = services.attendance_set(
            registration=registration, session=session, present=present, by=request.user
        )
    except ValidationError as error:
        messages.error(request, error_text(error))
        status = 400
        present = registration.attendances.filter(session=session).exists()
    if request.htmx:
        context = {"training": training, "registration": registration, "session": session, "present": present}
        return render(request, "trainings/_attendance_cell.html", context, status=status)
    return redirect("trainings:attendance", pk=training.pk)


@login_required
@require_POST
def registration_move(request: AuthenticatedRequest, pk: int, registration_pk: int) -> HttpResponse:
    training, registration = access_registration(request.user, pk, registration_pk, perm=CHANGE)
    form = MoveForm(request.POST)
    if not form.is_valid():
        text = " ".join(str(error) for error in form.errors["to"])
        return _render_detail(request, training, refused_move=(registration, request.POST.get("to"), text), status=400)
    try:
        services.registration_move(registration=registration, to=form.cleaned_data["to"], by=request.user)
    except ValidationError as error:
        # The row shows the moves open now, with the reason this one is not (one of them).
        refused = (registration, form.cleaned_data["to"], error_text(error))
        return _render_detail(request, training, refused_move=refused, status=400)
    messages.success(request, f"{registration.full_name}: {RegistrationStatus(form.cleaned_data['to']).label.lower()}.")
    return redirect(training)


@never_cache
@login_required
def complete(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """GET asks (completing is final: it says how many become no-shows); POST completes."""
    training = access_training(request.user, pk, perm=CHANGE)
    if training.status not in RUNNING_STATUSES:
        messages.error(request, f"The training is already {training.get_status_display().lower()}.")
        return redirect(training)
    error = services.training_completion_error(training, timezone.now())
    if request.method == "POST" and error is None:
        try:
            services.training_complete(training=training, by=request.user)
        except ValidationError as refusal:
            error = error_text(refusal)
        else:
            messages.success(
                request, "The training is completed; confirmed participants who came to no session are no-shows."
            )
            return redirect(training)
    context = {
        "training": training,
        "error": error,
        "effect": services.training_final_effect(training, TrainingStatus.COMPLETED),
        "counts": selectors.training_counts(training=training),
    }
    return render(request, "trainings/complete.html", context, status=400 if request.method == "POST" else 200)


def _export_rows(training):
    for registration in selectors.registration_list(training=training):
        yield [
            registration.full_name,
            registration.email,
            registration.organisation,
            registration.country.name if registration.country else "",
            registration.profession,
            registration.get_gender_display() if registration.gender else "",
            "yes" if registration.consent else "no",
            registration.get_status_display(),
            registration.sessions_attended,
            timezone.localtime(registration.created_at).strftime("%Y-%m-%d %H:%M"),
        ]


@login_required
def export_csv(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    training = access_training(request.user, pk, perm=CHANGE)
    return csv_response(f"training-{training.pk}-participants.csv", EXPORT_HEADER, _export_rows(training))


@login_required
def export_xlsx(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    # Here, not at the top: openpyxl takes about 0.15 s to import, which every start would pay.
    from openpyxl import Workbook

    training = access_training(request.user, pk, perm=CHANGE)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Participants")
    sheet.append(EXPORT_HEADER)
    for row in _export_rows(training):
        sheet.append([safe_cell(value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="training-{training.pk}-participants.xlsx"'
    return response


@login_required
def certificate(request: AuthenticatedRequest, pk: int, registration_pk: int) -> HttpResponse:
    training, _ = access_registration(request.user, pk, registration_pk, perm=CHANGE)
    registration = selectors.attendees(training=training, now=timezone.now()).filter(pk=registration_pk).first()
    if registration is None:
        messages.error(request, "Only participants who attended a session that has started get a certificate.")
        return redirect(training)
    pdf = certificate_pdf(registration, training, registration.sessions_attended)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{certificate_filename(registration)}"'
    return response


@login_required
def certificates(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    training = access_training(request.user, pk, perm=CHANGE)
    attendees = list(selectors.attendees(training=training, now=timezone.now()))
    if not attendees:
        messages.error(request, "No participant has attended a session that has started, so there are no certificates.")
        return redirect(training)
    response = HttpResponse(certificates_pdf(attendees, training), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="training-{training.pk}-certificates.pdf"'
    return response


def facts_and_figures(request: HttpRequest) -> HttpResponse:
    return render(request, "trainings/facts.html", {"facts": compute_facts_and_figures()})
