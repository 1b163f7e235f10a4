from django import forms

from consultations.models import POSITIONS, Consultation, ConsultationStatus, Position, Procedure
from core.forms import DATETIME_INPUT, BootstrapFormMixin, field_of

_DATETIME = DATETIME_INPUT


class ConsultationForm(BootstrapFormMixin, forms.Form):
    title = forms.CharField(max_length=200)
    procedure = forms.ChoiceField(choices=Procedure.choices, widget=forms.RadioSelect)
    note = forms.CharField(required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))
    deadline = forms.DateTimeField(widget=_DATETIME)
    document = forms.FileField(help_text="PDF, Word, OpenDocument or Excel.")


class NewRoundForm(BootstrapFormMixin, forms.Form):
    document = forms.FileField(label="New version of the document")
    deadline = forms.DateTimeField(widget=_DATETIME)
    note = forms.CharField(
        required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3}), help_text="Empty: the first note."
    )


class AnswerForm(BootstrapFormMixin, forms.Form):
    position = forms.ChoiceField(widget=forms.RadioSelect, label="Your state's answer")
    text = forms.CharField(required=False, max_length=10_000, widget=forms.Textarea(attrs={"rows": 5}))
    section = forms.CharField(required=False, max_length=200, label="Section (empty: the whole document)")
    visible_to_members = forms.BooleanField(required=False, label="Let every member read these comments")

    def __init__(self, *args, consultation: Consultation, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = POSITIONS[Procedure(consultation.procedure)]
        field_of(self, "position", forms.ChoiceField).choices = [(p, Position(p).label) for p in allowed]
        if consultation.procedure == Procedure.COMMENTS:
            self.fields["position"].initial = Position.COMMENTS
            self.fields["position"].widget = forms.HiddenInput()
            self.fields["text"].label = "Comments"
        else:
            del self.fields["section"], self.fields["visible_to_members"]
            self.fields["text"].label = (
                "Reason for the objection" if consultation.procedure == Procedure.SILENCE else "Statement (optional)"
            )


class ReplyForm(BootstrapFormMixin, forms.Form):
    reply = forms.CharField(required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))
    taken_in = forms.BooleanField(required=False, label="Taken in")


class ConsultationFilter(BootstrapFormMixin, forms.Form):
    status = forms.ChoiceField(choices=[("", "Open and closed"), *ConsultationStatus.choices], required=False)
