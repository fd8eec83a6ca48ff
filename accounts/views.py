"""The account area: profile, personal data (export) and account deletion."""

import json

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, translate_url
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts import selectors, services
from accounts.forms import AccountDeleteForm, ProfileForm
from core.territories import resolve


@login_required
@require_GET
def profile(request):
    from allauth.mfa.models import Authenticator

    return render(
        request,
        "accounts/profile.html",
        {
            "territory": resolve(request.user.territory),
            "mfa_active": Authenticator.objects.filter(
                user=request.user, type=Authenticator.Type.TOTP
            ).exists(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def profile_edit(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        # The ModelForm already holds the new values on request.user; the service validates and saves.
        user = services.profile_update(user=request.user, **form.cleaned_data)
        with translation.override(user.preferred_language):
            messages.success(request, _("Votre profil est à jour."))
        # The preferred language is also the interface's: go on in that language.
        return redirect(translate_url(reverse("accounts:profile"), user.preferred_language))
    return render(request, "accounts/profile_edit.html", {"form": form})


@login_required
@require_GET
def my_data(request):
    return render(request, "accounts/my_data.html")


@login_required
@require_GET
def data_download(request):
    data = selectors.user_data_export(user=request.user)
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="transiscope-mes-donnees.json"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def account_delete(request):
    form = AccountDeleteForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        user = request.user
        logout(request)
        services.account_delete(user=user)
        messages.success(request, _("Votre compte a été supprimé. Merci d'avoir participé à Transiscope."))
        return redirect(translate_url("/", translation.get_language()))
    return render(request, "accounts/delete.html", {"form": form, "data_url": reverse("accounts:data")})
