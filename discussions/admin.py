"""The admin lists topics, threads and posts for the secretariat to look up and corrects a
topic's title and description and a thread's title (through the services); posts are
written, edited and hidden on the portal's pages, where the edit window and the reason for
hiding hold."""

from django import forms
from django.contrib import admin

from core.admin import LargeTableAdmin, ReadOnlyAdminMixin
from discussions import services
from discussions.models import Post, Thread, Topic


class TopicCorrectionForm(forms.ModelForm):
    class Meta:
        model = Topic
        fields = ["title", "description"]

    def clean_title(self):
        # The service refuses the same title in another case too; say so next to the field.
        title = self.cleaned_data["title"].strip()
        if Topic.objects.filter(title__iexact=title).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError("There is a topic of that name already.")
        return title


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    """A topic's title and description are corrected here; topics are opened on the portal."""

    list_display = ["title", "last_post_at", "created_at"]
    ordering = ["title"]
    search_fields = ["title"]
    form = TopicCorrectionForm

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        services.topic_update(topic=obj, title=obj.title, description=obj.description, by=request.user)


@admin.register(Thread)
class ThreadAdmin(LargeTableAdmin, admin.ModelAdmin):
    """A thread's title is corrected here (a hidden first post leaves it in the lists)."""

    list_display = ["title", "topic", "post_count", "last_post_at"]
    list_select_related = ["topic"]
    ordering = ["-last_post_at", "-id"]
    # Only the orders an index backs (thread_recent_idx).
    sortable_by = ["last_post_at"]
    search_fields = ["title"]
    fields = ["title"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        services.thread_retitle(thread=obj, title=obj.title, by=request.user)


@admin.register(Post)
class PostAdmin(ReadOnlyAdminMixin, LargeTableAdmin, admin.ModelAdmin):
    list_display = ["pk", "thread", "author", "author_state", "urgent", "created_at", "hidden_at"]
    list_filter = ["urgent"]
    list_select_related = ["thread", "author", "author_state"]
    ordering = ["-created_at", "-id"]
    # Only the order an index backs (post_recent_idx).
    sortable_by = ["created_at"]
