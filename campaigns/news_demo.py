"""Demo news: the garden campaign's leader tells its donors the first beds are in, and two
donors who asked for news (one gave in French, one in Arabic) get it by email when the demo
is built (printed to the console by the dev settings)."""

from django.utils import timezone

from wagtail.models import Locale, Page

from donations import ledger
from home.demo_content import T, p

from .factories import CampaignNewsPageFactory
from .news import NewsDelivery, NewsMailing

CAMPAIGN = "jardin-des-couronnes"
NEWS = {
    "title": T(
        "Les premiers bacs sont posés",
        "The first planters are in",
        "تم تركيب أول أحواض الزراعة",
    ),
    "paragraph": T(
        "Samedi, une vingtaine de voisines et de voisins ont monté les six premiers bacs au "
        "pied de la tour. Les enfants de l'école ont semé des radis et des capucines.",
        "On Saturday, some twenty neighbours built the first six planters at the foot of the "
        "tower. The school children sowed radishes and nasturtiums.",
        "يوم السبت، قام نحو عشرين من الجيران ببناء أول ستة أحواض عند أسفل البرج. وزرع أطفال "
        "المدرسة الفجل وزهور الكبوسين.",
    ),
    "thanks": T(
        "Merci à vous : sans vos dons, le bois et la terre n'auraient pas été achetés.",
        "Thank you: without your gifts, the wood and the soil could not have been bought.",
        "شكرًا لكم: لولا تبرعاتكم لما تمكّنا من شراء الخشب والتربة.",
    ),
}
# (name, email, language): gifts whose donors asked for the campaign's news
NEWS_DONORS = [
    ("Lina B.", "lina@donateurs.cocity.example", "fr"),
    ("Karim S.", "karim@donateurs.cocity.example", "ar"),
]


def build(site):
    """Two opted-in gifts to the garden, then its leader's news, published and translated."""
    garden = Page.objects.get(slug=CAMPAIGN, locale=site.locale).specific
    for name, email, language in NEWS_DONORS:
        donation = ledger.create_pending(
            campaign_key=garden.translation_key,
            amount_cents=2000,
            donor_name=name,
            donor_email=email,
            display="name",
            message="",
            language=language,
            wants_news=True,
            provider="demo",
        )
        ledger.transition(donation.pk, ledger.PAID, payment_id=f"demo-{donation.uuid}")
    news = CampaignNewsPageFactory.build(
        title=NEWS["title"].fr,
        slug="premiers-bacs",
        date=timezone.localdate(),
        body=[
            ("paragraph", p(NEWS["paragraph"]).fr),
            ("paragraph", p(NEWS["thanks"]).fr),
            (
                "image",
                {"image": garden.hero_image, "alt_text": garden.hero_image_alt, "caption": ""},
            ),
        ],
        owner=garden.leaders.first(),
        locale=site.locale,
    )
    garden.add_child(instance=news)
    news.save_revision().publish()  # reviewed and published by staff
    copies = [
        NEWS["title"],
        p(NEWS["paragraph"]),
        p(NEWS["thanks"]),
        T("premiers-bacs", "first-planters", "premiers-bacs"),
        T(garden.hero_image_alt, *_alt_translations(garden)),
    ]
    # Published today and waiting for its Portuguese and Chinese translations: the demo's one
    # page that shows the French fallback with its notice (every other page is translated).
    site.translate([news], copies, languages=("en", "ar"))


def _alt_translations(garden):
    """The garden photo's alt text in English and Arabic (from the campaign's translations)."""
    alts = []
    for code in ("en", "ar"):
        translated = garden.get_translation_or_none(Locale.objects.get(language_code=code))
        alts.append(translated.specific.hero_image_alt if translated else garden.hero_image_alt)
    return alts


def reset():
    """The news pages go with the page tree, their gifts with the campaign's (see
    campaigns/demo.py): what is left is the record of the mailings."""
    NewsDelivery.objects.all().delete()
    NewsMailing.objects.all().delete()
