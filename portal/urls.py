"""URLs of the portal.

Language-neutral endpoints (admin, webhooks, feeds for machines) stay outside `i18n_patterns`;
person-facing pages are served in French at the root and in English under /en/.
"""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.i18n import JavaScriptCatalog

from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from core import views as core_views
from home import seo

urlpatterns = [
    # The admins' own login forms would bypass allauth (and its two-factor step): send people to it.
    path("admin/login/", core_views.login_redirect),
    path("django-admin/login/", core_views.login_redirect),
    path("admin/", include(wagtailadmin_urls)),
    path("django-admin/", admin.site.urls),
    path("documents/", include(wagtaildocs_urls)),
    path("i18n/", include("django.conf.urls.i18n")),
    path("hooks/", include("core.webhook_urls")),
    path("api/sources/", include("sources.api_urls")),
    path("", include("agenda.feed_urls")),
    path("", include("search.api_urls")),
    path("manifest.webmanifest", core_views.manifest, name="manifest"),
    path("sw.js", core_views.service_worker, name="service_worker"),
    path("healthz", core_views.healthz, name="healthz"),
    path("robots.txt", seo.robots_txt, name="robots_txt"),
    path("sitemap.xml", seo.sitemap_xml, name="sitemap"),
    path("favicon.ico", seo.favicon, name="favicon"),
    path("readyz", core_views.readyz, name="readyz"),
]

urlpatterns += i18n_patterns(
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("comptes/", include("allauth.urls")),
    path("compte/", include("accounts.urls")),
    path("sources/", include("sources.urls")),
    path("agenda/", include("agenda.urls")),
    path("kits/", include("kits.urls")),
    path("communaute/", include("community.urls")),
    path("accompagnement/", include("support.urls")),
    path("recits/", include("stories.urls")),
    path("lettre/", include("newsletter.urls")),
    # Before Wagtail's own: its password-only login view must never answer (core.views explains why).
    path("_util/login/", core_views.frontend_login_redirect, name="wagtailcore_login"),
    # The one translated path: /recherche/ in French, /en/search/ in English (locale/).
    path(_("recherche/"), include("search.urls")),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)

if settings.DEBUG:
    from django.conf.urls.static import static
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns = (
        staticfiles_urlpatterns()
        + static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
        + urlpatterns
    )

handler404 = "core.views.page_not_found"
handler500 = "core.views.server_error"
