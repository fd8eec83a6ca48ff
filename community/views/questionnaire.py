"""The sources' questionnaire answers, exported as CSV for the team."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, HttpResponseForbidden
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from accounts import permissions
from core import csv_export

from .. import selectors
from ..models import SourceQuestionnairePage


@login_required
def questionnaire_csv(request, page_id):
    if not permissions.can_export_answers(request.user):
        return HttpResponseForbidden(_("Réservé à l'équipe."))
    page = get_object_or_404(SourceQuestionnairePage, pk=page_id)
    fields = [(field.clean_name, field.label) for field in page.get_form_fields()]
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="questionnaire-{page.slug}.csv"'
    response.write("\ufeff")
    writer = csv_export.writer(response)
    writer.writerow([_("Source"), _("Répondu par"), _("Date")] + [label for _name, label in fields])
    for submission in selectors.questionnaire_answers(page=page):
        data = submission.form_data
        row = [submission.source.name, str(submission.user or ""), submission.submit_time.isoformat()]
        for name, _label in fields:
            value = data.get(name, "")
            row.append(", ".join(value) if isinstance(value, list) else value)
        writer.writerow(row)
    return response
