from django import forms


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
        apply_bootstrap_classes(self)


def errors_as_text(form: forms.BaseForm) -> str:
    """A form's errors as one sentence per field, for a flash message."""
    parts = []
    for name, errors in form.errors.items():
        text = " ".join(errors)
        parts.append(text if name == forms.forms.NON_FIELD_ERRORS else f"{form[name].label}: {text}")
    return " ".join(parts)


def form_data(request) -> tuple:
    """A form's (data, files): bound on any POST, an empty one too (that is bad input to
    refuse with 400, not a first visit), unbound otherwise. Form(*form_data(request), ...)."""
    if request.method == "POST":
        return request.POST, request.FILES
    return None, None
