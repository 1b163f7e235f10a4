"""The secretariat's admin: trainings (trainers assigned through the service, so grants
follow), participants with import/export, and the historical totals behind the figures."""

from django import forms
from django.contrib import admin
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from import_export import resources
from import_export.admin import ImportExportModelAdmin

from core.spreadsheets import safe_cell
from trainings import services
from trainings.models import HistoricalTotal, Registration, Training, TrainingSession


class TrainingSessionInline(admin.TabularInline):
    model = TrainingSession
    extra = 1


class TrainingAdminForm(forms.ModelForm):
    # No Meta: the admin builds it from the model and its own fields.

    def clean_status(self):
        status = self.cleaned_data["status"]
        if self.instance.pk and (error := services.training_status_error(self.instance.status, status)):
            raise ValidationError(error)
        return status


@admin.register(Training)
class TrainingAdmin(admin.ModelAdmin):
    form = TrainingAdminForm
    list_display = ["title", "audience", "member_state", "starts_on", "status", "capacity"]
    list_filter = ["status", "audience", "format", "member_state"]
    list_select_related = ["member_state"]
    search_fields = ["title", "city"]
    filter_horizontal = ["trainers"]
    inlines = [TrainingSessionInline]
    readonly_fields = ["starts_on", "personal_data_deleted_at"]

    def save_model(self, request, obj, form, change):
        if not change:
            super().save_model(request, obj, form, change)
            return
        # Through the service, so a new status has its consequences (no-shows, emails to the
        # participants of a cancelled training) and more places move the waiting list up.
        changed = [name for name in form.changed_data if name != "trainers"]
        services.training_update(training=obj, by=request.user, data={name: getattr(obj, name) for name in changed})

    def save_related(self, request, form, formsets, change):
        trainers = list(form.cleaned_data.get("trainers", []))
        previous = list(form.instance.trainers.all())
        super().save_related(request, form, formsets, change)
        # The form has saved the M2M; put it back so the service sees who left, and revokes.
        form.instance.trainers.set(previous)
        services.training_set_trainers(training=form.instance, trainers=trainers, by=request.user)
        services.training_refresh_start(training=form.instance)


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
            registration = services.registration_register(training=instance.training, data=data, by=None)
        except ValidationError as error:
            raise ValidationError({NON_FIELD_ERRORS: error.messages}) from error
        instance.pk = registration.pk
        instance.status = registration.status


@admin.register(Registration)
class RegistrationAdmin(ImportExportModelAdmin):
    resource_classes = [RegistrationResource]
    list_display = ["__str__", "email", "training", "status", "created_at"]
    list_filter = ["status", "training__audience"]
    search_fields = ["full_name", "email", "organisation", "training__title"]
    list_select_related = ["training"]
    raw_id_fields = ["training"]


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
