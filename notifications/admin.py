from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.forms import ModelForm

from core.admin import SaveThroughServiceMixin, form_changes
from core.errors import error_text
from notifications import services
from notifications.models import Announcement, Delivery, DeliveryStatus, Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "recipient", "kind", "text", "read_at"]
    list_filter = ["kind", ("read_at", admin.EmptyFieldListFilter), "created_at"]
    list_select_related = ["recipient"]
    search_fields = ["recipient__email", "recipient__full_name", "text"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ["key", "channel", "to", "status", "attempts", "next_attempt_at", "sent_at", "short_error"]
    list_filter = ["status", "channel", "created_at"]
    list_select_related = ["recipient"]
    search_fields = ["key", "recipient__email", "address", "last_error"]
    readonly_fields = [field.name for field in Delivery._meta.fields]
    actions = ["retry_failed"]

    def has_add_permission(self, request):
        return False

    @admin.display(description="To")
    def to(self, delivery: Delivery) -> str:
        return str(delivery.recipient) if delivery.recipient_id else delivery.address

    @admin.display(description="Last error")
    def short_error(self, delivery: Delivery) -> str:
        return delivery.last_error[:80]

    @admin.action(description="Retry the selected failed deliveries", permissions=["change"])
    def retry_failed(self, request, queryset):
        retried = 0
        for delivery in queryset.filter(status=DeliveryStatus.FAILED):
            services.delivery_retry(delivery=delivery)
            retried += 1
        skipped = queryset.count() - retried
        self.message_user(request, f"{retried} delivery(ies) will be sent again by the relay.", messages.SUCCESS)
        if skipped:
            self.message_user(request, f"{skipped} selected delivery(ies) had not failed and were left alone.")


class AnnouncementForm(ModelForm):
    class Meta:
        model = Announcement
        fields = ["title", "body", "severity", "audience_all", "audience_states", "audience_roles", "expires_at"]

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        try:
            services.announcement_check_audience(
                audience_all=cleaned.get("audience_all", False),
                states=cleaned.get("audience_states") or [],
                roles=cleaned.get("audience_roles") or [],
            )
        except ValidationError as error:
            self.add_error(None, error)
        return cleaned


@admin.register(Announcement)
class AnnouncementAdmin(SaveThroughServiceMixin, admin.ModelAdmin):
    form = AnnouncementForm
    list_display = ["title", "severity", "audience_all", "published_at", "recipient_count", "expires_at"]
    list_filter = ["severity", ("published_at", admin.EmptyFieldListFilter)]
    search_fields = ["title", "body"]
    filter_horizontal = ["audience_states", "audience_roles"]
    actions = ["publish"]
    readonly_fields = ["created_by", "created_at", "published_at", "published_by", "fanned_out_at", "recipient_count"]

    def get_readonly_fields(self, request, obj=None):
        # What was sent cannot be rewritten afterwards (the service refuses it too).
        if obj and obj.is_published:
            fixed = [name for name in AnnouncementForm.Meta.fields if name not in services.CHANGEABLE_ONCE_PUBLISHED]
            return [*self.readonly_fields, *fixed]
        return self.readonly_fields

    def save_through_service(self, request, form, formsets, change):
        data, m2m = form_changes(form, change)
        services.announcement_save(announcement=form.instance, data=data, m2m=m2m, by=request.user)

    @admin.action(description="Publish: notify the audience now", permissions=["change"])
    def publish(self, request, queryset):
        for announcement in queryset:
            try:
                services.announcement_publish(announcement=announcement, by=request.user)
            except ValidationError as error:
                self.message_user(request, f"{announcement.title}: {error_text(error)}", messages.ERROR)
            else:
                self.message_user(request, f"Published “{announcement.title}”.", messages.SUCCESS)
