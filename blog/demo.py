"""Demo content: the site tree, home page, blog with the seed-modelled article, policy pages.

Idempotent: pages are found by slug under their parent and updated in place.
"""

from django.contrib.contenttypes.models import ContentType
from wagtail.models import Page, Site

from .models import ArticlePage, BlogIndexPage, HomePage, SiteChrome, StandardPage


def _root():
    root = Page.get_first_root_node()
    if root is None:
        # A flushed test database has no tree at all (Wagtail creates it in a migration).
        root = Page.add_root(
            title="Root",
            slug="root",
            content_type=ContentType.objects.get_for_model(Page),
            live=True,
        )
    return root


def _child(parent, model, slug, **fields):
    page = model.objects.child_of(parent).filter(slug=slug).first()
    if page is None:
        page = model(slug=slug, **fields)
        parent.add_child(instance=page)
    else:
        for name, value in fields.items():
            setattr(page, name, value)
    page.save_revision().publish()
    return page.specific.__class__.objects.get(pk=page.pk)


def _home():
    root = _root()
    home = HomePage.objects.first()
    if home is None:
        # Wagtail's migration leaves a placeholder "Welcome" page at the root's first child.
        placeholder = Page.objects.filter(depth=2, slug="home").exclude(
            content_type=ContentType.objects.get_for_model(HomePage)
        )
        for page in placeholder:
            page.delete()
        home = HomePage(title="Home", slug="home")
        root.add_child(instance=home)
    home.title = "Home"
    home.hero_title = "Drug-free pain relief at home"
    home.hero_text = (
        "TENS therapy and circulation devices that calm sore backs, knees and feet, "
        "with a 90-day money-back guarantee."
    )
    home.save_revision().publish()
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        site = Site(is_default_site=True)
    site.hostname = "localhost"
    site.port = 80
    site.site_name = "ReliefWorks"
    site.root_page = home
    site.save()
    SiteChrome.for_site(site)  # creates the defaults editors then change
    return HomePage.objects.get(pk=home.pk)


def _article_body():
    """The seed-modelled article; product links point at the live product pages."""
    from oscar.core.loading import get_model

    Product = get_model("catalogue", "Product")
    urls = {p.upc: p.get_absolute_url() for p in Product.objects.filter(upc__startswith="RW-")}
    therapy = urls.get("RW-PTS-100", "/shop/catalogue/")
    circulation = urls.get("RW-CP-200", "/shop/catalogue/")
    return [
        (
            "paragraph",
            "<p>A back spasm is a sudden, involuntary tightening of the muscles along the "
            "spine. It can arrive without warning and feel sharp enough that some people mistake it "
            "for something far more serious. Most of the time, though, a spasm is the body's alarm "
            "rather than a sign of lasting damage.</p>",
        ),
        ("heading", "Why do back spasms happen?"),
        (
            "paragraph",
            "<p>Back spasms are common: an estimated 80% of adults will have at least one "
            "in their lifetime. How often they come, how long they last and what eases them all help "
            "point to the cause.</p>",
        ),
        ("heading", "Injury or strain"),
        (
            "paragraph",
            "<p>Lifting something heavy, a sudden twist in golf or football, or simply "
            "asking tired muscles for more than they can give can all set off a spasm. The muscles "
            "clench to protect themselves. Weak core and back muscles make this more likely; "
            "regular strength work and gentle stretching help guard against it.</p>",
        ),
        ("heading", "Dehydration and low minerals"),
        (
            "paragraph",
            "<p>Muscles need water, glucose and electrolytes (sodium, potassium, calcium "
            "and magnesium) to contract and relax properly. Run low on them and cramps follow.</p>",
        ),
        ("heading", "An underlying condition"),
        (
            "paragraph",
            "<p>Sciatica, a herniated disc or arthritis can make spasms more frequent. "
            "If spasms keep returning, ask a doctor to look for the cause.</p>",
        ),
        ("heading", "Calming a back spasm"),
        (
            "paragraph",
            "<p>Drink enough water, warm up before exercise, and stretch the affected "
            f'area gently when a spasm starts. The <a href="{therapy}">'
            "Pain Therapy System</a> uses mild electrical pulses to relax sore muscles, and the "
            f'<a href="{circulation}">Circulation Promoter</a> helps blood '
            "carry water, oxygen and nutrients to them.</p>",
        ),
        ("heading", "More about back pain"),
        ("paragraph", '<p>Read our <a href="/back-pain/">Back Pain page</a> to learn more.</p>'),
    ]


def load_demo_content():
    home = _home()
    blog = _child(
        home,
        BlogIndexPage,
        "blog",
        title="Blog",
        intro="<p>Plain-language articles about pain, its causes and drug-free relief.</p>",
    )
    _child(
        blog,
        ArticlePage,
        "what-do-back-spasms-feel-like",
        title="What Do Back Spasms Feel Like?",
        summary=(
            "What a back spasm feels like, why it happens, and simple ways to calm one "
            "before it ruins your day."
        ),
        body=_article_body(),
    )
    policies = {
        "guarantee": (
            "90-Day Money-Back Guarantee",
            "Try any ReliefWorks device for 90 days. If it doesn't help, send it back for a "
            "full refund.",
            "<p>The 90 days start on the day your order is delivered, or on the day it was "
            "dispatched when we have no delivery date. Ask for a return from your account's "
            "order page, or with your order number and email if you checked out as a guest."
            "</p>",
        ),
        "shipping-returns": (
            "Shipping & Returns",
            "Free standard shipping on orders over $75 to the US and Canada.",
            "<p>Orders ship within one business day. Express shipping is available at checkout."
            "</p>",
        ),
        "privacy": (
            "Privacy Policy",
            "What we collect, why, and how to ask us to delete it.",
            "<p>We use your details to deliver your order and answer your questions. We never "
            "sell them.</p>",
        ),
        "contact": (
            "Contact Us",
            "Call us toll free or write to us; we answer within one business day.",
            "<p>Phone: 1-877-555-0142 (Monday to Friday, 9am to 6pm Eastern).</p>",
        ),
    }
    for slug, (title, intro, body) in policies.items():
        _child(home, StandardPage, slug, title=title, intro=intro, body=body)
    return home
