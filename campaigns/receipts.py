"""Scanned receipts of expenses: private Wagtail documents (docs/operations.md, "Payouts and
spending").

The public sees what was bought, never the receipts: they may carry names, addresses and
bank details. A receipt is filed in the "Receipts" collection, which only signed-in people
may open (a CollectionViewRestriction), and its file is moved under the media storage's
private prefix, so that no media URL serves it (home/images.py). The document's own URL
(``/documents/<id>/<name>``) then serves it only to staff who may see expenses and to the
leaders of the campaign it was spent for (``before_serve_document``, registered in
payout_admin.py).
"""

import posixpath

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db import transaction

from wagtail.documents import get_document_model
from wagtail.models import BaseViewRestriction, Collection, CollectionViewRestriction
from wagtail.permission_policies import ModelPermissionPolicy

from home.images import PRIVATE_MARKER, is_private

from .models import CampaignPage
from .payouts import Expense

RECEIPTS_COLLECTION = "Receipts"


def receipts_collection():
    """The "Receipts" collection (under the root), restricted to signed-in people; made on
    first use, and its restriction put back if someone removed it."""
    root = Collection.get_first_root_node()
    collection = root.get_children().filter(name=RECEIPTS_COLLECTION).first()
    if collection is None:
        collection = root.add_child(name=RECEIPTS_COLLECTION)
    if not collection.get_view_restrictions().exists():
        CollectionViewRestriction.objects.create(
            collection=collection, restriction_type=BaseViewRestriction.LOGIN
        )
    return collection


def is_receipt(document):
    """True for a document of the Receipts collection (or under it) or used by an expense."""
    collection = document.collection
    in_receipts = any(
        ancestor.name == RECEIPTS_COLLECTION and ancestor.depth == 2
        for ancestor in collection.get_ancestors(inclusive=True)
    )
    return in_receipts or Expense.objects.filter(receipt=document).exists()


def file_receipt(document):
    """Put ``document`` in the Receipts collection and its file under the private prefix
    (once: a receipt already there is left as it is). The old file is deleted once the
    transaction commits; a rollback keeps it in use."""
    collection = receipts_collection()
    changed = []
    if document.collection_id != collection.pk:
        document.collection = collection
        changed.append("collection")
    old_name = document.file.name
    if not is_private(old_name):
        storage = document.file.storage
        with storage.open(old_name) as content:
            # The field's upload_to and the storage put a PRIVATE_MARKER name under private/
            document.file.save(PRIVATE_MARKER + posixpath.basename(old_name), content, save=False)
        changed.append("file")
        transaction.on_commit(lambda: storage.delete(old_name))
    if changed:
        get_document_model().objects.filter(pk=document.pk).update(
            **{name: getattr(document, name) for name in changed}
        )


EXPENSE_PERMISSIONS = ["add", "change", "delete", "view"]


def may_open_receipt(user, document):
    """Staff who may see expenses, and the leaders of a campaign the receipt was spent for."""
    if not user.is_authenticated or not user.is_active:
        return False
    if ModelPermissionPolicy(Expense).user_has_any_permission(user, EXPENSE_PERMISSIONS):
        return True
    campaigns = Expense.objects.filter(receipt=document).values("campaign_key")
    return CampaignPage.objects.filter(translation_key__in=campaigns, leaders=user).exists()


def serve_receipts_to_their_readers(document, request):
    """``before_serve_document``: a receipt goes only to those who may open it; anonymous
    visitors are asked to sign in (leaders' sign-in page), anyone else is refused (403)."""
    if not is_receipt(document) or may_open_receipt(request.user, document):
        return None
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path(), settings.LEADER_LOGIN_URL)
    raise PermissionDenied
