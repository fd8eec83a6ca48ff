"""Pages of the ambassador programme: directory, profile, application, own space, follow-up."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from django_ratelimit.decorators import ratelimit

from .. import selectors, services
from ..forms import (
    AmbassadorApplicationForm,
    AmbassadorProfileForm,
    ContactForm,
    DecisionForm,
    DirectoryFilterForm,
    ExchangeForm,
)
from ..models import (
    AmbassadorApplication,
    AmbassadorProfile,
)
from .access import staff_required


def ambassador_directory(request):
    form = DirectoryFilterForm(request.GET or None)
    filters = {k: v for k, v in form.cleaned_data.items() if v} if form.is_valid() else {}
    page_obj = Paginator(selectors.directory(**filters), selectors.DIRECTORY_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "community/ambassadors.html",
        {
            "form": form,
            "page_obj": page_obj,
            "ambassadors": page_obj.object_list,
            "extra_query": urlencode(filters),
            "regions": selectors.ambassador_map(),
            "is_ambassador": hasattr(request.user, "ambassador") if request.user.is_authenticated else False,
        },
    )


@ratelimit(key="ip", rate="5/h", method="POST", block=True)
def ambassador_detail(request, pk):
    profile = get_object_or_404(
        selectors.directory_profiles().select_related("user", "replacement__user"), pk=pk
    )
    form = ContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.ambassador_contact_relay(
            profile=profile,
            sender_name=form.cleaned_data["sender_name"],
            sender_email=form.cleaned_data["sender_email"],
            message=form.cleaned_data["message"],
        )
        messages.success(request, _("Votre message a été transmis. La personne vous répondra directement."))
        return redirect(profile)
    return render(
        request,
        "community/ambassador_detail.html",
        {
            "profile": profile,
            "form": form,
            # Trainings and kits are shown to the public only with the person's consent.
            "learning": selectors.learning_record(user=profile.user) if profile.show_learning else None,
        },
    )


@login_required
@ratelimit(key="user", rate="5/d", method="POST", block=True)
def ambassador_apply(request):
    if hasattr(request.user, "ambassador"):
        return redirect("community:my_ambassador_space")
    pending = AmbassadorApplication.objects.filter(
        user=request.user, status=AmbassadorApplication.Status.PENDING
    ).first()
    form = AmbassadorApplicationForm(
        request.POST or None,
        initial={
            "territory": request.user.territory,
            "organisation": request.user.organisation,
            "languages": ["fr"],
        },
    )
    if request.method == "POST" and not pending and form.is_valid():
        data = form.cleaned_data
        services.ambassador_application_submit(
            user=request.user,
            motivation=data["motivation"],
            territory=data["territory"],
            themes=data["themes"],
            languages=data["languages"],
            kind=data["kind"],
            organisation=data["organisation"],
            source=data["source"],
        )
        messages.success(request, _("Merci ! L'équipe étudie votre candidature et vous répondra par e-mail."))
        return redirect("community:ambassadors")
    return render(request, "community/ambassador_apply.html", {"form": form, "pending": pending})


@login_required
def my_ambassador_space(request):
    profile = AmbassadorProfile.objects.filter(user=request.user).select_related("replacement__user").first()
    if profile is None:
        return redirect("community:ambassador_apply")
    form = AmbassadorProfileForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in form.Meta.fields}
        services.ambassador_profile_update(profile=profile, **data)
        messages.success(request, _("Votre profil est à jour."))
        return redirect("community:my_ambassador_space")
    kit_url = reverse("kits:index")
    return render(
        request,
        "community/my_ambassador_space.html",
        {
            "profile": profile,
            "form": form,
            "kit_url": kit_url,
            "learning": selectors.learning_record(user=request.user),
        },
    )


@staff_required
def application_list(request):
    return render(
        request,
        "community/applications.html",
        {
            "pending": selectors.pending_applications(),
            "decided": AmbassadorApplication.objects.exclude(
                status=AmbassadorApplication.Status.PENDING
            ).select_related("user", "decided_by")[:50],
        },
    )


@staff_required
def application_review(request, pk):
    application = get_object_or_404(AmbassadorApplication.objects.select_related("user", "source"), pk=pk)
    form = DecisionForm(request.POST or None)
    if (
        request.method == "POST"
        and application.status == AmbassadorApplication.Status.PENDING
        and form.is_valid()
    ):
        services.ambassador_application_decide(
            application=application,
            by=request.user,
            accept=form.cleaned_data["decision"] == "accept",
            message=form.cleaned_data["message"],
        )
        messages.success(request, _("La décision a été envoyée."))
        return redirect("community:applications")
    return render(request, "community/application_review.html", {"application": application, "form": form})


@staff_required
def follow_up_list(request):
    today = timezone.localdate()
    six = selectors.inactive_ambassadors(months=6)
    six_ids = {p.pk for p in six}
    three = [p for p in selectors.inactive_ambassadors(months=3) if p.pk not in six_ids]
    return render(
        request,
        "community/follow_up_list.html",
        {
            "due": AmbassadorProfile.objects.filter(next_contact_on__lte=today).select_related("user"),
            "inactive_3": three,
            "inactive_6": six,
            "unavailable": AmbassadorProfile.objects.filter(is_available=False).select_related(
                "user", "replacement__user"
            ),
        },
    )


@staff_required
def follow_up(request, pk):
    profile = get_object_or_404(AmbassadorProfile.objects.select_related("user"), pk=pk)
    form = ExchangeForm(
        request.POST or None,
        initial={"happened_on": timezone.localdate(), "next_contact_on": profile.next_contact_on},
    )
    if request.method == "POST" and form.is_valid():
        services.ambassador_exchange_add(
            profile=profile,
            by=request.user,
            kind=form.cleaned_data["kind"],
            happened_on=form.cleaned_data["happened_on"],
            summary=form.cleaned_data["summary"],
            next_contact_on=form.cleaned_data["next_contact_on"],
        )
        messages.success(request, _("Échange enregistré."))
        return redirect("community:follow_up", pk=profile.pk)
    return render(
        request,
        "community/follow_up.html",
        {"profile": profile, "form": form, "exchanges": profile.exchanges.select_related("by")},
    )
