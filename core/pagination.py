from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.functional import cached_property

if TYPE_CHECKING:
    _PaginatorBase = Paginator[Any]
else:  # Paginator is generic to the type checker only
    _PaginatorBase = Paginator

# How far a list over a big table counts: past it the list says "at least 1000" and pages that far
# (counting a state's cases up to 1,000 costs about 15 ms at a million cases, with their grants).
COUNT_LIMIT = 1_000


class BoundedCountPaginator(_PaginatorBase):
    """Counts at most COUNT_LIMIT rows, never the whole table.

    A COUNT(*) of a state's tens of thousands of cases reads them all (and probes each one's grant);
    this reads at most COUNT_LIMIT ids off the list's index. Past the limit the list pages that
    far and says so (`count_is_bounded`); a filter or a search narrows it down.
    """

    COUNT_LIMIT = COUNT_LIMIT

    @cached_property
    def count(self) -> int:
        object_list = self.object_list
        if isinstance(object_list, QuerySet):
            return object_list.values("pk")[: self.COUNT_LIMIT].count()
        return min(len(object_list), self.COUNT_LIMIT)

    @property
    def count_is_bounded(self) -> bool:
        return self.count >= self.COUNT_LIMIT


def paginate(request: HttpRequest, queryset: Any, per_page: int | None = None, *, bounded: bool = False) -> Page[Any]:
    """A page of the list; `bounded` for lists that can hold a big table (BoundedCountPaginator)."""
    # get_page() turns a bad or out-of-range ?page= into the nearest real page, never a 500.
    paginator_class = BoundedCountPaginator if bounded else Paginator
    paginator = paginator_class(queryset, per_page or settings.PAGE_SIZE)
    return paginator.get_page(request.GET.get("page"))


def querystring_without_page(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return str(params.urlencode())
