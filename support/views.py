"""Views of the support app. Thin: they check who asks, validate a form and call a service."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from django_ratelimit.decorators import ratelimit

from accounts import permissions
from core import csv_export
from core.errors import Conflict, ServiceError
from support import conf, selectors, services
from support.forms import (
    CannedAnswerForm,
    DirectoryFilterForm,
    ForwardForm,
    MergeForm,
    PartnerDeclineForm,
    PartnerForm,
    PartnerReplyForm,
    QueueFilterForm,
    RequesterMessageForm,
    SupportRequestForm,
    TeamMessageForm,
    TriageForm,
)
from support.models import CannedAnswer, Message, Partner, Referral, SupportRequest, Theme


def limit_posts(rate):
    """Rate limit POSTs per client address; django-ratelimit's middleware answers a blocked one with the
    site's 429 page (`RATELIMIT_VIEW`)."""
    return ratelimit(key="ip", rate=rate, method="POST", block=True)


# ---------------------------------------------------------------------------------------------------------
# Public pages


@require_http_methods(["GET", "POST"])
@limit_posts(conf.form_rate)
def index(request):
    """The landing page of support, with the request form."""
    form = SupportRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.request_submit(
                submission_token=form.submission_token,
                collective=data["collective"],
                contact_name=data["contact_name"],
                contact_email=data["contact_email"],
                commune=data["commune"],
                territory_code=data["territory_code"],
                theme=data["theme"],
                description=data["description"],
                language=get_language(),
            )
        except Conflict as error:  # the same form sent twice: the first one was stored
            messages.info(request, error.message)
        return redirect("support:thanks")
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "support/index.html",
        {"form": form, "directory_count": len(selectors.directory_partners())},
        status=status,
    )


def thanks(request):
    return render(request, "support/thanks.html")


def directory(request):
    form = DirectoryFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    partners = selectors.directory_partners(theme=filters.get("theme", ""), region=filters.get("region", ""))
    return render(request, "support/directory.html", {"form": form, "partners": partners})


@require_http_methods(["GET", "POST"])
@limit_posts(conf.link_rate)
def follow(request, pk, token):
    """The requester's secret page: status, thread, a message box."""
    support_request = selectors.request_for_token(pk=pk, token=token)
    if support_request is None:
        raise Http404
    kept = support_request.merged_into
    if kept and kept.contact_email.lower() == support_request.contact_email.lower():
        # The merge gave the kept request this link too.
        return redirect(kept.follow_path(token))
    form = RequesterMessageForm()
    if request.method == "POST" and support_request.is_open:
        if request.POST.get("action") == "resolve":
            services.request_resolve(support_request=support_request, by_kind=Message.Author.REQUESTER)
            messages.success(request, _("Merci ! Nous avons noté que votre besoin est satisfait."))
            return redirect(request.path)
        form = RequesterMessageForm(request.POST)
        if form.is_valid():
            services.message_post(
                support_request=support_request,
                author_kind=Message.Author.REQUESTER,
                body=form.cleaned_data["body"],
            )
            messages.success(request, _("Votre message est envoyé."))
            return redirect(request.path)
    current = selectors.active_referral(support_request=support_request)
    return render(
        request,
        "support/follow.html",
        {
            "support_request": support_request,
            "thread": selectors.thread_for_requester(support_request=support_request),
            "form": form,
            "accepted_partner": current.partner
            if current and current.status == Referral.Status.ACCEPTED
            else None,
        },
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@limit_posts(conf.link_rate)
def partner(request, pk, token):
    """The partner's secret page: the forwarded text, then accept, decline or write."""
    referral = selectors.referral_for_token(pk=pk, token=token)
    if referral is None:
        raise Http404
    reply_form, decline_form = PartnerReplyForm(), PartnerDeclineForm()
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "accept":
                services.referral_accept(referral=referral)
                messages.success(
                    request, _("Merci ! Les coordonnées de la personne sont maintenant affichées.")
                )
                return redirect(request.path)
            if action == "decline":
                decline_form = PartnerDeclineForm(request.POST)
                if decline_form.is_valid():
                    services.referral_decline(referral=referral, reason=decline_form.cleaned_data["reason"])
                    messages.success(request, _("C'est noté, merci de nous avoir répondu."))
                    return redirect(request.path)
            elif action == "reply":
                reply_form = PartnerReplyForm(request.POST)
                if reply_form.is_valid():
                    services.message_post(
                        support_request=referral.request,
                        author_kind=Message.Author.PARTNER,
                        body=reply_form.cleaned_data["body"],
                        referral=referral,
                    )
                    messages.success(request, _("Votre message est envoyé."))
                    return redirect(request.path)
            elif action == "resolve" and referral.status == Referral.Status.ACCEPTED:
                services.request_resolve(support_request=referral.request, by_kind=Message.Author.PARTNER)
                messages.success(request, _("Merci ! La demande est marquée comme résolue."))
                return redirect(request.path)
        except ServiceError as error:
            messages.error(request, error.message)
            return redirect(request.path)
    accepted = referral.status == Referral.Status.ACCEPTED
    return render(
        request,
        "support/partner.html",
        {
            "referral": referral,
            "support_request": referral.request,
            "accepted": accepted,
            "thread": selectors.thread_for_partner(referral=referral),
            "reply_form": reply_form,
            "decline_form": decline_form,
        },
        status=400 if reply_form.errors or decline_form.errors else 200,
    )


# ---------------------------------------------------------------------------------------------------------
# Team screens


def team_required(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not permissions.can_triage_support(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


@team_required
def team_queue(request):
    form = QueueFilterForm(request.GET or {"status": "open"})
    filters = form.cleaned_data if form.is_valid() else {"status": "open"}
    requests = selectors.request_queue(
        status=filters.get("status", ""),
        theme=filters.get("theme", ""),
        assigned=request.user if filters.get("mine") == "me" else None,
        unassigned=filters.get("mine") == "none",
        query=filters.get("q", ""),
    )
    return render(
        request,
        "support/team/queue.html",
        {"form": form, "requests": requests[:200], "total": requests.count()},
    )


@team_required
@require_http_methods(["GET", "POST"])
def team_request(request, pk):
    support_request = get_object_or_404(
        SupportRequest.objects.select_related("assigned_to", "merged_into"), pk=pk
    )
    team = permissions.team_members()
    suggestions = selectors.suggest_partners(support_request=support_request, limit=None)
    partners = Partner.objects.filter(is_active=True).exclude(
        pk__in=support_request.referrals.values("partner_id")
    )
    triage_form = TriageForm(
        initial={
            "status": support_request.status,
            "assigned_to": support_request.assigned_to,
            "theme": support_request.theme,
        },
        team=team,
    )
    message_form = TeamMessageForm(initial=_prefill_message(request, support_request))
    forward_form = ForwardForm(
        initial={
            "partner": suggestions[0].partner if suggestions else None,
            "message": support_request.description,
        },
        partners=partners,
    )
    merge_form = MergeForm()

    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "triage":
                triage_form = TriageForm(request.POST, team=team, initial={"status": support_request.status})
                if triage_form.is_valid():
                    services.request_triage(
                        support_request=support_request, by=request.user, **triage_form.cleaned_data
                    )
                    messages.success(request, _("Demande mise à jour."))
                    return redirect(support_request.get_absolute_url())
            elif action == "message":
                message_form = TeamMessageForm(request.POST)
                if message_form.is_valid():
                    _post_team_message(request, support_request, message_form.cleaned_data)
                    return redirect(support_request.get_absolute_url())
            elif action == "forward":
                forward_form = ForwardForm(request.POST, partners=partners)
                if forward_form.is_valid():
                    referral = services.request_forward(
                        support_request=support_request,
                        partner=forward_form.cleaned_data["partner"],
                        message=forward_form.cleaned_data["message"],
                        by=request.user,
                    )
                    messages.success(
                        request, _("Demande transmise à %(partner)s.") % {"partner": referral.partner}
                    )
                    return redirect(support_request.get_absolute_url())
            elif action == "withdraw":
                referral = get_object_or_404(
                    Referral, pk=request.POST.get("referral"), request=support_request
                )
                services.referral_withdraw(referral=referral, by=request.user)
                messages.success(request, _("Transmission retirée."))
                return redirect(support_request.get_absolute_url())
            elif action == "merge":
                merge_form = MergeForm(request.POST)
                if merge_form.is_valid():
                    into = selectors.request_by_reference(merge_form.cleaned_data["into"])
                    if into is None:
                        merge_form.add_error("into", _("Aucune demande ne porte cette référence."))
                    else:
                        services.request_merge(duplicate=support_request, into=into, by=request.user)
                        messages.success(
                            request, _("Doublon fusionné dans %(ref)s.") % {"ref": into.reference}
                        )
                        return redirect(into.get_absolute_url())
            elif action == "new_link":
                services.request_regenerate_link(support_request=support_request, by=request.user)
                messages.success(request, _("Un nouveau lien de suivi a été envoyé."))
                return redirect(support_request.get_absolute_url())
            elif action == "new_partner_link":
                referral = get_object_or_404(
                    Referral, pk=request.POST.get("referral"), request=support_request
                )
                services.referral_regenerate_link(referral=referral, by=request.user)
                messages.success(
                    request, _("Un nouveau lien a été envoyé à %(partner)s.") % {"partner": referral.partner}
                )
                return redirect(support_request.get_absolute_url())
        except ServiceError as error:
            messages.error(request, error.message)
            return redirect(support_request.get_absolute_url())

    has_errors = any(form.errors for form in (triage_form, message_form, forward_form, merge_form))
    return render(
        request,
        "support/team/request.html",
        {
            "support_request": support_request,
            "thread": selectors.thread_for_team(support_request=support_request),
            "referrals": support_request.referrals.select_related("partner", "sent_by"),
            "active_referral": selectors.active_referral(support_request=support_request),
            "suggestions": suggestions,
            "canned_answers": selectors.canned_answers(),
            "faq_entries": selectors.faq_entries(language=support_request.language)[:30],
            "triage_form": triage_form,
            "message_form": message_form,
            "forward_form": forward_form,
            "merge_form": merge_form,
            "duplicates": support_request.duplicates.all(),
        },
        status=400 if has_errors else 200,
    )


def _prefill_message(request, support_request) -> dict:
    """?reponse=<id> or ?faq=<id> fills the message box with a canned answer or a FAQ entry."""
    answer_id, faq_id = request.GET.get("reponse", ""), request.GET.get("faq", "")
    if answer_id.isdigit():
        answer = selectors.canned_answers().filter(pk=int(answer_id)).first()
        if answer:
            return {
                "body": services.canned_answer_render(text=answer.body, support_request=support_request),
                "canned_answer": answer.pk,
            }
    if faq_id.isdigit():
        entry = next(
            (e for e in selectors.faq_entries(language=support_request.language) if e.pk == int(faq_id)), None
        )
        if entry:
            link = services.absolute_url(entry.get_absolute_url, language=support_request.language)
            body = f"{entry.answer_text()}\n\n{link}"
            return {"body": body, "faq_entry": entry.pk, "faq_question": str(entry.question)}
    return {}


def _post_team_message(request, support_request, data) -> None:
    services.message_post(
        support_request=support_request,
        author_kind=Message.Author.TEAM,
        body=data["body"],
        user=request.user,
        internal=data["internal"],
        to_partner=data["to_partner"],
        referral=selectors.active_referral(support_request=support_request) if data["to_partner"] else None,
    )
    if data.get("canned_answer"):
        services.canned_answer_count_use(answer=data["canned_answer"])
    if data.get("faq_entry"):
        services.faq_entry_count_use(entry_id=data["faq_entry"], question=data.get("faq_question") or "")
    note = data["internal"] and not data["to_partner"]
    messages.success(request, _("Note ajoutée.") if note else _("Message envoyé."))


@team_required
def team_partners(request):
    loads = selectors.partner_loads()
    partners = list(Partner.objects.all())
    for item in partners:
        item.load = loads.get(item.pk, 0)
    return render(request, "support/team/partners.html", {"partners": partners})


@team_required
@require_http_methods(["GET", "POST"])
def team_partner_edit(request, pk=None):
    instance = get_object_or_404(Partner, pk=pk) if pk else None
    form = PartnerForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Partenaire enregistré."))
        return redirect("support:team_partners")
    return render(
        request,
        "support/team/partner_form.html",
        {"form": form, "partner": instance},
        status=400 if form.errors else 200,
    )


@team_required
def team_answers(request):
    return render(
        request,
        "support/team/answers.html",
        {"answers": CannedAnswer.objects.all(), "faq_usage": selectors.faq_usage()},
    )


@team_required
@require_http_methods(["GET", "POST"])
def team_answer_edit(request, pk=None):
    instance = get_object_or_404(CannedAnswer, pk=pk) if pk else None
    form = CannedAnswerForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        services.canned_answer_save(answer=instance, **form.cleaned_data)
        messages.success(request, _("Réponse type enregistrée."))
        return redirect("support:team_answers")
    return render(
        request,
        "support/team/answer_form.html",
        {"form": form, "answer": instance},
        status=400 if form.errors else 200,
    )


def figures_required(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not permissions.can_see_support_figures(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


@figures_required
def team_figures(request):
    return render(
        request,
        "support/team/figures.html",
        {"figures": selectors.support_figures(), "themes": Theme},
    )


@figures_required
def team_figures_csv(request):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="accompagnement.csv"'
    writer = csv_export.writer(response)
    for row in selectors.figures_csv_rows():
        writer.writerow(row)
    return response
