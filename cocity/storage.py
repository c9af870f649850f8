"""Uploaded media on S3-compatible storage, for two or more app nodes (docs/deployment.md,
"Scaling out: two nodes, media on S3").

Switched on by ``AWS_STORAGE_BUCKET_NAME`` (cocity/settings/base.py); the default stays the
media folder on the local disk (home.images.MediaStorage). Every node then reads and writes
the same bucket: an image uploaded through one node, its renditions made by another, the
posters' images (helpers/pdf.py reads them through this storage, never over the network).

Public media are linked straight to the bucket (or the CDN in front of it) with plain URLs,
the same on every node and in every cached page: ``MEDIA_URL`` + name. Private names
(``private/…``: photos of stories not yet published, tax-receipt signatures) keep their
permission-checking view (home/images.py), which reads them through this storage; the bucket
must not serve ``private/`` to anyone (its policy: public read of everything else only).
"""

from storages.backends.s3 import S3Storage

from home.images import PrivateMediaMixin


class S3MediaStorage(PrivateMediaMixin, S3Storage):
    """The bucket AWS_STORAGE_BUCKET_NAME with private names kept behind the view."""
