"""Registering for a workshop, the confirmation page, cancelling, calendar files."""

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from helpers.i18n import active_locale, localize_pages
from helpers.ratelimit import per_ip, rate_limited
from helpers.visibility import public_pages

from . import limits, links, registrations
from .calendar import calendar_for
from .forms import RegistrationForm
from .models import RegistrationStatus, WorkshopPage

ICS_TYPE = "text/calendar; charset=utf-8"


def _workshop(page_id):
    """The workshop ``page_id`` in the reader's language (or as it is), else 404: also for
    a workshop the public may not see (its registrations and calendar file stay closed)."""
    page = get_object_or_404(public_pages(WorkshopPage.objects.all()), pk=page_id)
    return localize_pages([page], specific=True)[page.pk]


def _workshop_of(registration):
    """The workshop of ``registration`` in the reader's language (or any language)."""
    pages = WorkshopPage.objects.filter(translation_key=registration.workshop_key)
    return pages.filter(locale=active_locale()).first() or pages.first()


def _page_with_form(request, workshop, form, status):
    context = workshop.get_context(request)
    context["form"] = form
    return TemplateResponse(request, workshop.get_template(request), context, status=status)


@never_cache
@require_http_methods(["GET", "POST"])
@rate_limited(per_ip, scope="workshops.register", setting="REGISTRATION_POSTS_PER_IP")
def register(request, page_id):
    """GET: the workshop page with the registration form (the workshop's own page has a
    link here instead, so that it carries no CSRF token and may be cached); a workshop that
    takes no registration sends back to its page.

    POST: register; on error, the workshop page again with the form (400), or (429, with
    Retry-After) when this contact or connection registered too many people lately
    (workshops/limits.py: only accepted registrations count)."""
    workshop = _workshop(page_id)
    if request.method == "GET":
        if not workshop.accepts_registrations:
            return redirect(workshop.get_url(request))
        form = RegistrationForm(initial={"language": request.LANGUAGE_CODE})
        response = _page_with_form(request, workshop, form, 200)
        response["X-Robots-Tag"] = "noindex"
        return response
    form = RegistrationForm(request.POST)
    if not workshop.accepts_registrations:
        form.is_valid()
        form.add_error(None, closed_message(workshop))
        return _page_with_form(request, workshop, form, 400)
    if not form.is_valid():
        return _page_with_form(request, workshop, form, 400)
    data = form.cleaned_data
    try:
        with limits.accepting(request, workshop, data["email"], data["phone"]):
            registration = registrations.register(
                workshop,
                name=data["name"],
                email=data["email"],
                phone=data["phone"],
                seats=data["seats"],
                language=data["language"],
                needs=data["accessibility_needs"],
            )
    except limits.LimitReached as refused:
        form.add_error(None, refused.message)
        if refused.retry_after is None:
            return _page_with_form(request, workshop, form, 400)
        response = _page_with_form(request, workshop, form, 429)
        response["Retry-After"] = str(refused.retry_after)
        return response
    except registrations.RegistrationClosed:
        form.add_error(None, closed_message(workshop))
        return _page_with_form(request, workshop, form, 400)
    return redirect("workshops:registration", token=links.view_token(registration))


def closed_message(workshop):
    state = workshop.registration_state
    if state == "past":
        return _("This workshop has already taken place.")
    if state == "deadline":
        return _("Registrations for this workshop are closed: the deadline has passed.")
    return _("Registrations for this workshop are closed. Call us: we may still find a seat.")


def registration(request, token):
    """What the registrant sees after registering: confirmed, or on the waiting list."""
    try:
        item = links.registration_from_view_token(token)
    except links.BadLink:
        return _bad_link(request)
    workshop = _workshop_of(item)
    if workshop is None:
        raise Http404
    context = {
        "registration": item,
        "workshop": workshop,
        "cancel_token": links.cancel_token(item, workshop),
        "can_cancel": item.status != RegistrationStatus.CANCELLED
        and workshop.starts_at > timezone.now(),
    }
    response = render(request, "workshops/registration.html", context)
    response["X-Robots-Tag"] = "noindex"
    return response


@require_http_methods(["GET", "POST"])
def cancel(request, token):
    """The link in the email: GET asks to confirm (mail scanners follow links), POST cancels."""
    try:
        item = links.registration_from_cancel_token(token)
    except links.ExpiredLink:
        return _bad_link(
            request,
            _("This link has expired: the workshop has started. Call us if you need help."),
        )
    except links.BadLink:
        return _bad_link(request)
    workshop = _workshop_of(item)
    if request.method == "POST" and item.status != RegistrationStatus.CANCELLED:
        registrations.cancel(item)
        item.refresh_from_db()
        return render(
            request, "workshops/cancelled.html", {"registration": item, "workshop": workshop}
        )
    template = (
        "workshops/cancelled.html"
        if item.status == RegistrationStatus.CANCELLED
        else "workshops/cancel.html"
    )
    response = render(request, template, {"registration": item, "workshop": workshop})
    response["X-Robots-Tag"] = "noindex"
    return response


def _bad_link(request, message=None):
    message = message or _(
        "This link is not valid. Copy the whole link from the email, or call us."
    )
    return render(request, "workshops/bad_link.html", {"message": message}, status=400)


def workshop_ics(request, page_id):
    workshop = _workshop(page_id)
    response = HttpResponse(calendar_for([workshop], request), content_type=ICS_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{workshop.slug}.ics"'
    return response


def upcoming_ics(request):
    """The upcoming workshops of the reader's language, as a calendar to subscribe to."""
    workshops = (
        public_pages(
            WorkshopPage.objects.filter(locale=active_locale(), ends_at__gt=timezone.now())
        )
        .select_related("venue")
        .order_by("starts_at")
    )
    body = calendar_for(workshops, request, name=_("Co-city workshops"))
    response = HttpResponse(body, content_type=ICS_TYPE)
    response["Content-Disposition"] = 'inline; filename="cocity-workshops.ics"'
    return response
