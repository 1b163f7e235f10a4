import hashlib
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.cache import cache
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


def bounded_count(queryset: QuerySet[Any], limit: int = COUNT_LIMIT) -> int:
    """How many rows the queryset has, counted up to `limit`: it reads at most `limit` ids
    (off the list's index) where a COUNT(*) would read them all."""
    return queryset.values("pk")[:limit].count()


class BoundedCountPaginator(_PaginatorBase):
    """Counts at most COUNT_LIMIT rows, never the whole table.

    A COUNT(*) of a state's tens of thousands of cases reads them all (and probes each one's grant);
    this reads at most COUNT_LIMIT ids off the list's index. Past the limit the list pages that
    far and says so (`count_is_bounded`); a filter or a search narrows it down.
    """

    COUNT_LIMIT = COUNT_LIMIT

    def __init__(self, *args: Any, count_cache: tuple[str, int] | None = None, **kwargs: Any) -> None:
        # (key prefix, seconds): the count is kept that long under the prefix and the count
        # query itself, so each filter has its own. The prefix carries what makes the count
        # stale (a version the writes bump) and whose access it answers (the user).
        self.count_cache = count_cache
        super().__init__(*args, **kwargs)

    @cached_property
    def count(self) -> int:
        object_list = self.object_list
        if not isinstance(object_list, QuerySet):
            return min(len(object_list), self.COUNT_LIMIT)
        if self.count_cache is None:
            return bounded_count(object_list, self.COUNT_LIMIT)
        prefix, seconds = self.count_cache
        counted = object_list.values("pk")[: self.COUNT_LIMIT]
        sql, params = counted.query.sql_with_params()
        key = f"{prefix}:{hashlib.sha256(f'{sql}|{params!r}'.encode()).hexdigest()}"
        count = cache.get(key)
        if count is None:
            count = counted.count()
            cache.set(key, count, timeout=seconds)
        return int(count)

    @property
    def count_is_bounded(self) -> bool:
        return self.count >= self.COUNT_LIMIT


def paginate(
    request: HttpRequest,
    queryset: Any,
    per_page: int | None = None,
    *,
    bounded: bool = False,
    count_cache: tuple[str, int] | None = None,
) -> Page[Any]:
    """A page of the list; `bounded` for lists that can hold a big table (BoundedCountPaginator),
    whose count may also be kept a while (`count_cache`, see BoundedCountPaginator)."""
    # get_page() turns a bad or out-of-range ?page= into the nearest real page, never a 500.
    paginator: Paginator[Any]
    if bounded:
        paginator = BoundedCountPaginator(queryset, per_page or settings.PAGE_SIZE, count_cache=count_cache)
    else:
        paginator = Paginator(queryset, per_page or settings.PAGE_SIZE)
    return paginator.get_page(request.GET.get("page"))


def querystring_without_page(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return str(params.urlencode())
