"""Admin views of an issue: preview for a chosen subscriber, and send after seeing the recipient count."""

from django import forms
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from wagtail.admin import messages

from accounts import permissions
from newsletter import selectors, services
from newsletter.models import NewsletterIssue, Subscriber


class PreviewForm(forms.Form):
    email = forms.EmailField(label=gettext_lazy("Adresse d'un·e abonné·e"))


def _check(request, codename):
    allowed = {"view": permissions.can_view_newsletter_issue, "change": permissions.can_send_newsletter_issue}
    if not allowed[codename](request.user):
        raise PermissionDenied


@require_http_methods(["GET"])
def issue_preview(request, pk):
    _check(request, "view")
    issue = get_object_or_404(NewsletterIssue, pk=pk)
    form = PreviewForm(request.GET or None)
    preview = None
    if form.is_valid():
        subscriber = Subscriber.objects.filter(email__iexact=form.cleaned_data["email"]).first()
        if subscriber is None:
            form.add_error("email", _("Aucun·e abonné·e avec cette adresse."))
        else:
            preview = services.issue_preview(issue=issue, subscriber=subscriber)
    return TemplateResponse(
        request,
        "newsletter/admin/preview.html",
        {"issue": issue, "form": form, "preview": preview, "header_title": _("Aperçu de la lettre")},
    )


@require_http_methods(["GET", "POST"])
def issue_send(request, pk):
    _check(request, "change")
    issue = get_object_or_404(NewsletterIssue, pk=pk)
    if request.method == "POST":
        if issue.status != NewsletterIssue.Status.DRAFT:
            messages.error(request, _("Cette lettre est déjà partie."))
        else:
            queued = services.issue_send(issue=issue)
            messages.success(request, _("Envoi lancé pour %(count)s destinataires.") % {"count": queued})
        return redirect("newsletter_issue_send", pk=issue.pk)
    return TemplateResponse(
        request,
        "newsletter/admin/send.html",
        {
            "issue": issue,
            "recipient_count": selectors.recipient_count(issue=issue),
            "auto_send_at": selectors.auto_send_at(issue=issue),
            "deliveries": selectors.delivery_counts(issue=issue),
            "header_title": _("Envoyer la lettre"),
        },
    )
