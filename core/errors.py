"""The one kind of error services raise when a request cannot be carried out.

Views catch `ServiceError` (or let `core.middleware.ServiceErrorMiddleware` do it) and show its message
with a 4xx status; nothing a person can cause should reach them as a 500."""

from django.utils.translation import gettext_lazy as _


class ServiceError(Exception):
    """A business rule refused the action. `message` is shown to the person as it is."""

    status = 400
    default_message = _("Cette action n'est pas possible.")

    def __init__(self, message=None, *, code: str | None = None):
        self.message = message if message is not None else self.default_message
        self.code = code
        super().__init__(str(self.message))


class NotAllowed(ServiceError):
    """The person may not do this (403)."""

    status = 403
    default_message = _("Vous n'avez pas accès à cette action.")


class Conflict(ServiceError):
    """The object's state no longer allows it (409): someone else acted first, or it already happened."""

    status = 409
    default_message = _("Cette action a déjà été faite ou n'est plus possible.")
