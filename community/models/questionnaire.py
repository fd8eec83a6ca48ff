"""The questionnaire to sources: a Wagtail form page that only source maintainers answer, once per source."""

from django import forms
from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.db import models
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.forms.models import AbstractEmailForm, AbstractFormField, AbstractFormSubmission
from wagtail.contrib.forms.panels import FormSubmissionsPanel
from wagtail.fields import RichTextField

from accounts import permissions
from core.csv_export import GuardedSubmissionsExportMixin


class SourceQuestionnaireField(AbstractFormField):
    page = ParentalKey("SourceQuestionnairePage", on_delete=models.CASCADE, related_name="form_fields")


class SourceQuestionnaireSubmission(AbstractFormSubmission):
    """One source's answer. A source answers once; the person who answered is kept for follow-up."""

    source = models.ForeignKey("sources.Source", on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("réponse au questionnaire")
        verbose_name_plural = _("réponses au questionnaire")
        constraints = [
            models.UniqueConstraint(fields=["page", "source"], name="community_questionnaire_once_per_source")
        ]

    def get_data(self):
        return {**super().get_data(), "source": self.source.name}


class SourceQuestionnairePage(GuardedSubmissionsExportMixin, AbstractEmailForm):
    """A questionnaire for sources (how they build their community). Restricted to source maintainers."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link", "ul"])
    thank_you_text = RichTextField(
        _("texte de remerciement"), blank=True, features=["bold", "italic", "link"]
    )
    reminder_every_days = models.PositiveIntegerField(
        _("relancer les sources sans réponse tous les (jours)"), default=14
    )
    closes_on = models.DateField(_("clôture le"), null=True, blank=True)

    content_panels = AbstractEmailForm.content_panels + [
        FormSubmissionsPanel(),
        FieldPanel("intro"),
        InlinePanel("form_fields", label=_("Questions")),
        FieldPanel("thank_you_text"),
        MultiFieldPanel(
            [FieldPanel("reminder_every_days"), FieldPanel("closes_on")],
            heading=_("Relances"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("from_address"), FieldPanel("to_address")]),
                FieldPanel("subject"),
            ],
            heading=_("E-mail à l'équipe"),
        ),
    ]
    template = "community/questionnaire_page.html"
    landing_page_template = "community/questionnaire_page_landing.html"
    parent_page_types = ["wagtailcore.Page", "home.HomePage"]
    subpage_types: list = []

    class Meta:
        verbose_name = _("questionnaire aux sources")

    def get_submission_class(self):
        return SourceQuestionnaireSubmission

    def sources_to_answer(self, user):
        """The sources this person maintains that have not answered yet."""
        from sources.models import Source

        return Source.objects.filter(maintainers=user, is_active=True).exclude(pk__in=self.answered_sources())

    def answered_sources(self):
        """Ids of the sources that answered, in any language: a translation is the same questionnaire."""
        return SourceQuestionnaireSubmission.objects.filter(
            page__translation_key=self.translation_key
        ).values("source_id")

    def get_form(self, *args, **kwargs):
        user = kwargs.get("user")
        form = super().get_form(*args, **kwargs)
        if user is not None and user.is_authenticated:
            field = forms.ModelChoiceField(
                queryset=self.sources_to_answer(user),
                label=_("Pour quelle source répondez-vous ?"),
                empty_label=None,
            )
            form.fields = {"source": field, **form.fields}
        return form

    def process_form_submission(self, form):
        data = {key: value for key, value in form.cleaned_data.items() if key != "source"}
        submission = SourceQuestionnaireSubmission.objects.create(
            form_data=data, page=self, source=form.cleaned_data["source"], user=form.user
        )
        if self.to_address:
            self.send_mail(form)
        return submission

    def serve(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not permissions.can_answer_questionnaire(request.user):
            return TemplateResponse(
                request, "community/questionnaire_forbidden.html", self.get_context(request), status=403
            )
        if not self.sources_to_answer(request.user).exists():
            context = self.get_context(request)
            context["already_answered"] = True
            return TemplateResponse(request, self.get_template(request), context)
        return super().serve(request, *args, **kwargs)


class QuestionnaireReminder(models.Model):
    """A reminder sent to a source that had not answered (so reminders are spaced out)."""

    page = models.ForeignKey(SourceQuestionnairePage, on_delete=models.CASCADE, related_name="reminders")
    source = models.ForeignKey("sources.Source", on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField(auto_now_add=True)
    recipients = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-sent_at"]

    def __str__(self):
        return f"{self.source} ({self.sent_at:%Y-%m-%d})"
