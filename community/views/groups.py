"""Pages of the working groups: the list and a group with its join form."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from django_ratelimit.decorators import ratelimit

from .. import selectors, services
from ..forms import JoinRequestForm


def group_list(request):
    return render(
        request,
        "community/groups.html",
        {"groups": selectors.working_groups()},
    )


@ratelimit(key="ip", rate="5/h", method="POST", block=True)
def group_detail(request, slug):
    group = get_object_or_404(selectors.working_groups(), slug=slug)
    initial = {}
    if request.user.is_authenticated:
        initial = {"name": request.user.display_name, "email": request.user.email}
    form = JoinRequestForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.join_request_submit(
            group=group,
            user=request.user,
            name=form.cleaned_data["name"],
            email=form.cleaned_data["email"],
            message=form.cleaned_data["message"],
        )
        messages.success(request, _("Votre demande a été transmise à la personne qui accueille le groupe."))
        return redirect(group)
    return render(request, "community/group_detail.html", {"group": group, "form": form})
