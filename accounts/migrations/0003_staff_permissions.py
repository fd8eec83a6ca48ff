"""The team ("staff" role) runs the portal: it reaches the Wagtail admin, manages every portal model, edits
and publishes pages, uses images and documents, and asks for translations. Without this, a staff member
who is not a superuser was sent back and forth between /admin/ and the login page.

Account management (users, groups) stays with superusers."""

from django.db import migrations

PORTAL_APPS = ["home", "sources", "agenda", "kits", "community", "support", "stories", "newsletter"]
PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page", "lock_page", "unlock_page", "bulk_delete_page"]
COLLECTION_PERMISSIONS = {
    "wagtailimages": ["add_image", "change_image", "choose_image", "delete_image"],
    "wagtaildocs": ["add_document", "change_document", "choose_document", "delete_document"],
}


def grant(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after all migrations; create them now so they can be granted.
    for app_label in PORTAL_APPS + ["wagtailcore", "wagtailimages", "wagtaildocs"]:
        app_config = apps.get_app_config(app_label)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    Page = apps.get_model("wagtailcore", "Page")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")

    group, _created = Group.objects.get_or_create(name="staff")
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="wagtailadmin", codename="access_admin"),
        *Permission.objects.filter(content_type__app_label__in=PORTAL_APPS),
        *Permission.objects.filter(content_type__app_label="wagtail_localize", codename="submit_translation"),
    )
    root_page = Page.objects.filter(depth=1).first()
    if root_page is not None:
        for permission in Permission.objects.filter(
            content_type__app_label="wagtailcore", codename__in=PAGE_PERMISSIONS
        ):
            GroupPagePermission.objects.get_or_create(group=group, page=root_page, permission=permission)
    root_collection = Collection.objects.filter(depth=1).first()
    if root_collection is not None:
        for app_label, codenames in COLLECTION_PERMISSIONS.items():
            for permission in Permission.objects.filter(
                content_type__app_label=app_label, codename__in=codenames
            ):
                GroupCollectionPermission.objects.get_or_create(
                    group=group, collection=root_collection, permission=permission
                )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_roles"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("wagtail_localize", "0016_rename_page_revision_translationlog_revision"),
        ("home", "0004_schedules"),
        ("sources", "0004_element_duplicate_keys"),
        ("agenda", "0002_schedule"),
        ("kits", "0003_notification_sequences"),
        ("community", "0002_schedules_and_source_categories"),
        ("support", "0005_remove_clear_tokens"),
        ("stories", "0003_folder_source_optional"),
        ("newsletter", "0005_automatic_issues_schedule"),
    ]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
