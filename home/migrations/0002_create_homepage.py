"""Put the portal's HomePage at the root of the tree, in French, and point the default site at it."""

from django.db import migrations


def create_homepage(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Page = apps.get_model("wagtailcore", "Page")
    Site = apps.get_model("wagtailcore", "Site")
    Locale = apps.get_model("wagtailcore", "Locale")
    HomePage = apps.get_model("home", "HomePage")

    locale, _ = Locale.objects.get_or_create(language_code="fr")
    Page.objects.filter(id=2, depth=2).delete()  # Wagtail's "Welcome" page
    content_type, _ = ContentType.objects.get_or_create(model="homepage", app_label="home")
    root = Page.objects.get(depth=1)
    root.locale = locale
    root.save()
    homepage = HomePage.objects.create(
        title="Transiscope",
        draft_title="Transiscope",
        slug="accueil",
        content_type=content_type,
        path=f"{root.path}0001",
        depth=2,
        numchild=0,
        url_path="/accueil/",
        locale=locale,
        introduction="<p>Le portail des sources, des ambassadeur·rices et des collectifs locaux de Transiscope.</p>",
    )
    root.numchild = 1
    root.save()
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"hostname": "localhost", "port": 80, "root_page": homepage, "site_name": "Transiscope"},
    )


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
    ]
    operations = [migrations.RunPython(create_homepage, migrations.RunPython.noop)]
