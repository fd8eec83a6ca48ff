"""Machine endpoints: a source's public status, and the URL GoGoCarto form-POSTs its reports to."""

from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from django_ratelimit.decorators import ratelimit

from sources import selectors
from sources.models import Source
from sources.services import reports


@require_GET
def status(request, slug):
    """Public summary of a source's state (no per-record detail, no personal data)."""
    source = get_object_or_404(Source, slug=slug)
    return JsonResponse(selectors.status(source=source), json_dumps_params={"ensure_ascii": False})


@csrf_exempt
@require_POST
@ratelimit(key="ip", rate="120/m", block=True)
def gogocarto_report(request, slug, token):
    """GoGoCarto's report form-POST (elementId, gogoId, url, elementName, value, userEmail, comment)."""
    source = get_object_or_404(Source, slug=slug, report_token=token)
    try:
        arguments = reports.parse_gogocarto_post(request.POST)
        report, created = reports.create_report(source=source, **arguments)
    except reports.InvalidReport as error:
        return JsonResponse(
            {"ok": False, "error": str(error)}, status=400, json_dumps_params={"ensure_ascii": False}
        )
    return JsonResponse({"ok": True, "id": report.pk, "created": created}, status=201 if created else 200)
