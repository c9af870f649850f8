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
    "title": T("Accueil", "Home", "الصفحة الرئيسية", pt="Início", zh_hans="首页"),
    "seo_title": T(
        "Co-city — le financement participatif citoyen des quartiers populaires",
        "Co-city — civic crowdfunding for working-class neighbourhoods",
        "Co-city — التمويل التشاركي المواطني للأحياء الشعبية",
        pt="Co-city — o financiamento participativo cidadão dos bairros populares",
        zh_hans="Co-city — 平民街区的公民众筹",
    ),
    "search_description": T(
        "Les Co-citoyens aident les habitantes et habitants des quartiers populaires "
        "d'Île-de-France à financer ensemble leurs projets.",
        "Les Co-citoyens helps residents of working-class neighbourhoods in the Paris region "
        "fund their projects together.",
        "تساعد جمعية Les Co-citoyens سكان الأحياء الشعبية في منطقة إيل دو فرانس على تمويل "
        "مشاريعهم معًا.",
        pt="Les Co-citoyens ajuda as moradoras e os moradores dos bairros populares da "
        "Île-de-France a financiar juntos os seus projetos.",
        zh_hans="Les Co-citoyens 帮助 Île-de-France 大区平民街区的居民共同为自己的项目筹集资金。",
    ),
    "hero_heading": T(
        "Financer ensemble les projets de nos quartiers",
        "Funding our neighbourhoods' projects, together",
        "نموّل معًا مشاريع أحيائنا",
        pt="Financiar juntos os projetos dos nossos bairros",
        zh_hans="共同资助我们街区的项目",
    ),
    "hero_text": T(
        "Un jardin partagé, un café de réparation, une fête de rue : les habitantes et "
        "habitants portent les projets, le quartier les finance, nous les accompagnons.",
        "A shared garden, a repair café, a street party: residents lead the projects, the "
        "neighbourhood funds them, and we support them all the way.",
        "حديقة مشتركة، مقهى للتصليح، احتفال في الشارع: السكان يقودون المشاريع، والحي "
        "يموّلها، ونحن نرافقهم في كل خطوة.",
        pt="Uma horta comunitária, um café de reparação, uma festa de rua: são as moradoras e os "
        "moradores que lideram os projetos, é o bairro que os financia, e nós acompanhamos cada "
        "passo.",
        zh_hans="一个共享菜园、一家维修咖啡馆、一场街头派对：居民发起项目，街区出资支持，"
        "我们全程陪伴。",
    ),
    "hero_image_alt": T(
        "Des voisines et voisins plantent des légumes dans un jardin partagé",
        "Neighbours planting vegetables in a shared garden",
        "جيران يزرعون الخضروات في حديقة مشتركة",
        pt="Vizinhas e vizinhos plantam legumes numa horta comunitária",
        zh_hans="邻居们在共享菜园里种菜",
    ),
    "hero_cta_label": T(
        "Découvrir l'association",
        "About the association",
        "تعرّف على الجمعية",
        pt="Conhecer a associação",
        zh_hans="了解协会",
    ),
    # (computed figure, what it counts): the figures come from the ledger and the closed
    # campaigns (home/figures.py), only their labels are copy
    "key_figures": [
        (
            "success_rate",
            T(
                "des campagnes closes ont réussi",
                "of closed campaigns succeeded",
                "من الحملات المنتهية نجحت",
                pt="das campanhas encerradas foram bem-sucedidas",
                zh_hans="的已结束众筹活动获得成功",
            ),
        ),
        (
            "campaigns_funded",
            T(
                "projets financés",
                "projects funded",
                "مشاريع مموّلة",
                pt="projetos financiados",
                zh_hans="个项目获得资助",
            ),
        ),
        (
            "raised",
            T(
                "collectés pour les projets",
                "raised for the projects",
                "جُمعت للمشاريع",
                pt="angariados para os projetos",
                zh_hans="为各项目筹得的款项",
            ),
        ),
        (
            "people",
            T(
                "personnes ont donné",
                "people gave",
                "أشخاص تبرّعوا",
                pt="pessoas doaram",
                zh_hans="人参与了捐款",
            ),
        ),
    ],
    "body": [
        (
            "heading",
            T(
                "Comment ça marche ?",
                "How does it work?",
                "كيف يعمل ذلك؟",
                pt="Como funciona?",
                zh_hans="如何运作？",
            ),
        ),
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
                    pt="Tem uma ideia útil para o seu bairro? Ajudamos a transformá-la num "
                    "projeto, a fixar um objetivo realista e a mobilizar os seus vizinhos, o "
                    "comércio local e os parceiros.",
                    zh_hans="您有一个对街区有益的想法吗？我们帮助您把它变成项目，"
                    "设定切实可行的目标，并动员您的邻居、周边商家和合作伙伴。",
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
                    pt="Aqui, todos podem financiar um projeto para o seu bairro, mesmo com cinco "
                    "euros.",
                    zh_hans="在这里，每个人都可以为自己的街区资助一个项目，哪怕只有五欧元。",
                ),
                T(
                    "Awa, porteuse de projet à Belleville",
                    "Awa, project leader in Belleville",
                    "عوا، صاحبة مشروع في بلفيل",
                    pt="Awa, responsável de projeto em Belleville",
                    zh_hans="Awa，Belleville 的项目负责人",
                ),
            ),
        ),
    ],
}

STANDARD_PAGES = [
    {
        "slug": "qui-sommes-nous",
        "show_in_menus": True,
        "title": T(
            "Qui sommes-nous ?", "About us", "من نحن؟", pt="Quem somos?", zh_hans="关于我们"
        ),
        "search_description": T(
            "Les Co-citoyens, association parisienne de financement participatif citoyen.",
            "Les Co-citoyens, a Paris non-profit for civic crowdfunding.",
            "Les Co-citoyens، جمعية باريسية للتمويل التشاركي المواطني.",
            pt="Les Co-citoyens, associação parisiense de financiamento participativo cidadão.",
            zh_hans="Les Co-citoyens，一家致力于公民众筹的巴黎协会。",
        ),
        "introduction": T(
            "Une association loi 1901 née dans le 20e arrondissement de Paris, qui rend le "
            "financement participatif accessible à toutes et à tous.",
            "A French non-profit born in Paris's 20th arrondissement that makes crowdfunding "
            "accessible to everyone.",
            "جمعية غير ربحية وُلدت في الدائرة العشرين بباريس، تجعل التمويل التشاركي في متناول "
            "الجميع.",
            pt="Uma associação sem fins lucrativos (lei de 1901) nascida no 20.º arrondissement "
            "de Paris, que torna o financiamento participativo acessível a todas e a todos.",
            zh_hans="一家依据 1901 年法律成立的非营利协会，诞生于巴黎20区，让每个人都能参与众筹。",
        ),
        "image": ("Atelier de quartier", 0),
        "body": [
            (
                "heading",
                T(
                    "Notre mission",
                    "Our mission",
                    "مهمتنا",
                    pt="A nossa missão",
                    zh_hans="我们的使命",
                ),
            ),
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
                        pt="Muitas moradoras e muitos moradores ficam à margem das ferramentas "
                        "digitais e bancárias de financiamento. O nosso papel é acompanhá-los "
                        "para que financiem eles mesmos os projetos que importam para o seu "
                        "bairro.",
                        zh_hans="太多居民被排除在数字化和银行融资工具之外。我们陪伴他们，"
                        "让他们亲自为对街区重要的项目筹集资金。",
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
                        pt="Uma reunião de responsáveis de projeto em volta de uma mesa grande",
                        zh_hans="项目负责人围坐在一张大桌旁开会",
                    ),
                    T(
                        "Atelier de lancement de campagne à la Maison des associations",
                        "A campaign launch workshop at the community centre",
                        "ورشة إطلاق حملة في دار الجمعيات",
                        pt="Oficina de lançamento de campanha na Maison des associations",
                        zh_hans="在 Maison des associations 举办的众筹活动启动工作坊",
                    ),
                ),
            ),
            (
                "heading",
                T(
                    "Nos engagements",
                    "Our commitments",
                    "التزاماتنا",
                    pt="Os nossos compromissos",
                    zh_hans="我们的承诺",
                ),
            ),
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
                        pt="Sem contrapartidas: cada donativo vai inteiramente para o projeto e "
                        "dá direito à redução de imposto de 66 %.",
                        zh_hans="没有回报礼品：每笔捐款全部用于项目，并可享受 66 % 的税收减免。",
                    )
                ),
            ),
            (
                "key_figures",
                (
                    T("En chiffres", "In figures", "بالأرقام", pt="Em números", zh_hans="数据一览"),
                    [
                        (
                            T("66 %", "66%", "66٪", pt="66 %", zh_hans="66 %"),
                            T(
                                "de réduction d'impôt sur chaque don",
                                "tax reduction on each gift",
                                "تخفيض ضريبي على كل تبرع",
                                pt="de redução de imposto em cada donativo",
                                zh_hans="每笔捐款的税收减免比例",
                            ),
                        ),
                        (
                            T("80 %", "80%", "80٪", pt="80 %", zh_hans="80 %"),
                            T(
                                "de l'objectif suffisent",
                                "of the goal is enough",
                                "من الهدف تكفي",
                                pt="do objetivo são suficientes",
                                zh_hans="的目标金额即可",
                            ),
                        ),
                    ],
                ),
            ),
        ],
    },
    {
        "slug": "questions-frequentes",
        "show_in_menus": True,
        "title": T(
            "Questions fréquentes",
            "Frequently asked questions",
            "الأسئلة الشائعة",
            pt="Perguntas frequentes",
            zh_hans="常见问题",
        ),
        "search_description": T(
            "Dons, réduction d'impôt, campagnes : les réponses à vos questions.",
            "Gifts, tax reduction, campaigns: answers to your questions.",
            "التبرعات، التخفيض الضريبي، الحملات: إجابات عن أسئلتكم.",
            pt="Donativos, redução de imposto, campanhas: as respostas às suas perguntas.",
            zh_hans="捐款、税收减免、众筹活动：为您解答常见问题。",
        ),
        "introduction": T(
            "Les réponses aux questions que l'on nous pose le plus souvent.",
            "Answers to the questions we are asked most often.",
            "إجابات عن الأسئلة التي تُطرح علينا كثيرًا.",
            pt="As respostas às perguntas que mais nos fazem.",
            zh_hans="我们最常被问到的问题及其解答。",
        ),
        "body": [
            (
                "faq",
                (
                    T("Donner", "Giving", "التبرع", pt="Doar", zh_hans="捐款"),
                    [
                        (
                            T(
                                "Mon don est-il déductible des impôts ?",
                                "Is my gift tax-deductible?",
                                "هل تبرعي قابل للخصم من الضرائب؟",
                                pt="O meu donativo é dedutível nos impostos?",
                                zh_hans="我的捐款可以抵税吗？",
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
                                    pt="Sim, se pagar imposto sobre o rendimento em França: 66 % "
                                    "do seu donativo é deduzido do seu imposto, até ao limite de "
                                    "20 % do seu rendimento tributável, com um recibo fiscal. Ao "
                                    "doar, marque «Quero um recibo fiscal»: é-lhe enviado por "
                                    "e-mail (em janeiro, se escolher um só recibo para o ano). "
                                    "Esqueceu-se? O e-mail de confirmação tem uma ligação para o "
                                    "pedir.",
                                    zh_hans="可以，前提是您在法国缴纳个人所得税：凭税务收据，"
                                    "您捐款的 66 % 可从应缴税款中抵扣，上限为应税收入的 20 %。"
                                    "捐款时请勾选“我需要税务收据”："
                                    "收据将通过电子邮件发送给您（如果您选择全年一张收据，"
                                    "则在一月发送）。忘记勾选了？确认邮件中有申请收据的链接。",
                                )
                            ),
                        ),
                        (
                            T(
                                "Que se passe-t-il si l'objectif n'est pas atteint ?",
                                "What happens if the goal is not reached?",
                                "ماذا يحدث إذا لم يتحقق الهدف؟",
                                pt="O que acontece se o objetivo não for atingido?",
                                zh_hans="如果未达到目标会怎样？",
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
                                    pt="Cada campanha mostra a sua regra. «Tudo ou nada»: abaixo "
                                    "do limiar de sucesso, cada donativo é reembolsado — no seu "
                                    "cartão, para um donativo online; em mão, para um donativo em "
                                    "dinheiro ou por cheque — e não é emitido nenhum recibo "
                                    "fiscal. «Fica tudo»: o projeto recebe o que foi angariado.",
                                    zh_hans="每个众筹活动都会说明其规则。“全有或全无”："
                                    "未达到成功门槛时，每笔捐款都会退还——线上捐款退回您的银行卡，"
                                    "现金或支票捐款当面退还——且不开具任何税务收据。“全部保留”："
                                    "项目获得所筹集的款项。",
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
        "title": T(
            "Mentions légales", "Legal notice", "إشعار قانوني", pt="Aviso legal", zh_hans="法律声明"
        ),
        "search_description": T(
            "Éditeur, hébergeur et responsable de publication du site.",
            "Publisher, host and editor of this site.",
            "ناشر الموقع ومستضيفه ومسؤول النشر فيه.",
            pt="Editor, serviço de alojamento e responsável pela publicação do site.",
            zh_hans="网站的出版方、托管服务商及出版负责人。",
        ),
        "introduction": T(
            "Ce site est édité par l'association Les Co-citoyens.",
            "This site is published by the association Les Co-citoyens.",
            "يصدر هذا الموقع عن جمعية Les Co-citoyens.",
            pt="Este site é editado pela associação Les Co-citoyens.",
            zh_hans="本网站由 Les Co-citoyens 协会编辑出版。",
        ),
        "body": [
            ("heading", T("Éditeur", "Publisher", "الناشر", pt="Editor", zh_hans="出版方")),
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
                        pt="Les Co-citoyens, associação sem fins lucrativos (lei de 1901), Paris. "
                        "Diretora da publicação: a presidente da associação.",
                        zh_hans="Les Co-citoyens，依据 1901 年法律成立的协会，巴黎。出版负责人："
                        "协会主席。",
                    )
                ),
            ),
        ],
    },
    {
        "slug": "confidentialite",
        "show_in_menus": False,
        "footer": True,
        "title": T("Confidentialité", "Privacy", "الخصوصية", pt="Privacidade", zh_hans="隐私"),
        "search_description": T(
            "Quelles données nous collectons, pourquoi, et vos droits.",
            "What data we collect, why, and your rights.",
            "ما البيانات التي نجمعها، ولماذا، وما هي حقوقك.",
            pt="Que dados recolhemos, para quê, e os seus direitos.",
            zh_hans="我们收集哪些数据、为何收集，以及您的权利。",
        ),
        "introduction": T(
            "Nous ne collectons que ce dont nous avons besoin. Voici ce que nous gardons, "
            "pourquoi et combien de temps, et comment en obtenir une copie ou le faire effacer.",
            "We collect only what we need. Here is what we keep, why and for how long, and how "
            "to get a copy of it or have it erased.",
            "لا نجمع إلا ما نحتاج إليه. إليك ما نحتفظ به ولماذا وإلى متى، وكيف تحصل على نسخة "
            "منه أو تطلب حذفه.",
            pt="Só recolhemos aquilo de que precisamos. Eis o que guardamos, porquê e durante "
            "quanto tempo, e como obter uma cópia ou pedir que seja apagado.",
            zh_hans="我们只收集必要的数据。以下说明我们保存哪些数据、保存原因和期限，"
            "以及如何获取副本或要求删除。",
        ),
        "body": [
            (
                "heading",
                T("Vos dons", "Your gifts", "تبرعاتك", pt="Os seus donativos", zh_hans="您的捐款"),
            ),
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
                        pt="Para cada donativo, guardamos o montante, a data, a campanha e, se os "
                        "indicar, o seu nome, o seu endereço de e-mail e a sua mensagem. O seu "
                        "nome só aparece na página da campanha se assim o escolher, a sua "
                        "mensagem aparece se escrever uma, o seu endereço de e-mail nunca; serve "
                        "para lhe confirmar o donativo e, se o pedir, para lhe enviar as "
                        "novidades da campanha. Os dados do cartão bancário são introduzidos no "
                        "nosso prestador de pagamentos, nunca neste site.",
                        zh_hans="对于每笔捐款，我们保存金额、日期、众筹活动，以及您提供的姓名、"
                        "电子邮件地址和留言。只有在您选择公开时，"
                        "您的名字才会显示在众筹活动页面上；留言在您填写后显示；"
                        "电子邮件地址则从不显示，它用于向您确认捐款，"
                        "并在您要求时向您发送众筹活动的最新动态。"
                        "银行卡信息在我们的支付服务商处填写，从不在本网站上填写。",
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
                        pt="Guardamos estes dados enquanto não nos pedir que os apaguemos. Se o "
                        "pedir, o seu nome, o seu e-mail e a sua mensagem são apagados; o "
                        "montante e a data do donativo ficam na nossa contabilidade, sem nada que "
                        "o identifique, para que o total de cada campanha continue correto.",
                        zh_hans="在您要求删除之前，我们会一直保存这些数据。如果您提出要求，"
                        "我们会删除您的姓名、电子邮件和留言；捐款金额和日期保留在我们的账目中，"
                        "但不含任何能识别您身份的信息，以确保每个众筹活动的总额准确无误。",
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
                        pt="Se pedir um recibo fiscal, guardamos também o nome e a morada postal "
                        "que nele constam. A lei obriga-nos a conservar cada recibo durante seis "
                        "anos após a sua emissão, mesmo que peça que os seus dados sejam "
                        "apagados: passado esse prazo, o seu nome, a sua morada e o seu e-mail "
                        "são retirados do recibo e do donativo, e o número e o montante do recibo "
                        "ficam na nossa contabilidade.",
                        zh_hans="如果您申请税务收据，我们还会保存收据上的姓名和邮寄地址。"
                        "法律要求我们在开具后将每张收据保存六年，即使您要求删除数据也是如此："
                        "期满后，您的姓名、地址和电子邮件将从收据和捐款记录中删除，"
                        "收据编号和金额保留在我们的账目中。",
                    )
                ),
            ),
            (
                "heading",
                T(
                    "Les inscriptions aux ateliers",
                    "Workshop registrations",
                    "التسجيل في الورشات",
                    pt="As inscrições nas oficinas",
                    zh_hans="工作坊报名",
                ),
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
                        pt="Para a sua inscrição, pedimos o seu nome, um e-mail ou um número de "
                        "telefone para o podermos contactar, o número de lugares, a sua língua e, "
                        "se quiser, as suas necessidades de acessibilidade, para o recebermos em "
                        "boas condições. Estes dados são apagados seis meses após a oficina; "
                        "ficam apenas o número de lugares e as datas, sem nada que o identifique.",
                        zh_hans="报名时，我们会请您提供姓名、用于联系您的电子邮件或电话号码、"
                        "名额数量、您使用的语言，以及（如您愿意）您的无障碍需求，以便妥善接待您。"
                        "这些数据会在工作坊结束六个月后删除；只保留名额数量和日期，"
                        "不含任何能识别您身份的信息。",
                    )
                ),
            ),
            (
                "heading",
                T(
                    "Vos projets et votre compte",
                    "Your projects and your account",
                    "مشاريعك وحسابك",
                    pt="Os seus projetos e a sua conta",
                    zh_hans="您的项目和账户",
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
                        pt="Quando propõe um projeto, guardamos o seu nome e um meio de o "
                        "contactar para falarmos sobre ele, até nos pedir que os apaguemos. Se "
                        "for responsável por uma campanha, a sua conta guarda o seu e-mail e o "
                        "nome público com que assina as suas histórias. Se nos pedir que a "
                        "apaguemos, a sua conta é encerrada e esvaziada, e o seu nome, o seu "
                        "e-mail e o seu telefone são retirados das páginas que escreveu; as suas "
                        "histórias publicadas continuam online, sem o seu nome.",
                        zh_hans="当您提出项目时，我们会保存您的姓名和联系方式，以便与您沟通，"
                        "直到您要求我们删除为止。如果您负责一个众筹活动，"
                        "您的账户会保存您的电子邮件以及您发表故事时署名的公开名字。"
                        "如果您要求我们删除账户，账户将被关闭并清空，您的姓名、"
                        "电子邮件和电话将从您撰写的页面中删除；您已发表的故事仍会保留在网上，"
                        "但不再署您的名字。",
                    )
                ),
            ),
            (
                "heading",
                T("Vos droits", "Your rights", "حقوقك", pt="Os seus direitos", zh_hans="您的权利"),
            ),
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
                        pt="Escreva para o endereço de contacto da associação "
                        "(bonjour@cocity.example), indicando o e-mail ou o número de telefone que "
                        "nos deixou: enviamos-lhe uma cópia de tudo o que o site guarda sobre si, "
                        "corrigimos o que estiver errado e apagamos o que quiser ver desaparecer, "
                        "como descrito acima. Também pode apresentar queixa à CNIL, a autoridade "
                        "francesa de proteção de dados.",
                        zh_hans="请写信至协会的联系邮箱（bonjour@cocity.example），"
                        "并注明您留给我们的电子邮件或电话号码："
                        "我们会将网站保存的关于您的全部信息的副本发送给您，更正错误的信息，"
                        "并按上文所述删除您希望删除的内容。您也可以向法国数据保护机构 CNIL 投诉。",
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
        pt="Desde 2016, Les Co-citoyens acompanha as moradoras e os moradores dos bairros "
        "populares da Île-de-France que financiam juntos projetos abertos a todas e a todos.",
        zh_hans="自 2016 年以来，Les Co-citoyens 一直陪伴 Île-de-France 大区平民街区的居民，"
        "共同资助面向所有人开放的项目。",
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
