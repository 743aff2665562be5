"""Demo catalogue: the two devices, their pads and accessories, with generated images, plus
"goes well with" recommendations, a site offer and the demo voucher RELIEF10.

Idempotent: every object is found by a natural key (slug, UPC, SKU, name, code) and updated
in place. Shipping methods are code (shop/shipping/), and the US and Canada are made
shipping countries by a migration, so neither needs demo data.
"""

from datetime import timedelta
from decimal import Decimal
from importlib import import_module
from io import BytesIO

from django.apps import apps as django_apps
from django.core.files.base import ContentFile
from django.utils import timezone
from oscar.core.loading import get_model
from PIL import Image, ImageDraw, ImageFont

from shop.tax.seed import seed_rates

Category = get_model("catalogue", "Category")
Product = get_model("catalogue", "Product")
ProductAttribute = get_model("catalogue", "ProductAttribute")
ProductCategory = get_model("catalogue", "ProductCategory")
ProductClass = get_model("catalogue", "ProductClass")
ProductImage = get_model("catalogue", "ProductImage")
Partner = get_model("partner", "Partner")
StockRecord = get_model("partner", "StockRecord")
ProductRecommendation = get_model("catalogue", "ProductRecommendation")
Range = get_model("offer", "Range")
Condition = get_model("offer", "Condition")
Benefit = get_model("offer", "Benefit")
ConditionalOffer = get_model("offer", "ConditionalOffer")
Voucher = get_model("voucher", "Voucher")

DEMO_VOUCHER_CODE = "RELIEF10"

# product UPC -> UPCs shown under "Goes well with" on its page, in this order.
RECOMMENDATIONS = {
    "RW-PTS-100": ["RW-PAD-4", "RW-PAD-L2", "RW-BELT-1"],
    "RW-CP-200": ["RW-PTS-100"],
    "RW-PAD-4": ["RW-PAD-L2", "RW-PTS-100"],
    "RW-PAD-L2": ["RW-PAD-4", "RW-BELT-1"],
    "RW-BELT-1": ["RW-PAD-4", "RW-PTS-100"],
}

PRODUCT_CLASSES = {
    "device": (
        "Device",
        [
            ("channels", "Output channels", "integer"),
            ("power_source", "Power source", "text"),
            ("warranty_years", "Warranty (years)", "integer"),
        ],
    ),
    "accessory": (
        "Accessory",
        [
            ("pack_size", "Pack size", "integer"),
            ("compatible_with", "Compatible with", "text"),
        ],
    ),
}

CATEGORIES = {
    "devices": "Pain relief devices",
    "pads-accessories": "Pads & accessories",
}

PRODUCTS = [
    {
        "upc": "RW-PTS-100",
        "title": "Pain Therapy System",
        "slug": "pain-therapy-system",
        "class": "device",
        "category": "devices",
        "price": Decimal("149.95"),
        "stock": 40,
        "colour": (11, 110, 110),
        "attributes": {"channels": 2, "power_source": "Rechargeable battery", "warranty_years": 2},
        "description": (
            "<p>A two-channel TENS and EMS unit for home use. Gentle electrical pulses through "
            "self-adhesive pads calm aching muscles and block pain signals, with 12 programs "
            "and 20 intensity levels.</p><p>Includes the control unit, 4 pads, a charging "
            "cable and a travel case.</p>"
        ),
    },
    {
        "upc": "RW-CP-200",
        "title": "Circulation Promoter",
        "slug": "circulation-promoter",
        "class": "device",
        "category": "devices",
        "price": Decimal("299.95"),
        "stock": 25,
        "colour": (7, 79, 79),
        "attributes": {"channels": 1, "power_source": "Mains (AC adapter)", "warranty_years": 2},
        "description": (
            "<p>A foot platform that stimulates the muscles of the legs so they pump blood and "
            "lymph, bringing water, oxygen and nutrients to tired muscles. Sit, rest your feet "
            "and relax for 20 minutes.</p>"
        ),
    },
    {
        "upc": "RW-PAD-4",
        "title": "Replacement Electrode Pads (4 pack)",
        "slug": "replacement-electrode-pads-4-pack",
        "class": "accessory",
        "category": "pads-accessories",
        "price": Decimal("19.95"),
        "stock": 300,
        "colour": (242, 165, 65),
        "attributes": {"pack_size": 4, "compatible_with": "Pain Therapy System"},
        "description": (
            "<p>Self-adhesive, reusable gel pads, 2 x 2 inches. Each pad lasts 20 to 30 uses "
            "with proper care.</p>"
        ),
    },
    {
        "upc": "RW-PAD-L2",
        "title": "Large Body Pads (2 pack)",
        "slug": "large-body-pads-2-pack",
        "class": "accessory",
        "category": "pads-accessories",
        "price": Decimal("24.95"),
        "stock": 120,
        "colour": (201, 120, 40),
        "attributes": {"pack_size": 2, "compatible_with": "Pain Therapy System"},
        "description": "<p>Large 4 x 6 inch pads for the lower back and thighs.</p>",
    },
    {
        "upc": "RW-BELT-1",
        "title": "Therapy Belt",
        "slug": "therapy-belt",
        "class": "accessory",
        "category": "pads-accessories",
        "price": Decimal("39.95"),
        "stock": 60,
        "colour": (60, 90, 120),
        "attributes": {"pack_size": 1, "compatible_with": "Pain Therapy System"},
        "description": (
            "<p>A conductive belt that holds the pads in place around the lower back, so you "
            "can move while you use the Pain Therapy System.</p>"
        ),
    },
]


def product_image_bytes(title, colour, size=(800, 800)):
    """A plain product card: the product's name on a coloured tile, as a JPEG."""
    image = Image.new("RGB", size, colour)
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle(
        (60, 60, size[0] - 60, size[1] - 60), radius=40, outline="white", width=8
    )
    try:
        font = ImageFont.load_default(size=56)
    except TypeError:  # Pillow without FreeType sizes
        font = ImageFont.load_default()
    words, lines, line = title.split(), [], ""
    for word in words:
        candidate = f"{line} {word}".strip()
        if draw.textlength(candidate, font=font) > size[0] - 200 and line:
            lines.append(line)
            line = word
        else:
            line = candidate
    lines.append(line)
    y = size[1] // 2 - len(lines) * 36
    for text in lines:
        width = draw.textlength(text, font=font)
        draw.text(((size[0] - width) / 2, y), text, fill="white", font=font)
        y += 72
    buffer = BytesIO()
    image.save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


def ensure_shipping_countries():
    """Makes the US and Canada shipping countries again, with the rows shop's migration
    0002_shipping_countries defines (the data lives there only). Tests that flush the
    database lose migration data, so the demo runs that migration's function once more."""
    migration = import_module("shop.migrations.0002_shipping_countries")
    migration.add_countries(django_apps, None)


def load_demo_catalogue():
    ensure_shipping_countries()
    seed_rates()  # tax/0002 seeds them too; flushed test databases lose migration data
    classes = {}
    for code, (name, attributes) in PRODUCT_CLASSES.items():
        product_class, _ = ProductClass.objects.update_or_create(
            slug=code, defaults={"name": name, "requires_shipping": True, "track_stock": True}
        )
        for attr_code, attr_name, attr_type in attributes:
            ProductAttribute.objects.update_or_create(
                product_class=product_class,
                code=attr_code,
                defaults={"name": attr_name, "type": attr_type},
            )
        classes[code] = product_class

    categories = {}
    for slug, name in CATEGORIES.items():
        category = Category.objects.filter(slug=slug).first()
        if category is None:
            category = Category.add_root(name=name, slug=slug, is_public=True)
        categories[slug] = category

    partner, _ = Partner.objects.get_or_create(code="reliefworks", defaults={"name": "ReliefWorks"})

    products = []
    for data in PRODUCTS:
        product, _ = Product.objects.update_or_create(
            upc=data["upc"],
            defaults={
                "title": data["title"],
                "slug": data["slug"],
                "product_class": classes[data["class"]],
                "description": data["description"],
                "structure": Product.STANDALONE,
                "is_public": True,
            },
        )
        for code, value in data["attributes"].items():
            setattr(product.attr, code, value)
        product.attr.save()
        ProductCategory.objects.get_or_create(
            product=product, category=categories[data["category"]]
        )
        StockRecord.objects.update_or_create(
            partner=partner,
            partner_sku=data["upc"],
            defaults={
                "product": product,
                "price": data["price"],
                "price_currency": "USD",
                "num_in_stock": data["stock"],
            },
        )
        if not product.images.exists():
            image = ProductImage(product=product, caption=f"{data['title']} product photo")
            image.original.save(
                f"{data['slug']}.jpg",
                ContentFile(product_image_bytes(data["title"], data["colour"])),
                save=True,
            )
        products.append(product)

    by_upc = {product.upc: product for product in products}
    for upc, recommended in RECOMMENDATIONS.items():
        for ranking, other in enumerate(reversed(recommended), start=1):
            ProductRecommendation.objects.update_or_create(
                primary=by_upc[upc], recommendation=by_upc[other], defaults={"ranking": ranking}
            )
    load_demo_offers(categories["pads-accessories"])
    return products


def load_demo_offers(accessories_category):
    """A site offer on pads and accessories, and a 10% voucher on everything."""
    accessories, _ = Range.objects.update_or_create(
        name="Pads & accessories", defaults={"is_public": True}
    )
    accessories.included_categories.add(accessories_category)
    condition, _ = Condition.objects.get_or_create(
        range=accessories, type=Condition.COUNT, value=Decimal("3")
    )
    benefit, _ = Benefit.objects.get_or_create(
        range=accessories, type=Benefit.PERCENTAGE, value=Decimal("15")
    )
    ConditionalOffer.objects.update_or_create(
        name="Stock up: 15% off 3 or more pads & accessories",
        defaults={
            "slug": "stock-up-pads-accessories",
            "description": "Buy any three pads or accessories and save 15% on them.",
            "offer_type": ConditionalOffer.SITE,
            "condition": condition,
            "benefit": benefit,
            "status": ConditionalOffer.OPEN,
        },
    )

    everything, _ = Range.objects.update_or_create(
        name="Everything", defaults={"includes_all_products": True}
    )
    voucher_condition, _ = Condition.objects.get_or_create(
        range=everything, type=Condition.COUNT, value=Decimal("1")
    )
    voucher_benefit, _ = Benefit.objects.get_or_create(
        range=everything, type=Benefit.PERCENTAGE, value=Decimal("10")
    )
    voucher_offer, _ = ConditionalOffer.objects.update_or_create(
        name=f"Voucher {DEMO_VOUCHER_CODE}: 10% off",
        defaults={
            "slug": "voucher-relief10",
            "offer_type": ConditionalOffer.VOUCHER,
            "condition": voucher_condition,
            "benefit": voucher_benefit,
            "status": ConditionalOffer.OPEN,
        },
    )
    now = timezone.now()
    voucher, _ = Voucher.objects.update_or_create(
        code=DEMO_VOUCHER_CODE,
        defaults={
            "name": "Demo voucher: 10% off everything",
            "usage": Voucher.MULTI_USE,
            "start_datetime": now - timedelta(days=1),
            "end_datetime": now + timedelta(days=365),
        },
    )
    voucher.offers.add(voucher_offer)
