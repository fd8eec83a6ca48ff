"""Views of the stories app: the index, feeds' neighbours, sharing, source approval, call submissions."""

from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.template.response import TemplateResponse
from django.views.decorators.http import require_http_methods

from csp.decorators import csp_update
from django_ratelimit.core import is_ratelimited

from accounts import permissions
from core.uploads import IMAGE_EXTENSIONS, serve_private_file
from core.views import rate_limited
from stories import selectors, services
from stories.forms import ApprovalForm, MastodonShareForm, SubmissionForm


def index(request):
    """/recits/ serves the stories index page of the current language."""
    page = selectors.story_index_page()
    if page is None:
        raise Http404
    request.wagtail_page = page
    return page.serve(request)


@require_http_methods(["GET", "POST"])
@csp_update({"form-action": ["https:"]})  # the form's answer is a redirect to the person's own instance
def share_mastodon(request):
    """Sharing on Mastodon without JavaScript: people name their instance, we send them to its share page.

    The redirect happens only on POST (a form this person submitted), so a crafted link cannot bounce
    anyone to another site.
    """
    if request.method == "POST":
        form = MastodonShareForm(request.POST)
        if form.is_valid():
            return HttpResponseRedirect(
                selectors.mastodon_share_url(
                    instance=form.cleaned_data["instance"], text=form.cleaned_data["text"]
                )
            )
    else:
        form = MastodonShareForm(initial={"text": request.GET.get("text", "")[:1000]})
    return render(request, "stories/share_mastodon.html", {"form": form})


@require_http_methods(["GET", "POST"])
def source_approval(request, token):
    """The page a source reaches from its e-mail: read the story, approve it or ask for changes."""
    try:
        task_state = services.approval_task_state(token=token)
    except services.ApprovalLinkInvalid as error:
        return render(request, "stories/source_approval.html", {"error": str(error)}, status=404)
    story = task_state.revision.as_object()
    done = task_state.status != task_state.STATUS_IN_PROGRESS
    form = ApprovalForm(request.POST or None)
    if request.method == "POST" and not done and form.is_valid():
        try:
            services.source_approval_decide(
                token=token,
                approve=form.cleaned_data["decision"] == "approve",
                comment=form.cleaned_data["comment"],
            )
        except services.ApprovalLinkInvalid as error:
            return render(request, "stories/source_approval.html", {"error": str(error)}, status=409)
        task_state.refresh_from_db()
        done = True
    return render(
        request,
        "stories/source_approval.html",
        {"story": story, "task_state": task_state, "form": form, "done": done},
    )


def call_page_serve(request, *, page, base_serve):
    """GET shows the call and its form; POST records a testimony (honeypot, rate limit per address)."""
    if request.method != "POST":
        return base_serve(request)
    if is_ratelimited(request, group="stories.call", key="ip", rate="10/h", method="POST", increment=True):
        return rate_limited(request)
    if not page.accepts_submissions():
        return base_serve(request)
    form = SubmissionForm(request.POST, request.FILES)
    if form.is_valid():
        services.submission_create(call=page, data=form.cleaned_data, photos=form.photos())
        return TemplateResponse(
            request, page.get_template(request), {**page.get_context(request), "sent": True}
        )
    context = page.get_context(request)
    context["form"] = form
    return TemplateResponse(request, page.get_template(request), context, status=400)


def submission_photo(request, pk):
    """A testimony's photo, for those who handle testimonies only (404 for anyone else: its existence is
    private too). Inline when its stored name says it was checked as an image at upload, else a download."""
    from stories.models import SubmissionPhoto

    if not permissions.can_view_testimony_photos(request.user):
        raise Http404
    photo = get_object_or_404(SubmissionPhoto, pk=pk)
    extension = photo.file.name.rsplit(".", 1)[-1].lower() if "." in photo.file.name else ""
    content_type = {ext: mime for mime, ext in IMAGE_EXTENSIONS.items()}.get(extension)
    return serve_private_file(
        photo.file,
        content_type=content_type or "application/octet-stream",
        filename=f"temoignage-{photo.submission_id}-{photo.pk}.{extension or 'bin'}",
        inline=content_type is not None,
    )
