from django import template

from core.labels import field_label

register = template.Library()


register.filter("field_label", field_label)
