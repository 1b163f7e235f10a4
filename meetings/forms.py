from django import forms

from core.forms import DATE_INPUT, DATETIME_INPUT, BootstrapFormMixin, apply_bootstrap_classes, field_of
from core.languages import LANGUAGES
from meetings.models import (
    ActionStatus,
    AgendaItem,
    Attendee,
    ItemStatus,
    Meeting,
    MeetingKind,
    MeetingStatus,
    Mode,
    Purpose,
    Reply,
)
from meetings.workflow import AGENDA_ITEM_WORKFLOW
from members.models import MemberState, User

_DATE, _DATETIME = DATE_INPUT, DATETIME_INPUT


class MeetingForm(BootstrapFormMixin, forms.ModelForm):
    online_link = forms.URLField(
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text="The link to join; shown to members of the expert group only.",
    )

    class Meta:
        model = Meeting
        fields = [
            "title",
            "kind",
            "starts_on",
            "ends_on",
            "place",
            "online_link",
            "host_state",
            "chair",
            "proposals_close_at",
            "registration_closes_at",
            "note",
        ]
        widgets = {
            "starts_on": _DATE,
            "ends_on": _DATE,
            "proposals_close_at": _DATETIME,
            "registration_closes_at": _DATETIME,
            "note": forms.Textarea(attrs={"rows": 3}),
        }


class StepForm(BootstrapFormMixin, forms.Form):
    """The confirmation of a meeting's step; cancelling asks for the reason."""

    reason = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


class ProposalForm(BootstrapFormMixin, forms.Form):
    title = forms.CharField(max_length=200)
    purpose = forms.ChoiceField(choices=Purpose.choices, initial=Purpose.DISCUSSION)
    note = forms.CharField(
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What the item is about and what your state asks of the group.",
    )


class SecretariatItemForm(ProposalForm):
    rapporteur = forms.CharField(max_length=200, required=False)


# The choices are the steps of the item's table, with their labels.
DECISIONS = [(step.name, step.label) for step in AGENDA_ITEM_WORKFLOW]


class DecisionForm(BootstrapFormMixin, forms.Form):
    step = forms.ChoiceField(choices=DECISIONS, widget=forms.RadioSelect, label="Decision")
    merged_into = forms.ModelChoiceField(queryset=AgendaItem.objects.none(), required=False, label="Merge into")
    rapporteur = forms.CharField(max_length=200, required=False)
    reason = forms.CharField(
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Told to the proposing state; needed to merge or decline.",
    )

    def __init__(self, *args, item: AgendaItem, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["merged_into"].queryset = AgendaItem.objects.filter(  # type: ignore[attr-defined]
            meeting_id=item.meeting_id, status=ItemStatus.ACCEPTED
        ).exclude(pk=item.pk)


class PaperForm(BootstrapFormMixin, forms.Form):
    title = forms.CharField(max_length=200, required=False, help_text="Empty: the file's name.")
    item = forms.ModelChoiceField(
        queryset=AgendaItem.objects.none(), required=False, empty_label="The whole meeting", label="Agenda item"
    )
    language = forms.ChoiceField(choices=LANGUAGES, initial="en")
    restricted = forms.BooleanField(required=False, label="Restricted: member states only, not observers")
    file = forms.FileField()

    def __init__(self, *args, meeting: Meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = AgendaItem.objects.filter(  # type: ignore[attr-defined]
            meeting=meeting, status__in=(ItemStatus.PROPOSED, ItemStatus.ACCEPTED)
        ).order_by("status", "position", "id")


GUEST_ROWS = 3


class DelegationForm(BootstrapFormMixin, forms.Form):
    """A state's answer: each of its members attends in person, online or not; up to three guests."""

    reply = forms.ChoiceField(choices=Reply.choices, widget=forms.RadioSelect, label="Your state")
    note = forms.CharField(max_length=500, required=False, label="Note to the secretariat")

    def __init__(self, *args, candidates: list[User], **kwargs):
        super().__init__(*args, **kwargs)
        self.candidates = candidates
        choices = [("", "Does not attend"), *Mode.choices]
        for user in candidates:
            self.fields[f"member_{user.pk}"] = forms.ChoiceField(choices=choices, required=False, label=user.full_name)
        for row in range(GUEST_ROWS):
            self.fields[f"guest_{row}_name"] = forms.CharField(max_length=200, required=False, label="Guest's name")
            self.fields[f"guest_{row}_organisation"] = forms.CharField(
                max_length=200, required=False, label="Organisation"
            )
            self.fields[f"guest_{row}_mode"] = forms.ChoiceField(choices=Mode.choices, required=False, label="Mode")
        apply_bootstrap_classes(self)

    def member_fields(self):
        return [self[f"member_{user.pk}"] for user in self.candidates]

    def guest_rows(self):
        return [
            (self[f"guest_{row}_name"], self[f"guest_{row}_organisation"], self[f"guest_{row}_mode"])
            for row in range(GUEST_ROWS)
        ]

    def clean(self):
        data = super().clean() or {}
        for row in range(GUEST_ROWS):
            if data.get(f"guest_{row}_organisation") and not data.get(f"guest_{row}_name"):
                self.add_error(f"guest_{row}_name", "Give the guest's name.")
        return data

    def members(self) -> list[tuple[User, str]]:
        return [
            (user, self.cleaned_data[f"member_{user.pk}"])
            for user in self.candidates
            if self.cleaned_data.get(f"member_{user.pk}")
        ]

    def guests(self) -> list[tuple[str, str, str]]:
        return [
            (
                self.cleaned_data.get(f"guest_{row}_name", ""),
                self.cleaned_data.get(f"guest_{row}_organisation", ""),
                self.cleaned_data.get(f"guest_{row}_mode") or Mode.IN_PERSON,
            )
            for row in range(GUEST_ROWS)
        ]

    @staticmethod
    def initial_for(delegation, candidates) -> dict:
        if delegation is None:
            return {}
        initial: dict = {"reply": delegation.reply, "note": delegation.note}
        guests = []
        for attendee in delegation.attendees.all():
            if attendee.user_id:
                initial[f"member_{attendee.user_id}"] = attendee.mode
            else:
                guests.append(attendee)
        for row, guest in enumerate(guests[:GUEST_ROWS]):
            initial |= {
                f"guest_{row}_name": guest.guest_name,
                f"guest_{row}_organisation": guest.guest_organisation,
                f"guest_{row}_mode": guest.mode,
            }
        return initial


class ObserverForm(BootstrapFormMixin, forms.Form):
    attending = forms.TypedChoiceField(
        choices=[("yes", "I will attend"), ("no", "I will not attend")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        label="Your attendance",
    )
    mode = forms.ChoiceField(choices=Mode.choices, initial=Mode.IN_PERSON)


class AttendanceForm(forms.Form):
    present = forms.TypedMultipleChoiceField(coerce=int, required=False)

    def __init__(self, *args, attendees: list[Attendee], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["present"].choices = [(a.pk, a.name) for a in attendees]  # type: ignore[attr-defined]


class MinutesForm(BootstrapFormMixin, forms.Form):
    text = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 16}),
        max_length=100_000,
        help_text="Separate paragraphs by a blank line: members comment on a paragraph by its number.",
    )


class CirculateForm(BootstrapFormMixin, forms.Form):
    comments_close_at = forms.DateTimeField(widget=_DATETIME, label="Comments until")


class CommentForm(BootstrapFormMixin, forms.Form):
    paragraph = forms.TypedChoiceField(coerce=int, empty_value=None, required=False, label="Comment on")
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), max_length=4000, label="Your comment")

    def __init__(self, *args, paragraphs: int, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", "The minutes as a whole"), *((n, f"Paragraph {n}") for n in range(1, paragraphs + 1))]
        field_of(self, "paragraph", forms.TypedChoiceField).choices = choices


class DecisionRecordForm(BootstrapFormMixin, forms.Form):
    item = forms.ModelChoiceField(queryset=AgendaItem.objects.none(), required=False, empty_label="No agenda item")
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=4000, label="Decision")

    def __init__(self, *args, meeting: Meeting, **kwargs):
        super().__init__(*args, **kwargs)
        field_of(self, "item", forms.ModelChoiceField).queryset = AgendaItem.objects.filter(
            meeting=meeting, status=ItemStatus.ACCEPTED
        ).order_by("position", "id")


class ActionPointForm(DecisionRecordForm):
    """The owner is one choice: "state:<id>", "user:<id>" or "secretariat"."""

    owner = forms.ChoiceField(help_text="A state, a person or the secretariat.")
    due_on = forms.DateField(widget=_DATE, label="Due on")

    def __init__(self, *args, meeting: Meeting, states, users, **kwargs):
        super().__init__(*args, meeting=meeting, **kwargs)
        self.fields["text"].label = "What"
        self.states = {f"state:{state.pk}": state for state in states}
        self.users = {f"user:{user.pk}": user for user in users}
        field_of(self, "owner", forms.ChoiceField).choices = [
            ("", "Choose the owner"),
            ("secretariat", "The secretariat"),
            ("States", [(key, state.name) for key, state in self.states.items()]),
            ("People", [(key, user.full_name) for key, user in self.users.items()]),
        ]
        self.order_fields(["item", "text", "owner", "due_on"])

    def owner_of(self) -> dict:
        chosen = self.cleaned_data["owner"]
        return {
            "owner_state": self.states.get(chosen),
            "owner_user": self.users.get(chosen),
            "owner_secretariat": chosen == "secretariat",
        }


class ActionUpdateForm(BootstrapFormMixin, forms.Form):
    status = forms.ChoiceField(choices=ActionStatus.choices)
    status_note = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=2000, label="Note")


class ActionFilterForm(BootstrapFormMixin, forms.Form):
    state = forms.ModelChoiceField(queryset=MemberState.objects.none(), required=False, empty_label="Every owner")
    status = forms.ChoiceField(choices=[("", "Any status"), *ActionStatus.choices], required=False)

    def __init__(self, *args, states, **kwargs):
        super().__init__(*args, **kwargs)
        field_of(self, "state", forms.ModelChoiceField).queryset = states


class MeetingFilterForm(BootstrapFormMixin, forms.Form):
    status = forms.ChoiceField(choices=[("", "Any status"), *MeetingStatus.choices], required=False)
    kind = forms.ChoiceField(choices=[("", "Any kind"), *MeetingKind.choices], required=False)
