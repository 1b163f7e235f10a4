import logging

from django.contrib.auth.views import redirect_to_login
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from core.pagination import paginate, querystring_without_page
from core.visibility import SignInRequired, sign_in_for_members_only
from projects.access import project_visible_to
from publications import search, selectors, services
from publications.access import access_publication, access_publication_cover, access_publication_file
from publications.filters import PublicationFilter

logger = logging.getLogger(__name__)


@require_safe
def library(request: HttpRequest) -> HttpResponse:
    publication_filter = PublicationFilter(request.GET, queryset=selectors.publication_list(user=request.user))
    results = search.bounded(publication_filter.qs)
    page = paginate(request, results)
    context = {
        "filter": publication_filter,
        "page": page,
        # More matches than a search ranks: the count shown is of its best ones ("500+").
        "capped": getattr(results, "capped", False),
        "querystring": querystring_without_page(request),
        "searching": bool(request.GET.get("q", "").strip()),
    }
    return render(request, "publications/library.html", context)


@require_safe
@sign_in_for_members_only
def publication_detail(request: HttpRequest, slug: str) -> HttpResponse:
    publication = access_publication(request.user, slug)
    context = {
        "publication": publication,
        # A public report may come from a project that is not public (yet): then no link.
        "show_project": project_visible_to(request.user, publication.project),
    }
    return render(request, "publications/detail.html", context)


@require_safe
def mandates(request: HttpRequest) -> HttpResponse:
    page = paginate(request, selectors.mandate_list(user=request.user))
    return render(request, "publications/mandates.html", {"page": page})


@never_cache
@require_safe
@sign_in_for_members_only
def publication_download(request: HttpRequest, slug: str, language: str) -> FileResponse:
    publication_file = access_publication_file(request.user, slug, language)
    try:
        content = publication_file.file.open("rb")
    except OSError as error:
        logger.error("Stored file of %s is missing: %s", publication_file, error)
        raise Http404("The file is not available.") from error
    # Not counted here: a GET only reads (DESIGN §4), and crawlers and shared links fetch
    # the file directly. The page's download button counts (publication_download_counted).
    return FileResponse(
        content,
        as_attachment=True,
        filename=f"{slug}-{language}{publication_file.extension}",
        content_type=publication_file.content_type,
    )


@require_POST
def publication_download_counted(request: HttpRequest, slug: str, language: str) -> HttpResponse:
    """The download button on a publication's page: one download counted, then the file.

    A POST (with its CSRF token), so that only a person's click counts; it answers 303 to the
    file's own address, a GET that only reads, and the browser saves the file there.
    """
    try:
        publication_file = access_publication_file(request.user, slug, language)
    except SignInRequired:
        # Signed out meanwhile (members only): back to the page after signing in, to click again.
        return redirect_to_login(reverse("publications:detail", args=[slug]))
    services.publication_file_count_download(publication_file=publication_file)
    return HttpResponseRedirect(publication_file.get_absolute_url(), status=303)


@require_safe
@sign_in_for_members_only
def publication_cover(request: HttpRequest, slug: str) -> FileResponse:
    publication = access_publication_cover(request.user, slug)
    try:
        content = publication.cover.open("rb")
    except OSError as error:
        logger.error("Stored cover of %s is missing: %s", publication, error)
        raise Http404("The cover is not available.") from error
    response = FileResponse(content, content_type=publication.cover_content_type)
    # Members-only covers must not sit in shared caches.
    patch_cache_control(response, private=True, max_age=3600)
    return response
