"""Demo content: the site tree, home page, blog articles (one modelled on the seed page), the
Back Pain condition page, policy pages, a banner image and the downloadable pain guide.

Idempotent: pages are found by slug under their parent, images and documents by title, and
updated in place. Runs after shop/demo.py, so the demo products exist.
"""

import datetime
from io import BytesIO

from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.utils import timezone
from oscar.core.loading import get_model
from PIL import Image as PILImage
from PIL import ImageDraw, ImageFont
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection, CollectionViewRestriction, Locale, Page, Site

from blog.models import ArticlePage, BlogCategory, BlogIndexPage
from sitewide.models import (
    ConditionPage,
    ConditionPageRecommendedProduct,
    HomePage,
    HomePageFeaturedProduct,
    SiteChrome,
    StandardPage,
)
from staff.editorial_groups import EDITORS, MODERATORS, ensure_editorial_groups

GUIDE_TITLE = "Guide to Understanding Pain"
GATED_COLLECTION = "Gated downloads"
THERAPY_UPC = "RW-PTS-100"
CIRCULATION_UPC = "RW-CP-200"


def _root():
    # A flushed test database has lost the rows Wagtail's migrations create.
    Locale.objects.get_or_create(
        language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE)
    )
    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")
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
    """Create and publish a page unless it exists; ``set_up`` (optional) fills relations.

    An existing page is left alone, so a second run writes nothing (no new revisions) and
    never overwrites what editors changed in the admin.
    """
    set_up = fields.pop("set_up", None)
    page = model.objects.child_of(parent).filter(slug=slug).first()
    if page is not None:
        return page
    page = model(slug=slug, **fields)
    if set_up:
        set_up(page)
    parent.add_child(instance=page)
    page.save_revision().publish()
    return model.objects.get(pk=page.pk)


def _font(size):
    try:
        return ImageFont.load_default(size=size)
    except TypeError:  # Pillow without scalable default font
        return ImageFont.load_default()


def banner_bytes():
    """A flat illustration of two people lifting a box together (generated, no stock photo)."""
    image = PILImage.new("RGB", (1600, 700), (236, 245, 245))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 560, 1600, 700), fill=(204, 224, 224))
    for x, colour in ((560, (11, 110, 110)), (1040, (7, 79, 79))):
        draw.ellipse((x - 55, 150, x + 55, 260), fill=(241, 200, 170))
        draw.rounded_rectangle((x - 80, 270, x + 80, 500), radius=40, fill=colour)
        draw.rectangle((x - 60, 500, x - 15, 640), fill=(60, 60, 70))
        draw.rectangle((x + 15, 500, x + 60, 640), fill=(60, 60, 70))
    draw.rectangle((630, 330, 970, 520), fill=(196, 150, 96), outline=(150, 110, 60), width=6)
    draw.line((630, 390, 970, 390), fill=(150, 110, 60), width=6)
    draw.text((80, 60), "Lift together, lift with your legs", fill=(7, 79, 79), font=_font(48))
    out = BytesIO()
    image.save(out, format="JPEG", quality=85)
    return out.getvalue()


GUIDE_PAGES = [
    (
        "Guide to Understanding Pain",
        [
            "Pain is the body's alarm system. It tells you to protect an area",
            "while it heals, and it usually fades as healing finishes.",
            "",
            "This short guide explains the two main kinds of pain, what",
            "makes them better or worse, and drug-free ways to ease them.",
        ],
    ),
    (
        "Acute and chronic pain",
        [
            "Acute pain starts suddenly, often after an injury or strain,",
            "and settles within days or weeks.",
            "",
            "Chronic pain lasts longer than three months. The nerves can",
            "stay sensitive after tissues heal, so the alarm keeps ringing.",
        ],
    ),
    (
        "Easing pain without drugs",
        [
            "- Keep moving gently; rest for a day or two at most.",
            "- Warmth relaxes tight muscles; cold calms fresh swelling.",
            "- TENS sends mild pulses that can quieten pain signals.",
            "- Good circulation brings oxygen and nutrients to muscles.",
            "",
            "See a doctor for pain after a fall, with fever, numbness,",
            "or weakness, or pain that keeps getting worse.",
        ],
    ),
]


def guide_pdf_bytes():
    pages = []
    for title, lines in GUIDE_PAGES:
        page = PILImage.new("RGB", (1240, 1754), "white")  # A4 at 150 dpi
        draw = ImageDraw.Draw(page)
        draw.rectangle((0, 0, 1240, 160), fill=(11, 110, 110))
        draw.text((80, 50), "ReliefWorks", fill="white", font=_font(56))
        draw.text((80, 240), title, fill=(7, 79, 79), font=_font(56))
        for i, line in enumerate(lines):
            draw.text((80, 360 + i * 52), line, fill=(30, 30, 30), font=_font(32))
        pages.append(page)
    out = BytesIO()
    pages[0].save(out, format="PDF", save_all=True, append_images=pages[1:], resolution=150)
    return out.getvalue()


def _banner_image():
    Image = get_image_model()
    title = "Two people lifting a box together"
    image = Image.objects.filter(title=title).first()
    if image is None:
        image = Image(
            title=title,
            description="A couple lifting boxes together",
            file=ImageFile(BytesIO(banner_bytes()), name="back-spasms-banner.jpg"),
        )
        image.save()
    return image


def _gated_collection():
    """Documents here are not served at /documents/ to the public; visitors get them
    through the signed links of the download offer (blog.views.download)."""
    root = Collection.get_first_root_node()
    collection = root.get_children().filter(name=GATED_COLLECTION).first()
    if collection is None:
        collection = root.add_child(name=GATED_COLLECTION)
    restriction = CollectionViewRestriction.objects.filter(collection=collection).first()
    if restriction is None:
        restriction = CollectionViewRestriction.objects.create(
            collection=collection, restriction_type=CollectionViewRestriction.GROUPS
        )
    restriction.groups.set(Group.objects.filter(name__in=[EDITORS, MODERATORS]))
    return collection


def _guide_document():
    Document = get_document_model()
    document = Document.objects.filter(title=GUIDE_TITLE).first()
    collection = _gated_collection()
    if document is None:
        document = Document(title=GUIDE_TITLE, collection=collection)
        document.file.save(
            "guide-to-understanding-pain.pdf", ContentFile(guide_pdf_bytes()), save=False
        )
        document.save()
    elif document.collection_id != collection.pk:
        document.collection = collection
        document.save()
    return document


def _products():
    Product = get_model("catalogue", "Product")
    return {p.upc: p for p in Product.objects.filter(upc__in=[THERAPY_UPC, CIRCULATION_UPC])}


def _home():
    root = _root()
    home = HomePage.objects.first()
    if home is not None:
        _default_site(home)
        return home
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
    home.search_description = (
        "Drug-free pain relief devices for home use: TENS therapy and circulation "
        "promoters, with a 90-day money-back guarantee."
    )
    products = _products()
    home.featured_products = [
        HomePageFeaturedProduct(product=products[upc], sort_order=i)
        for i, upc in enumerate([THERAPY_UPC, CIRCULATION_UPC])
        if upc in products
    ]
    home.save_revision().publish()
    _default_site(home)
    return HomePage.objects.get(pk=home.pk)


def _default_site(home):
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        site = Site(is_default_site=True)
    site.hostname = "localhost"
    site.port = 80
    site.site_name = "ReliefWorks"
    site.root_page = home
    site.save()
    SiteChrome.for_site(site)  # creates the defaults editors then change


def _categories():
    names = {
        "back-pain": "Back pain",
        "living-with-pain": "Living with pain",
        "therapy-at-home": "Therapy at home",
    }
    return {
        slug: BlogCategory.objects.update_or_create(slug=slug, defaults={"name": name})[0]
        for slug, name in names.items()
    }


def _p(html):
    return ("paragraph", html)


def _h(text, level="h2"):
    return ("heading", {"text": text, "level": level, "anchor": ""})


def _product(product, text=""):
    return ("product", {"product": product, "text": text})


def _back_spasms_body(products, guide):
    therapy = products.get(THERAPY_UPC)
    circulation = products.get(CIRCULATION_UPC)
    therapy_url = therapy.get_absolute_url() if therapy else "/shop/catalogue/"
    circulation_url = circulation.get_absolute_url() if circulation else "/shop/catalogue/"
    body = [
        _p(
            "<p>A back spasm is a sudden, involuntary tightening of the muscles beside the "
            "spine. People describe it as a cramp that grabs and will not let go, a stabbing "
            "catch when they bend or turn, or a deep ache that leaves the back stiff for hours. "
            "It can be frightening, but most of the time a spasm is the body's alarm rather "
            'than a sign of lasting damage.<a href="#ref-1">[1]</a></p>'
        ),
        _h("Why do back spasms happen?"),
        _p(
            "<p>Back spasms are very common: an estimated 80% of adults have back pain at some "
            "point in their lives. How often spasms come, how long they last and what eases "
            'them all help point to the cause.<a href="#ref-1">[1]</a></p>'
        ),
        _h("Injury or strain", "h3"),
        _p(
            "<p>Lifting something heavy, a sudden twist on the golf course, or asking tired "
            "muscles for more than they can give can all set off a spasm: the muscles clench "
            "to guard the area. Weak core and back muscles make this more likely, so regular "
            "strength work and gentle stretching are the best protection.</p>"
        ),
        _h("Dehydration and low minerals", "h3"),
        _p(
            "<p>Muscles need water, glucose and electrolytes such as sodium, potassium, "
            "calcium and magnesium to contract and relax smoothly. When they run short, "
            'cramps follow.<a href="#ref-2">[2]</a></p>'
        ),
        _h("An underlying condition", "h3"),
        _p(
            "<p>Sciatica, a herniated disc or arthritis can make spasms more frequent. If "
            "spasms keep coming back, ask a doctor to look for the cause.</p>"
        ),
        (
            "callout",
            {
                "style": "warning",
                "title": "When to see a doctor",
                "text": "<p>Get medical help at once for back pain after a fall, with fever, "
                "numbness in the legs or groin, weakness, or trouble passing urine.</p>",
            },
        ),
        _h("Calming a back spasm"),
        _p(
            "<p>Drink enough water, warm up before exercise, and stretch the area gently when "
            f'a spasm starts. The <a href="{therapy_url}">Pain Therapy System</a> uses mild '
            "electrical pulses to relax sore muscles and quieten pain signals, and the "
            f'<a href="{circulation_url}">Circulation Promoter</a> helps the blood bring '
            "water, oxygen and nutrients to tired muscles.</p>"
        ),
    ]
    if therapy:
        body.append(_product(therapy, "Two-channel TENS and EMS for sore backs, used at home."))
    if circulation:
        body.append(_product(circulation, "Sit, rest your feet, and let your circulation work."))
    body += [
        (
            "download_offer",
            {
                "document": guide,
                "title": "Download the Guide to Understanding Pain",
                "text": "A short, plain-language guide to why pain happens and drug-free "
                "ways to ease it. Free; we email you the link.",
                "button_label": "Send me the guide",
            },
        ),
        _h("More about back pain"),
        _p('<p>Read our <a href="/back-pain/">Back Pain page</a> to learn more.</p>'),
        (
            "references",
            {
                "heading": "References",
                "references": [
                    {
                        "authors": "Burke D.",
                        "year": 2016,
                        "title": "What Is Your Back Muscle Spasm Telling You?",
                        "publisher": "Spine-Health",
                        "url": "https://www.spine-health.com/",
                    },
                    {
                        "authors": "Wedro B.",
                        "year": 2016,
                        "title": "Muscle Spasms",
                        "publisher": "MedicineNet",
                        "url": "https://www.medicinenet.com/",
                    },
                ],
            },
        ),
        ("related_articles", {"heading": "Related articles", "articles": []}),
    ]
    return body


OTHER_ARTICLES = [
    {
        "slug": "how-tens-therapy-works",
        "title": "How TENS Therapy Works",
        "summary": "What the gentle pulses of a TENS unit do, who they help, and how to "
        "place the pads for a sore back.",
        "days_ago": 12,
        "categories": ["therapy-at-home"],
        "tags": ["back pain", "TENS"],
        "body": [
            _p(
                "<p>TENS stands for transcutaneous electrical nerve stimulation: small "
                "pads on the skin pass mild electrical pulses to the nerves underneath.</p>"
            ),
            _h("Why it eases pain"),
            _p(
                "<p>The pulses compete with pain signals on their way to the brain and "
                "encourage the body to release its own pain-relieving chemicals. Many "
                "people feel a pleasant tingling and looser muscles within minutes.</p>"
            ),
            _h("Placing the pads"),
            _p(
                "<p>For lower back pain, place two pads on each side of the spine, around "
                "the sore area but never on the spine itself.</p>"
            ),
            ("quote", {"quote": "Start low and turn it up slowly.", "attribution": ""}),
        ],
    },
    {
        "slug": "protect-your-back-at-your-desk",
        "title": "Protect Your Back at Your Desk",
        "summary": "Long hours of sitting load the lower back. Five small habits that "
        "keep it happier through the working day.",
        "days_ago": 30,
        "categories": ["back-pain", "living-with-pain"],
        "tags": ["back pain", "posture"],
        "body": [
            _p(
                "<p>Sitting still is hard work for the back. The fix is less about the "
                "perfect chair and more about moving often.</p>"
            ),
            _h("Five habits"),
            _p(
                "<ul><li>Stand up every 30 minutes.</li><li>Keep the screen at eye "
                "height.</li><li>Feet flat on the floor.</li><li>Walk during calls.</li>"
                "<li>Stretch your hips at lunch.</li></ul>"
            ),
        ],
    },
    {
        "slug": "why-do-legs-ache-after-a-long-day",
        "title": "Why Do Legs Ache After a Long Day?",
        "summary": "Heavy, aching legs at the end of the day are often a circulation "
        "problem. What helps blood move again.",
        "days_ago": 45,
        "categories": ["living-with-pain"],
        "tags": ["circulation"],
        "body": [
            _p(
                "<p>The calf muscles act as a second heart: each step squeezes blood back "
                "up the legs. Standing or sitting still for hours lets it pool.</p>"
            ),
            _h("What helps"),
            _p(
                "<p>Walk, raise your legs when you rest, and keep hydrated. Muscle "
                "stimulation can do some of the pumping for you.</p>"
            ),
        ],
    },
]


def _articles(blog, products, guide, banner, categories):
    today = timezone.localdate()

    def relations(category_slugs, tags):
        def set_up(page):
            page.categories.set([categories[slug] for slug in category_slugs])
            page.tags.set(tags)

        return set_up

    _child(
        blog,
        ArticlePage,
        "what-do-back-spasms-feel-like",
        title="What Do Back Spasms Feel Like?",
        summary=(
            "What a back spasm feels like, why it happens, and simple ways to calm one "
            "before it ruins your day."
        ),
        search_description=(
            "What a back spasm feels like, the common causes (strain, dehydration, "
            "underlying conditions) and drug-free ways to calm one."
        ),
        author="ReliefWorks Editorial Team",
        date=today - datetime.timedelta(days=3),
        banner_image=banner,
        banner_alt="A couple lifting boxes together",
        body=_back_spasms_body(products, guide),
        set_up=relations(["back-pain"], ["back pain", "muscle spasms"]),
    )
    for spec in OTHER_ARTICLES:
        _child(
            blog,
            ArticlePage,
            spec["slug"],
            title=spec["title"],
            summary=spec["summary"],
            author="ReliefWorks Editorial Team",
            date=today - datetime.timedelta(days=spec["days_ago"]),
            body=spec["body"],
            set_up=relations(spec["categories"], spec["tags"]),
        )


def _condition_page(home, products):
    def set_up(page):
        page.recommended_products = [
            ConditionPageRecommendedProduct(product=products[upc], sort_order=i)
            for i, upc in enumerate([THERAPY_UPC, CIRCULATION_UPC])
            if upc in products
        ]

    return _child(
        home,
        ConditionPage,
        "back-pain",
        title="Back Pain",
        intro=(
            "Most adults have back pain at some point. Usually it is a strain that settles "
            "within weeks; here is what helps while it does."
        ),
        tag_name="back pain",
        body=[
            _h("Common causes"),
            _p(
                "<p>Muscle strain from lifting or twisting, long hours of sitting, "
                "stiff joints, and now and then a disc or nerve problem.</p>"
            ),
            _h("What helps"),
            _p(
                "<p>Staying gently active, warmth, good sleep, and drug-free therapy such as "
                "TENS. See a doctor if pain follows a fall or comes with numbness, weakness "
                "or fever.</p>"
            ),
        ],
        set_up=set_up,
    )


POLICIES = {
    "guarantee": (
        "90-Day Money-Back Guarantee",
        "Try any ReliefWorks device for 90 days. If it doesn't help, send it back for a "
        "full refund.",
        "<p>The 90 days count from the day your order is delivered.</p>"
        "<p>Ask for a return from your account's order page, or with your order number and "
        "email if you checked out as a guest. We refund the price of the device to the "
        "card you paid with once it is back with us.</p>",
    ),
    "shipping-returns": (
        "Shipping & Returns",
        "Free standard shipping on orders over $75 to the US and Canada.",
        "<p>Orders ship within one business day. Express shipping is available at checkout."
        "</p><p>Returns within the 90-day guarantee are free; see "
        '<a href="/guarantee/">our guarantee</a>.</p>',
    ),
    "privacy": (
        "Privacy Policy",
        "What we collect, why, the cookies we set, and how to ask us to delete it.",
        "<p>We use your details to deliver your order and answer your questions. When you "
        "ask for a download we keep your email address, and send you tips and offers only "
        "if you ticked the box. We never sell your details.</p>"
        "<h2>Cookies</h2>"
        "<p>You choose which cookies beyond the necessary ones we may set: the banner asks on "
        "your first visit, and <em>Cookie choices</em> at the foot of every page changes "
        "your choice at any time. Until you agree, no analytics or marketing script is "
        "loaded at all.</p>"
        "<h3>Necessary (always on)</h3><ul>"
        "<li><code>csrftoken</code>: protects the forms you send us (1 year).</li>"
        "<li><code>sessionid</code>: keeps you signed in and your checkout together "
        "(2 weeks, or until you sign out).</li>"
        "<li><code>oscar_open_basket</code>: remembers your cart (7 days).</li>"
        "<li><code>oscar_history</code>: the products you looked at recently (7 days).</li>"
        "<li><code>messages</code>: a one-time notice such as &ldquo;added to your cart&rdquo;."
        "</li>"
        "<li><code>consent</code>: your cookie choice (180 days).</li></ul>"
        "<h3>Analytics (only if you agree)</h3><ul>"
        "<li><code>_ga</code>, <code>_ga_*</code>: Google Analytics, to count visits and "
        "see which articles help (up to 2 years).</li></ul>"
        "<h3>Marketing (only if you agree)</h3><ul>"
        "<li><code>_fbp</code>, <code>_fbc</code>: the Meta Pixel, to measure our adverts "
        "on Facebook and Instagram (90 days).</li></ul>"
        "<p>Withdrawing consent deletes the analytics and marketing cookies from this site "
        "at once.</p>",
    ),
    "contact": (
        "Contact Us",
        "Call us toll free or write to us; we answer within one business day.",
        "<p>Phone: 1-877-555-0142 (Monday to Friday, 9am to 6pm Eastern).</p>"
        "<p>Email: support@reliefworks.example</p>",
    ),
}


def load_demo_content():
    home = _home()
    ensure_editorial_groups()
    products = _products()
    categories = _categories()
    banner = _banner_image()
    guide = _guide_document()
    blog = _child(
        home,
        BlogIndexPage,
        "blog",
        title="Blog",
        intro="<p>Plain-language articles about pain, its causes and drug-free relief.</p>",
    )
    _articles(blog, products, guide, banner, categories)
    _condition_page(home, products)
    for slug, (title, intro, body) in POLICIES.items():
        _child(home, StandardPage, slug, title=title, intro=intro, body=body)
    return home
