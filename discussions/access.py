"""The only way from a URL id to a topic, a thread, a post or an attachment: each answers
404 both when it does not exist and when the user may not see it.

Every member of the expert group (members.expert_group) reads every topic and thread. A
hidden post's text and files are the secretariat's alone; the others see that it was
hidden, and why. Only the author edits a post, for THB_DISCUSSION_EDIT_MINUTES.
"""

import datetime

from django.conf import settings
from django.http import Http404
from django.utils import timezone

from core.types import AnyUser
from discussions.models import Attachment, Post, Thread, Topic
from members.expert_group import acting_state, is_group_member

MANAGE = "discussions.manage_discussions"


def manages(user: AnyUser) -> bool:
    """The secretariat, which opens topics and hides posts (its role carries manage_discussions)."""
    return bool(user.is_authenticated and user.is_active and user.has_perm(MANAGE))


def is_member(user: AnyUser) -> bool:
    return manages(user) or is_group_member(user)


def may_post_urgent(user: AnyUser) -> bool:
    """A crisis alert is a state's or the secretariat's, not an observer's."""
    return manages(user) or acting_state(user) is not None


def edit_window() -> datetime.timedelta:
    return datetime.timedelta(minutes=settings.THB_DISCUSSION_EDIT_MINUTES)


def may_edit(user: AnyUser, post: Post, now: datetime.datetime | None = None) -> bool:
    return (
        user.is_authenticated
        and post.author_id == user.pk
        and not post.is_hidden
        and (now or timezone.now()) < post.created_at + edit_window()
    )


def access_topic(user: AnyUser, pk: int) -> Topic:
    if not is_member(user):
        raise Http404("No such topic.")
    topic = Topic.objects.filter(pk=pk).first()
    if topic is None:
        raise Http404("No such topic.")
    return topic


def access_thread(user: AnyUser, pk: int) -> Thread:
    if not is_member(user):
        raise Http404("No such thread.")
    thread = Thread.objects.select_related("topic").filter(pk=pk).first()
    if thread is None:
        raise Http404("No such thread.")
    return thread


def access_post(user: AnyUser, pk: int) -> Post:
    if not is_member(user):
        raise Http404("No such post.")
    post = Post.objects.select_related("thread__topic", "author", "author_state").filter(pk=pk).first()
    if post is None:
        raise Http404("No such post.")
    return post


def access_attachment(user: AnyUser, post_pk: int, pk: int) -> Attachment:
    post = access_post(user, post_pk)
    if post.is_hidden and not manages(user):
        raise Http404("No such file.")
    attachment = Attachment.objects.filter(post=post, pk=pk).first()
    if attachment is None:
        raise Http404("No such file.")
    attachment.post = post
    return attachment
