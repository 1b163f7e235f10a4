from django import template

from core.labels import field_label
from reporting import published

register = template.Library()


register.filter("field_label", field_label)


@register.simple_tag
def region_identified_victims() -> list[dict[str, object]]:
    """For Facts and figures (trainings' page, which does not know reporting): the region's
    identified victims per year from validated returns, protected; kept in the cache."""
    return published.region_identified_victims()
