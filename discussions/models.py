"""The expert group's discussions: members-only threads under topics, with posts and
checked attachments. A post can be an urgent alert; its author edits it for a short while
(the edit is shown); the secretariat hides a post with a reason. Members follow threads
and topics, and what they have read is kept per thread (for "unread" on the dashboard)."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone


class Topic(models.Model):
    """A subject the secretariat opens for the group ("Ukraine response", "data collection")."""

    title = models.CharField(max_length=120, unique=True)
    description = models.CharField(max_length=500, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    # Set by every new post in the topic: the topics list shows the latest activity.
    last_post_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["title"]
        constraints = [
            # "Data collection" and "data collection" are one topic (the service says so first).
            models.UniqueConstraint(Lower("title"), name="topic_title_once_in_any_case"),
        ]
        permissions = [("manage_discussions", "Can open topics and hide posts in the expert group's discussions")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("discussions:topic", args=[self.pk])


class Thread(models.Model):
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="threads")
    title = models.CharField(max_length=200)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    started_at = models.DateTimeField(default=timezone.now)
    # Kept by the services: the topic's threads are listed by their latest post.
    last_post_at = models.DateTimeField(default=timezone.now)
    post_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-last_post_at", "-id"]
        indexes = [
            models.Index("topic", F("last_post_at").desc(), F("id").desc(), name="thread_topic_list_idx"),
            # The admin's list, across topics.
            models.Index(F("last_post_at").desc(), F("id").desc(), name="thread_recent_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("discussions:thread", args=[self.pk])


class Post(models.Model):
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="posts")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # The state the author wrote for, when they wrote (a representative may later move on).
    author_state = models.ForeignKey(
        "members.MemberState", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    body = models.TextField(max_length=20_000)
    # A crisis alert: every member is told at once, whatever their email preference.
    urgent = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    hidden_reason = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            # A thread's posts in order, and the unread ones after a time.
            models.Index(fields=["thread", "created_at", "id"], name="post_thread_idx"),
            # The admin's list, newest first.
            models.Index(F("created_at").desc(), F("id").desc(), name="post_recent_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(hidden_at__isnull=True) | ~Q(hidden_reason=""), name="post_hidden_has_a_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"Post {self.pk} in {self.thread_id}"

    def get_absolute_url(self) -> str:
        # Its thread at the page that holds it (a redirect: the page depends on the posts before).
        return reverse("discussions:post", args=[self.pk])

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None


class Attachment(models.Model):
    """A file with a post, through the checked upload; served by an access-checked view."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to="discussions/%Y/%m/", max_length=200)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)

    class Meta:
        ordering = ["post", "id"]

    def __str__(self) -> str:
        return self.original_name

    def get_absolute_url(self) -> str:
        return reverse("discussions:attachment", args=[self.post_id, self.pk])


class Follow(models.Model):
    """A member follows a thread or a whole topic: new posts in it reach them as notices."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, null=True, blank=True, related_name="follows")
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, null=True, blank=True, related_name="follows")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(topic__isnull=True, thread__isnull=False) | Q(topic__isnull=False, thread__isnull=True),
                name="follow_one_thing",
            ),
            models.UniqueConstraint("user", "topic", name="follow_topic_once", condition=Q(topic__isnull=False)),
            models.UniqueConstraint("user", "thread", name="follow_thread_once", condition=Q(thread__isnull=False)),
        ]
        indexes = [
            # Who follows this thread or topic (the notices of a new post).
            models.Index(fields=["thread"], name="follow_thread_idx", condition=Q(thread__isnull=False)),
            models.Index(fields=["topic"], name="follow_topic_idx", condition=Q(topic__isnull=False)),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} follows {self.thread_id or self.topic_id}"


class ThreadRead(models.Model):
    """Up to when a member has read a thread: posts after it are unread."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="reads")
    read_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint("user", "thread", name="thread_read_once")]

    def __str__(self) -> str:
        return f"{self.user_id} read {self.thread_id} at {self.read_at:%Y-%m-%d %H:%M}"
