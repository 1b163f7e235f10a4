from typing import TypeVar

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS

F = TypeVar("F", bound=forms.Field)


def apply_bootstrap_classes(form: forms.BaseForm) -> None:
    """Give each widget Bootstrap's class, so templates can stay plain."""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, (forms.CheckboxSelectMultiple, forms.RadioSelect, forms.CheckboxInput)):
            widget.attrs.setdefault("class", "form-check-input")
        elif isinstance(widget, forms.Select):
            widget.attrs.setdefault("class", "form-select")
        else:
            widget.attrs.setdefault("class", "form-control")


class BootstrapFormMixin:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if isinstance(self, forms.BaseForm):  # always, as a form's mixin; says so to the checker
            apply_bootstrap_classes(self)


def field_of(form: forms.BaseForm, name: str, kind: type[F]) -> F:
    """The form's field `name`, which must be a `kind`: a ModelChoiceField whose queryset a
    form narrows, a ChoiceField whose choices it sets (form.fields says only Field)."""
    field = form.fields[name]
    if not isinstance(field, kind):
        raise TypeError(f"{type(form).__name__}.{name} is a {type(field).__name__}, not a {kind.__name__}")
    return field


def errors_as_text(form: forms.BaseForm) -> str:
    """A form's errors as one sentence per field, for a flash message."""
    parts = []
    for name, errors in form.errors.items():
        text = " ".join(str(error) for error in errors)
        parts.append(text if name == NON_FIELD_ERRORS else f"{form[name].label}: {text}")
    return " ".join(parts)


def form_data(request) -> tuple:
    """A form's (data, files): bound on any POST, an empty one too (that is bad input to
    refuse with 400, not a first visit), unbound otherwise. Form(*form_data(request), ...)."""
    if request.method == "POST":
        return request.POST, request.FILES
    return None, None
