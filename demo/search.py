"""Demo synonyms: the words shoppers type for what this store calls otherwise. Staff edit
them in the Wagtail admin (Snippets > Site search > Synonyms); seeded here, not in a
migration, like the rest of the demo data."""

from search.services import rebuild_index, save_synonyms

SYNONYMS = [
    ("tens unit", "pain therapy system"),
    ("tens machine", "pain therapy system"),
    ("ems unit", "pain therapy system"),
    ("muscle stimulator", "pain therapy system"),
    ("electrodes", "pads"),
    ("return policy", "shipping and returns"),
    ("returns", "shipping and returns"),
    ("refund", "money back guarantee"),
    ("circulation", "circulation promoter"),
    ("blood flow", "circulation promoter"),
    ("foot massager", "circulation promoter"),
    ("sore back", "back pain"),
]


def load_demo_search():
    """The synonyms, and every document again (rows loaded before search existed)."""
    save_synonyms(SYNONYMS)
    rebuild_index()
