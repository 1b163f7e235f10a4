"""The data a browser sends from an admin add or change page, read from the page's forms."""

from django.urls import reverse


def _value(bound_field):
    value = bound_field.value()
    if value is None:
        return ""
    if isinstance(value, bool):
        return "on" if value else ""
    if isinstance(value, list | tuple):
        return [str(item) for item in value]
    return value


def admin_form_data(client, url: str, **changes) -> dict:
    """What the page's form (and its inlines, with their management forms) would post, plus `changes`.

    Empty values are left out, as a browser leaves out unticked boxes; file inputs stay empty.
    """
    context = client.get(url).context
    form = context["adminform"].form
    data = {form.add_prefix(name): _value(form[name]) for name in form.fields}
    for inline in context["inline_admin_formsets"]:
        formset = inline.formset
        management = formset.management_form
        data.update({management.add_prefix(name): management[name].value() for name in management.fields})
        for inline_form in formset.forms:
            for name in inline_form.fields:
                data[inline_form.add_prefix(name)] = _value(inline_form[name])
    data.update(changes)
    data["_save"] = "Save"
    return {name: value for name, value in data.items() if value not in ("", None, [])}


def change_url(obj) -> str:
    meta = obj._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])
