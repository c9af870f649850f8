"""Demo campaigns for `load_demo`: every status, several districts, online and offline gifts,
in French with English, Arabic, Portuguese and Chinese translations (registered from
CampaignsConfig.ready)."""

import datetime

from django.utils import timezone

from wagtail.models import Page

from donations import ledger
from helpers.demo import IMAGE_PREFIX
from home.demo_content import T, p, walk_copies
from home.factories import generated_image

from .factories import CampaignIndexPageFactory, CampaignPageFactory
from .models import BudgetLine, Category, District, FundingRule

INDEX = {
    "title": T("Campagnes", "Campaigns", "الحملات", pt="Campanhas", zh_hans="众筹活动"),
    "search_description": T(
        "Les campagnes de financement des projets de quartier.",
        "Fundraising campaigns for neighbourhood projects.",
        "حملات تمويل مشاريع الأحياء.",
        pt="As campanhas de financiamento dos projetos de bairro.",
        zh_hans="社区项目的众筹活动。",
    ),
    "introduction": T(
        "Choisissez un projet près de chez vous et donnez ce que vous pouvez : chaque euro compte.",
        "Pick a project near you and give what you can: every euro counts.",
        "اختر مشروعًا قريبًا منك وتبرّع بما تستطيع: كل يورو مهم.",
        pt="Escolha um projeto perto da sua casa e doe o que puder: cada euro conta.",
        zh_hans="选择一个离您家不远的项目，量力捐赠：每一欧元都很重要。",
    ),
}

DISTRICTS = [
    (
        "75020",
        District.Kind.ARRONDISSEMENT,
        T("Paris 20e", "Paris 20th", "باريس، الدائرة 20", pt="Paris 20.º", zh_hans="巴黎20区"),
    ),
    (
        "75019",
        District.Kind.ARRONDISSEMENT,
        T("Paris 19e", "Paris 19th", "باريس، الدائرة 19", pt="Paris 19.º", zh_hans="巴黎19区"),
    ),
    (
        "montreuil",
        District.Kind.TOWN,
        T("Montreuil", "Montreuil", "مونتروي", pt="Montreuil", zh_hans="Montreuil"),
    ),
    (
        "saint-denis",
        District.Kind.TOWN,
        T("Saint-Denis", "Saint-Denis", "سان دوني", pt="Saint-Denis", zh_hans="Saint-Denis"),
    ),
]

CATEGORIES = [
    (
        "nature",
        T(
            "Nature en ville",
            "Nature in the city",
            "الطبيعة في المدينة",
            pt="Natureza na cidade",
            zh_hans="城市中的自然",
        ),
    ),
    (
        "solidarite",
        T("Solidarité", "Solidarity", "التضامن", pt="Solidariedade", zh_hans="团结互助"),
    ),
    ("culture", T("Culture", "Culture", "الثقافة", pt="Cultura", zh_hans="文化")),
]

# (slug, district, category, goal €, opens in days, closes in days, rule, texts, lines, gifts;
# pb: the Participatory Budget edition and stage, for a campaign that is also a project)
# gifts: (name, euros, display, message, source)
CAMPAIGNS = [
    {
        "slug": "jardin-des-couronnes",
        "district": "75020",
        # also a Paris Participatory Budget project (edition, stage): voted, now being built
        "pb": (2024, "building"),
        "category": "nature",
        "goal": 3000,
        "opens": -20,
        "closes": 25,
        "colour": (46, 125, 50),
        "title": T(
            "Jardin partagé des Couronnes",
            "Couronnes shared garden",
            "حديقة كورون المشتركة",
            pt="Jardim comunitário das Couronnes",
            zh_hans="Couronnes共享花园",
        ),
        "summary": T(
            "Transformer une friche au pied des immeubles en jardin ouvert à tout le quartier.",
            "Turning a wasteland at the foot of the flats into a garden open to the whole "
            "neighbourhood.",
            "تحويل أرض مهملة عند أسفل العمارات إلى حديقة مفتوحة لكل الحي.",
            pt="Transformar um terreno baldio ao pé dos prédios em um jardim aberto a todo o "
            "bairro.",
            zh_hans="把楼下的一块荒地变成向整个街区开放的花园。",
        ),
        "alt": T(
            "Des bacs de légumes entre deux immeubles",
            "Vegetable beds between two blocks of flats",
            "أحواض خضروات بين عمارتين",
            pt="Canteiros de legumes entre dois prédios",
            zh_hans="两栋楼之间的蔬菜种植箱",
        ),
        "body": T(
            "Les habitantes et habitants de la rue des Couronnes veulent cultiver ensemble, "
            "accueillir les écoles et partager les récoltes.",
            "The residents of rue des Couronnes want to grow food together, welcome the "
            "schools and share the harvests.",
            "يريد سكان شارع كورون أن يزرعوا معًا وأن يستقبلوا المدارس وأن يتقاسموا المحاصيل.",
            pt="Os moradores e as moradoras da rue des Couronnes querem cultivar juntos, "
            "receber as escolas e repartir as colheitas.",
            zh_hans="rue des Couronnes的居民们希望一起种植、接待学校的师生，并分享收成。",
        ),
        "lines": [
            (
                T(
                    "Bacs et terre",
                    "Beds and soil",
                    "أحواض وتربة",
                    pt="Canteiros e terra",
                    zh_hans="种植箱和土壤",
                ),
                1800,
            ),
            (
                T(
                    "Outils et récupérateur d'eau",
                    "Tools and a rain butt",
                    "أدوات وخزان مياه",
                    pt="Ferramentas e coletor de água da chuva",
                    zh_hans="工具和雨水收集桶",
                ),
                1200,
            ),
        ],
        "gifts": [
            ("Awa D.", 50, "name", "Vive le jardin !", "online"),
            ("Karim", 25, "name", "", "online"),
            ("", 100, "anonymous", "Pour les enfants du quartier", "online"),
            ("Association des locataires", 1500, "name", "", "offline"),
            ("Lucie", 20, "hide_amount", "", "online"),
        ],
    },
    {
        "slug": "repair-cafe-belleville",
        "district": "75019",
        "pb": (2025, "voted"),
        "category": "solidarite",
        "goal": 1500,
        "opens": -5,
        "closes": 40,
        "colour": (21, 101, 192),
        "title": T(
            "Repair café de Belleville",
            "Belleville repair café",
            "مقهى التصليح في بلفيل",
            pt="Café de reparação de Belleville",
            zh_hans="Belleville修理咖啡馆",
        ),
        "summary": T(
            "Un atelier mensuel où l'on répare ensemble au lieu de jeter.",
            "A monthly workshop where we repair things together instead of throwing them away.",
            "ورشة شهرية نصلح فيها الأشياء معًا بدل رميها.",
            pt="Uma oficina mensal onde consertamos as coisas juntos em vez de as descartar.",
            zh_hans="每月一次的工作坊，大家一起动手修理，而不是一扔了之。",
        ),
        "alt": T(
            "Des mains réparent une radio sur un établi",
            "Hands repairing a radio on a workbench",
            "أيادٍ تصلح مذياعًا على طاولة عمل",
            pt="Mãos consertam um rádio sobre uma bancada",
            zh_hans="一双手在工作台上修理收音机",
        ),
        "body": T(
            "Bénévoles et voisins partagent leur savoir-faire pour réparer vélos, appareils et "
            "vêtements.",
            "Volunteers and neighbours share their skills to repair bikes, appliances and clothes.",
            "يتقاسم المتطوعون والجيران مهاراتهم لتصليح الدراجات والأجهزة والملابس.",
            pt="Voluntários e vizinhos põem o seu saber em comum para consertar bicicletas, "
            "aparelhos e roupas.",
            zh_hans="志愿者和邻居们分享各自的手艺，一起修理自行车、电器和衣物。",
        ),
        "lines": [
            (T("Outillage", "Tools", "عُدّة", pt="Ferramentas", zh_hans="工具设备"), 900),
            (T("Local", "Premises", "المقر", pt="Espaço", zh_hans="场地"), 600),
        ],
        "gifts": [
            ("Sofia", 30, "name", "", "online"),
            ("Chen L.", 40, "name", "Bravo !", "online"),
            ("", 15, "anonymous", "", "offline"),
        ],
    },
    {
        "slug": "fete-rue-denoyez",
        "district": "75020",
        "category": "culture",
        "goal": 2000,
        "opens": 10,
        "closes": 50,
        "colour": (173, 20, 87),
        "title": T(
            "Fête de la rue Dénoyez",
            "Rue Dénoyez street party",
            "احتفال شارع دونوايي",
            pt="Festa da rue Dénoyez",
            zh_hans="rue Dénoyez街头节",
        ),
        "summary": T(
            "Une journée de musique, de repas partagés et de fresques pour toute la rue.",
            "A day of music, shared meals and murals for the whole street.",
            "يوم من الموسيقى والوجبات المشتركة والجداريات لكل الشارع.",
            pt="Um dia de música, refeições em conjunto e murais para toda a rua.",
            zh_hans="为整条街带来一天的音乐、共享餐食和壁画。",
        ),
        "alt": T(
            "Une rue décorée de guirlandes et de fresques",
            "A street decorated with bunting and murals",
            "شارع مزيّن بالأعلام الملونة والجداريات",
            pt="Uma rua decorada com grinaldas e murais",
            zh_hans="一条挂满彩旗、绘满壁画的街道",
        ),
        "body": T(
            "La fête est gratuite et ouverte à toutes et à tous.",
            "The party is free and open to everyone.",
            "الاحتفال مجاني ومفتوح للجميع.",
            pt="A festa é gratuita e aberta a todas e a todos.",
            zh_hans="节日活动免费，向所有人开放。",
        ),
        "lines": [
            (
                T(
                    "Son et scène",
                    "Sound and stage",
                    "الصوت والمنصة",
                    pt="Som e palco",
                    zh_hans="音响和舞台",
                ),
                2000,
            )
        ],
        "gifts": [],
    },
    {
        "slug": "bibliotheque-de-rue-montreuil",
        "district": "montreuil",
        "category": "culture",
        "goal": 2000,
        "opens": -90,
        "closes": -30,
        "colour": (255, 143, 0),
        "title": T(
            "Bibliothèque de rue à Montreuil",
            "Montreuil street library",
            "مكتبة الشارع في مونتروي",
            pt="Biblioteca de rua em Montreuil",
            zh_hans="Montreuil街头图书馆",
        ),
        "summary": T(
            "Des boîtes à livres et des lectures en plein air pour les enfants.",
            "Book boxes and open-air readings for children.",
            "صناديق كتب وقراءات في الهواء الطلق للأطفال.",
            pt="Caixas de livros e leituras ao ar livre para as crianças.",
            zh_hans="为孩子们设置图书箱，举办户外阅读活动。",
        ),
        "alt": T(
            "Une boîte à livres colorée dans un square",
            "A colourful book box in a park",
            "صندوق كتب ملوّن في حديقة صغيرة",
            pt="Uma caixa de livros colorida numa praça",
            zh_hans="街心花园里一个色彩缤纷的图书箱",
        ),
        "body": T(
            "Objectif atteint : trois boîtes à livres sont installées.",
            "Goal reached: three book boxes are in place.",
            "تحقق الهدف: رُكّبت ثلاثة صناديق للكتب.",
            pt="Objetivo alcançado: foram instaladas três caixas de livros.",
            zh_hans="目标已达成：三个图书箱已经安装到位。",
        ),
        "lines": [
            (
                T(
                    "Boîtes à livres",
                    "Book boxes",
                    "صناديق الكتب",
                    pt="Caixas de livros",
                    zh_hans="图书箱",
                ),
                2000,
            )
        ],
        "gifts": [
            ("Mairie de quartier", 1200, "name", "", "offline"),
            ("Inès", 500, "name", "Pour la lecture !", "online"),
            ("", 400, "anonymous", "", "online"),
        ],
    },
    {
        "slug": "cuisine-solidaire-saint-denis",
        "district": "saint-denis",
        "category": "solidarite",
        "goal": 5000,
        "opens": -80,
        "closes": -10,
        "rule": FundingRule.ALL_OR_NOTHING,
        "colour": (93, 64, 55),
        "title": T(
            "Cuisine solidaire de Saint-Denis",
            "Saint-Denis community kitchen",
            "مطبخ سان دوني التضامني",
            pt="Cozinha solidária de Saint-Denis",
            zh_hans="Saint-Denis互助厨房",
        ),
        "summary": T(
            "Équiper une cuisine pour des repas à prix libre.",
            "Equipping a kitchen for pay-what-you-can meals.",
            "تجهيز مطبخ لوجبات بسعر حر.",
            pt="Equipar uma cozinha para refeições em que cada um paga o que pode.",
            zh_hans="为一间厨房添置设备，提供“量力付费”的餐食。",
        ),
        "alt": T(
            "Une grande cuisine avec des marmites",
            "A large kitchen with cooking pots",
            "مطبخ كبير فيه قدور",
            pt="Uma grande cozinha com panelas",
            zh_hans="一间摆着大锅的大厨房",
        ),
        "body": T(
            "La campagne n'a pas atteint son seuil : les donateurs sont remboursés.",
            "The campaign did not reach its threshold: donors are refunded.",
            "لم تبلغ الحملة عتبتها: ستُعاد التبرعات إلى أصحابها.",
            pt="A campanha não atingiu o seu valor mínimo: os doadores são reembolsados.",
            zh_hans="本次筹款未达到最低目标：捐款将全额退还给捐赠者。",
        ),
        "lines": [
            (T("Équipement", "Equipment", "التجهيزات", pt="Equipamento", zh_hans="设备"), 5000)
        ],
        "gifts": [("Marc", 1000, "name", "", "online"), ("Yasmine", 600, "name", "", "online")],
    },
]

DONATE = {
    "heading": T(
        "Soutenez ce projet",
        "Support this project",
        "ادعم هذا المشروع",
        pt="Apoie este projeto",
        zh_hans="支持这个项目",
    ),
    "text": T(
        "Votre don est déductible à 66 % de vos impôts.",
        "66% of your gift is tax-deductible in France.",
        "يُخصم 66٪ من تبرعك من الضرائب في فرنسا.",
        pt="A sua doação dá direito a uma dedução de 66 % nos seus impostos.",
        zh_hans="您的捐款可按66 %的比例抵扣税款。",
    ),
    "button": T("Donner", "Give", "تبرّع", pt="Doar", zh_hans="捐款"),
}


def every_copy():
    return [*walk_copies([INDEX, DISTRICTS, CATEGORIES, CAMPAIGNS, DONATE])]


def build(site):
    """Create the campaign listing, districts, categories, campaigns and their gifts."""
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    copies = every_copy()
    districts = {
        code: District.objects.create(name=name.fr, code=code, kind=kind, locale=site.locale)
        for code, kind, name in DISTRICTS
    }
    categories = {
        code: Category.objects.create(name=name.fr, code=code, locale=site.locale)
        for code, name in CATEGORIES
    }
    site.translate([*districts.values(), *categories.values()], copies)

    index = CampaignIndexPageFactory.build(
        title=INDEX["title"].fr,
        slug="campagnes",
        search_description=INDEX["search_description"].fr,
        introduction=INDEX["introduction"].fr,
        show_in_menus=True,
        locale=site.locale,
    )
    site.home.add_child(instance=index)
    index.save_revision().publish()
    site.translate([index], copies)
    site.menu_pages.insert(1, index)

    for spec in CAMPAIGNS:
        image = generated_image(f"{IMAGE_PREFIX}{spec['slug']}", colour=spec["colour"])
        campaign = CampaignPageFactory.build(
            title=spec["title"].fr,
            slug=spec["slug"],
            summary=spec["summary"].fr,
            search_description=spec["summary"].fr,
            hero_image=image,
            social_image=image,
            hero_image_alt=spec["alt"].fr,
            district=districts[spec["district"]],
            category=categories[spec["category"]],
            pb_edition=spec.get("pb", (None, ""))[0],
            pb_stage=spec.get("pb", (None, ""))[1],
            goal_cents=spec["goal"] * 100,
            funding_rule=spec.get("rule", FundingRule.KEEP_IT_ALL),
            opens_at=now + datetime.timedelta(days=spec["opens"]),
            closes_at=now + datetime.timedelta(days=spec["closes"]),
            locale=site.locale,
        )
        campaign.budget_lines = [
            BudgetLine(label=label.fr, amount_cents=euros * 100) for label, euros in spec["lines"]
        ]
        index.add_child(instance=campaign)
        campaign.body = [
            ("paragraph", f"<p>{spec['body'].fr}</p>"),
            (
                "donation",
                {
                    "campaign": campaign,
                    "heading": DONATE["heading"].fr,
                    "text": DONATE["text"].fr,
                    "preset_amounts": [10, 25, 50],
                    "allow_custom_amount": True,
                    "button_label": DONATE["button"].fr,
                },
            ),
        ]
        campaign.save_revision().publish()
        site.translate([campaign], [*copies, *(p(spec["body"]),)])
        for name, euros, display, message, source in spec["gifts"]:
            give(campaign, name, euros, display, message, source)


def give(campaign, name, euros, display, message, source):
    """Record a demo gift through the ledger, as the site would: before the campaign
    closed (a gift paid later would not count in its result)."""
    paid_at = min(timezone.now(), campaign.closes_at - datetime.timedelta(days=1))
    fields = {
        "campaign_key": campaign.translation_key,
        "amount_cents": euros * 100,
        "donor_name": name,
        "display": display,
        "message": message,
    }
    if source == "offline":
        ledger.record_offline(
            **fields,
            offline_method="cheque",
            evidence="Démo",
            received_on=timezone.localdate(paid_at),
            paid_at=paid_at,
        )
        return
    donation = ledger.create_pending(**fields, provider="demo", language="fr")
    ledger.transition(donation.pk, ledger.PAID, payment_id=f"demo-{donation.uuid}", paid_at=paid_at)


def reset():
    """Remove the demo's campaign data that deleting the page tree leaves behind: the
    donations of campaigns that no longer exist (load_demo deletes the pages first)."""
    existing = set(Page.objects.values_list("translation_key", flat=True))
    ledger.erase_campaigns([key for key in ledger.campaign_keys() if key not in existing])
    District.objects.all().delete()
    Category.objects.all().delete()
