"""Admin menus of the stories app: the project leaders' accounts (views in leader_admin.py)
and the project proposals (proposal_admin.py)."""

from wagtail import hooks
from wagtail.permissions import register_permission_policy

from .leader_admin import LeaderPermissionPolicy, LeaderViewSet
from .models import LeaderProfile
from .proposal_admin import ProposalViewSet

# Before any view asks for it (Wagtail would otherwise create a default policy)
register_permission_policy(LeaderProfile, LeaderPermissionPolicy(), exact_class=True)


@hooks.register("register_admin_viewset")
def register_leader_viewset():
    return LeaderViewSet()


@hooks.register("register_admin_viewset")
def register_proposal_viewset():
    return ProposalViewSet()
