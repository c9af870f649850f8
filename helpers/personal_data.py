"""Personal data on request (DESIGN.md §9): find everything the site holds about a person
(by email or phone), export it, erase it.

A shared helper that imports no app: each app that stores personal data registers a
provider from its AppConfig.ready() (``register``) — donations, workshops, stories — so the
staff admin (home/personal_data_admin.py) reaches them all without importing them.

A provider gives:

- ``find(email, phone)`` → a list of ``Record`` (what it holds about the person);
- ``erase(records, by_user)`` → how many records it erased (only this provider's records;
  amounts, dates and statuses stay: the ledger keeps the gifts, anonymised).

An export is the records' ``data`` (JSON-able dicts), never more than ``find`` returned.
"""

import csv
import io
import json
import re
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import CharField, Value
from django.db.models.functions import Replace
from django.utils import timezone

from wagtail.log_actions import log
from wagtail.models import ModelLogEntry

from .spreadsheets import spreadsheet_safe

ERASED_ACTION = "home.personal_data_erased"
# A phone number is compared on its last nine digits (a French number without its 0 or
# +33), once spaces, dots, dashes and brackets are gone: "06 12 34 56 78" is "+33612345678".
PHONE_DIGITS_COMPARED = 9
PHONE_MIN_DIGITS = 6
PHONE_SEPARATORS = (" ", ".", "-", "(", ")", "+")


@dataclass
class Record:
    """One thing the site holds about a person.

    ``kind`` names it ("donations.gift"…), ``kind_label`` for people; ``id`` is the row's id
    in its provider; ``summary`` one line for staff; ``data`` the personal data and its
    context, JSON-able; ``erasable`` False for what erasure leaves alone (``note`` says why).
    """

    kind: str
    kind_label: str
    id: object
    summary: str
    data: dict = field(default_factory=dict)
    erasable: bool = True
    note: str = ""

    def as_dict(self):
        return {
            "kind": self.kind,
            "id": self.id,
            "summary": str(self.summary),
            "erasable": self.erasable,
            "note": str(self.note),
            "data": self.data,
        }


@dataclass
class Provider:
    name: str
    label: str
    find: object
    erase: object
    order: int = 50


_providers = {}


def register(name, label, find, erase, order=50):
    """Register (or replace) the provider ``name`` (see the module's docstring)."""
    _providers[name] = Provider(name, label, find, erase, order)


def providers():
    """The registered providers, in their order."""
    return sorted(_providers.values(), key=lambda provider: (provider.order, provider.name))


def clean_email(email):
    return (email or "").strip()


def phone_digits(phone):
    """The digits of ``phone`` compared (its last nine), or "" when it has too few digits."""
    digits = re.sub(r"\D", "", phone or "")
    if len(digits) < PHONE_MIN_DIGITS:
        return ""
    return digits[-PHONE_DIGITS_COMPARED:]


def digits_only(field_name):
    """An expression: the field without the separators people type in phone numbers."""
    expression = field_name
    for separator in PHONE_SEPARATORS:
        expression = Replace(expression, Value(separator), Value(""), output_field=CharField())
    return expression


def with_phone(queryset, field_name, phone):
    """Rows of ``queryset`` whose ``field_name`` is the phone number ``phone`` (none when
    ``phone`` has too few digits)."""
    digits = phone_digits(phone)
    if not digits:
        return queryset.none()
    return queryset.annotate(_phone_digits=digits_only(field_name)).filter(
        _phone_digits__endswith=digits
    )


def with_contact(queryset, email="", phone="", email_field="email", phone_field="phone"):
    """The rows of ``queryset`` made with this email (any case) or this phone number, by
    primary key."""
    ids = set()
    if email:
        ids |= set(
            queryset.filter(**{f"{email_field}__iexact": email}).values_list("pk", flat=True)
        )
    if phone:
        ids |= set(with_phone(queryset, phone_field, phone).values_list("pk", flat=True))
    return queryset.filter(pk__in=ids).order_by("pk")


def blank(model, records, fields, by_user):
    """Blank ``fields`` (a {field: empty value}) of the ``model`` rows of ``records`` and log
    each erasure, in one transaction; returns how many."""
    ids = [record.id for record in records]
    with transaction.atomic():
        model.objects.filter(pk__in=ids).update(**fields)
        erased = list(model.objects.filter(pk__in=ids))
        log_erased(erased, by_user)
    return len(erased)


def scrub(text, needles):
    """``text`` with every needle (name, email, phone…) replaced by "[…]", case-insensitive."""
    for needle in sorted({n.strip() for n in needles if n and n.strip()}, key=len, reverse=True):
        text = re.sub(re.escape(needle), "[…]", text, flags=re.IGNORECASE)
    return text


@dataclass
class Found:
    """What every provider found about one person: [(provider, [records])]."""

    email: str
    phone: str
    groups: list

    @property
    def records(self):
        return [record for _provider, records in self.groups for record in records]

    def __bool__(self):
        return bool(self.records)


def find(email="", phone=""):
    """Ask every provider what it holds about the person with this email and/or phone;
    returns a Found (empty groups left out). Nothing is looked up by an empty criterion."""
    email, phone = clean_email(email), (phone or "").strip()
    groups = []
    for provider in providers():
        records = provider.find(email, phone) if (email or phone_digits(phone)) else []
        if records:
            groups.append((provider, records))
    return Found(email, phone, groups)


def export_dict(found):
    """The export of ``found`` as a JSON-able dict."""
    return {
        "generated_at": timezone.now().isoformat(timespec="seconds"),
        "searched": {"email": found.email, "phone": found.phone},
        "records": [record.as_dict() for record in found.records],
    }


def export_json(found):
    return json.dumps(export_dict(found), cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)


CSV_HEADER = ["kind", "id", "field", "value", "summary", "erasable"]


def export_csv(found):
    """The export as CSV text: one line per field of each record; cells spreadsheet-safe."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_HEADER)
    for record in found.records:
        for name, value in record.data.items():
            if isinstance(value, list | dict):
                value = json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False)
            elif value is None:
                value = ""
            row = [record.kind, record.id, name, value, record.summary, record.erasable]
            writer.writerow([spreadsheet_safe(str(cell)) for cell in row])
    return out.getvalue()


def erase(found, by_user):
    """Erase what ``found`` holds (its erasable records), provider by provider, in one
    transaction; returns {provider name: count erased}."""
    counts = {}
    with transaction.atomic():
        for provider, records in found.groups:
            erasable = [record for record in records if record.erasable]
            if erasable:
                counts[provider.name] = provider.erase(erasable, by_user)
    return counts


def log_erased(instances, by_user):
    """Write each erased object's erasure to Wagtail's history (action ``ERASED_ACTION``),
    with no personal data: its label is taken after erasure, and the labels of its earlier
    history entries are rewritten the same way (a label is the object's text of the time)."""
    for instance in instances:
        log(instance=instance, action=ERASED_ACTION, user=by_user, data={"erased": True})
        ModelLogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(instance, for_concrete_model=False),
            object_id=str(instance.pk),
        ).update(label=str(instance)[:255])
