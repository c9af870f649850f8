"""Demo stories for `load_demo`: published stories in fr/en/ar, one written in Arabic by a
leader who writes in Arabic (shown in the other languages with a notice), one in review, one
with changes requested, and the demo project leaders and reviewer accounts (see the README)."""

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from wagtail.models import Locale, Page

from helpers.demo import IMAGE_PREFIX
from home.demo_content import T, p, walk_copies
from home.factories import generated_image
from home.locales import create_language_aliases

from .factories import StoryIndexPageFactory, StoryPageFactory
from .models import LeaderProfile, StoryPage
from .workflow import ensure_groups, story_review_workflow

DEMO_LEADER = {"username": "awa", "password": "cocity-demo-leader", "name": "Awa D."}
DEMO_REVIEWER = {"username": "camille", "password": "cocity-demo-reviewer"}
# A leader who writes in Arabic: her story is untranslated, copied into every other language.
DEMO_ARABIC_LEADER = {"username": "nour", "password": "cocity-demo-leader", "name": "Nour Benali"}

INDEX = {
    "title": T("Histoires", "Stories", "قصص", pt="Histórias", zh_hans="故事"),
    "search_description": T(
        "Ce que les projets financés ont changé dans les quartiers.",
        "What funded projects have changed in the neighbourhoods.",
        "ما غيّرته المشاريع المموّلة في الأحياء.",
        pt="O que os projetos financiados mudaram nos bairros.",
        zh_hans="获得资助的项目为各个街区带来了哪些改变。",
    ),
    "introduction": T(
        "Les porteuses et porteurs de projet racontent ce que vos dons ont rendu possible.",
        "Project leaders tell what your gifts made possible.",
        "يروي أصحاب المشاريع ما جعلته تبرعاتكم ممكنًا.",
        pt="Os responsáveis de projeto contam o que os seus donativos tornaram possível.",
        zh_hans="项目负责人讲述您的捐款让哪些事情成为可能。",
    ),
}

PUBLISHED = [
    {
        "slug": "le-jardin-a-ouvert",
        "campaign": "jardin-des-couronnes",
        "days_ago": 3,
        "colour": (56, 142, 60),
        "title": T(
            "Le jardin a ouvert ses portes",
            "The garden is open",
            "الحديقة فتحت أبوابها",
            pt="O jardim abriu as portas",
            zh_hans="花园开放啦",
        ),
        "introduction": T(
            "Après deux mois de chantier, les premiers bacs accueillent les voisins.",
            "After two months of work, the first beds welcome the neighbours.",
            "بعد شهرين من العمل، تستقبل الأحواض الأولى الجيران.",
            pt="Depois de dois meses de obras, os primeiros canteiros já recebem os vizinhos.",
            zh_hans="经过两个月的施工，第一批种植箱迎来了邻居们。",
        ),
        "alt": T(
            "Des enfants arrosent des plants de tomates",
            "Children watering tomato plants",
            "أطفال يسقون شتلات الطماطم",
            pt="Crianças regam plantas de tomate",
            zh_hans="孩子们在给番茄苗浇水",
        ),
        "paragraph": T(
            "Grâce à vos dons, nous avons installé douze bacs et un récupérateur d'eau. "
            "L'école voisine vient chaque mardi.",
            "Thanks to your gifts, we built twelve beds and a rain butt. The school next door "
            "comes every Tuesday.",
            "بفضل تبرعاتكم، ركّبنا اثني عشر حوضًا وخزانًا لمياه الأمطار. تأتي المدرسة المجاورة "
            "كل يوم ثلاثاء.",
            pt="Graças aos seus donativos, instalámos doze canteiros e um depósito para a "
            "água da chuva. A escola vizinha vem todas as terças-feiras.",
            zh_hans="多亏您的捐款，我们安装了十二个种植箱和一个雨水收集桶。"
            "附近的学校每周二都会来。",
        ),
        "quote": T(
            "Le jardin, c'est devenu la place du quartier.",
            "The garden has become the neighbourhood's square.",
            "صارت الحديقة ساحة الحي.",
            pt="O jardim tornou-se a praça do bairro.",
            zh_hans="花园成了街区的广场。",
        ),
    },
    {
        "slug": "trois-boites-a-livres",
        "campaign": "bibliotheque-de-rue-montreuil",
        "days_ago": 20,
        "colour": (239, 108, 0),
        "title": T(
            "Trois boîtes à livres à Montreuil",
            "Three book boxes in Montreuil",
            "ثلاثة صناديق كتب في مونتروي",
            pt="Três caixas de livros em Montreuil",
            zh_hans="Montreuil 的三个图书漂流箱",
        ),
        "introduction": T(
            "Les boîtes sont installées et les lectures du samedi ont commencé.",
            "The boxes are in place and the Saturday readings have begun.",
            "رُكّبت الصناديق وبدأت قراءات يوم السبت.",
            pt="As caixas já estão instaladas e as leituras de sábado começaram.",
            zh_hans="图书漂流箱已经安装好，周六的读书活动也开始了。",
        ),
        "alt": T(
            "Une boîte à livres peinte en bleu",
            "A book box painted blue",
            "صندوق كتب مطلي بالأزرق",
            pt="Uma caixa de livros pintada de azul",
            zh_hans="一个漆成蓝色的图书漂流箱",
        ),
        "paragraph": T(
            "Plus de trois cents livres ont déjà changé de main.",
            "More than three hundred books have already changed hands.",
            "تبادل القراء أكثر من ثلاثمئة كتاب حتى الآن.",
            pt="Mais de trezentos livros já mudaram de mãos.",
            zh_hans="已有三百多本书在邻里之间传阅。",
        ),
        "quote": T(
            "Mes enfants attendent le samedi toute la semaine.",
            "My children wait all week for Saturday.",
            "ينتظر أطفالي يوم السبت طوال الأسبوع.",
            pt="Os meus filhos passam a semana inteira à espera do sábado.",
            zh_hans="我的孩子们一整个星期都盼着周六。",
        ),
    },
]

IN_REVIEW = {
    "slug": "premieres-recoltes",
    "title": "Premières récoltes",
    "introduction": "Les courgettes sont là !",
    "paragraph": "Nous avons récolté nos premiers légumes et les avons partagés.",
}
CHANGES_REQUESTED = {
    "slug": "atelier-compost",
    "title": "Atelier compost",
    "introduction": "Un atelier pour apprendre à composter.",
    "paragraph": "Nous avons appris à composter.",
    "comment": "Merci ! Pouvez-vous ajouter une photo et dire combien de personnes sont venues ?",
}


WRITTEN_IN_ARABIC = {
    "slug": "first-repair-evening",
    "campaign": "repair-cafe-belleville",
    "days_ago": 1,
    "colour": (21, 101, 192),
    "title": "أول أمسية في مقهى التصليح",
    "introduction": "جاء أربعون جارًا بأجهزتهم المعطّلة، وخرج أغلبهم وهي تعمل من جديد.",
    "paragraph": "بفضل تبرعاتكم اشترينا العُدّة الأولى: مفكات ومكواة لحام وماكينة خياطة. "
    "أصلح المتطوعون ثلاث دراجات ومذياعين ومكواة ملابس، وتعلّم الأطفال تبديل إطار الدراجة.",
    "quote": "لم أكن أعرف أن جاري يصلح أجهزة الراديو منذ ثلاثين سنة.",
    "alt": "متطوعة تصلح مذياعًا أمام جيرانها",
}


def every_copy():
    leader_name = DEMO_LEADER["name"]
    return [
        *walk_copies([INDEX, PUBLISHED]),
        *(p(spec["paragraph"]) for spec in PUBLISHED),
        T(leader_name, leader_name, leader_name, pt=leader_name, zh_hans=leader_name),
    ]


def accounts():
    """The demo leader (of the garden and library campaigns) and reviewer."""
    User = get_user_model()
    leaders, reviewers = ensure_groups()
    leader, created = User.objects.get_or_create(
        username=DEMO_LEADER["username"], defaults={"email": "awa@cocity.example"}
    )
    if created:
        leader.set_password(DEMO_LEADER["password"])
        leader.save()
    leader.groups.add(leaders)
    LeaderProfile.objects.get_or_create(
        user=leader, defaults={"public_name": DEMO_LEADER["name"], "language": "fr"}
    )
    reviewer, created = User.objects.get_or_create(
        username=DEMO_REVIEWER["username"], defaults={"email": "camille@cocity.example"}
    )
    if created:
        reviewer.set_password(DEMO_REVIEWER["password"])
        reviewer.save()
    reviewer.groups.add(reviewers)
    return leader, reviewer


def arabic_leader(leaders):
    """The demo leader who writes in Arabic (of the repair café campaign)."""
    User = get_user_model()
    leader, created = User.objects.get_or_create(
        username=DEMO_ARABIC_LEADER["username"], defaults={"email": "nour@cocity.example"}
    )
    if created:
        leader.set_password(DEMO_ARABIC_LEADER["password"])
        leader.save()
    leader.groups.add(leaders)
    LeaderProfile.objects.get_or_create(
        user=leader, defaults={"public_name": DEMO_ARABIC_LEADER["name"], "language": "ar"}
    )
    return leader


def campaign(slug, locale):
    return Page.objects.get(slug=slug, locale=locale).specific


def story_body(spec_paragraph, quote=None, images=(), author=DEMO_LEADER["name"]):
    body = [("paragraph", f"<p>{spec_paragraph}</p>")]
    if quote:
        body.append(("quote", {"quote": quote, "attribution": author}))
    if images:
        body.append(
            (
                "gallery",
                {
                    "heading": "",
                    "images": [
                        {"image": image, "alt_text": alt, "caption": ""} for image, alt in images
                    ],
                },
            )
        )
    return body


def build(site):
    """Create the story listing, stories in every state, and the demo accounts."""
    leader, reviewer = accounts()
    today = timezone.localdate()
    copies = every_copy()
    index = StoryIndexPageFactory.build(
        title=INDEX["title"].fr,
        slug="histoires",
        search_description=INDEX["search_description"].fr,
        introduction=INDEX["introduction"].fr,
        show_in_menus=True,
        locale=site.locale,
    )
    site.home.add_child(instance=index)
    index.save_revision().publish()
    site.translate([index], copies)
    site.menu_pages.insert(2, index)

    for spec in PUBLISHED:
        linked = campaign(spec["campaign"], site.locale)
        for page in linked.get_translations(inclusive=True):
            page.leaders.add(leader)
            page.save()
        image = generated_image(f"{IMAGE_PREFIX}{spec['slug']}", colour=spec["colour"])
        story = StoryPageFactory.build(
            title=spec["title"].fr,
            slug=spec["slug"],
            introduction=spec["introduction"].fr,
            search_description=spec["introduction"].fr,
            date=today - datetime.timedelta(days=spec["days_ago"]),
            campaign=linked,
            district=linked.district,
            hero_image=image,
            social_image=image,
            hero_image_alt=spec["alt"].fr,
            body=story_body(spec["paragraph"].fr, spec["quote"].fr, [(image, spec["alt"].fr)]),
            owner=leader,
            locale=site.locale,
        )
        index.add_child(instance=story)
        story.save_revision().publish()  # published by staff (no user), written by the leader
        site.translate([story], copies)

    build_arabic_story(site, index, today)

    garden = campaign("jardin-des-couronnes", site.locale)
    workflow = story_review_workflow()
    for spec in (IN_REVIEW, CHANGES_REQUESTED):
        draft = StoryPageFactory.build(
            title=spec["title"],
            slug=spec["slug"],
            introduction=spec["introduction"],
            campaign=garden,
            district=garden.district,
            owner=leader,
            live=False,
            body=story_body(spec["paragraph"]),
            locale=site.locale,
        )
        index.add_child(instance=draft)
        draft.save_revision(user=leader)
        state = workflow.start(draft, leader)
        if "comment" in spec:
            state.current_task_state.specific.reject(user=reviewer, comment=spec["comment"])


def build_arabic_story(site, index, today):
    """The Arabic leader's published story, untranslated: its copies in the other languages
    (created here; pt and zh-hans get theirs when load_demo syncs the trees) show it with a
    notice."""
    arabic = index.get_translation(Locale.objects.get(language_code="ar"))
    spec = WRITTEN_IN_ARABIC
    leader = arabic_leader(ensure_groups()[0])
    linked = campaign(spec["campaign"], site.locale)
    for page in linked.get_translations(inclusive=True):
        page.specific.leaders.add(leader)
        page.specific.save()
    linked = linked.get_translation(arabic.locale).specific
    image = generated_image(f"{IMAGE_PREFIX}{spec['slug']}", colour=spec["colour"])
    story = StoryPageFactory.build(
        title=spec["title"],
        slug=spec["slug"],
        introduction=spec["introduction"],
        search_description=spec["introduction"],
        date=today - datetime.timedelta(days=spec["days_ago"]),
        campaign=linked,
        district=linked.district,
        hero_image=image,
        social_image=image,
        hero_image_alt=spec["alt"],
        body=story_body(
            spec["paragraph"], spec["quote"], [(image, spec["alt"])], DEMO_ARABIC_LEADER["name"]
        ),
        owner=leader,
        live=False,
        locale=arabic.locale,
    )
    arabic.add_child(instance=story)
    revision = story.save_revision()
    create_language_aliases(story)  # drafts until published, as from the leaders' space
    revision.publish()


def reset():
    User = get_user_model()
    User.objects.filter(
        username__in=[
            DEMO_LEADER["username"],
            DEMO_ARABIC_LEADER["username"],
            DEMO_REVIEWER["username"],
        ]
    ).delete()
    StoryPage.objects.all().delete()
