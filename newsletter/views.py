"""Public views of the newsletter: subscribe, confirm, unsubscribe (RFC 8058 one-click), the archive."""

from django.shortcuts import get_object_or_404, render
from django.utils.translation import get_language
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from django_ratelimit.core import is_ratelimited

from core.sanitize import markdown_to_html
from core.views import rate_limited
from newsletter import selectors, services
from newsletter.forms import SubscribeForm
from newsletter.models import NewsletterIssue


@require_http_methods(["GET", "POST"])
def index(request):
    form = SubscribeForm(request.POST or None)
    sent = False
    if request.method == "POST":
        if is_ratelimited(
            request, group="newsletter.subscribe", key="ip", rate="10/h", method="POST", increment=True
        ):
            return rate_limited(request)
        if form.is_valid():
            data = form.cleaned_data
            services.subscribe(
                email=data["email"],
                scope=data["scope"],
                territory_code=data["territory_code"],
                radius_km=data.get("radius_km"),
                topics=data["topics"],
                frequency=data["frequency"],
                language=(get_language() or "fr")[:2],
            )
            sent = True
    status = 400 if request.method == "POST" and not sent else 200
    return render(
        request,
        "newsletter/index.html",
        {"form": form, "sent": sent, "issues": selectors.archive()[:24]},
        status=status,
    )


@require_http_methods(["GET", "POST"])
def confirm(request, token):
    try:
        subscriber = services.subscriber_from_confirmation(token=token)
    except services.InvalidToken:
        return render(request, "newsletter/confirm.html", {"invalid": True}, status=404)
    done = False
    if request.method == "POST":
        subscriber = services.confirm(token=token)
        done = True
    return render(request, "newsletter/confirm.html", {"subscriber": subscriber, "done": done})


@csrf_exempt  # RFC 8058: mail clients POST "List-Unsubscribe=One-Click" without any cookie or token
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    try:
        subscriber = services.subscriber_from_unsubscribe(token=token)
    except services.InvalidToken:
        return render(request, "newsletter/unsubscribe.html", {"invalid": True}, status=404)
    done = False
    if request.method == "POST":
        services.unsubscribe(subscriber=subscriber)
        done = True
    return render(request, "newsletter/unsubscribe.html", {"subscriber": subscriber, "done": done})


def issue_detail(request, pk):
    issue = get_object_or_404(NewsletterIssue, pk=pk, status=NewsletterIssue.Status.SENT)
    return render(
        request,
        "newsletter/issue_detail.html",
        {"issue": issue, "introduction_html": markdown_to_html(issue.introduction)},
    )
