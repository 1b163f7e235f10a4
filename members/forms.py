import re

from django import forms
from django.contrib.auth.password_validation import validate_password

from core.forms import BootstrapFormMixin
from members.models import ExpertiseArea, User

PHONE = re.compile(r"\+?[0-9 ()./-]*[0-9][0-9 ()./-]*")


class ProfileForm(BootstrapFormMixin, forms.ModelForm):
    expertise = forms.ModelMultipleChoiceField(
        queryset=ExpertiseArea.objects.all(), required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = User
        fields = ["full_name", "position", "phone", "languages", "expertise"]
        widgets = {"phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"})}

    def clean_phone(self):
        phone = self.cleaned_data["phone"]
        # The directory shows it for colleagues to dial: digits and the usual separators only.
        if phone and not PHONE.fullmatch(phone):
            raise forms.ValidationError(
                "Enter a phone number: digits, spaces and + ( ) - / . only, such as +372 600 0000."
            )
        return phone


# Long enough for any passphrase or password manager; a megabyte is refused before it is hashed.
PASSWORD_MAX_LENGTH = 200


class SetPasswordForm(BootstrapFormMixin, forms.Form):
    password1 = forms.CharField(
        label="Password",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        strip=False,
        max_length=PASSWORD_MAX_LENGTH,
    )
    password2 = forms.CharField(
        label="Password (again)",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        strip=False,
        max_length=PASSWORD_MAX_LENGTH,
    )

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", "The two passwords do not match.")
        elif password1:
            try:
                validate_password(password1, self.user)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class InvitationCSVForm(forms.Form):
    file = forms.FileField(
        label="CSV file",
        help_text="Columns: email, full_name, role, member_state, organisation, position. UTF-8, comma or semicolon.",
    )

    MAX_BYTES = 1024 * 1024

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > self.MAX_BYTES:
            raise forms.ValidationError("The file is larger than 1 MB; split it into several files.")
        return upload


class AccessRequestDeclineForm(BootstrapFormMixin, forms.Form):
    reason = forms.CharField(
        label="Why do you decline?",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="The requester and the person concerned are told this reason.",
    )
