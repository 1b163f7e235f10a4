"""The discussions' pages: every page answers 404 to anyone outside the expert group
(members.expert_group); the secretariat's pages answer 404 to the other members."""

import logging

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.dateparse import parse_datetime
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from core.forms import add_service_error, form_data, form_status
from core.pagination import paginate, querystring_without_page
from core.types import AuthenticatedRequest
from discussions import selectors, services
from discussions.access import (
    access_attachment,
    access_post,
    access_thread,
    access_topic,
    edit_window,
    manages,
    may_edit,
    may_post_urgent,
)
from discussions.forms import EditForm, HideForm, PostForm, ThreadFilter, ThreadForm, TopicFilter, TopicForm
from discussions.models import Post
from members.expert_group import group_members_only

logger = logging.getLogger(__name__)


def _require_manager(request: AuthenticatedRequest) -> None:
    if not manages(request.user):
        raise Http404("No such page.")


def _wants_follow(request: AuthenticatedRequest) -> bool:
    return request.POST.get("follow") == "1"


@group_members_only
@require_safe
def topic_list(request: AuthenticatedRequest) -> HttpResponse:
    filters = TopicFilter(request.GET or None)
    data = filters.cleaned_data if filters.is_valid() else {}
    topics = selectors.topic_list(user=request.user, followed_only=data.get("followed", False), q=data.get("q", ""))
    context = {
        "page": paginate(request, topics),
        "filters": filters,
        "querystring": querystring_without_page(request),
        "manages": manages(request.user),
        "unread": selectors.unread_followed(user=request.user)[:10],
    }
    return render(request, "discussions/list.html", context, status=400 if filters.errors else 200)


@group_members_only
def topic_create(request: AuthenticatedRequest) -> HttpResponse:
    _require_manager(request)
    form = TopicForm(*form_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            topic = services.topic_create(**form.cleaned_data, by=request.user)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, f"The topic “{topic}” is open.")
            return redirect(topic)
    return render(request, "discussions/topic_form.html", {"form": form}, status=form_status(form))


@never_cache
@group_members_only
@require_safe
def topic_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    topic = access_topic(request.user, pk)
    filters = ThreadFilter(request.GET or None)
    # A bad filter (too long) is said next to it, and the list is shown unfiltered.
    data = filters.cleaned_data if filters.is_valid() else {}
    threads = selectors.thread_list(
        user=request.user, topic=topic, followed_only=data.get("followed", False), q=data.get("q", "")
    )
    context = {
        "topic": topic,
        "filters": filters,
        "page": paginate(request, threads),
        "querystring": querystring_without_page(request),
        "follows": selectors.follows_topic(user=request.user, topic=topic),
    }
    return render(request, "discussions/topic.html", context, status=400 if filters.errors else 200)


@group_members_only
@require_POST
def topic_follow(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    topic = access_topic(request.user, pk)
    if services.follow_set(by=request.user, topic=topic, following=_wants_follow(request)):
        messages.success(request, f"You follow “{topic}”: new posts in any of its threads reach you.")
    else:
        messages.success(request, f"You no longer follow “{topic}”.")
    return redirect(topic)


@group_members_only
def thread_start(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    topic = access_topic(request.user, pk)
    form = ThreadForm(*form_data(request), may_post_urgent=may_post_urgent(request.user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            thread = services.thread_start(
                topic=topic,
                title=data["title"],
                body=data["body"],
                urgent=data.get("urgent", False),
                upload=data["attachment"],
                by=request.user,
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, "The thread is started; you follow it.")
            return redirect(thread)
    context = {"topic": topic, "form": form}
    return render(request, "discussions/thread_form.html", context, status=form_status(form))


@never_cache
@group_members_only
@require_safe
def thread_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    thread = access_thread(request.user, pk)
    page = paginate(request, selectors.posts_of(thread=thread))
    user = request.user
    for post in page.object_list:
        post.editable = may_edit(user, post)
    # Read up to the newest post this page shows (not "now"): later ones stay unread.
    newest = max((post.created_at for post in page.object_list), default=None)
    context = {
        "thread": thread,
        "topic": thread.topic,
        "page": page,
        "querystring": querystring_without_page(request),
        "manages": manages(user),
        "follows": selectors.follows_thread(user=user, thread=thread),
        "follows_topic": selectors.follows_topic(user=user, topic=thread.topic),
        "form": PostForm(may_post_urgent=may_post_urgent(user)),
        "edit_minutes": settings.THB_DISCUSSION_EDIT_MINUTES,
        "read_up_to": newest.isoformat() if newest else "",
    }
    return render(request, "discussions/thread.html", context)


@group_members_only
@require_POST
def thread_follow(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    thread = access_thread(request.user, pk)
    if services.follow_set(by=request.user, thread=thread, following=_wants_follow(request)):
        messages.success(request, "You follow this thread: new posts in it reach you.")
    else:
        messages.success(request, "You no longer follow this thread.")
    return redirect(thread)


@group_members_only
@require_POST
def thread_read(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Asked by the thread's page once loaded (a GET writes nothing): read up to now."""
    thread = access_thread(request.user, pk)
    up_to = parse_datetime(request.POST.get("up_to", "") or "")
    services.thread_mark_read(thread=thread, by=request.user, up_to=up_to)
    return HttpResponse(status=204)


@group_members_only
def reply(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    thread = access_thread(request.user, pk)
    form = PostForm(*form_data(request), may_post_urgent=may_post_urgent(request.user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            post = services.post_add(
                thread=thread,
                body=data["body"],
                urgent=data.get("urgent", False),
                upload=data["attachment"],
                by=request.user,
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, "Posted." + (" Every member is alerted." if post.urgent else ""))
            return redirect(reverse("discussions:post", args=[post.pk]))
    context = {"thread": thread, "topic": thread.topic, "form": form}
    return render(request, "discussions/reply.html", context, status=form_status(form))


@group_members_only
@require_safe
def post_link(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """A post's address (notices link here): its thread, at the page that holds it."""
    post = access_post(request.user, pk)
    earlier = Q(created_at__lt=post.created_at) | Q(created_at=post.created_at, id__lt=post.pk)
    before = Post.objects.filter(earlier, thread_id=post.thread_id).count()
    page = before // settings.PAGE_SIZE + 1
    query = f"?page={page}" if page > 1 else ""
    return redirect(f"{reverse('discussions:thread', args=[post.thread_id])}{query}#post-{post.pk}")


@group_members_only
def post_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    post = access_post(request.user, pk)
    if post.author_id != request.user.pk:
        raise Http404("No such post.")
    form = EditForm(*form_data(request), initial={"body": post.body})
    if request.method == "POST" and form.is_valid():
        try:
            services.post_edit(post=post, body=form.cleaned_data["body"], by=request.user)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, "The post is changed; it shows that it was edited.")
            return redirect(reverse("discussions:post", args=[post.pk]))
    context = {
        "post": post,
        "thread": post.thread,
        "topic": post.thread.topic,
        "form": form,
        "editable": may_edit(request.user, post),
        "edit_minutes": int(edit_window().total_seconds() // 60),
    }
    return render(request, "discussions/post_edit.html", context, status=form_status(form))


@group_members_only
def post_hide(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    post = access_post(request.user, pk)
    _require_manager(request)
    form = HideForm(*form_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.post_hide(post=post, reason=form.cleaned_data["reason"], by=request.user)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, "The post is hidden; the members see the reason in its place.")
            return redirect(reverse("discussions:post", args=[post.pk]))
    context = {"post": post, "thread": post.thread, "topic": post.thread.topic, "form": form}
    return render(request, "discussions/post_hide.html", context, status=form_status(form))


@never_cache
@group_members_only
@require_safe
def attachment_download(request: AuthenticatedRequest, pk: int, attachment_pk: int) -> FileResponse:
    attachment = access_attachment(request.user, pk, attachment_pk)
    try:
        content = attachment.file.open("rb")
    except OSError as error:
        logger.error("Stored file of attachment %s is missing: %s", attachment.pk, error)
        raise Http404("The file is not available.") from error
    return FileResponse(
        content,
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
