"""StreamField blocks, defined once and used by every page type with a body.

Each block renders through its own small template in templates/blog/blocks/.
"""

from django.utils.text import slugify
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock

from .choosers import product_chooser_viewset
from .selectors import related_articles

ProductChooserBlock = product_chooser_viewset.get_block_class(
    name="ProductChooserBlock", module_path="blog.blocks"
)


def heading_anchor(value):
    return slugify(value.get("anchor") or value.get("text") or "")


class HeadingBlock(blocks.StructBlock):
    """A section heading with an anchor, so tables of contents and links can point at it."""

    text = blocks.CharBlock(max_length=150)
    level = blocks.ChoiceBlock(
        choices=[("h2", "Heading 2"), ("h3", "Heading 3")], default="h2", required=True
    )
    anchor = blocks.CharBlock(
        required=False,
        max_length=80,
        help_text="Optional link target (#anchor); made from the text when left blank.",
    )

    class Meta:
        icon = "title"
        template = "blog/blocks/heading.html"

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        context["anchor"] = heading_anchor(value)
        return context


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock()
    alt_text = blocks.CharBlock(
        max_length=200, help_text="Describe the image for people who cannot see it."
    )
    caption = blocks.CharBlock(required=False, max_length=250)

    class Meta:
        icon = "image"
        template = "blog/blocks/image.html"


class CalloutBlock(blocks.StructBlock):
    style = blocks.ChoiceBlock(
        choices=[("tip", "Tip"), ("note", "Note"), ("warning", "See a doctor")], default="tip"
    )
    title = blocks.CharBlock(required=False, max_length=120)
    text = blocks.RichTextBlock(features=["bold", "italic", "link"])

    class Meta:
        icon = "help"
        template = "blog/blocks/callout.html"


class QuoteBlock(blocks.StructBlock):
    quote = blocks.TextBlock()
    attribution = blocks.CharBlock(required=False, max_length=120)

    class Meta:
        icon = "openquote"
        template = "blog/blocks/quote.html"


class ProductBlock(blocks.StructBlock):
    """An Oscar product with its live price, availability and an add-to-cart form."""

    product = ProductChooserBlock()
    text = blocks.TextBlock(
        required=False, help_text="Optional: why this product helps, in a sentence or two."
    )

    class Meta:
        icon = "tag"
        template = "blog/blocks/product.html"


class DownloadOfferBlock(blocks.StructBlock):
    """A document given in exchange for an email address (see views.request_download)."""

    document = DocumentChooserBlock()
    title = blocks.CharBlock(max_length=120, default="Download the Guide to Understanding Pain")
    text = blocks.TextBlock(required=False)
    button_label = blocks.CharBlock(max_length=40, default="Send me the guide")

    class Meta:
        icon = "doc-full"
        template = "blog/blocks/download_offer.html"


class ReferenceBlock(blocks.StructBlock):
    authors = blocks.CharBlock(max_length=200, help_text="E.g. Burke D.")
    year = blocks.IntegerBlock(required=False, min_value=1800, max_value=2100)
    title = blocks.CharBlock(max_length=300)
    publisher = blocks.CharBlock(required=False, max_length=200)
    url = blocks.URLBlock(required=False)

    class Meta:
        icon = "link"


class ReferencesBlock(blocks.StructBlock):
    """Numbered citations; item n has the anchor #ref-n for the text to point at."""

    heading = blocks.CharBlock(default="References", max_length=80)
    references = blocks.ListBlock(ReferenceBlock())

    class Meta:
        icon = "list-ol"
        template = "blog/blocks/references.html"


class RelatedArticlesBlock(blocks.StructBlock):
    """Articles the editor picks; when none are picked, articles sharing this one's tags."""

    heading = blocks.CharBlock(default="Related articles", max_length=80)
    articles = blocks.ListBlock(
        blocks.PageChooserBlock(page_type="blog.ArticlePage"), required=False, default=[]
    )

    class Meta:
        icon = "doc-empty"
        template = "blog/blocks/related_articles.html"

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        page = (parent_context or {}).get("page")
        context["related"] = related_articles(page, [p for p in value["articles"] if p])
        return context


class BodyBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        icon="pilcrow",
        template="blog/blocks/paragraph.html",
        features=["bold", "italic", "link", "document-link", "ol", "ul", "superscript"],
    )
    image = ImageBlock()
    callout = CalloutBlock()
    quote = QuoteBlock()
    product = ProductBlock()
    download_offer = DownloadOfferBlock()
    references = ReferencesBlock()
    related_articles = RelatedArticlesBlock()
