from django import forms

from core.forms import BootstrapFormMixin

_ATTACHMENT_HELP = "Optional. PDF, Word, OpenDocument, Excel, PNG or JPEG."
_URGENT_HELP = "A crisis alert: every member of the group is told at once, by email too."


class TopicForm(BootstrapFormMixin, forms.Form):
    title = forms.CharField(max_length=120)
    description = forms.CharField(max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2}))


class PostForm(BootstrapFormMixin, forms.Form):
    body = forms.CharField(label="Message", max_length=20_000, widget=forms.Textarea(attrs={"rows": 6}))
    attachment = forms.FileField(required=False, help_text=_ATTACHMENT_HELP)
    urgent = forms.BooleanField(required=False, label="Urgent alert", help_text=_URGENT_HELP)

    def __init__(self, *args, may_post_urgent: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not may_post_urgent:
            del self.fields["urgent"]


class ThreadForm(PostForm):
    title = forms.CharField(max_length=200)
    field_order = ["title", "body", "attachment", "urgent"]


class EditForm(BootstrapFormMixin, forms.Form):
    body = forms.CharField(label="Message", max_length=20_000, widget=forms.Textarea(attrs={"rows": 6}))


class HideForm(BootstrapFormMixin, forms.Form):
    reason = forms.CharField(
        max_length=500, help_text="Shown to the members in the post's place, and kept in the audit trail."
    )


class ThreadFilter(BootstrapFormMixin, forms.Form):
    q = forms.CharField(required=False, max_length=100, label="Title contains")
    followed = forms.BooleanField(required=False, label="Only threads I follow")


class TopicFilter(BootstrapFormMixin, forms.Form):
    q = forms.CharField(required=False, max_length=100, label="Title contains")
    followed = forms.BooleanField(required=False, label="Only topics I follow")
