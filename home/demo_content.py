"""The demo site's copy, written once: French (the source) with its English, Arabic,
Portuguese and Simplified Chinese translations beside it. `load_demo` builds the French pages
from ``.fr`` and hands the translations to wagtail-localize, so every translated string is
checked against its source. One page is left untranslated in pt and zh-hans on purpose (the
newest news item, see campaigns/news_demo.py): the demo shows how a page waiting for its
translation falls back to French with a notice.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class T:
    """One piece of copy: the French source and its translations."""

    fr: str
    en: str
    ar: str
    pt: str | None = None
    zh_hans: str | None = None

    def __str__(self):
        return self.fr

    def get(self, language):
        """The text in ``language`` (a LANGUAGES code: "zh-hans" reads .zh_hans), or None."""
        return getattr(self, language.replace("-", "_"))


def p(text: T) -> T:
    """Wrap a piece of copy as a rich-text paragraph (wagtail-localize segments per <p>)."""
    def wrap(value):
        return None if value is None else f"<p>{value}</p>"

    return T(*(wrap(getattr(text, name)) for name in ("fr", "en", "ar", "pt", "zh_hans")))


HOME = {
    "title": T("Accueil", "Home", "الصفحة الرئيسية"),
    "seo_title": T(
        "Co-city — le financement participatif citoyen des quartiers populaires",
        "Co-city — civic crowdfunding for working-class neighbourhoods",
        "Co-city — التمويل التشاركي المواطني للأحياء الشعبية",
    ),
    "search_description": T(
        "Les Co-citoyens aident les habitantes et habitants des quartiers populaires "
        "d'Île-de-France à financer ensemble leurs projets.",
        "Les Co-citoyens helps residents of working-class neighbourhoods in the Paris region "
        "fund their projects together.",
        "تساعد جمعية Les Co-citoyens سكان الأحياء الشعبية في منطقة إيل دو فرانس على تمويل "
        "مشاريعهم معًا.",
    ),
    "hero_heading": T(
        "Financer ensemble les projets de nos quartiers",
        "Funding our neighbourhoods' projects, together",
        "نموّل معًا مشاريع أحيائنا",
    ),
    "hero_text": T(
        "Un jardin partagé, un café de réparation, une fête de rue : les habitantes et "
        "habitants portent les projets, le quartier les finance, nous les accompagnons.",
        "A shared garden, a repair café, a street party: residents lead the projects, the "
        "neighbourhood funds them, and we support them all the way.",
        "حديقة مشتركة، مقهى للتصليح، احتفال في الشارع: السكان يقودون المشاريع، والحي "
        "يموّلها، ونحن نرافقهم في كل خطوة.",
    ),
    "hero_image_alt": T(
        "Des voisines et voisins plantent des légumes dans un jardin partagé",
        "Neighbours planting vegetables in a shared garden",
        "جيران يزرعون الخضروات في حديقة مشتركة",
    ),
    "hero_cta_label": T("Découvrir l'association", "About the association", "تعرّف على الجمعية"),
    # (computed figure, what it counts): the figures come from the ledger and the closed
    # campaigns (home/figures.py), only their labels are copy
    "key_figures": [
        (
            "success_rate",
            T(
                "des campagnes closes ont réussi",
                "of closed campaigns succeeded",
                "من الحملات المنتهية نجحت",
            ),
        ),
        ("campaigns_funded", T("projets financés", "projects funded", "مشاريع مموّلة")),
        ("raised", T("collectés pour les projets", "raised for the projects", "جُمعت للمشاريع")),
        ("people", T("personnes ont donné", "people gave", "أشخاص تبرّعوا")),
    ],
    "body": [
        ("heading", T("Comment ça marche ?", "How does it work?", "كيف يعمل ذلك؟")),
        (
            "paragraph",
            p(
                T(
                    "Vous avez une idée utile à votre quartier ? Nous vous aidons à la "
                    "transformer en projet, à fixer un objectif réaliste et à mobiliser vos "
                    "voisins, les commerces et les partenaires.",
                    "Do you have an idea that would help your neighbourhood? We help you turn "
                    "it into a project, set a realistic goal and rally your neighbours, local "
                    "shops and partners.",
                    "هل لديك فكرة مفيدة لحيّك؟ نساعدك على تحويلها إلى مشروع، وتحديد هدف "
                    "واقعي، وتعبئة جيرانك والمحلات التجارية والشركاء.",
                )
            ),
        ),
        (
            "quote",
            (
                T(
                    "Ici, chacun peut financer un projet pour son quartier, même avec cinq euros.",
                    "Here, everyone can fund a project for their neighbourhood, even with five "
                    "euros.",
                    "هنا، يستطيع كل شخص أن يموّل مشروعًا لحيّه، ولو بخمسة يوروهات.",
                ),
                T(
                    "Awa, porteuse de projet à Belleville",
                    "Awa, project leader in Belleville",
                    "عوا، صاحبة مشروع في بلفيل",
                ),
            ),
        ),
    ],
}

STANDARD_PAGES = [
    {
        "slug": "qui-sommes-nous",
        "show_in_menus": True,
        "title": T("Qui sommes-nous ?", "About us", "من نحن؟"),
        "search_description": T(
            "Les Co-citoyens, association parisienne de financement participatif citoyen.",
            "Les Co-citoyens, a Paris non-profit for civic crowdfunding.",
            "Les Co-citoyens، جمعية باريسية للتمويل التشاركي المواطني.",
        ),
        "introduction": T(
            "Une association loi 1901 née dans le 20e arrondissement de Paris, qui rend le "
            "financement participatif accessible à toutes et à tous.",
            "A French non-profit born in Paris's 20th arrondissement that makes crowdfunding "
            "accessible to everyone.",
            "جمعية غير ربحية وُلدت في الدائرة العشرين بباريس، تجعل التمويل التشاركي في متناول "
            "الجميع.",
        ),
        "image": ("Atelier de quartier", 0),
        "body": [
            ("heading", T("Notre mission", "Our mission", "مهمتنا")),
            (
                "paragraph",
                p(
                    T(
                        "Trop d'habitantes et d'habitants restent à l'écart des outils "
                        "numériques et bancaires de financement. Nous les accompagnons pour "
                        "qu'ils financent eux-mêmes les projets qui comptent pour leur quartier.",
                        "Too many residents are shut out of digital and banking tools for "
                        "raising money. We support them so they can fund the projects that "
                        "matter to their neighbourhood themselves.",
                        "كثير من السكان يبقون بعيدين عن الأدوات الرقمية والمصرفية للتمويل. "
                        "نرافقهم حتى يموّلوا بأنفسهم المشاريع المهمة لحيّهم.",
                    )
                ),
            ),
            (
                "image",
                (
                    T(
                        "Une réunion de porteurs de projet autour d'une grande table",
                        "Project leaders meeting around a large table",
                        "أصحاب مشاريع مجتمعون حول طاولة كبيرة",
                    ),
                    T(
                        "Atelier de lancement de campagne à la Maison des associations",
                        "A campaign launch workshop at the community centre",
                        "ورشة إطلاق حملة في دار الجمعيات",
                    ),
                ),
            ),
            ("heading", T("Nos engagements", "Our commitments", "التزاماتنا")),
            (
                "paragraph",
                p(
                    T(
                        "Pas de contrepartie : chaque don va entièrement au projet et ouvre "
                        "droit à la réduction d'impôt de 66 %.",
                        "No rewards: every gift goes entirely to the project and qualifies for "
                        "the 66% French tax reduction.",
                        "لا مقابل: كل تبرع يذهب بالكامل إلى المشروع ويتيح الاستفادة من "
                        "التخفيض الضريبي بنسبة 66٪.",
                    )
                ),
            ),
            (
                "key_figures",
                (
                    T("En chiffres", "In figures", "بالأرقام"),
                    [
                        (
                            T("66 %", "66%", "66٪"),
                            T(
                                "de réduction d'impôt sur chaque don",
                                "tax reduction on each gift",
                                "تخفيض ضريبي على كل تبرع",
                            ),
                        ),
                        (
                            T("80 %", "80%", "80٪"),
                            T("de l'objectif suffisent", "of the goal is enough", "من الهدف تكفي"),
                        ),
                    ],
                ),
            ),
        ],
    },
    {
        "slug": "questions-frequentes",
        "show_in_menus": True,
        "title": T("Questions fréquentes", "Frequently asked questions", "الأسئلة الشائعة"),
        "search_description": T(
            "Dons, réduction d'impôt, campagnes : les réponses à vos questions.",
            "Gifts, tax reduction, campaigns: answers to your questions.",
            "التبرعات، التخفيض الضريبي، الحملات: إجابات عن أسئلتكم.",
        ),
        "introduction": T(
            "Les réponses aux questions que l'on nous pose le plus souvent.",
            "Answers to the questions we are asked most often.",
            "إجابات عن الأسئلة التي تُطرح علينا كثيرًا.",
        ),
        "body": [
            (
                "faq",
                (
                    T("Donner", "Giving", "التبرع"),
                    [
                        (
                            T(
                                "Mon don est-il déductible des impôts ?",
                                "Is my gift tax-deductible?",
                                "هل تبرعي قابل للخصم من الضرائب؟",
                            ),
                            p(
                                T(
                                    "Oui, si vous payez l'impôt sur le revenu en France : "
                                    "66 % de votre don est déduit de votre impôt, dans la "
                                    "limite de 20 % de votre revenu imposable, avec un reçu "
                                    "fiscal. Cochez « Je veux un reçu fiscal » en donnant : "
                                    "il vous est envoyé par email (en janvier si vous "
                                    "choisissez un reçu pour toute l'année). Oublié ? L'email "
                                    "de confirmation a un lien pour le demander.",
                                    "Yes, if you pay income tax in France: 66% of your gift "
                                    "comes off your tax, up to 20% of your taxable income, "
                                    'with a tax receipt. Tick "I want a tax receipt" when '
                                    "you give: it is emailed to you (in January if you choose "
                                    "one receipt for the whole year). Forgot? The "
                                    "confirmation email has a link to ask for it.",
                                    "نعم، إذا كنت تدفع ضريبة الدخل في فرنسا: يُخصم 66٪ من "
                                    "تبرعك من ضريبتك، في حدود 20٪ من دخلك الخاضع للضريبة، "
                                    "بإيصال ضريبي. اختر «أريد إيصالا ضريبيا» عند التبرع: "
                                    "يصلك بالبريد الإلكتروني (في يناير إذا اخترت إيصالا "
                                    "واحدا للسنة كلها). نسيت؟ في رسالة التأكيد رابط لطلبه.",
                                )
                            ),
                        ),
                        (
                            T(
                                "Que se passe-t-il si l'objectif n'est pas atteint ?",
                                "What happens if the goal is not reached?",
                                "ماذا يحدث إذا لم يتحقق الهدف؟",
                            ),
                            p(
                                T(
                                    "Chaque campagne affiche sa règle. « Tout ou rien » : "
                                    "sous son seuil de réussite, chaque don est remboursé "
                                    "— sur votre carte pour un don en ligne, en main "
                                    "propre pour un don en espèces ou par chèque — et "
                                    "aucun reçu fiscal n'est émis. « Tout est reversé » : le "
                                    "projet reçoit ce qui a été collecté.",
                                    "Each campaign shows its rule. All or nothing: below its "
                                    "success threshold, every gift is refunded — to your card "
                                    "for a gift online, by hand for cash or a cheque — and no "
                                    "tax receipt is issued. Keep it all: the project receives "
                                    "what was raised.",
                                    "تعرض كل حملة قاعدتها. «الكل أو لا شيء»: إذا لم تبلغ "
                                    "الحملة عتبة نجاحها، يُعاد كل تبرع — إلى بطاقتك للتبرع "
                                    "عبر الإنترنت، ويدا بيد للتبرع نقدا أو بشيك — ولا يصدر "
                                    "أي إيصال ضريبي. «الاحتفاظ بكل ما جُمع»: يحصل المشروع على ما "
                                    "جُمع.",
                                )
                            ),
                        ),
                    ],
                ),
            ),
        ],
    },
    {
        "slug": "mentions-legales",
        "show_in_menus": False,
        "footer": True,
        "title": T("Mentions légales", "Legal notice", "إشعار قانوني"),
        "search_description": T(
            "Éditeur, hébergeur et responsable de publication du site.",
            "Publisher, host and editor of this site.",
            "ناشر الموقع ومستضيفه ومسؤول النشر فيه.",
        ),
        "introduction": T(
            "Ce site est édité par l'association Les Co-citoyens.",
            "This site is published by the association Les Co-citoyens.",
            "يصدر هذا الموقع عن جمعية Les Co-citoyens.",
        ),
        "body": [
            ("heading", T("Éditeur", "Publisher", "الناشر")),
            (
                "paragraph",
                p(
                    T(
                        "Les Co-citoyens, association loi 1901, Paris. Directrice de la "
                        "publication : la présidente de l'association.",
                        "Les Co-citoyens, a French non-profit association, Paris. Director of "
                        "publication: the association's president.",
                        "Les Co-citoyens، جمعية غير ربحية وفق قانون 1901، باريس. مديرة النشر: "
                        "رئيسة الجمعية.",
                    )
                ),
            ),
        ],
    },
    {
        "slug": "confidentialite",
        "show_in_menus": False,
        "footer": True,
        "title": T("Confidentialité", "Privacy", "الخصوصية"),
        "search_description": T(
            "Quelles données nous collectons, pourquoi, et vos droits.",
            "What data we collect, why, and your rights.",
            "ما البيانات التي نجمعها، ولماذا، وما هي حقوقك.",
        ),
        "introduction": T(
            "Nous ne collectons que ce dont nous avons besoin. Voici ce que nous gardons, "
            "pourquoi et combien de temps, et comment en obtenir une copie ou le faire effacer.",
            "We collect only what we need. Here is what we keep, why and for how long, and how "
            "to get a copy of it or have it erased.",
            "لا نجمع إلا ما نحتاج إليه. إليك ما نحتفظ به ولماذا وإلى متى، وكيف تحصل على نسخة "
            "منه أو تطلب حذفه.",
        ),
        "body": [
            ("heading", T("Vos dons", "Your gifts", "تبرعاتك")),
            (
                "paragraph",
                p(
                    T(
                        "Pour chaque don, nous gardons le montant, la date, la campagne et, si "
                        "vous les donnez, votre nom, votre adresse e-mail et votre message. "
                        "Votre nom n'est affiché sur la page de la campagne que si vous le "
                        "choisissez, votre message l'est si vous en écrivez un, votre adresse "
                        "e-mail jamais ; elle sert à vous confirmer le don et, si vous "
                        "le demandez, à vous envoyer les nouvelles de la campagne. Les données "
                        "de carte bancaire sont saisies chez notre prestataire de paiement, "
                        "jamais sur ce site.",
                        "For each gift, we keep the amount, the date, the campaign and, if you "
                        "give them, your name, your email address and your message. Your name is "
                        "shown on the campaign page only if you choose so, your message if you "
                        "write one, your email never; it is used to confirm your gift and, if you "
                        "ask for them, to send you the campaign's news. Card details are typed at "
                        "our payment provider, never on this site.",
                        "نحتفظ لكل تبرع بالمبلغ والتاريخ والحملة، وكذلك باسمك وبريدك الإلكتروني "
                        "ورسالتك إن قدّمتها. لا يظهر اسمك في صفحة الحملة إلا إذا اخترت ذلك، وتظهر "
                        "رسالتك إن كتبتها، ولا يظهر بريدك الإلكتروني أبدًا، بل يُستخدم لتأكيد "
                        "تبرعك، ولإرسال أخبار الحملة إن طلبتها. تُدخَل بيانات البطاقة المصرفية لدى "
                        "مزوّد الدفع، ولا تُدخَل أبدًا في هذا الموقع.",
                    )
                ),
            ),
            (
                "paragraph",
                p(
                    T(
                        "Nous gardons ces données tant que vous ne nous demandez pas de les "
                        "effacer. Si vous le demandez, votre nom, votre e-mail et votre message "
                        "sont effacés ; le montant et la date du don restent dans nos comptes, "
                        "sans rien qui vous nomme, pour que le total de chaque campagne reste "
                        "juste.",
                        "We keep this data until you ask us to erase it. If you do, your name, "
                        "email and message are erased; the gift's amount and date stay in our "
                        "accounts, with nothing that names you, so that each campaign's total "
                        "stays right.",
                        "نحتفظ بهذه البيانات ما لم تطلب منا حذفها. إذا طلبت ذلك، نحذف اسمك "
                        "وبريدك الإلكتروني ورسالتك، ويبقى مبلغ التبرع وتاريخه في حساباتنا دون "
                        "أي شيء يدل عليك، حتى يبقى مجموع كل حملة صحيحًا.",
                    )
                ),
            ),
            (
                "paragraph",
                p(
                    T(
                        "Si vous demandez un reçu fiscal, nous gardons aussi le nom et l'adresse "
                        "postale qu'il porte. La loi nous oblige à garder chaque reçu six ans "
                        "après son émission, même si vous demandez l'effacement de vos données : "
                        "passé ce délai, votre nom, votre adresse et votre e-mail sont retirés "
                        "du reçu et du don, son numéro et son montant restent dans nos comptes.",
                        "If you ask for a tax receipt, we also keep the name and postal address "
                        "it is made out to. The law requires us to keep each receipt for six "
                        "years after it is issued, even if you ask us to erase your data: after "
                        "that, your name, address and email are removed from the receipt and the "
                        "gift, and its number and amount stay in our accounts.",
                        "إذا طلبت إيصالا ضريبيا، نحتفظ أيضا بالاسم والعنوان البريدي المكتوبين "
                        "عليه. يُلزمنا القانون بالاحتفاظ بكل إيصال ست سنوات بعد إصداره، حتى لو "
                        "طلبت حذف بياناتك: بعد ذلك، نحذف اسمك وعنوانك وبريدك الإلكتروني من "
                        "الإيصال ومن التبرع، ويبقى رقمه ومبلغه في حساباتنا.",
                    )
                ),
            ),
            (
                "heading",
                T("Les inscriptions aux ateliers", "Workshop registrations", "التسجيل في الورشات"),
            ),
            (
                "paragraph",
                p(
                    T(
                        "Pour vous inscrire, nous demandons votre nom, un e-mail ou un numéro "
                        "de téléphone pour vous joindre, le nombre de places, votre langue et, "
                        "si vous le souhaitez, vos besoins d'accessibilité, pour vous accueillir "
                        "dans de bonnes conditions. Ces données sont effacées six mois après "
                        "l'atelier ; seuls restent le nombre de places et les dates, sans rien "
                        "qui vous nomme.",
                        "To register you, we ask for your name, an email or a phone number to "
                        "reach you, the number of seats, your language and, if you wish, your "
                        "accessibility needs, so that we can welcome you well. This data is "
                        "erased six months after the workshop; only the number of seats and the "
                        "dates remain, with nothing that names you.",
                        "لتسجيلك نطلب اسمك، وبريدًا إلكترونيًا أو رقم هاتف للتواصل معك، وعدد "
                        "المقاعد، ولغتك، واحتياجاتك المتعلقة بإمكانية الوصول إن رغبت، لنستقبلك "
                        "في ظروف جيدة. تُحذف هذه البيانات بعد ستة أشهر من الورشة، ولا يبقى إلا "
                        "عدد المقاعد والتواريخ، دون أي شيء يدل عليك.",
                    )
                ),
            ),
            (
                "heading",
                T(
                    "Vos projets et votre compte",
                    "Your projects and your account",
                    "مشاريعك وحسابك",
                ),
            ),
            (
                "paragraph",
                p(
                    T(
                        "Quand vous proposez un projet, nous gardons votre nom et un moyen de "
                        "vous joindre pour en parler avec vous, jusqu'à ce que vous nous "
                        "demandiez de les effacer. Si vous portez une campagne, votre compte "
                        "garde votre e-mail et le nom public qui signe vos histoires. Si vous "
                        "nous demandez de l'effacer, votre compte est fermé et vidé, et votre "
                        "nom, votre e-mail et votre téléphone sont retirés des pages que vous "
                        "avez écrites ; vos histoires publiées restent en ligne, sans votre nom.",
                        "When you propose a project, we keep your name and a way to reach you, "
                        "to talk it over with you, until you ask us to erase them. If you lead "
                        "a campaign, your account keeps your email and the public name that "
                        "signs your stories. If you ask us to erase it, your account is closed "
                        "and emptied, and your name, email and phone are taken out of the pages "
                        "you wrote; your published stories stay online, without your name.",
                        "عندما تقترح مشروعًا، نحتفظ باسمك ووسيلة للتواصل معك لنناقشه معك، إلى أن "
                        "تطلب منا حذفهما. وإذا كنت تقود حملة، يحتفظ حسابك ببريدك الإلكتروني "
                        "وبالاسم العلني الذي توقّع به قصصك. وإذا طلبت منا حذفه، نغلق حسابك "
                        "ونفرغه، ونزيل اسمك وبريدك الإلكتروني وهاتفك من الصفحات التي كتبتها، "
                        "وتبقى قصصك المنشورة على الموقع دون اسمك.",
                    )
                ),
            ),
            ("heading", T("Vos droits", "Your rights", "حقوقك")),
            (
                "paragraph",
                p(
                    T(
                        "Écrivez à l'adresse de contact de l'association (bonjour@cocity.example) "
                        "en donnant l'e-mail ou le numéro de téléphone que vous nous avez "
                        "laissé : nous vous envoyons une copie de tout ce que le site garde sur "
                        "vous, nous corrigeons ce qui est faux, et nous effaçons ce que vous "
                        "voulez voir disparaître, comme décrit ci-dessus. Vous pouvez aussi "
                        "saisir la CNIL.",
                        "Write to the association's contact address (bonjour@cocity.example), "
                        "giving the email or phone number you left with us: we send you a copy "
                        "of everything the site keeps about you, correct what is wrong, and "
                        "erase what you want gone, as described above. You can also complain to "
                        "the CNIL, the French data-protection authority.",
                        "راسل الجمعية على عنوانها (bonjour@cocity.example) مع ذكر البريد "
                        "الإلكتروني أو رقم الهاتف الذي تركته لدينا: نرسل إليك نسخة من كل ما "
                        "يحتفظ به الموقع عنك، ونصحّح ما هو خاطئ، ونحذف ما تريد حذفه كما هو موضّح "
                        "أعلاه. ويمكنك أيضًا تقديم شكوى إلى CNIL، الهيئة الفرنسية لحماية "
                        "البيانات.",
                    )
                ),
            ),
        ],
    },
]

FOOTER_ABOUT = p(
    T(
        "Les Co-citoyens accompagnent depuis 2016 les habitantes et habitants des quartiers "
        "populaires d'Île-de-France qui financent ensemble des projets ouverts à toutes et à "
        "tous.",
        "Since 2016, Les Co-citoyens has supported residents of working-class neighbourhoods "
        "in the Paris region who fund projects open to all, together.",
        "منذ عام 2016، ترافق جمعية Les Co-citoyens سكان الأحياء الشعبية في إيل دو فرانس "
        "الذين يموّلون معًا مشاريع مفتوحة للجميع.",
    )
)

CONTACT = {
    "email": "bonjour@cocity.example",
    "phone": "+33 1 23 45 67 89",
    "address": "Maison des associations\n12 rue des Couronnes\n75020 Paris",
    "social_links": [
        ("Mastodon", "https://mastodon.example/@cocitoyens"),
        ("Instagram", "https://instagram.example/cocitoyens"),
    ],
}


def every_copy():
    """Every T of the home app's demo content."""
    return [*walk_copies(HOME), *walk_copies(STANDARD_PAGES), FOOTER_ABOUT]


def walk_copies(value):
    """Every T inside ``value`` (nested dicts, lists and tuples)."""
    if isinstance(value, T):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from walk_copies(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from walk_copies(item)
