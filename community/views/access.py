"""Who may open the community's team pages (asked of accounts/permissions.py)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponseForbidden
from django.utils.translation import gettext as _

from accounts import permissions


def staff_required(view):
    @login_required
    def wrapped(request, *args, **kwargs):
        if not permissions.can_moderate(request.user):
            return HttpResponseForbidden(_("Réservé à l'équipe."))
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped
