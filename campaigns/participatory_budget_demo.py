"""The demo's page of Participatory Budget projects (`load_demo`, registered from
CampaignsConfig.ready): in French with its translations, linked from the footer. It lists the
demo campaigns marked as projects (campaigns/demo.py, "pb")."""

from home.demo_content import T, walk_copies

from .factories import ParticipatoryBudgetPageFactory

PAGE = {
    "title": T(
        "Nos projets au Budget participatif",
        "Our Participatory Budget projects",
        "مشاريعنا في الميزانية التشاركية",
        pt="Os nossos projetos no Orçamento Participativo",
        zh_hans="我们的参与式预算项目",
    ),
    "search_description": T(
        "Les projets soutenus par Les Co-citoyens qui sont aussi des projets du Budget "
        "participatif de Paris, par édition et par étape.",
        "The projects Les Co-citoyens support that are also Paris Participatory Budget "
        "projects, by edition and stage.",
        "المشاريع التي تدعمها جمعية Les Co-citoyens وهي أيضًا مشاريع في الميزانية التشاركية "
        "لباريس، حسب الدورة والمرحلة.",
        pt="Os projetos apoiados pelos Co-citoyens que são também projetos do Orçamento "
        "Participativo de Paris, por edição e etapa.",
        zh_hans="Les Co-citoyens 支持的、同时也是巴黎参与式预算项目的项目，按届次和阶段排列。",
    ),
    "introduction": T(
        "Certains projets que nous finançons ensemble sont aussi des idées déposées au Budget "
        "participatif de la Ville de Paris : voici où ils en sont.",
        "Some projects we fund together are also ideas filed with the City of Paris's "
        "Participatory Budget: here is where they stand.",
        "بعض المشاريع التي نموّلها معًا هي أيضًا أفكار مقدَّمة إلى الميزانية التشاركية لمدينة "
        "باريس: إليكم أين وصلت.",
        pt="Alguns projetos que financiamos em conjunto são também ideias apresentadas ao "
        "Orçamento Participativo da Câmara de Paris: eis em que ponto estão.",
        zh_hans="我们共同资助的一些项目也是向巴黎市参与式预算提交的想法：以下是它们的进展。",
    ),
}


def build(site):
    """Create the page under the home page, translate it, link it from the footer."""
    page = ParticipatoryBudgetPageFactory.build(
        title=PAGE["title"].fr,
        slug="budget-participatif",
        search_description=PAGE["search_description"].fr,
        introduction=PAGE["introduction"].fr,
        locale=site.locale,
    )
    site.home.add_child(instance=page)
    page.save_revision().publish()
    site.translate([page], list(walk_copies(PAGE)))
    site.footer_pages.append(page)
    return page
