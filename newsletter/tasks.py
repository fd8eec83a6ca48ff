"""django-q2 tasks of the newsletter: thin wrappers around the services."""

from newsletter import services


def send_batch(issue_id: int, delivery_ids: list[int]) -> dict:
    return services.batch_send(issue_id=issue_id, delivery_ids=delivery_ids)


def resume_sending() -> int:
    return services.issues_resume()


def automatic_issues() -> dict:
    """Every hour: prepare the drafts of the periods that ended, then send those left long enough."""
    prepared = services.automatic_issues_prepare()
    return {"prepared": [issue.pk for issue in prepared], "sent": services.automatic_issues_send_due()}
