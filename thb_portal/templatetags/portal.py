from django import template

register = template.Library()


@register.filter
def field_label(name: str) -> str:
    """`age_band` → `Age band`: stored keys shown as words."""
    return str(name).replace("_", " ").capitalize()
