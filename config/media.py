"""Media files from local disk, for sites without object storage or a front server.

``django.views.static.serve`` is a development helper: it answers 500 for an over-long
name (the file system's ENAMETOOLONG escapes it) and serves every file under MEDIA_ROOT,
including Wagtail documents, which must go through Wagtail's permission-checked view. This
view serves only image files (product images, Wagtail images and renditions, thumbnails)
with plain names, and answers 404 for anything else.
"""

import mimetypes
import re
from pathlib import Path

from django.conf import settings
from django.http import FileResponse, Http404
from django.utils.http import http_date
from django.views.decorators.http import require_safe

MAX_PATH_LENGTH = 255
_SEGMENT = r"[A-Za-z0-9_\-][A-Za-z0-9_\-.]*"
SAFE_PATH = re.compile(rf"{_SEGMENT}(/{_SEGMENT})*", re.ASCII)
IMAGE_TYPES = {
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".avif": "image/avif",
}
# Wagtail keeps documents here; they are served only by /documents/ (permission-checked).
PRIVATE_PREFIXES = ("documents/",)


def resolve_media_path(path):
    """The file under MEDIA_ROOT for a URL path, or None when the path is not a plain,
    existing image file there."""
    if len(path) > MAX_PATH_LENGTH or not SAFE_PATH.fullmatch(path):
        return None
    if ".." in path.split("/") or path.startswith(PRIVATE_PREFIXES):
        return None
    suffix = Path(path).suffix.lower()
    if suffix not in IMAGE_TYPES:
        return None
    root = Path(settings.MEDIA_ROOT).resolve()
    try:
        full = (root / path).resolve()
        if not full.is_relative_to(root) or not full.is_file():
            return None
    except OSError:
        return None
    return full


@require_safe
def serve_media(request, path):
    full = resolve_media_path(path)
    if full is None:
        raise Http404("No such file")
    content_type = IMAGE_TYPES.get(full.suffix.lower()) or mimetypes.guess_type(full.name)[0]
    stat = full.stat()
    response = FileResponse(full.open("rb"), content_type=content_type)
    response["Last-Modified"] = http_date(stat.st_mtime)
    response["Content-Length"] = stat.st_size
    response["Cache-Control"] = "public, max-age=86400"
    return response
