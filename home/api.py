"""The API endpoints (cocity/api.py) and the serializer fields page types share."""

from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.documents.api.v2.views import DocumentsAPIViewSet
from wagtail.images.api.v2.views import ImagesAPIViewSet


class PagesEndpoint(PagesAPIViewSet):
    pass


class ImagesEndpoint(ImagesAPIViewSet):
    pass


class DocumentsEndpoint(DocumentsAPIViewSet):
    pass
