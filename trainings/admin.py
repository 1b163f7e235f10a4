"""The secretariat's admin: trainings (trainers assigned through the service, so grants
follow), participants with import/export, and the historical totals behind the figures."""

from django import forms
from django.contrib import admin
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.forms.models import BaseInlineFormSet
from import_export import resources
from import_export.admin import ImportExportModelAdmin

from core.admin import SaveThroughServiceMixin, form_changes
from core.pagination import BoundedCountPaginator
from core.spreadsheets import safe_cell
from trainings import services
from trainings.models import HistoricalTotal, Registration, Training, TrainingSession


class TrainingSessionFormSet(BaseInlineFormSet):
    """The sessions' rows refuse, as errors on the page, what the session services would refuse."""

    def clean(self) -> None:
        super().clean()
        if self.instance.pk is None:
            return  # a new training's sessions: training_create takes them whatever its status
        touched = [form for form in self.forms if form.has_changed() or form in self.deleted_forms]
        # The stored training: the form's instance already holds the status being chosen.
        stored = Training.objects.get(pk=self.instance.pk)
        if touched and (refusal := services.sessions_change_refusal(stored)):
            raise ValidationError(refusal)
        for form in self.deleted_forms:
            if form.instance.pk and (refusal := services.session_removal_refusal(form.instance)):
                raise ValidationError(f"{form.instance}: {refusal}")


class TrainingSessionInline(admin.TabularInline):
    model = TrainingSession
    formset = TrainingSessionFormSet
    extra = 1


class TrainingAdminForm(forms.ModelForm):
    # No Meta: the admin builds it from the model and its own fields.

    def clean_status(self):
        status = self.cleaned_data["status"]
        if self.instance.pk and (error := services.training_status_error(self.instance.status, status)):
            raise ValidationError(error)
        return status


# Set on a session by the session services alone.
SESSION_FIELDS = ("title", "starts_at", "ends_at")


@admin.register(Training)
class TrainingAdmin(SaveThroughServiceMixin, admin.ModelAdmin):
    form = TrainingAdminForm
    list_display = ["title", "audience", "member_state", "starts_on", "status", "capacity"]
    list_filter = ["status", "audience", "format", "member_state"]
    list_select_related = ["member_state"]
    search_fields = ["title", "city"]
    filter_horizontal = ["trainers"]
    inlines = [TrainingSessionInline]
    readonly_fields = ["starts_on", "personal_data_deleted_at"]

    def save_through_service(self, request, form, formsets, change):
        """Through the services, so trainers get and lose their grants (and are told), a new status
        has its consequences (no-shows, emails to the participants of a cancelled training), more
        places move the waiting list up, and the start date follows the sessions."""
        data, m2m = form_changes(form, change)
        trainers = m2m.get("trainers")
        sessions = next(formset for formset in formsets if formset.model is TrainingSession)
        if not change:
            training = services.training_create(
                by=request.user,
                data=data,
                sessions=[
                    (row.cleaned_data["starts_at"], row.cleaned_data["ends_at"], row.cleaned_data.get("title", ""))
                    for row in self._new_sessions(sessions)
                ],
                trainers=trainers or (),
                training=form.instance,
            )
            sessions.new_objects.extend(training.sessions.all())
            return
        # The sessions first, while the training's status (maybe about to close) lets them change.
        self._save_sessions(request, sessions)
        if data:
            services.training_update(training=form.instance, by=request.user, data=data)
        if trainers is not None:
            services.training_set_trainers(training=form.instance, trainers=trainers, by=request.user)

    def delete_model(self, request, obj):
        services.training_delete(training=obj, by=request.user)

    def delete_queryset(self, request, queryset):
        for training in queryset:
            services.training_delete(training=training, by=request.user)

    @staticmethod
    def _new_sessions(formset) -> list:
        return [
            session_form
            for session_form in formset.forms
            if not session_form.instance.pk and session_form.has_changed() and session_form not in formset.deleted_forms
        ]

    def _save_sessions(self, request, formset) -> None:
        """Each row to its service; the lists the admin's history message reads are filled in."""
        training = formset.instance
        for session_form in formset.deleted_forms:
            if session_form.instance.pk:
                services.session_remove(session=session_form.instance, by=request.user)
                formset.deleted_objects.append(session_form.instance)
        for session_form in formset.forms:
            if session_form in formset.deleted_forms or not session_form.has_changed():
                continue
            values = {
                name: session_form.cleaned_data[name] for name in SESSION_FIELDS if name in session_form.cleaned_data
            }
            if session_form.instance.pk:
                changed = {name: values[name] for name in session_form.changed_data if name in values}
                services.session_update(session=session_form.instance, data=changed, by=request.user)
                formset.changed_objects.append((session_form.instance, list(changed)))
            else:
                session = services.session_add(training=training, by=request.user, **values)
                formset.new_objects.append(session)


PARTICIPANT_FIELDS = ["full_name", "email", "organisation", "country", "profession", "gender", "consent"]


class RegistrationResource(resources.ModelResource):
    """Participants in and out of the admin. Each row is checked by the model (full_clean) and
    registered through the service; the admin's confirm step imports nothing while any row has
    an error."""

    class Meta:
        model = Registration
        fields = [
            "id",
            "training",
            "full_name",
            "email",
            "organisation",
            "country",
            "profession",
            "gender",
            "consent",
            "status",
        ]
        clean_model_instances = True
        skip_unchanged = True

    def export_field(self, field, instance, **kwargs):
        return safe_cell(super().export_field(field, instance, **kwargs))

    def save_instance(self, instance, is_create, row, **kwargs):
        # New participants go through the same service as the trainers' import, so the
        # window, capacity, waiting list and duplicate rules hold here too.
        if not is_create:
            raise ValidationError(
                {NON_FIELD_ERRORS: ["Existing participants are changed on the training's page, not by import."]}
            )
        data = {name: getattr(instance, name) for name in PARTICIPANT_FIELDS}
        try:
            # `user` is the admin's signed-in user (import-export passes it on): the audit actor.
            registration = services.registration_register(training=instance.training, data=data, by=kwargs.get("user"))
        except ValidationError as error:
            raise ValidationError({NON_FIELD_ERRORS: error.messages}) from error
        instance.pk = registration.pk
        instance.status = registration.status


class RegistrationAdminForm(forms.ModelForm):
    # No Meta: the admin builds it from the model and its own fields.

    def clean_email(self) -> str:
        # The training is read-only here, so the model's per-training constraint is not checked
        # by the form: the service's own rule is, to show it on the page.
        email = self.cleaned_data["email"]
        if refusal := services.participant_email_refusal(self.instance, email):
            raise ValidationError(refusal)
        return email


@admin.register(Registration)
class RegistrationAdmin(ImportExportModelAdmin):
    """Participants: found, exported, imported (through the service), corrected and removed.

    Registering one is done on the training's page or by import, where the window, places and
    waiting list hold; a status moves there too (registration_move). Here the secretariat
    corrects a participant's details and removes a participant, both through services.
    """

    form = RegistrationAdminForm
    resource_classes = [RegistrationResource]
    list_display = ["__str__", "email", "training", "status", "created_at"]
    list_filter = ["status", "training__audience"]  # fixed choices
    search_fields = ["full_name", "email", "organisation", "training__title"]
    list_select_related = ["training"]
    ordering = ["full_name", "id"]  # registration_name_list
    sortable_by = ()  # no other order has an index over every training's participants
    # Over every training's participants: no count of them all, a bounded one of the page's.
    show_full_result_count = False
    paginator = BoundedCountPaginator
    list_per_page = 50
    fields = ["training", *services.PARTICIPANT_DETAILS, "consent", "status", "created_at", "status_changed_at"]
    readonly_fields = ["training", "consent", "status", "created_at", "status_changed_at"]

    def has_add_permission(self, request):
        return False

    def save_model(self, request, obj, form, change):
        details = {name: form.cleaned_data[name] for name in services.PARTICIPANT_DETAILS if name in form.changed_data}
        services.registration_update_details(registration=obj, data=details, by=request.user)

    def delete_model(self, request, obj):
        services.registration_delete(registration=obj, by=request.user)

    def delete_queryset(self, request, queryset):
        for registration in queryset:
            services.registration_delete(registration=registration, by=request.user)


@admin.register(HistoricalTotal)
class HistoricalTotalAdmin(admin.ModelAdmin):
    list_display = ["audience", "year", "member_state", "people_trained", "trainings_held", "note"]
    list_filter = ["audience", "year"]
    list_select_related = ["member_state"]

    def save_model(self, request, obj, form, change):
        services.historical_total_save(total=obj, by=request.user)

    def delete_model(self, request, obj):
        services.historical_total_delete(total=obj, by=request.user)

    def delete_queryset(self, request, queryset):
        for total in queryset:
            services.historical_total_delete(total=total, by=request.user)
