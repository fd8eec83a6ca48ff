"""Django admin for the community's records (the staff use the portal's own pages for daily work)."""

from django.contrib import admin

from .models import (
    AmbassadorApplication,
    AmbassadorExchange,
    AmbassadorProfile,
    Category,
    ContactMessage,
    Flag,
    JoinRequest,
    Post,
    Subscription,
    Topic,
    WorkingGroup,
)


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "visibility", "source", "position"]
    list_filter = ["visibility"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["title", "category", "author", "reply_count", "is_pinned", "is_locked", "last_post_at"]
    list_filter = ["category", "is_pinned", "is_locked"]
    search_fields = ["title"]
    raw_id_fields = ["author", "solution", "last_post_author"]


@admin.register(Post)
class PostAdmin(admin.ModelAdmin):
    list_display = ["topic", "author", "status", "created_at"]
    list_filter = ["status"]
    raw_id_fields = ["topic", "author", "moderated_by"]


@admin.register(WorkingGroup)
class WorkingGroupAdmin(admin.ModelAdmin):
    list_display = ["name", "facilitator", "welcomer", "position"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["referents"]


class ExchangeInline(admin.TabularInline):
    model = AmbassadorExchange
    extra = 0


@admin.register(AmbassadorProfile)
class AmbassadorProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "kind", "departement", "is_available", "show_in_directory", "next_contact_on"]
    list_filter = ["kind", "region", "is_available"]
    inlines = [ExchangeInline]
    raw_id_fields = ["user", "replacement"]


admin.site.register([AmbassadorApplication, ContactMessage, Flag, JoinRequest, Subscription])
