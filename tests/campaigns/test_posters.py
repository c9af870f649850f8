"""The printed poster of a campaign: a real A4 PDF per language whose text (extracted from the
PDF) holds the title, the figures formatted for that language and the association's address,
whose QR code (drawn to an image and decoded) leads to the campaign's page in that language;
Arabic right to left and shaped, Chinese glyphs; public campaigns only; links to it."""

import datetime
import io
import re
import unicodedata

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from django.utils.translation import gettext, ngettext

from wagtail.models import Locale, PageViewRestriction, Site

import pypdf
import pypdfium2
import pytest
import zxingcpp
from bs4 import BeautifulSoup

from campaigns.factories import CampaignIndexPageFactory, CampaignPageFactory
from campaigns.posters import poster_url
from donations import ledger
from helpers.money import format_money
from helpers.pdf import BASE_URL, RefusedURL, local_fetcher
from home.factories import ImageFactory
from home.locales import create_language_aliases
from home.models import SiteContact
from tests.stories.helpers import make_leader
from tests.stories.helpers import url as space_url

ADDRESS = "Association Co-city\n12 rue des Couronnes\n75020 Paris"
TITLES = {
    "fr": "Jardin partagé des Couronnes",
    "ar": "حديقة الكورون المشتركة",
    "zh-hans": "库罗纳共享花园",
}
SUMMARIES = {
    "fr": "Des bacs de culture pour tout le quartier.",
    "ar": "أحواض زراعة لكل الحي.",
    "zh-hans": "为整个街区建造种植箱。",
}


def pay(campaign, cents, name):
    donation = ledger.create_pending(
        campaign_key=campaign.translation_key,
        amount_cents=cents,
        provider="demo",
        donor_name=name,
        donor_email=f"{name.lower()}@example.org",
    )
    ledger.transition(donation.pk, ledger.PAID)


@pytest.fixture
def contact(home_page):
    site = Site.objects.get(is_default_site=True)
    settings_row = SiteContact.for_site(site)
    settings_row.address = ADDRESS
    settings_row.phone = "01 23 45 67 89"
    settings_row.save()
    return settings_row


@pytest.fixture
def garden(home_page, contact):
    """A live campaign with an image, translated into Arabic and Chinese, 1 234,50 € raised
    by two people."""
    index = CampaignIndexPageFactory(parent=home_page)
    create_language_aliases(index)
    page = CampaignPageFactory(
        parent=index,
        title=TITLES["fr"],
        summary=SUMMARIES["fr"],
        hero_image=ImageFactory(),
        hero_image_alt="Des bacs en bois",
    )
    for code in ("ar", "zh-hans"):
        version = page.copy_for_translation(Locale.objects.get(language_code=code))
        version.title = TITLES[code]
        version.summary = SUMMARIES[code]
        version.save_revision().publish()
    pay(page, 100_000, "Awa")
    pay(page, 23_450, "Li")
    return page


def version(page, code):
    return page.get_translation(Locale.objects.get(language_code=code)).specific


def plain(text):
    """``text`` without direction marks and spaces (PDF text extraction keeps neither
    reliably), in NFKC (Arabic presentation forms back to letters)."""
    text = unicodedata.normalize("NFKC", text)
    return re.sub(r"[\s\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]", "", text)


def skeleton(text):
    """``plain(text)`` without the letters of Arabic's lam-alef ligatures and alef maksura,
    which a PDF's text extraction may give back in another order ("إىل" for "إلى")."""
    return re.sub("[\u0644\u0627\u0623\u0625\u0622\u0649\u064a]", "", plain(text))


def words(text):
    """The words of ``text`` (letters and digits), in NFKC: the order in which a PDF's text
    comes out of right-to-left lines, and where their punctuation lands, vary."""
    return set(re.findall(r"\w+", unicodedata.normalize("NFKC", text)))


def get_pdf(client, page, code):
    response = client.get(poster_url(page, code))
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    return response


def pdf_text(content):
    """The text of every page, as PDFium extracts it (Unicode from the fonts' maps)."""
    document = pypdfium2.PdfDocument(content)
    return "\n".join(page.get_textpage().get_text_range() for page in document)


def has_amount(text, money):
    """``money`` (formatted for a language) is in ``text``: its figures as formatted, and its
    currency sign (which a right-to-left line may place on the other side)."""
    figures = re.search(r"\d[\d\s.,\u202f\xa0]*", money).group().strip()
    return plain(figures) in plain(text) and "€" in text


def pdf_fonts(content):
    reader = pypdf.PdfReader(io.BytesIO(content))
    names = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            names.add(str(font.get_object()["/BaseFont"]))
    return names


MM = 72 / 25.4
MARGIN = 16 * MM  # the poster's inline margins (campaigns/poster.html)


def title_edges(content, title):
    """The left and right edges (points) of ``title`` on the first page."""
    textpage = pypdfium2.PdfDocument(content)[0].get_textpage()
    start = textpage.get_text_range().index(title.split()[0])
    boxes = [textpage.get_charbox(index) for index in range(start, start + len(title))]
    return min(box[0] for box in boxes), max(box[2] for box in boxes)


def decode_qr(content):
    """The texts of the QR codes drawn on the first page (rendered at 200 dpi)."""
    document = pypdfium2.PdfDocument(content)
    image = document[0].render(scale=200 / 72).to_pil()
    return [result.text for result in zxingcpp.read_barcodes(image)]


@pytest.mark.django_db
@pytest.mark.parametrize("code", ["fr", "ar", "zh-hans"])
def test_poster_holds_title_figures_address_and_a_qr_code_to_the_page(client, garden, code):
    response = get_pdf(client, garden, code)
    content = response.content
    reader = pypdf.PdfReader(io.BytesIO(content))
    assert len(reader.pages) == 1
    width, height = (float(value) for value in reader.pages[0].mediabox[2:])
    assert (round(width / 72 * 25.4), round(height / 72 * 25.4)) == (210, 297)  # A4
    raw = pdf_text(content)
    text = plain(raw)
    if code == "zh-hans":  # no spaces between Chinese words
        assert TITLES[code] in text and SUMMARIES[code].rstrip("。") in text
    else:
        assert words(TITLES[code]) <= words(raw)
        assert words(SUMMARIES[code]) <= words(raw)
    assert has_amount(raw, format_money(123_450, code))
    assert has_amount(raw, format_money(garden.goal_cents, code))
    for line in ADDRESS.splitlines():
        assert plain(line) in text
    with translation.override(code):
        assert skeleton(gettext("Scan the code to give online")) in skeleton(raw)
    # The hero image was read from the media folder (no network) and drawn.
    assert len(reader.pages[0].images) == 1
    # The QR code leads to the campaign's page in the poster's language.
    page_url = "http://testserver" + version(garden, code).get_url()
    assert f"/{code}/" in page_url
    assert decode_qr(content) == [page_url]
    assert response["Content-Language"] == code
    assert not response.cookies  # the language the visitor reads in stays theirs
    assert "max-age=300" in response["Cache-Control"] and "public" in response["Cache-Control"]


@pytest.mark.django_db
def test_arabic_poster_is_right_to_left_and_shaped_and_chinese_has_its_glyphs(client, garden):
    arabic = get_pdf(client, garden, "ar").content
    # Shaped by an Arabic font (Pango/HarfBuzz), not drawn letter by letter in a fallback.
    assert any("Arabic" in name for name in pdf_fonts(arabic)), pdf_fonts(arabic)
    assert words(TITLES["ar"]) <= words(pdf_text(arabic))
    # Right to left: the title's first word is drawn to the right of its last one.
    document = pypdfium2.PdfDocument(arabic)
    textpage = document[0].get_textpage()
    first, last = TITLES["ar"].split()[0], TITLES["ar"].split()[-1]
    full = textpage.get_text_range()
    first_box = textpage.get_charbox(full.index(first))
    last_box = textpage.get_charbox(full.index(last))
    assert first_box[0] > last_box[0]
    # ... and the lines start on the right: the title ends at the right margin (16 mm).
    width = document[0].get_width()
    assert abs(title_edges(arabic, TITLES["ar"])[1] - (width - MARGIN)) < 3 * MM
    assert (
        abs(title_edges(get_pdf(client, garden, "fr").content, TITLES["fr"])[0] - MARGIN) < 3 * MM
    )

    chinese = get_pdf(client, garden, "zh-hans").content
    assert any("CJK" in name for name in pdf_fonts(chinese)), pdf_fonts(chinese)
    assert TITLES["zh-hans"] in pdf_text(chinese)


@pytest.mark.django_db
def test_untranslated_language_shows_the_source_text_with_a_qr_code_to_its_copy(client, garden):
    # English: an untranslated copy (alias) of the French page.
    garden.copy_for_translation(Locale.objects.get(language_code="en"), alias=True)
    content = get_pdf(client, garden, "en").content
    assert plain(TITLES["fr"]) in plain(pdf_text(content))
    assert has_amount(pdf_text(content), format_money(123_450, "en"))
    assert decode_qr(content) == ["http://testserver" + version(garden, "en").get_url()]


@pytest.mark.django_db
def test_any_page_of_the_campaign_gives_the_poster_in_the_addresss_language(client, garden):
    arabic_page = version(garden, "ar")
    content = get_pdf(client, arabic_page, "fr").content
    assert plain(TITLES["fr"]) in plain(pdf_text(content))
    assert decode_qr(content) == ["http://testserver" + garden.get_url()]


@pytest.mark.django_db
def test_without_an_address_no_cheque_by_post(client, garden, contact):
    contact.address = ""
    contact.save()
    text = plain(pdf_text(get_pdf(client, garden, "fr").content))
    assert plain("12 rue des Couronnes") not in text
    with translation.override("fr"):
        only_workshops = gettext(
            "In cash or by cheque, handed to the association's team at one of its workshops."
        )
        assert plain(only_workshops) in text


@pytest.mark.django_db
def test_closed_campaign_poster_asks_for_no_gift(client, garden):
    garden.opens_at = timezone.now() - datetime.timedelta(days=40)
    garden.closes_at = timezone.now() - datetime.timedelta(days=1)
    garden.save_revision().publish()
    text = plain(pdf_text(get_pdf(client, garden, "fr").content))
    with translation.override("fr"):
        assert plain(gettext("This campaign no longer takes gifts.")) in text
        assert plain(gettext("Scan the code to give online")) not in text


@pytest.mark.django_db
def test_upcoming_campaign_poster_says_when_gifts_open(client, garden):
    garden.opens_at = timezone.now() + datetime.timedelta(days=3)
    garden.save_revision().publish()
    text = plain(pdf_text(get_pdf(client, garden, "fr").content))
    with translation.override("fr"):
        assert plain(gettext("Scan the code to read about the project")) in text
        assert plain(gettext("Scan the code to give online")) not in text
        assert plain(gettext("This campaign no longer takes gifts.")) not in text
        assert plain(gettext("Without a screen")) not in text


@pytest.mark.django_db
def test_private_unpublished_or_unknown_campaigns_have_no_poster(client, garden, home_page):
    draft = CampaignPageFactory(parent=garden.get_parent(), title="Brouillon", live=False)
    assert client.get(poster_url(draft, "fr")).status_code == 404
    assert client.get("/campaign-poster/fr/999999.pdf").status_code == 404
    assert client.get("/campaign-poster/fr/99999999999999999999.pdf").status_code == 404
    assert client.get(f"/campaign-poster/xx/{garden.pk}.pdf").status_code == 404
    PageViewRestriction.objects.create(
        page=garden, restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )
    for code in ("fr", "ar", "zh-hans"):
        assert client.get(poster_url(garden, code)).status_code == 404
    # Nor is it linked from the (password-protected) page.
    assert poster_url(garden, "fr") not in client.get(garden.get_url()).content.decode()


@pytest.mark.django_db
def test_figures_are_those_of_the_moment_of_printing(client, garden):
    assert has_amount(pdf_text(get_pdf(client, garden, "fr").content), "1 234,50 €")
    pay(garden, 1_000, "Ines")  # the poster drawn before is not served again
    text = pdf_text(get_pdf(client, garden, "fr").content)
    assert has_amount(text, format_money(124_450, "fr"))
    with translation.override("fr"):
        gave = ngettext("%(counter)s person gave", "%(counter)s people gave", 3) % {"counter": 3}
    assert plain(gave) in plain(text)


@pytest.mark.django_db
def test_only_get_and_head(client, garden):
    assert client.post(poster_url(garden, "fr")).status_code == 405


@pytest.mark.django_db
def test_query_count_is_bounded(client, garden):
    get_pdf(client, garden, "ar")  # makes the image's rendition
    cache.clear()  # the poster is drawn again, not taken from the cache
    with CaptureQueriesContext(connection) as queries:
        get_pdf(client, garden, "ar")
    drawn = len(queries)
    with CaptureQueriesContext(connection) as queries:
        get_pdf(client, garden, "ar")
    assert drawn <= 12, [query["sql"] for query in queries]
    assert len(queries) < drawn  # the same figures: the PDF drawn before


@pytest.mark.django_db
def test_linked_from_the_campaign_page_and_the_leaders_space(client, garden, django_user_model):
    for code in ("fr", "ar"):
        page = BeautifulSoup(client.get(version(garden, code).get_url()).content, "html.parser")
        link = page.select_one(".campaign__aside .poster-link a")
        assert link["href"] == poster_url(version(garden, code), code)
        with translation.override(code):
            assert gettext("Print a poster") in link.get_text()

    leader = make_leader(django_user_model, "leila", campaign=garden, language="ar")
    client.force_login(leader)
    space = BeautifulSoup(client.get(space_url("space")).content, "html.parser")
    links = space.select(".poster-link a")
    assert len(links) == 1 and links[0]["href"].startswith("/campaign-poster/ar/")
    content = client.get(links[0]["href"]).content
    assert decode_qr(content) == ["http://testserver" + version(garden, "ar").get_url()]


def test_fetcher_refuses_the_network_and_private_media():
    fetcher = local_fetcher()
    for url in (
        "https://example.org/image.png",
        "http://127.0.0.1/static/css/site.css",
        "file:///etc/passwd",
        BASE_URL + "media/private/photo.jpg",
        BASE_URL + "static/../../etc/passwd",
        BASE_URL + "admin/",
    ):
        with pytest.raises(RefusedURL):
            fetcher.fetch(url)
    assert fetcher.fetch(BASE_URL + "static/css/site.css").read(20)
