"""Stop a campaign's news: the signed link of every news email (RFC 8058 one-click).

The link carries a signature of (email, campaign): whoever holds it may stop that address's
news of that campaign, and nothing else. A POST to it (the mail client's one-click button,
or the button on the page) unsubscribes at once; a GET only shows that button, so a mail
scanner that opens links never unsubscribes anyone. Unsubscribing unticks ``wants_news`` on
every gift of that address to that campaign: giving again with the box ticked asks again.
"""

import uuid

from django.core import signing
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from wagtail.models import Page

from helpers.i18n import localize_pages
from helpers.visibility import public_pages

from .models import Donation

SALT = "donations.news-unsubscribe"


def unsubscribe_token(email, campaign_key):
    """The signed token naming ``email`` (case-insensitive) and the campaign."""
    return signing.dumps([email.strip().lower(), str(campaign_key)], salt=SALT, compress=True)


def read_token(token):
    """(email, campaign_key) from a token, or None if it is forged, damaged or not one."""
    try:
        email, key = signing.loads(token, salt=SALT)
        return email, uuid.UUID(key)
    except (signing.BadSignature, ValueError, TypeError, AttributeError):
        return None


def unsubscribe_url(email, campaign_key, language):
    """The path of the unsubscribe page of ``email`` for the campaign, in ``language``."""
    with translation.override(language):
        return reverse("donations:news_unsubscribe", args=[unsubscribe_token(email, campaign_key)])


def stop_news(email, campaign_key):
    """Untick ``wants_news`` on the gifts of ``email`` to the campaign; return how many."""
    return Donation.objects.filter(
        campaign_key=campaign_key, donor_email__iexact=email, wants_news=True
    ).update(wants_news=False)


def _campaign_title(campaign_key):
    page = public_pages(Page.objects.filter(translation_key=campaign_key)).first()
    if page is None:
        return ""
    return (localize_pages([page])[page.pk] or page).title


@csrf_exempt  # the token is the permission; mail clients POST without a session (RFC 8058)
@require_http_methods(["GET", "POST"])
def news_unsubscribe(request, token):
    """GET: a page with one button. POST: unsubscribe now. A bad token: 400, said plainly."""
    data = read_token(token)
    if data is None:
        return render(request, "donations/unsubscribe_invalid.html", status=400)
    email, campaign_key = data
    context = {"campaign_title": _campaign_title(campaign_key), "token": token}
    if request.method == "POST":
        stop_news(email, campaign_key)
        context["done"] = True
    response = render(request, "donations/unsubscribe.html", context)
    response["X-Robots-Tag"] = "noindex"
    response["Cache-Control"] = "private, no-store"
    return response
