"""Writes of the working groups: join requests."""

from core.mail import send_templated_mail

from ..models import (
    JoinRequest,
    WorkingGroup,
)
from .forum import team_email


def join_request_submit(*, group: WorkingGroup, user, name: str, email: str, message: str) -> JoinRequest:
    request = JoinRequest.objects.create(
        group=group,
        user=user if user and user.is_authenticated else None,
        name=name,
        email=email,
        message=message,
    )
    to = group.welcomer.email if group.welcomer else team_email()
    send_templated_mail(
        to=to,
        template="community/email/join_request",
        context={"join": request, "group": group},
        reply_to=[email],
    )
    return request
