"""Staff answer a person's request about their data (Settings → Personal data): find them
by email or phone, export everything found (JSON, CSV) and erase it after a confirmation.
Open to superusers and to staff with the ``home.manage_personal_data`` permission (offered
in the groups' settings); others get a 403. Erasures are written to Wagtail's history
without the personal data (helpers/personal_data.py, ``log_erased``)."""

from django import forms
from django.contrib.auth.models import Permission
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views import View

from wagtail.admin import messages
from wagtail.admin.menu import MenuItem

from donations.admin_views import forbidden
from helpers import personal_data

from .contact import clean_phone_number

PERMISSION = "home.manage_personal_data"


def may_manage(user):
    return user.is_active and (user.is_superuser or user.has_perm(PERMISSION))


class PersonSearchForm(forms.Form):
    email = forms.EmailField(label=_("Email"), required=False, max_length=254)
    phone = forms.CharField(
        label=_("Phone number"),
        required=False,
        max_length=30,
        help_text=_("Compared on its digits: “06 12 34 56 78” finds “+33 6 12 34 56 78”."),
    )

    def clean_phone(self):
        phone = clean_phone_number(self.cleaned_data.get("phone"))
        if phone and not personal_data.phone_digits(phone):
            raise forms.ValidationError(_("Enter at least six digits."))
        return phone

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not cleaned.get("email") and not cleaned.get("phone"):
            raise forms.ValidationError(_("Give an email address or a phone number."))
        return cleaned


class PersonalDataMixin:
    """Superusers and staff with PERMISSION only (403 otherwise). The person searched is
    always POSTed (with the CSRF token), never put in a URL: addresses and numbers stay out
    of the access logs and the browser's history."""

    def dispatch(self, request, *args, **kwargs):
        if not may_manage(request.user):
            return forbidden(
                request,
                _(
                    "This page is for staff who answer people's requests about their "
                    "personal data. Ask an administrator for the permission if you need it."
                ),
            )
        self.form = PersonSearchForm(request.POST if request.method == "POST" else None)
        return super().dispatch(request, *args, **kwargs)

    def found(self):
        """The records found for a valid form, else None."""
        if self.form.is_bound and self.form.is_valid():
            cleaned = self.form.cleaned_data
            return personal_data.find(cleaned["email"], cleaned["phone"])
        return None

    def render(self, template, context, status=200):
        context = {
            "form": self.form,
            "index_url": reverse("personal_data:index"),
            "export_json_url": reverse("personal_data:export", args=["json"]),
            "export_csv_url": reverse("personal_data:export", args=["csv"]),
            "erase_url": reverse("personal_data:erase"),
            "person": self.form.cleaned_data if self.form.is_bound and self.form.is_valid() else {},
            **context,
        }
        return TemplateResponse(self.request, template, context, status=status)


class PersonalDataIndexView(PersonalDataMixin, View):
    """GET: the search form; POST: everything found, grouped by app, with the exports and
    the way to erase it."""

    def get(self, request):
        return self.render("home/admin/personal_data.html", {"page_title": _("Personal data")})

    def post(self, request):
        found = self.found()
        context = {"page_title": _("Personal data"), "found": found}
        if found is not None:
            context["erasable"] = any(record.erasable for record in found.records)
        status = 200 if found is not None else 400
        return self.render("home/admin/personal_data.html", context, status)


class PersonalDataExportView(PersonalDataMixin, View):
    """POST: the export of everything found, as a JSON or CSV attachment."""

    formats = {
        "json": ("application/json", personal_data.export_json),
        "csv": ("text/csv", personal_data.export_csv),
    }

    def post(self, request, export_format):
        found = self.found()
        if found is None:
            return redirect("personal_data:index")
        if export_format not in self.formats:
            raise Http404
        content_type, render = self.formats[export_format]
        response = HttpResponse(render(found), content_type=f"{content_type}; charset=utf-8")
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        response["Content-Disposition"] = (
            f'attachment; filename="personal-data-{stamp}.{export_format}"'
        )
        response["Cache-Control"] = "no-store"
        return response


class PersonalDataEraseView(PersonalDataMixin, View):
    """POST without ``confirm``: what will be erased and the confirmation button; POST with
    ``confirm``: erase it, then back to the search form."""

    def post(self, request):
        found = self.found()
        if found is None:
            return redirect("personal_data:index")
        if not request.POST.get("confirm"):
            return self.render(
                "home/admin/personal_data_erase.html",
                {
                    "page_title": _("Erase personal data"),
                    "found": found,
                    "kept": [record for record in found.records if not record.erasable],
                },
            )
        counts = personal_data.erase(found, request.user)
        messages.success(
            request,
            _("Erased: %(count)s record(s). Amounts stay in the ledger, anonymised.")
            % {"count": sum(counts.values())},
        )
        return redirect("personal_data:index")


def urlpatterns():
    return [
        path("", PersonalDataIndexView.as_view(), name="index"),
        path("export/<str:export_format>/", PersonalDataExportView.as_view(), name="export"),
        path("erase/", PersonalDataEraseView.as_view(), name="erase"),
    ]


class PersonalDataMenuItem(MenuItem):
    def is_shown(self, request):
        return may_manage(request.user)


def menu_item():
    return PersonalDataMenuItem(
        _("Personal data"), reverse("personal_data:index"), icon_name="user", order=900
    )


def permissions():
    """The permission offered in the groups' settings."""
    return Permission.objects.filter(
        content_type__app_label="home", codename="manage_personal_data"
    )
