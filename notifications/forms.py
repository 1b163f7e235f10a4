from django import forms

from notifications.kinds import KINDS, EmailMode, kinds_for

FIELD_PREFIX = "email_"


class PreferencesForm(forms.Form):
    """One choice per kind the user may receive and may choose for."""

    def __init__(self, *args, user, current: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        self.kinds = [kind for kind in kinds_for(user) if kind.email_configurable]
        for kind in self.kinds:
            self.fields[FIELD_PREFIX + kind.key] = forms.ChoiceField(
                label=kind.label,
                help_text=kind.description,
                choices=EmailMode.choices,
                initial=current.get(kind.key, kind.default_email),
                widget=forms.RadioSelect,
            )

    def clean(self):
        cleaned = super().clean()
        # A tampered form may name kinds the user does not receive: say so, do not ignore it.
        unexpected = [
            key.removeprefix(FIELD_PREFIX)
            for key in self.data
            if key.startswith(FIELD_PREFIX) and key not in self.fields
        ]
        if unexpected:
            # By their labels: the keys are the portal's codes, which mean nothing to the user.
            known = sorted(KINDS[key].label for key in unexpected if key in KINDS)
            names = ", ".join(f"“{label}”" for label in known)
            if len(known) < len(unexpected):
                names = f"{names} and notices that do not exist" if names else "notices that do not exist"
            raise forms.ValidationError(
                f"You cannot set email preferences for {names}: you do not receive them. "
                "Reload the page and choose again."
            )
        return cleaned

    def preferences(self) -> dict[str, str]:
        return {name.removeprefix(FIELD_PREFIX): value for name, value in self.cleaned_data.items()}
