from allauth.account.models import EmailAddress
from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html

from core.admin import ReadOnlyAdminMixin
from core.errors import error_text
from members import selectors, services
from members.forms import InvitationCSVForm
from members.models import AccessRequest, ExpertiseArea, MemberState, Organisation, User

# Every change on a user goes through a service: the details (name, directory entry) through
# user_update_details; role, state and organisation, activity, superuser status through the
# four-eyes services; the email through its verification.
DETAIL_FIELDS = [*services.DETAIL_FIELDS, "expertise"]
ROLE_FIELDS = ["role", "member_state", "organisation"]
# Nobody changes these on their own account (DESIGN §5); the services refuse it too.
OWN_ACCOUNT_READONLY = [*ROLE_FIELDS, "is_active", "is_superuser"]
OWN_ACCOUNT_NOTE = (
    "You cannot change your own role, member state, organisation, activity or superuser status: "
    "another member of the secretariat must do it."
)


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

    def get_queryset(self, request):
        # The autocomplete of every organisation field lists these by __str__, which names the state.
        return super().get_queryset(request).select_related("member_state")


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
        super().clean()
        cleaned = self.cleaned_data
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
            "is_superuser",
            "position",
            "phone",
            "languages",
            "expertise",
            "directory_verified_at",
            "is_active",
        ]

    def _value(self, name: str):
        # A field that is read-only here (one's own role, say) keeps the stored value.
        return self.cleaned_data.get(name) if name in self.fields else getattr(self.instance, name)

    def clean_email(self):
        email = self.cleaned_data["email"]
        taken = EmailAddress.objects.filter(email__iexact=email).exclude(user=self.instance).exists()
        if "email" in self.changed_data and taken:
            raise ValidationError(f"The email address {email} is already in use.")
        return email

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        if not any(name in self.fields for name in ROLE_FIELDS):
            return cleaned
        try:
            services.validate_role_assignment(
                role=self._value("role") or "",
                member_state=self._value("member_state"),
                organisation=self._value("organisation"),
            )
        except ValidationError as error:
            self.add_error(None, error)
        return cleaned


@admin.register(User)
class UserAdmin(admin.ModelAdmin):
    list_display = ["email", "full_name", "role", "member_state", "organisation", "is_active", "invitation_state"]
    list_filter = ["role", "member_state", "is_active", InvitationStatusFilter]
    # An organisation is shown with its state (Organisation.__str__).
    list_select_related = ["member_state", "organisation__member_state"]
    search_fields = ["email", "full_name", "organisation__name"]
    autocomplete_fields = ["member_state", "organisation", "expertise"]
    readonly_fields = ["last_login", "date_joined", "invited_at", "invited_by", "pending_requests"]
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
            (
                "Role",
                {
                    "fields": [*ROLE_FIELDS, "is_superuser", "pending_requests"],
                    "description": OWN_ACCOUNT_NOTE
                    if obj.pk == request.user.pk
                    else "A change that would open case data (national contact point, another state, "
                    "reactivation, superuser) waits for a second person to confirm it.",
                },
            ),
            ("Directory", {"fields": ["position", "phone", "languages", "expertise", "directory_verified_at"]}),
            ("History", {"fields": ["last_login", "date_joined", "invited_at", "invited_by"]}),
        ]

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is None:
            return fields
        if obj.pk == request.user.pk:
            fields += OWN_ACCOUNT_READONLY
        elif services.user_email_locked(obj):
            # Their password reset would go to the new address: they change it themselves. The
            # same while a request to give them access waits, or its confirmer would be misled.
            fields.append("email")
        return fields

    @admin.display(description="Invitation")
    def invitation_state(self, user: User) -> str:
        if user.invitation_pending:
            return "pending"
        return "accepted" if user.invited_at else "—"

    @admin.display(description="Waiting for confirmation")
    def pending_requests(self, user: User) -> str:
        requests = list(selectors.pending_access_requests(subject=user))
        if not requests:
            return "—"
        return format_html(
            "<br>".join(["{}"] * len(requests)),
            *[f"#{item.pk} {item.change_text}, until {item.expires_at:%d %b %Y %H:%M}" for item in requests],
        )

    def _say_waiting(self, request, access_request: AccessRequest | None) -> None:
        if access_request is None:
            return
        self.message_user(
            request,
            f"{access_request.subject.full_name}: {access_request.change_text} is not given yet, since it opens "
            f"case data; the change waits for confirmation by {services.access_request_deciders_text(access_request)} "
            f"(request #{access_request.pk}, {access_request.get_absolute_url()}).",
            messages.WARNING,
        )

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
            for access_request in selectors.pending_access_requests(subject=created):
                self._say_waiting(request, access_request)
            return
        changed = set(form.changed_data)
        # The form has already copied every field onto obj; nothing is saved from it: the
        # services decide what happens at once.
        stored = User.objects.get(pk=obj.pk)
        details = {name: data[name] for name in DETAIL_FIELDS if name in changed}
        if details:
            services.user_update_details(user=stored, data=details, by=request.user)
        held: set[str] = set()  # changed in the form, but not (yet) on the user
        if changed & set(ROLE_FIELDS):
            waiting = services.user_reassign(
                user=stored,
                role=data["role"],
                member_state=data.get("member_state"),
                organisation=data.get("organisation"),
                by=request.user,
            )
            if waiting is not None:
                held.update(ROLE_FIELDS)
            self._say_waiting(request, waiting)
            stored.refresh_from_db()
        if "is_active" in changed:
            if data["is_active"]:
                waiting = services.user_reactivate(user=stored, by=request.user)
                if waiting is not None:
                    held.add("is_active")
                self._say_waiting(request, waiting)
            else:
                services.user_deactivate(user=stored, by=request.user)
            stored.refresh_from_db()
        if "is_superuser" in changed:
            waiting = services.user_set_superuser(user=stored, is_superuser=data["is_superuser"], by=request.user)
            if waiting is not None:
                held.add("is_superuser")
            self._say_waiting(request, waiting)
        if "email" in changed:
            held.add("email")
            try:
                services.user_email_change_request(user=stored, new_email=data["email"], by=request.user)
            except ValidationError as error:
                self.message_user(request, f"The email was not changed: {error_text(error)}", messages.ERROR)
            else:
                self.message_user(
                    request,
                    f"A confirmation was sent to {data['email']}; the address changes once it is confirmed.",
                    messages.INFO,
                )
        # The admin's own history entry (built from changed_data next) names only what changed.
        form.changed_data[:] = [name for name in form.changed_data if name not in held]
        obj.refresh_from_db()

    def save_related(self, request, form, formsets, change):
        # Nothing left to save: the expertise went through user_update_details in save_model,
        # an invitation through user_invite, and users have no inlines.
        pass

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
                refused.append(error_text(error))
        if sent:
            self.message_user(request, f"Invitation sent to {sent} user(s).", messages.SUCCESS)
        for reason in refused:
            self.message_user(request, reason, messages.WARNING)

    @admin.action(description="Deactivate and sign out", permissions=["change"])
    def deactivate_users(self, request, queryset):
        users = list(queryset.exclude(pk=request.user.pk).filter(is_active=True))
        for user in users:
            services.user_deactivate(user=user, by=request.user)
        self.message_user(request, f"Deactivated {len(users)} user(s).", messages.SUCCESS)

    @admin.action(description="Mark directory entry as verified today", permissions=["change"])
    def mark_directory_verified(self, request, queryset):
        count = services.users_mark_directory_verified(
            users=list(queryset), verified_at=timezone.now(), by=request.user
        )
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
                for user in invited:
                    for access_request in selectors.pending_access_requests(subject=user):
                        self._say_waiting(request, access_request)
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


@admin.register(AccessRequest)
class AccessRequestAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only: requests are made through the user form and decided in the portal."""

    list_display = [
        "pk",
        "subject",
        "change_text",
        "requested_by",
        "created_at",
        "expires_at",
        "shown_status",
        "decided_by",
        "decide_link",
    ]
    list_filter = ["status", "kind", "member_state"]
    list_select_related = ["subject", "member_state", "requested_by", "decided_by"]
    search_fields = ["subject__email", "subject__full_name", "requested_by__email"]
    ordering = ["-created_at", "-pk"]
    show_full_result_count = False

    @admin.display(description="Change")
    def change_text(self, access_request: AccessRequest) -> str:
        return access_request.change_text

    @admin.display(description="Status")
    def shown_status(self, access_request: AccessRequest) -> str:
        return access_request.shown_status

    @admin.display(description="In the portal")
    def decide_link(self, access_request: AccessRequest) -> str:
        return format_html('<a href="{}">open</a>', access_request.get_absolute_url())
