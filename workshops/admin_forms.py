"""The form staff fill in when someone registers by phone (view in admin_views.py)."""

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .forms import RegistrationForm

STAFF_WORDING = {
    "name": (_("Name"), _("As the person will give it at the door.")),
    "email": (
        _("Email"),
        _("If they have one: they receive the confirmation and a link to cancel."),
    ),
    "phone": (_("Phone number"), _("So that the team can call them if the workshop changes.")),
    "seats": (_("Seats"), _("The person and those coming with them (5 at most).")),
    "language": (_("Language for our messages"), None),
    "accessibility_needs": (
        _("Accessibility needs"),
        _("Ask: wheelchair, sign language, childcare… so that the team can prepare."),
    ),
}


class PhoneRegistrationForm(RegistrationForm):
    """The public registration form (same checks: an email or a phone, 1 to 5 seats), worded
    for the staff member who fills it in while on the phone."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, (label, help_text) in STAFF_WORDING.items():
            field = self.fields[name]
            field.label = label
            if help_text:
                field.help_text = help_text
            # the browser must not offer the staff member's own name, email or phone
            field.widget.attrs["autocomplete"] = "off"
        self.fields["language"].initial = settings.LANGUAGE_CODE
