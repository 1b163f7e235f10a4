from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone

from members import services
from members.forms import InvitationCSVForm
from members.models import ExpertiseArea, MemberState, Organisation, User


@admin.register(MemberState)
class MemberStateAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "is_eu_eea", "is_active"]
    list_filter = ["kind", "is_eu_eea", "is_active"]
    search_fields = ["code", "name"]
    ordering = ["name"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "member_state", "type"]
    list_filter = ["type", "member_state"]
    list_select_related = ["member_state"]
    search_fields = ["name", "member_state__name", "member_state__code"]
    autocomplete_fields = ["member_state"]


@admin.register(ExpertiseArea)
class ExpertiseAreaAdmin(admin.ModelAdmin):
    search_fields = ["name"]


class InvitationStatusFilter(admin.SimpleListFilter):
    title = "invitation"
    parameter_name = "invitation"

    def lookups(self, request, model_admin):
        return [("pending", "Pending"), ("accepted", "Accepted")]

    def queryset(self, request, queryset):
        pending = queryset.invitation_pending()
        if self.value() == "pending":
            return pending
        if self.value() == "accepted":
            return queryset.exclude(pk__in=pending.values("pk"))
        return queryset


class UserInviteForm(forms.ModelForm):
    """The admin's add form: adding a user means inviting them."""

    class Meta:
        model = User
        fields = ["email", "full_name", "role", "member_state", "organisation", "position"]

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("role"):
            self.add_error("role", "Choose the role the new user will have.")
        return cleaned


class UserChangeForm(forms.ModelForm):
    class Meta:
        model = User
        fields = [
            "email",
            "full_name",
            "role",
            "member_state",
            "organisation",
            "position",
            "phone",
            "languages",
            "expertise",
            "directory_verified_at",
            "is_active",
        ]

    def clean(self):
        cleaned = super().clean()
        try:
            services.validate_role_assignment(
                role=cleaned.get("role") or "",
                member_state=cleaned.get("member_state"),
                organisation=cleaned.get("organisation"),
            )
        except ValidationError as error:
            self.add_error(None, error)
        return cleaned


@admin.register(User)
class UserAdmin(admin.ModelAdmin):
    list_display = ["email", "full_name", "role", "member_state", "organisation", "is_active", "invitation_state"]
    list_filter = ["role", "member_state", "is_active", InvitationStatusFilter]
    list_select_related = ["member_state", "organisation"]
    search_fields = ["email", "full_name", "organisation__name"]
    autocomplete_fields = ["member_state", "organisation", "expertise"]
    readonly_fields = ["last_login", "date_joined", "invited_at", "invited_by"]
    ordering = ["full_name"]
    actions = ["send_invitation", "deactivate_users", "mark_directory_verified"]
    change_list_template = "admin/members/user/change_list.html"

    def get_form(self, request, obj=None, change=False, **kwargs):
        kwargs["form"] = UserChangeForm if obj else UserInviteForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return [
                (
                    None,
                    {
                        "fields": UserInviteForm.Meta.fields,
                        "description": "An email with a link to set a password is sent to the new user.",
                    },
                )
            ]
        return [
            (None, {"fields": ["email", "full_name", "is_active"]}),
            ("Role", {"fields": ["role", "member_state", "organisation"]}),
            ("Directory", {"fields": ["position", "phone", "languages", "expertise", "directory_verified_at"]}),
            ("History", {"fields": ["last_login", "date_joined", "invited_at", "invited_by"]}),
        ]

    @admin.display(description="Invitation")
    def invitation_state(self, user: User) -> str:
        if user.invitation_pending:
            return "pending"
        return "accepted" if user.invited_at else "—"

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if not change:
            created = services.user_invite(
                email=data["email"],
                full_name=data["full_name"],
                role=data["role"],
                member_state=data.get("member_state"),
                organisation=data.get("organisation"),
                position=data.get("position", ""),
                invited_by=request.user,
            )
            # The admin's later steps (log entry, redirect) need the saved row.
            obj.pk = created.pk
            obj.refresh_from_db()
            return
        role_changed = {"role", "member_state", "organisation"} & set(form.changed_data)
        deactivated = "is_active" in form.changed_data and not data["is_active"]
        super().save_model(request, obj, form, change)
        if role_changed:
            services.user_set_role(
                user=obj,
                role=data["role"],
                member_state=data.get("member_state"),
                organisation=data.get("organisation"),
            )
        if deactivated:
            services.user_deactivate(user=obj)

    def has_delete_permission(self, request, obj=None):
        # Accounts are deactivated, never deleted, so the audit trail keeps its actors.
        return False

    @admin.action(description="Send (or resend) the invitation email", permissions=["change"])
    def send_invitation(self, request, queryset):
        sent, refused = 0, []
        for user in queryset:
            try:
                services.user_reinvite(user=user, invited_by=request.user)
                sent += 1
            except ValidationError as error:
                refused.append(" ".join(error.messages))
        if sent:
            self.message_user(request, f"Invitation sent to {sent} user(s).", messages.SUCCESS)
        for reason in refused:
            self.message_user(request, reason, messages.WARNING)

    @admin.action(description="Deactivate and sign out", permissions=["change"])
    def deactivate_users(self, request, queryset):
        users = list(queryset.exclude(pk=request.user.pk).filter(is_active=True))
        for user in users:
            services.user_deactivate(user=user)
        self.message_user(request, f"Deactivated {len(users)} user(s).", messages.SUCCESS)

    @admin.action(description="Mark directory entry as verified today", permissions=["change"])
    def mark_directory_verified(self, request, queryset):
        count = services.users_mark_directory_verified(users=list(queryset), verified_at=timezone.now())
        self.message_user(request, f"Marked {count} entr(ies) as verified.", messages.SUCCESS)

    def get_urls(self):
        custom = [
            path(
                "invite-csv/",
                self.admin_site.admin_view(self.invite_from_csv),
                name="members_user_invite_csv",
            )
        ]
        return custom + super().get_urls()

    def invite_from_csv(self, request):
        if not self.has_add_permission(request):
            return redirect("admin:index")
        form = InvitationCSVForm(request.POST or None, request.FILES or None)
        row_errors = []
        if request.method == "POST" and form.is_valid():
            try:
                invited = services.invitations_import_csv(raw=form.cleaned_data["file"].read(), invited_by=request.user)
            except services.InvitationImportError as error:
                row_errors = error.row_errors
                self.message_user(
                    request, "Nobody was invited: correct the rows below and upload again.", messages.ERROR
                )
            else:
                self.message_user(request, f"Invited {len(invited)} user(s).", messages.SUCCESS)
                return redirect(reverse("admin:members_user_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Invite users from a CSV file",
            "form": form,
            "row_errors": row_errors,
            "columns": services.INVITATION_CSV_COLUMNS,
        }
        return render(request, "admin/members/user/invite_csv.html", context)
