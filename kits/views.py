"""Views of the kits app that are not Wagtail pages. Thin: they check permissions and call services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.templatetags.static import static
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from wagtail.models import Locale

from django_ratelimit.decorators import ratelimit

from accounts import permissions
from core import csv_export
from kits import selectors, services
from kits.forms import FeedbackForm, FollowUpForm, OneToOneRequestForm
from kits.ics import session_calendar
from kits.models import FaqIndexPage, KitIndexPage, KitPage, OneToOneRequest, Registration, TrainingSession


def _current_locale():
    return Locale.objects.filter(language_code=translation.get_language()).first() or Locale.get_default()


@require_GET
def index(request):
    """The menu's entry: the kit index page in the current language (or the default one)."""
    pages = KitIndexPage.objects.live()
    page = pages.filter(locale=_current_locale()).first() or pages.first()
    if page is None:
        raise Http404
    return redirect(page.url)


@require_GET
def faq(request):
    """The FAQ page in the current language, or the FAQ itself when no FAQ page was created."""
    page = FaqIndexPage.objects.live().filter(locale=_current_locale()).first()
    if page is not None:
        return redirect(page.url)
    context = selectors.faq_page_context(locale=_current_locale(), query=request.GET.get("q", ""))
    return render(request, "kits/faq_index_page.html", {"page": None, **context})


# ---------------------------------------------------------------------------------------------------------
# Progress
# ---------------------------------------------------------------------------------------------------------


def _live_kit(page_id: int) -> KitPage:
    return get_object_or_404(KitPage.objects.live(), pk=page_id)


@require_POST
@login_required
def progress_step(request, page_id):
    kit = _live_kit(page_id)
    try:
        progress = services.kit_step_set(
            user=request.user,
            kit=kit,
            step_id=request.POST.get("step", ""),
            done=request.POST.get("done") == "1",
        )
    except ValueError as error:
        raise Http404 from error
    if request.headers.get("Accept", "").startswith("application/json"):
        return JsonResponse({"done_steps": progress.done_steps})
    return redirect(f"{kit.url}#etape-{request.POST.get('step')}")


@require_POST
@login_required
def progress_done(request, page_id):
    kit = _live_kit(page_id)
    done = request.POST.get("done", "1") == "1"
    services.kit_mark_done(user=request.user, kit=kit, done=done)
    if done:
        messages.success(request, _("Bravo, ce kit est marqué comme terminé."))
    return redirect(kit.url)


@login_required
def my_learning(request):
    record = selectors.learning_record(user=request.user)
    in_progress = (
        request.user.kit_progress.filter(completed_at__isnull=True)
        .exclude(done_steps=[])
        .select_related("kit")
    )
    registrations = (
        Registration.objects.filter(user=request.user, session__start__gte=timezone.now())
        .exclude(status=Registration.Status.CANCELLED)
        .select_related("session__kit")
        .order_by("session__start")
    )
    return render(
        request,
        "kits/my_learning.html",
        {"record": record, "in_progress": in_progress, "registrations": registrations},
    )


@require_GET
def offline_bundle(request, page_id):
    """The list of URLs the browser caches to read a kit offline: the page, its documents, the styles."""
    kit = _live_kit(page_id)
    urls = [kit.url, static("css/portal.css"), static("js/portal.js"), static("kits/kits.css"),
            static("kits/offline.js")]  # fmt: skip
    for block in kit.body:
        if block.block_type == "document" and block.value.get("document"):
            urls.append(block.value["document"].url)
    return JsonResponse({"kit": kit.title, "url": kit.url, "urls": list(dict.fromkeys(urls))})


# ---------------------------------------------------------------------------------------------------------
# Sessions
# ---------------------------------------------------------------------------------------------------------


@require_GET
def session_list(request):
    sessions = selectors.upcoming_sessions()
    return render(request, "kits/session_list.html", {"sessions": sessions})


@require_GET
def session_feed(request):
    """ICS feed of the upcoming sessions (without visio links)."""
    calendar = session_calendar(sessions=selectors.upcoming_sessions(limit=200))
    response = HttpResponse(calendar, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="formations-transiscope.ics"'
    return response


@require_GET
def session_detail(request, pk):
    session = get_object_or_404(TrainingSession.objects.select_related("kit", "trainer"), pk=pk)
    registration = selectors.registration_for(session=session, user=request.user)
    return render(
        request,
        "kits/session_detail.html",
        {
            "session": session,
            "registration": registration,
            "waiting_position": selectors.waiting_position(registration=registration)
            if registration
            else None,
            "show_visio": selectors.can_see_visio(session=session, user=request.user),
            "is_trainer": permissions.can_run_session(request.user, session),
            "is_open": not session.is_cancelled and session.start > timezone.now(),
            "is_past": session.end <= timezone.now(),
            "when": selectors.session_when(session),
        },
    )


@require_POST
@login_required
@ratelimit(key="user", rate="30/h", block=True)
def session_register(request, pk):
    session = get_object_or_404(TrainingSession, pk=pk)
    try:
        registration = services.registration_create(session=session, user=request.user)
    except services.RegistrationClosed:
        messages.error(request, _("Les inscriptions à cette session sont closes."))
        return redirect(session.get_absolute_url())
    if registration.status == Registration.Status.CONFIRMED:
        messages.success(request, _("Vous êtes inscrit·e. Une confirmation vous a été envoyée par e-mail."))
    else:
        messages.info(request, _("La session est complète : vous êtes sur la liste d'attente."))
    return redirect(session.get_absolute_url())


@require_http_methods(["GET", "POST"])
def registration_cancel(request, token):
    """Cancel through the secret link of the confirmation e-mail (no sign-in needed)."""
    registration = get_object_or_404(
        Registration.objects.select_related("session__kit", "user"), cancel_token=token
    )
    if request.method == "POST":
        services.registration_cancel(registration=registration)
        messages.success(request, _("Votre inscription est annulée."))
        return redirect(registration.session.get_absolute_url())
    return render(request, "kits/registration_cancel.html", {"registration": registration,
                                                              "session": registration.session})  # fmt: skip


def _trainer_session(request, pk) -> TrainingSession:
    session = get_object_or_404(TrainingSession.objects.select_related("kit"), pk=pk)
    if not request.user.is_authenticated:
        raise PermissionDenied
    if not permissions.can_run_session(request.user, session):
        raise PermissionDenied
    return session


@login_required
@require_http_methods(["GET", "POST"])
def session_attendance(request, pk):
    session = _trainer_session(request, pk)
    registrants = selectors.session_registrants(session=session)
    registrations = registrants.filter(status=Registration.Status.CONFIRMED)
    waiting = registrants.filter(status=Registration.Status.WAITING)
    if request.method == "POST":
        present = {int(value) for value in request.POST.getlist("present") if value.isdigit()}
        count = services.attendance_mark(session=session, by=request.user, present_ids=present)
        messages.success(request, _("Présences enregistrées : %(count)s personne(s).") % {"count": count})
        return redirect("kits:session_attendance", pk=session.pk)
    context = {"session": session, "registrations": registrations, "waiting": waiting}
    return render(request, "kits/session_attendance.html", context)


@login_required
@require_POST
def session_registration_cancel(request, pk, registration_pk):
    """The trainer or staff cancel someone's registration (a duplicate, a request by phone).
    The person gets the same confirmation as when they cancel themselves; the seat goes to the waiting
    list."""
    session = _trainer_session(request, pk)
    registration = get_object_or_404(
        Registration.objects.select_related("user"), pk=registration_pk, session=session
    )
    promoted = services.registration_cancel(registration=registration)
    messages.success(
        request,
        _("Inscription de %(name)s annulée ; la personne est prévenue par e-mail.")
        % {"name": registration.user.display_name or registration.user.email},
    )
    if promoted:
        messages.info(
            request,
            _("%(name)s passe de la liste d’attente à la session et en est prévenu·e.")
            % {"name": promoted.user.display_name or promoted.user.email},
        )
    return redirect("kits:session_attendance", pk=session.pk)


@login_required
@require_GET
def session_registrants_csv(request, pk):
    session = _trainer_session(request, pk)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="inscrits-session-{session.pk}.csv"'
    response.write("\ufeff")  # spreadsheets detect UTF-8
    writer = csv_export.writer(response)
    writer.writerow(
        [_("Nom"), _("E-mail"), _("Organisation"), _("Statut"), _("Inscrit·e le"), _("Présent·e")]
    )
    for registration in selectors.session_registrants(session=session):
        writer.writerow(
            [
                registration.user.display_name,
                registration.user.email,
                registration.user.organisation,
                registration.get_status_display(),
                timezone.localtime(registration.registered_at).strftime("%Y-%m-%d %H:%M"),
                {True: _("oui"), False: _("non"), None: ""}[registration.attended],
            ]
        )
    return response


@login_required
@require_http_methods(["GET", "POST"])
def session_feedback(request, pk):
    session = get_object_or_404(TrainingSession.objects.select_related("kit"), pk=pk)
    registration = get_object_or_404(
        Registration, session=session, user=request.user, status=Registration.Status.CONFIRMED
    )
    if session.start > timezone.now():
        raise PermissionDenied
    instance = getattr(registration, "feedback", None) if hasattr(registration, "feedback") else None
    form = FeedbackForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        services.feedback_submit(registration=registration, **form.cleaned_data)
        messages.success(request, _("Merci pour votre avis !"))
        return redirect(session.get_absolute_url())
    return render(request, "kits/session_feedback.html", {"session": session, "form": form})


# ---------------------------------------------------------------------------------------------------------
# One-to-one requests
# ---------------------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
@ratelimit(key="ip", rate="10/h", method="POST", block=True)
def one_to_one_new(request):
    initial = {"topic": request.GET.get("sujet")} if request.GET.get("sujet") else None
    form = OneToOneRequestForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.one_to_one_request_create(
            user=request.user,
            topic=form.cleaned_data["topic"],
            message=form.cleaned_data["message"],
            availability=form.cleaned_data["availability"],
            source=form.cleaned_data.get("source"),
        )
        messages.success(request, _("Votre demande est envoyée : l'équipe vous répond par e-mail."))
        return redirect("kits:my_learning")
    return render(request, "kits/one_to_one_form.html", {"form": form})


@login_required
def one_to_one_list(request):
    requests = permissions.one_to_one_requests_visible_to(request.user)
    if requests is None:
        raise PermissionDenied
    requests = requests.select_related("user", "assignee", "source")
    return render(request, "kits/one_to_one_list.html", {"requests": requests})


@login_required
@require_http_methods(["GET", "POST"])
def one_to_one_detail(request, pk):
    item = get_object_or_404(OneToOneRequest.objects.select_related("user", "assignee", "source"), pk=pk)
    if not permissions.can_follow_up(request.user, item):
        raise PermissionDenied
    form = FollowUpForm(request.POST or None, initial={"status": item.status})
    if request.method == "POST" and form.is_valid():
        assignee = request.user if form.cleaned_data["take"] else item.assignee
        services.one_to_one_update(request=item, by=request.user, status=form.cleaned_data["status"],
                                   assignee=assignee)  # fmt: skip
        if form.cleaned_data["note"].strip():
            services.one_to_one_note_add(
                request=item, by=request.user, text=form.cleaned_data["note"].strip()
            )
        messages.success(request, _("Suivi enregistré."))
        return redirect(item.get_absolute_url())
    notes = item.notes.select_related("author")
    return render(request, "kits/one_to_one_detail.html", {"item": item, "notes": notes, "form": form})
