"""JSON inside a ``<script>`` element that ``json_script`` cannot write itself (JSON-LD,
elements marked with data attributes)."""

from django.utils.html import json_script
from django.utils.safestring import mark_safe


def script_json(data):
    """``data`` as JSON text with Django's ``json_script`` escaping (``<``, ``>`` and ``&``
    as ``\\u`` escapes), so it cannot close its element: safe between ``<script>`` tags."""
    element = json_script(data)  # <script type="application/json">…</script>
    # The escaped JSON holds no "<" or ">", so the element's own tags are the first ">"
    # and the last "<".
    return mark_safe(element[element.index(">") + 1 : element.rindex("<")])  # noqa: S308
