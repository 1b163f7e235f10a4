"""Writes on the discussions: the secretariat opens topics; members start threads and post
(with a checked attachment; a state's or the secretariat's post may be an urgent alert);
an author edits a post for a short while; the secretariat hides one with a reason; members
follow threads and topics, and mark a thread read."""

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from core.audit import audited_as_by
from core.db import update_fields
from core.uploads import IMAGE_TYPES, PAPER_TYPES, check_upload, store_checked_upload
from discussions.access import is_member, manages, may_edit, may_post_urgent
from discussions.models import Attachment, Follow, Post, Thread, ThreadRead, Topic
from members.expert_group import acting_state, group_members
from members.models import User
from notifications.services import notify

# What a post may carry: the documents of a meeting paper, and pictures.
ATTACHMENT_TYPES = (*PAPER_TYPES, *IMAGE_TYPES)


def _require_member(by: User) -> None:
    if not is_member(by):
        raise ValidationError("Only members of the expert group take part in its discussions.")


def _require_manager(by: User) -> None:
    if not manages(by):
        raise ValidationError("Only the secretariat opens topics and hides posts.")


@audited_as_by
@transaction.atomic
def topic_create(*, title: str, by: User, description: str = "") -> Topic:
    _require_manager(by)
    title = title.strip()
    if Topic.objects.filter(title__iexact=title).exists():
        raise ValidationError({"title": "There is a topic of that name already."})
    topic = Topic(title=title, description=description.strip(), created_by=by)
    topic.full_clean()
    topic.save()
    return topic


@audited_as_by
@transaction.atomic
def topic_update(*, topic: Topic, title: str, description: str, by: User) -> Topic:
    """A correction of a topic's title or description (the admin's change form)."""
    _require_manager(by)
    title = title.strip()
    if Topic.objects.filter(title__iexact=title).exclude(pk=topic.pk).exists():
        raise ValidationError({"title": "There is a topic of that name already."})
    return update_fields(topic, {"title": title, "description": description.strip()})


@audited_as_by
@transaction.atomic
def thread_retitle(*, thread: Thread, title: str, by: User) -> Thread:
    """The secretariat renames a thread (its title is seen in lists and notices: hiding the
    first post hides its text, not the title). The admin's change form."""
    _require_manager(by)
    if not title.strip():
        raise ValidationError({"title": "Give the thread a title."})
    return update_fields(thread, {"title": title.strip()})


def _check_body(body: str) -> str:
    body = body.strip()
    if not body:
        raise ValidationError({"body": "Write something to post."})
    return body


def _notify_new_post(post: Post, by: User) -> None:
    thread = post.thread
    who = f"{by.get_full_name() or by.email}" + (f" ({post.author_state})" if post.author_state else "")
    members = group_members().exclude(pk=by.pk)
    if post.urgent:
        # A crisis alert reaches every member at once, followers or not (its kind's email
        # cannot be turned off or put in a digest).
        notify(
            recipients=members,
            kind="discussion_urgent",
            text=f"Urgent, from {who}: {thread.title}",
            link=post.get_absolute_url(),
            target=post,
            actor=by,
        )
        return
    followers = Follow.objects.filter(Q(thread=thread) | Q(topic_id=thread.topic_id)).values("user")
    notify(
        recipients=members.filter(pk__in=followers),
        kind="discussion_post",
        text=f"{who} posted in “{thread.title}” ({thread.topic}).",
        link=post.get_absolute_url(),
        target=post,
        actor=by,
    )


def _add_post(*, thread: Thread, body: str, by: User, urgent: bool, upload: Any) -> Post:
    if urgent and not may_post_urgent(by):
        raise ValidationError(
            {"urgent": "Only a member state's representatives and the secretariat send urgent alerts."}
        )
    try:
        checked = check_upload(upload, allowed=ATTACHMENT_TYPES) if upload else None
    except ValidationError as error:
        raise ValidationError({"attachment": error.messages}) from None
    now = timezone.now()
    post = Post(thread=thread, author=by, author_state=acting_state(by), body=body, urgent=urgent, created_at=now)
    post.full_clean()
    post.save()
    if checked is not None:
        store_checked_upload(Attachment(post=post), upload, checked)
    Thread.objects.filter(pk=thread.pk).update(last_post_at=now, post_count=F("post_count") + 1)
    Topic.objects.filter(pk=thread.topic_id).update(last_post_at=now)
    thread.last_post_at = now
    # The author follows what they write in, and has read it up to their own post.
    if not Follow.objects.filter(Q(thread=thread) | Q(topic_id=thread.topic_id), user=by).exists():
        Follow.objects.get_or_create(user=by, thread=thread)
    ThreadRead.objects.update_or_create(user=by, thread=thread, defaults={"read_at": now})
    _notify_new_post(post, by)
    return post


@audited_as_by
@transaction.atomic
def thread_start(*, topic: Topic, title: str, body: str, by: User, urgent: bool = False, upload: Any = None) -> Thread:
    """A new thread under a topic, with its first post."""
    _require_member(by)
    body = _check_body(body)
    thread = Thread(topic=topic, title=title.strip(), started_by=by)
    thread.full_clean()
    thread.save()
    _add_post(thread=thread, body=body, by=by, urgent=urgent, upload=upload)
    return thread


@audited_as_by
@transaction.atomic
def post_add(*, thread: Thread, body: str, by: User, urgent: bool = False, upload: Any = None) -> Post:
    """A reply in a thread; its followers (and the topic's) are told, or every member if urgent."""
    _require_member(by)
    body = _check_body(body)
    thread = Thread.objects.select_for_update().select_related("topic").get(pk=thread.pk)
    return _add_post(thread=thread, body=body, by=by, urgent=urgent, upload=upload)


@audited_as_by
@transaction.atomic
def post_edit(*, post: Post, body: str, by: User) -> Post:
    """The author's correction, within the edit window; the post then shows that it was edited
    (the earlier text stays in the audit trail)."""
    _require_member(by)
    post = Post.objects.select_for_update().get(pk=post.pk)
    if not may_edit(by, post):
        raise ValidationError(
            "This post can no longer be edited: posts can be changed by their author for a short time."
        )
    body = _check_body(body)
    if body == post.body:
        return post
    return update_fields(post, {"body": body, "edited_at": timezone.now()})


@audited_as_by
@transaction.atomic
def post_hide(*, post: Post, reason: str, by: User) -> Post:
    """The secretariat hides a post from the members; the reason is shown in its place and,
    with who hid it, kept in the audit trail."""
    _require_manager(by)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Give the reason: the members see it in the post's place."})
    post = Post.objects.select_for_update().get(pk=post.pk)
    if post.is_hidden:
        raise ValidationError("This post is hidden already.")
    return update_fields(post, {"hidden_at": timezone.now(), "hidden_by": by, "hidden_reason": reason})


@audited_as_by
@transaction.atomic
def follow_set(*, by: User, following: bool, topic: Topic | None = None, thread: Thread | None = None) -> bool:
    """Follow or stop following a thread or a topic; returns whether `by` now follows it."""
    _require_member(by)
    if (topic is None) == (thread is None):
        raise ValueError("Follow a topic or a thread.")
    if following:
        # get_or_create: a double click finds the first one made.
        Follow.objects.get_or_create(user=by, topic=topic, thread=thread)
    else:
        Follow.objects.filter(user=by, topic=topic, thread=thread).delete()
    return following


@audited_as_by
def thread_mark_read(*, thread: Thread, by: User, up_to: datetime.datetime | None = None) -> None:
    """The member has read the thread up to `up_to`, the newest post their page showed (its
    page asks for this once loaded): a post that came later, or sits on a later page, stays
    unread. The mark never moves back."""
    _require_member(by)
    now = timezone.now()
    up_to = min(up_to or now, now)
    read, created = ThreadRead.objects.get_or_create(user=by, thread=thread, defaults={"read_at": up_to})
    if not created and read.read_at < up_to:
        ThreadRead.objects.filter(pk=read.pk, read_at__lt=up_to).update(read_at=up_to)
