"""The demo's impact page (`load_demo`, registered from CampaignsConfig.ready): in French
with its translations, in the main menu after the campaigns. Its figures are
computed from the demo's gifts and closed campaigns, nothing to type."""

from home.demo_content import T, walk_copies

from .factories import ImpactPageFactory
from .models import CampaignIndexPage

IMPACT = {
    "title": T("Notre impact", "Our impact", "أثرنا", pt="O nosso impacto", zh_hans="我们的影响"),
    "search_description": T(
        "Ce que vos dons ont permis : campagnes financées, sommes collectées, quartiers.",
        "What your gifts made possible: campaigns funded, money raised, districts.",
        "ما حقّقته تبرعاتكم: حملات مموّلة، مبالغ مجموعة، أحياء.",
        pt="O que as suas doações tornaram possível: campanhas financiadas, valores "
        "arrecadados, bairros.",
        zh_hans="您的捐款成就了什么：获得资助的项目、筹集的金额、受益的街区。",
    ),
    "introduction": T(
        "Chaque chiffre de cette page est calculé à partir des dons reçus et des campagnes "
        "closes : rien n'est saisi à la main.",
        "Every figure on this page is computed from the gifts received and the closed "
        "campaigns: nothing is typed by hand.",
        "كل رقم في هذه الصفحة محسوب من التبرعات المستلمة والحملات المنتهية: لا شيء يُكتب باليد.",
        pt="Cada número desta página é calculado a partir das doações recebidas e das "
        "campanhas encerradas: nada é inserido manualmente.",
        zh_hans="本页的每一个数字都根据收到的捐款和已结束的众筹活动计算得出："
        "没有任何数据是手动录入的。",
    ),
}


def build(site):
    """Create the impact page under the home page, translate it, list it in the menu."""
    page = ImpactPageFactory.build(
        title=IMPACT["title"].fr,
        slug="impact",
        search_description=IMPACT["search_description"].fr,
        introduction=IMPACT["introduction"].fr,
        show_in_menus=True,
        locale=site.locale,
    )
    site.home.add_child(instance=page)
    page.save_revision().publish()
    site.translate([page], list(walk_copies(IMPACT)))
    campaigns = [
        position
        for position, menu_page in enumerate(site.menu_pages)
        if isinstance(menu_page.specific, CampaignIndexPage)
    ]
    site.menu_pages.insert(campaigns[0] + 1 if campaigns else len(site.menu_pages), page)
    return page
