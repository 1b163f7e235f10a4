"""Admin pieces shared by several apps."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError

from thb_portal.visibility import Visibility


class VisibilityActionsMixin:
    """Publish (public or members only) and unpublish actions that call the app's service.

    The admin class defines `set_visibility(obj, visibility)`, calling its service.
    """

    def set_visibility(self, obj, visibility: str):
        raise NotImplementedError

    def _apply_visibility(self, request, queryset, visibility: str, done: str) -> None:
        count = 0
        for obj in queryset:
            try:
                self.set_visibility(obj, visibility)
            except ValidationError as error:
                self.message_user(request, f"{obj}: {' '.join(error.messages)}", messages.ERROR)
            else:
                count += 1
        label = self.model._meta.verbose_name if count == 1 else self.model._meta.verbose_name_plural
        self.message_user(request, f"{count} {label} {done}.", messages.SUCCESS)

    @admin.action(description="Publish: public, for everyone", permissions=["change"])
    def publish_public(self, request, queryset):
        self._apply_visibility(request, queryset, Visibility.PUBLIC, "published for everyone")

    @admin.action(description="Publish: members only", permissions=["change"])
    def publish_members_only(self, request, queryset):
        self._apply_visibility(request, queryset, Visibility.MEMBERS, "published for members only")

    @admin.action(description="Unpublish: back to draft", permissions=["change"])
    def unpublish(self, request, queryset):
        self._apply_visibility(request, queryset, Visibility.DRAFT, "unpublished (now drafts)")


class ReadOnlyAdminMixin:
    """Records the admin lists but never adds, changes or deletes (services or jobs write them)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyMetadataAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """A read-only admin shown to holders of `view_permission` (pseudonymous metadata only)."""

    view_permission = ""

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.has_perm(self.view_permission)
