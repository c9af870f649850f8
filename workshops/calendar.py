"""iCalendar (RFC 5545) files: one workshop, or the upcoming workshops of a language.

Times are written in Europe/Paris with the VTIMEZONE that icalendar derives from the zone
database, so calendars show the right hour on both sides of a daylight-saving change.
"""

import zoneinfo

from django.conf import settings
from django.utils import timezone

import icalendar

PRODID = "-//Les Co-citoyens//Co-city workshops//FR"
PARIS = zoneinfo.ZoneInfo(settings.TIME_ZONE)


def _event(workshop, request):
    event = icalendar.Event()
    # Stable across languages and edits: calendars update the event instead of adding one.
    event.add("uid", f"workshop-{workshop.translation_key}@cocity")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", workshop.starts_at.astimezone(PARIS))
    event.add("dtend", workshop.ends_at.astimezone(PARIS))
    event.add("summary", workshop.title)
    event.add("description", workshop.summary)
    url = workshop.get_full_url(request)
    if url:
        event.add("url", url)
    venue = workshop.venue
    if venue is not None:
        event.add("location", f"{venue.name}, {' '.join(venue.address.split())}")
    event.add("status", "CONFIRMED")
    return event


def calendar_for(workshops, request, name=""):
    """Return the bytes of a VCALENDAR holding one VEVENT per workshop (``request`` may be
    None, e.g. for an email attachment: URLs then use the site's own host name)."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    if name:
        calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    for workshop in workshops:
        calendar.add_component(_event(workshop, request))
    calendar.add_missing_timezones()
    return calendar.to_ical()
