"""Pages of the sources app. Thin: reads come from `selectors`, writes go through `services`."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from django_q.tasks import async_task
from django_ratelimit.decorators import ratelimit

from accounts import permissions
from core import csv_export
from core.errors import ServiceError
from core.redirects import redirect_to_next
from sources import selectors
from sources.charts import trend_chart
from sources.forms import AlertPreferenceForm, ReportForm, ReportStatusForm
from sources.models import AlertPreference, ImportRun, Report, RunError, Source
from sources.services import checks, reports

ERRORS_PER_PAGE = 50


def index(request):
    """Public list of the sources, with the signed-in maintainer's own sources first."""
    own = (
        list(permissions.sources_visible_to(request.user).filter(is_active=True))
        if request.user.is_authenticated
        else []
    )
    page_obj = selectors.public_sources(page_number=request.GET.get("page"))
    return render(
        request,
        "sources/index.html",
        {"sources": page_obj.object_list, "page_obj": page_obj, "own_sources": own},
    )


def overview(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not permissions.can_view_all_sources(request.user):
        raise PermissionDenied
    sort = request.GET.get("tri", "sante")
    sources = selectors.overview(
        sort={"sante": "health", "nom": "name", "signalements": "reports"}.get(sort, "health")
    )
    return render(request, "sources/overview.html", {"sources": sources, "sort": sort})


def _dashboard_source(request, slug) -> Source:
    source = get_object_or_404(Source, slug=slug)
    if not permissions.can_view_source(request.user, source):
        raise PermissionDenied
    return source


def dashboard(request, slug):
    """One source's dashboard: maintainers of that source and staff only."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    source = _dashboard_source(request, slug)
    last_run = selectors.latest_run(source=source)
    errors_page = None
    if last_run is not None:
        errors_page = Paginator(RunError.objects.filter(run=last_run), ERRORS_PER_PAGE).get_page(
            request.GET.get("page")
        )
    trend = selectors.trend(source=source)
    context = {
        "source": source,
        "last_run": last_run,
        "counter_rows": selectors.counter_rows(counters=last_run.counters) if last_run else [],
        "running": source.runs.exclude(state__in=ImportRun.FINISHED_STATES).first(),
        "errors_page": errors_page,
        "runs": selectors.recent_runs(source=source),
        "chart": trend_chart(trend),
        "trend": trend,
        "open_reports": selectors.open_reports(source=source),
        "onboarding": selectors.onboarding_progress(source=source),
        "feed_count": selectors.active_element_counts().get(source.pk, 0),
        "status_form": ReportStatusForm(),
        "alert_form": AlertPreferenceForm(initial={"mode": selectors.alert_mode(user=request.user)}),
    }
    context["onboarding_done"] = sum(1 for item in context["onboarding"] if item["step"])
    if source.map_elements_count is not None:
        context["missing_from_map"] = max(context["feed_count"] - source.map_elements_count, 0)
    return render(request, "sources/dashboard.html", context)


@login_required
def errors_csv(request, slug):
    """Every error of the last check, as CSV (never cut)."""
    source = _dashboard_source(request, slug)
    last_run = selectors.latest_run(source=source)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{source.slug}-erreurs.csv"'
    writer = csv_export.writer(response)
    writer.writerow(["position", "identifiant", "etape", "message"])
    if last_run is not None:
        for position, element_id, stage, message in (
            RunError.objects.filter(run=last_run)
            .values_list("position", "element_id", "stage", "message")
            .iterator(chunk_size=2000)
        ):
            writer.writerow([position, element_id, stage, _(message)])
    return response


@login_required
@require_POST
@ratelimit(key="user", rate="6/h", block=True)
def check_now(request, slug):
    """Queue a check of this source's feed now (maintainers and staff), unless one is already running."""
    source = _dashboard_source(request, slug)
    if source.runs.filter(kind=ImportRun.Kind.MAP_FEED).exclude(state__in=ImportRun.FINISHED_STATES).exists():
        messages.info(request, _("Une vérification est déjà en cours."))
    else:
        async_task("sources.tasks.check_source_now", source.pk, task_name=f"check-source-now-{source.slug}")
        messages.success(request, _("Vérification lancée : rechargez la page dans un instant."))
    return redirect("sources:dashboard", slug=source.slug)


@login_required
@require_POST
@ratelimit(key="user", rate="6/h", block=True)
def confirm_held(request, slug):
    """Apply a check held for a sharp drop of its records (maintainers and staff)."""
    source = _dashboard_source(request, slug)
    try:
        checks.confirm_held(source=source)
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Baisse confirmée : le flux va être vérifié et appliqué tel qu'il est."))
    return redirect("sources:dashboard", slug=source.slug)


@login_required
@require_POST
def report_status(request, slug, pk):
    source = _dashboard_source(request, slug)
    report = get_object_or_404(Report, pk=pk, source=source)
    form = ReportStatusForm(request.POST)
    if form.is_valid():
        reports.set_report_status(
            report=report,
            status=form.cleaned_data["status"],
            message=form.cleaned_data["message"],
            by=request.user,
        )
        messages.success(request, _("Signalement mis à jour."))
    else:
        messages.error(request, _("Statut invalide."))
    return redirect("sources:dashboard", slug=source.slug)


@login_required
@require_POST
def alert_preference(request):
    form = AlertPreferenceForm(request.POST)
    if form.is_valid():
        AlertPreference.objects.update_or_create(
            user=request.user, defaults={"mode": form.cleaned_data["mode"]}
        )
        messages.success(request, _("Préférence d'alerte enregistrée."))
    return redirect_to_next(request, "sources:index")


@ratelimit(key="ip", rate="10/h", method="POST", block=True)
def report(request):
    """The public report form (signalement)."""
    initial = {}
    if request.GET.get("source"):
        initial["source"] = Source.objects.filter(slug=request.GET["source"], is_active=True).first()
    form = ReportForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        reports.create_report(
            source=data["source"],
            reason=data["reason"],
            element_id=data["element_id"],
            gogo_id=data["gogo_id"],
            url=data["url"],
            comment=data["comment"],
            reporter_email=data["email"],
        )
        return render(
            request, "sources/report_thanks.html", {"source": data["source"], "email": data["email"]}
        )
    return render(request, "sources/report.html", {"form": form})
