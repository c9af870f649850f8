"""Demo workshops for `load_demo`: venues in four districts, the listing at /<lang>/ateliers/,
upcoming workshops (one nearly full, one full with a waiting list) and past ones, in French
with English and Arabic translations (registered from WorkshopsConfig.ready).

Dates are relative to a reference, the next Monday at 18:30 Paris time after the day the demo
is loaded: the upcoming workshops stay upcoming whenever the demo is built, everything else is
fixed. Registrations go through workshops.registrations.register, as on the site.
"""

import datetime
from zoneinfo import ZoneInfo

from django.utils import timezone

from wagtail.models import Page

from campaigns.models import District
from helpers.demo import IMAGE_PREFIX
from home.demo_content import T, p, walk_copies
from home.factories import generated_image

from . import registrations
from .factories import WorkshopIndexPageFactory, WorkshopPageFactory
from .models import Registration, Venue, WorkshopSeats

PARIS = ZoneInfo("Europe/Paris")
INDEX_SLUG = "ateliers"

INDEX = {
    "title": T("Ateliers", "Workshops", "ورشات", pt="Oficinas", zh_hans="工作坊"),
    "search_description": T(
        "Ateliers gratuits pour préparer et lancer une campagne.",
        "Free workshops to prepare and launch a campaign.",
        "ورشات مجانية لتحضير حملة وإطلاقها.",
        pt="Oficinas gratuitas para preparar e lançar uma campanha.",
        zh_hans="免费工作坊，帮助您筹备并发起众筹活动。",
    ),
    "introduction": T(
        "Des ateliers gratuits, près de chez vous et dans plusieurs langues, pour "
        "transformer une idée en projet financé par le quartier.",
        "Free workshops near you, in several languages, to turn an idea into a project the "
        "neighbourhood funds.",
        "ورشات مجانية قريبة منك وبعدة لغات، لتحويل فكرة إلى مشروع يموّله الحي.",
        pt="Oficinas gratuitas, perto de si e em várias línguas, para transformar uma "
        "ideia num projeto financiado pelo bairro.",
        zh_hans="免费工作坊就在您家附近，提供多种语言，帮助您把一个想法变成由街区共同资助的项目。",
    ),
}

# key: (district code, address, map link, texts)
VENUES = {
    "couronnes": {
        "district": "75020",
        "address": "12 rue des Couronnes\n75020 Paris",
        "map_url": "https://www.openstreetmap.org/search?query=12%20rue%20des%20Couronnes%20Paris",
        "name": T(
            "Maison des associations du 20e",
            "20th arrondissement community centre",
            "دار الجمعيات في الدائرة العشرين",
            pt="Casa das Associações do 20.º",
            zh_hans="20区社团之家",
        ),
        "access": T(
            "Métro Couronnes (ligne 2), bus 96 arrêt Jourdain. Sonnez à l'interphone « Salle 1 ».",
            "Couronnes metro (line 2), bus 96 stop Jourdain. Ring the intercom for “Room 1”.",
            "مترو كورون (الخط 2)، الحافلة 96 محطة جوردان. اضغط على جرس «القاعة 1».",
            pt="Metro Couronnes (linha 2), autocarro 96 paragem Jourdain. Toque à "
            "campainha « Sala 1 » do intercomunicador.",
            zh_hans="地铁 Couronnes 站（2号线），96路公交车 Jourdain 站。请按对讲机上的“1号厅”。",
        ),
        "accessibility": T(
            "Entrée de plain-pied, ascenseur, toilettes accessibles, boucle magnétique à "
            "l'accueil.",
            "Step-free entrance, lift, accessible toilets, hearing loop at the front desk.",
            "مدخل بلا درج، مصعد، مراحيض مهيأة، وحلقة سمعية عند الاستقبال.",
            pt="Entrada sem degraus, elevador, casas de banho acessíveis, anel de indução "
            "magnética na receção.",
            zh_hans="无台阶入口，设有电梯和无障碍卫生间，接待处配有助听感应环路。",
        ),
    },
    "belleville": {
        "district": "75019",
        "address": "27 rue Rébeval\n75019 Paris",
        "map_url": "",
        "name": T(
            "Centre social de Belleville",
            "Belleville social centre",
            "مركز بلفيل الاجتماعي",
            pt="Centro social de Belleville",
            zh_hans="Belleville 社区服务中心",
        ),
        "access": T(
            "Métro Belleville (lignes 2 et 11) ou Pyrénées (ligne 11).",
            "Belleville metro (lines 2 and 11) or Pyrénées (line 11).",
            "مترو بلفيل (الخطان 2 و11) أو بيرينيه (الخط 11).",
            pt="Metro Belleville (linhas 2 e 11) ou Pyrénées (linha 11).",
            zh_hans="地铁 Belleville 站（2号线和11号线）或 Pyrénées 站（11号线）。",
        ),
        "accessibility": T(
            "Salle au premier étage, sans ascenseur : appelez-nous, nous pouvons vous "
            "accueillir au rez-de-chaussée.",
            "The room is on the first floor, with no lift: call us and we will meet you on "
            "the ground floor.",
            "القاعة في الطابق الأول بلا مصعد: اتصل بنا ونستقبلك في الطابق الأرضي.",
            pt="Sala no primeiro andar, sem elevador: telefone-nos e podemos recebê-lo no "
            "rés-do-chão.",
            zh_hans="活动室在二楼，没有电梯：请给我们打电话，我们可以在一楼接待您。",
        ),
    },
    "montreuil": {
        "district": "montreuil",
        "address": "10 rue de Paris\n93100 Montreuil",
        "map_url": "https://www.openstreetmap.org/search?query=10%20rue%20de%20Paris%20Montreuil",
        "name": T(
            "Médiathèque du Bas-Montreuil",
            "Bas-Montreuil media library",
            "مكتبة الوسائط في باس مونتروي",
            pt="Mediateca do Bas-Montreuil",
            zh_hans="Bas-Montreuil 多媒体图书馆",
        ),
        "access": T(
            "Métro Robespierre (ligne 9), à cinq minutes à pied.",
            "Robespierre metro (line 9), a five-minute walk.",
            "مترو روبسبيير (الخط 9)، على بعد خمس دقائق سيرًا.",
            pt="Metro Robespierre (linha 9), a cinco minutos a pé.",
            zh_hans="地铁 Robespierre 站（9号线），步行五分钟。",
        ),
        "accessibility": T(
            "Plain-pied, toilettes accessibles, espace calme pour les enfants.",
            "Step-free, accessible toilets, a quiet corner for children.",
            "بلا درج، مراحيض مهيأة، وركن هادئ للأطفال.",
            pt="Sem degraus, casas de banho acessíveis, espaço calmo para as crianças.",
            zh_hans="无台阶，设有无障碍卫生间和儿童安静区。",
        ),
    },
    "franc-moisin": {
        "district": "saint-denis",
        "address": "3 place du Franc-Moisin\n93200 Saint-Denis",
        "map_url": "",
        "name": T(
            "Maison de quartier du Franc-Moisin",
            "Franc-Moisin neighbourhood centre",
            "دار حي فران موازان",
            pt="Casa do bairro do Franc-Moisin",
            zh_hans="Franc-Moisin 街区之家",
        ),
        "access": T(
            "RER D Stade de France – Saint-Denis, puis bus 239 arrêt Franc-Moisin.",
            "RER D Stade de France – Saint-Denis, then bus 239 to Franc-Moisin.",
            "قطار RER D محطة ستاد دو فرانس – سان دوني، ثم الحافلة 239 إلى محطة فران موازان.",
            pt="RER D Stade de France – Saint-Denis, depois autocarro 239 paragem Franc-Moisin.",
            zh_hans="乘 RER D 线至 Stade de France – Saint-Denis 站，"
            "再换乘239路公交车到 Franc-Moisin 站。",
        ),
        "accessibility": T(
            "Entrée par la rampe à gauche du bâtiment, toilettes accessibles.",
            "Enter by the ramp on the left of the building, accessible toilets.",
            "الدخول عبر المنحدر على يسار المبنى، مراحيض مهيأة.",
            pt="Entrada pela rampa à esquerda do edifício, casas de banho acessíveis.",
            zh_hans="请从大楼左侧的坡道进入，设有无障碍卫生间。",
        ),
    },
}

# Registrations of the demo: (name, email, phone, seats, language)
PEOPLE = [
    ("Fatou Diop", "fatou.diop@example.org", "", 5, "fr"),
    ("Karim Haddad", "karim.haddad@example.org", "", 4, "ar"),
    ("Mei Lin", "mei.lin@example.org", "", 3, "zh-hans"),
    ("Ana Ferreira", "ana.ferreira@example.org", "", 2, "pt"),
    ("Moussa Traoré", "", "06 39 98 12 34", 2, "fr"),
    ("Lucie Martin", "lucie.martin@example.org", "", 2, "en"),
    ("Youssef Benali", "youssef.benali@example.org", "", 2, "ar"),
    ("Selin Kaya", "selin.kaya@example.org", "", 1, "fr"),
]

NEARLY_FULL = "lancer-sa-campagne"
OPEN = "ecrire-son-budget"
FULL = "mobiliser-ses-voisins"
PARTICIPATORY_BUDGET = "budget-participatif"

# days: from the reference Monday; time: Paris; minutes: duration.
# taken: registrations from PEOPLE (confirmed while seats are free, then waiting).
WORKSHOPS = [
    {
        "slug": NEARLY_FULL,
        "venue": "couronnes",
        "days": 0,
        "time": (18, 30),
        "minutes": 120,
        "capacity": 20,
        "languages": ["fr", "ar", "en"],
        "campaign": "jardin-des-couronnes",
        "colour": (0, 105, 92),
        "people": PEOPLE[:6],  # 5 + 4 + 3 + 2 + 2 + 2 = 18 of 20 seats
        "title": T(
            "Lancer sa campagne de financement participatif",
            "Launching your crowdfunding campaign",
            "أطلق حملة التمويل التشاركي الخاصة بك",
            pt="Lançar a sua campanha de financiamento participativo",
            zh_hans="发起您的众筹活动",
        ),
        "summary": T(
            "Fixer un objectif réaliste, écrire sa page et préparer les premiers jours de la "
            "campagne.",
            "Setting a realistic goal, writing your page and preparing the first days of the "
            "campaign.",
            "تحديد هدف واقعي، وكتابة صفحتك، والتحضير للأيام الأولى من الحملة.",
            pt="Definir um objetivo realista, escrever a sua página e preparar os "
            "primeiros dias da campanha.",
            zh_hans="设定切实可行的目标，撰写活动页面，为众筹的头几天做好准备。",
        ),
        "alt": T(
            "Des personnes autour d'une table couverte de post-it",
            "People around a table covered in sticky notes",
            "أشخاص حول طاولة مغطاة بأوراق لاصقة",
            pt="Pessoas à volta de uma mesa coberta de post-its",
            zh_hans="一群人围坐在贴满便利贴的桌子旁",
        ),
        "paragraph": T(
            "Venez avec votre idée, même à peine esquissée : nous repartons ensemble avec un "
            "objectif, un budget et un calendrier.",
            "Bring your idea, even a rough one: we leave together with a goal, a budget and a "
            "timetable.",
            "أحضر فكرتك ولو كانت أولية: نخرج معًا بهدف وميزانية وجدول زمني.",
            pt="Venha com a sua ideia, mesmo que seja só um esboço: saímos juntos com um "
            "objetivo, um orçamento e um calendário.",
            zh_hans="带上您的想法来吧，哪怕只是初步构想：我们会一起定下目标、预算和时间表。",
        ),
    },
    {
        "slug": OPEN,
        "venue": "montreuil",
        "days": 2,
        "time": (18, 30),
        "minutes": 120,
        "capacity": 25,
        "languages": ["fr", "pt", "es"],
        "campaign": "bibliotheque-de-rue-montreuil",
        "colour": (239, 108, 0),
        "people": [PEOPLE[3], PEOPLE[7]],
        "title": T(
            "Écrire le budget de son projet",
            "Writing your project's budget",
            "اكتب ميزانية مشروعك",
            pt="Escrever o orçamento do seu projeto",
            zh_hans="编写项目预算",
        ),
        "summary": T(
            "Lister ce qui coûte, chercher des devis, présenter un budget clair aux donateurs.",
            "Listing what costs money, getting quotes, showing donors a clear budget.",
            "حصر التكاليف، وطلب عروض الأسعار، وتقديم ميزانية واضحة للمتبرعين.",
            pt="Listar o que custa dinheiro, pedir orçamentos, apresentar um orçamento "
            "claro aos doadores.",
            zh_hans="列出各项开支，向商家询价，向捐款人呈现清晰的预算。",
        ),
        "alt": T(
            "Un tableau de budget écrit au feutre sur une grande feuille",
            "A budget table written in marker on a large sheet",
            "جدول ميزانية مكتوب بقلم عريض على ورقة كبيرة",
            pt="Uma tabela de orçamento escrita a marcador numa folha grande",
            zh_hans="一张大纸上用记号笔写的预算表",
        ),
        "paragraph": T(
            "Un atelier pratique : apportez vos devis si vous en avez, nous fournissons le reste.",
            "A hands-on workshop: bring your quotes if you have any, we provide the rest.",
            "ورشة تطبيقية: أحضر عروض الأسعار إن وُجدت، ونوفّر الباقي.",
            pt="Uma oficina prática: traga os seus orçamentos, se os tiver; nós tratamos do resto.",
            zh_hans="实操工作坊：如果您已有报价单，请带过来，其余的由我们准备。",
        ),
    },
    {
        "slug": FULL,
        "venue": "franc-moisin",
        "days": 5,
        "time": (10, 0),
        "minutes": 150,
        "capacity": 12,
        "languages": ["fr", "ar", "bm", "wo"],
        "campaign": "",
        "colour": (106, 27, 154),
        "people": PEOPLE[:5],  # 5 + 4 + 3 = 12 confirmed, then 2 + 2 waiting
        "title": T(
            "Mobiliser ses voisins",
            "Rallying your neighbours",
            "حشد جيرانك",
            pt="Mobilizar os vizinhos",
            zh_hans="动员您的邻居",
        ),
        "summary": T(
            "Porte-à-porte, affiches, réseaux : trouver les cinquante premiers donateurs.",
            "Door-knocking, posters, social media: finding your first fifty donors.",
            "طرق الأبواب والملصقات والشبكات: إيجاد أول خمسين متبرعًا.",
            pt="Porta a porta, cartazes, redes sociais: encontrar os primeiros cinquenta doadores.",
            zh_hans="上门走访、张贴海报、社交网络：找到最初的五十位捐款人。",
        ),
        "alt": T(
            "Une affiche colorée collée sur la porte d'un immeuble",
            "A colourful poster on the door of a block of flats",
            "ملصق ملوّن على باب عمارة",
            pt="Um cartaz colorido colado na porta de um prédio",
            zh_hans="贴在一栋楼门上的彩色海报",
        ),
        "paragraph": T(
            "Un samedi matin pour préparer ensemble une semaine de mobilisation dans le quartier.",
            "A Saturday morning to plan a week of rallying the neighbourhood together.",
            "صباح سبت نحضّر فيه معًا أسبوعًا من التعبئة في الحي.",
            pt="Uma manhã de sábado para prepararmos juntos uma semana de mobilização no bairro.",
            zh_hans="利用一个周六上午，一起筹备为期一周的街区动员活动。",
        ),
    },
    {
        "slug": PARTICIPATORY_BUDGET,
        "venue": "belleville",
        # prepares ideas for the next edition of the Paris Participatory Budget
        "pb_edition": 2027,
        "days": 9,
        "time": (18, 0),
        "minutes": 120,
        "capacity": 15,
        "deadline_days": 1,
        "languages": ["fr", "zh-hans", "en", "fr-sign"],
        "campaign": "repair-cafe-belleville",
        "colour": (21, 101, 192),
        "people": [PEOPLE[2], PEOPLE[5]],
        "title": T(
            "Déposer un projet au Budget participatif",
            "Submitting a project to the Participatory Budget",
            "تقديم مشروع إلى الميزانية التشاركية",
            pt="Apresentar um projeto ao Orçamento Participativo",
            zh_hans="向参与式预算提交项目",
        ),
        "summary": T(
            "Comprendre le calendrier de la Ville de Paris et préparer un dossier solide.",
            "Understanding the City of Paris's timetable and preparing a strong application.",
            "فهم الجدول الزمني لبلدية باريس وإعداد ملف متين.",
            pt="Compreender o calendário da Cidade de Paris e preparar uma candidatura sólida.",
            zh_hans="了解巴黎市政府的时间安排，准备一份扎实的申报材料。",
        ),
        "alt": T(
            "Une carte du quartier avec des gommettes de couleur",
            "A map of the neighbourhood with coloured stickers",
            "خريطة للحي عليها ملصقات ملوّنة",
            pt="Um mapa do bairro com autocolantes coloridos",
            zh_hans="贴着彩色圆点贴纸的街区地图",
        ),
        "paragraph": T(
            "Avec une interprète en langue des signes française. Inscriptions jusqu'à la veille.",
            "With a French Sign Language interpreter. Registrations until the day before.",
            "بحضور مترجمة لغة الإشارة الفرنسية. التسجيل مفتوح حتى اليوم السابق.",
            pt="Com uma intérprete de língua gestual francesa. Inscrições até à véspera.",
            zh_hans="现场配有法国手语翻译。报名截止到活动前一天。",
        ),
    },
    {
        "slug": "raconter-son-projet-en-photos",
        "venue": "couronnes",
        "days": -14,
        "time": (18, 30),
        "minutes": 120,
        "capacity": 15,
        "languages": ["fr", "ar"],
        "campaign": "jardin-des-couronnes",
        "colour": (56, 142, 60),
        "people": [],
        "title": T(
            "Raconter son projet en photos",
            "Telling your project's story in photos",
            "احكِ قصة مشروعك بالصور",
            pt="Contar o seu projeto em fotografias",
            zh_hans="用照片讲述您的项目",
        ),
        "summary": T(
            "Prendre de bonnes photos avec son téléphone et écrire une histoire qui donne envie.",
            "Taking good photos with your phone and writing a story people want to read.",
            "التقاط صور جيدة بهاتفك وكتابة قصة تشدّ القرّاء.",
            pt="Tirar boas fotografias com o telemóvel e escrever uma história que dê "
            "vontade de ler.",
            zh_hans="用手机拍出好照片，写出引人入胜的故事。",
        ),
        "alt": T(
            "Un téléphone photographie des bacs de légumes",
            "A phone taking a photo of vegetable beds",
            "هاتف يلتقط صورة لأحواض الخضروات",
            pt="Um telemóvel fotografa canteiros de legumes",
            zh_hans="一部手机正在拍摄菜园里的种植箱",
        ),
        "paragraph": T(
            "Quinze porteuses et porteurs de projet sont venus : merci à toutes et à tous !",
            "Fifteen project leaders came: thank you all!",
            "حضر خمسة عشر من أصحاب المشاريع: شكرًا لكم جميعًا!",
            pt="Vieram quinze responsáveis de projeto: obrigado a todas e a todos!",
            zh_hans="十五位项目负责人参加了活动：感谢大家！",
        ),
    },
    {
        "slug": "premiers-pas-montreuil",
        "venue": "montreuil",
        "days": -35,
        "time": (14, 0),
        "minutes": 120,
        "capacity": 20,
        "languages": ["fr", "tr", "ro"],
        "campaign": "",
        "colour": (255, 143, 0),
        "people": [],
        "title": T(
            "Premiers pas : le financement participatif, c'est quoi ?",
            "First steps: what is crowdfunding?",
            "الخطوات الأولى: ما هو التمويل التشاركي؟",
            pt="Primeiros passos: o que é o financiamento participativo?",
            zh_hans="入门：众筹是什么？",
        ),
        "summary": T(
            "Une découverte en une heure, pour celles et ceux qui n'ont jamais donné en ligne.",
            "A one-hour introduction for people who have never given online.",
            "تعريف في ساعة واحدة لمن لم يتبرع عبر الإنترنت من قبل.",
            pt="Uma introdução de uma hora, para quem nunca fez um donativo online.",
            zh_hans="一小时入门介绍，面向从未在网上捐过款的朋友。",
        ),
        "alt": T(
            "Une animatrice montre un téléphone à un petit groupe",
            "A facilitator showing a phone to a small group",
            "منشّطة تعرض هاتفًا على مجموعة صغيرة",
            pt="Uma animadora mostra um telemóvel a um pequeno grupo",
            zh_hans="一位主持人向一小群人展示手机",
        ),
        "paragraph": T(
            "Le support de l'atelier est disponible à l'accueil de la médiathèque.",
            "The workshop handout is available at the media library's front desk.",
            "دليل الورشة متوفر عند استقبال مكتبة الوسائط.",
            pt="O material da oficina está disponível na receção da mediateca.",
            zh_hans="工作坊资料可在多媒体图书馆接待处领取。",
        ),
    },
]


def every_copy():
    return [
        *walk_copies([INDEX, VENUES, WORKSHOPS]),
        *(p(spec["paragraph"]) for spec in WORKSHOPS),
    ]


def reference(now=None):
    """The next Monday after today (Paris), at 18:30 Paris time: day 0 of the demo."""
    today = timezone.localtime(now or timezone.now(), PARIS).date()
    monday = today + datetime.timedelta(days=7 - today.weekday())
    return datetime.datetime.combine(monday, datetime.time(18, 30), tzinfo=PARIS)


def at(base, days, time):
    """``days`` after the reference's day, at ``time`` (hour, minute) Paris time."""
    day = base.date() + datetime.timedelta(days=days)
    return datetime.datetime.combine(day, datetime.time(*time), tzinfo=PARIS)


def build_venues(site, copies):
    """The demo venues, in the French districts of the campaigns demo (looked up by code)."""
    districts = {
        district.code: district
        for district in District.objects.filter(
            locale=site.locale, code__in={spec["district"] for spec in VENUES.values()}
        )
    }
    venues = {
        key: Venue.objects.create(
            name=spec["name"].fr,
            address=spec["address"],
            district=districts.get(spec["district"]),
            access=spec["access"].fr,
            accessibility=spec["accessibility"].fr,
            map_url=spec["map_url"],
            locale=site.locale,
        )
        for key, spec in VENUES.items()
    }
    site.translate(list(venues.values()), copies)
    return venues


def build(site):
    """Create the venues, the workshop listing, its workshops and their registrations."""
    copies = every_copy()
    venues = build_venues(site, copies)

    index = WorkshopIndexPageFactory.build(
        title=INDEX["title"].fr,
        slug=INDEX_SLUG,
        search_description=INDEX["search_description"].fr,
        introduction=INDEX["introduction"].fr,
        show_in_menus=True,
        locale=site.locale,
    )
    site.home.add_child(instance=index)
    index.save_revision().publish()
    site.translate([index], copies)
    site.menu_pages.append(index)

    base = reference()
    for spec in WORKSHOPS:
        starts_at = at(base, spec["days"], spec["time"])
        image = generated_image(f"{IMAGE_PREFIX}{spec['slug']}", colour=spec["colour"])
        workshop = WorkshopPageFactory.build(
            title=spec["title"].fr,
            slug=spec["slug"],
            summary=spec["summary"].fr,
            search_description=spec["summary"].fr,
            hero_image=image,
            social_image=image,
            hero_image_alt=spec["alt"].fr,
            pb_edition=spec.get("pb_edition"),
            starts_at=starts_at,
            ends_at=starts_at + datetime.timedelta(minutes=spec["minutes"]),
            registration_deadline=(
                at(base, spec["days"] - spec["deadline_days"], (23, 59))
                if "deadline_days" in spec
                else None
            ),
            venue=venues[spec["venue"]],
            languages=spec["languages"],
            capacity=spec["capacity"],
            body=[("paragraph", f"<p>{spec['paragraph'].fr}</p>")],
            locale=site.locale,
        )
        index.add_child(instance=workshop)
        if spec["campaign"]:
            workshop.related_campaigns.set(
                [Page.objects.get(slug=spec["campaign"], locale=site.locale).specific]
            )
        workshop.save_revision().publish()
        site.translate([workshop], copies)
        translations = workshop.get_translations(inclusive=True).select_related("locale")
        pages = {page.locale.language_code: page for page in translations.specific()}
        for name, email, phone, seats, language in spec["people"]:
            registrations.register(
                pages.get(language, workshop),  # the page people registered on
                name=name,
                email=email,
                phone=phone,
                seats=seats,
                language=language,
                notify=False,  # demo people: nobody to email
            )


def reset():
    """Remove what deleting the page tree leaves behind: venues, and the registrations and
    seat counters of workshops that no longer exist."""
    keys = Page.objects.values_list("translation_key", flat=True)
    Registration.objects.exclude(workshop_key__in=keys).delete()
    WorkshopSeats.objects.exclude(workshop_key__in=keys).delete()
    Venue.objects.all().delete()
