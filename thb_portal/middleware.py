"""Request-wide rules of the shell: no caching of signed-in pages, and the audit log's IP."""

from allauth.account.adapter import get_adapter
from auditlog.middleware import AuditlogMiddleware as BaseAuditlogMiddleware
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.utils.cache import add_never_cache_headers


class NoStoreMiddleware:
    """Every response to a signed-in user carries Cache-Control: no-store.

    Case lists, audit trails, participant exports, certificates, statistics CSVs: whatever
    a signed-in user sees may be personal or case data, and must not stay in a browser's
    or a proxy's cache after they sign out. One rule here instead of a decorator per view
    (which a new view would forget). Public pages for anonymous visitors stay cacheable.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
        return response


class AuditlogMiddleware(BaseAuditlogMiddleware):
    """django-auditlog's middleware, recording the client IP allauth uses for its limits.

    The stock one records the first X-Forwarded-For value, which the client writes
    itself. allauth takes the hop THB_TRUSTED_PROXY_COUNT places from the right, that is
    the address our own proxy saw (members.adapters.AccountAdapter.get_client_ip).
    """

    @staticmethod
    def _get_remote_addr(request):
        if settings.AUDITLOG_DISABLE_REMOTE_ADDR:
            return None
        try:
            return get_adapter(request).get_client_ip(request)
        except PermissionDenied:
            return None

    @staticmethod
    def _get_remote_port(request) -> int | None:
        # X-Forwarded-Port is the client's own claim unless a proxy of ours set it.
        if settings.THB_TRUSTED_PROXY_COUNT == 0:
            return None
        return BaseAuditlogMiddleware._get_remote_port(request)


class AllauthHeadAsGetMiddleware:
    """allauth's views see a HEAD as the GET it stands for.

    allauth's rate limits leave out only GET (allauth.core.internal.ratelimit.consume): a
    HEAD of the sign-in, sign-up, password or re-authentication page counted as an attempt,
    written to the cache (a database table on the embedded default), and a monitor sending
    HEADs could lock an address out of signing in. A HEAD is a GET without its body (RFC 9110
    §9.3.2), and allauth's views already answer it with their get(); only the limit (and
    `allow_get` of its re-authentication) tell the two apart. Last in MIDDLEWARE, so that the
    other middleware sees the real method; the method is put back for the response (the
    server leaves out the body of a HEAD, and the request log names it).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            return self.get_response(request)
        finally:
            if getattr(request, "_thb_head_as_get", False):
                request.method = "HEAD"

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.method == "HEAD" and (view_func.__module__ or "").startswith("allauth."):
            request.method = "GET"
            request._thb_head_as_get = True
        return None
