"""A reader opens the demo article, comments (held, then shown after approval) and
downloads the guide."""

from playwright.sync_api import expect

from blog.models import ArticleComment
from blog.services import moderate_comments
from tests.e2e.a11y import assert_accessible

ARTICLE = "/blog/what-do-back-spasms-feel-like/"


def test_reader_reads_comments_and_downloads_the_guide(page, demo_site):
    page.goto(demo_site + ARTICLE)
    article = page.locator("article.article")
    expect(article.get_by_role("heading", level=1)).to_have_text("What Do Back Spasms Feel Like?")
    expect(
        article.get_by_role("heading", name="Why do back spasms happen?", level=2)
    ).to_be_visible()
    expect(article.get_by_role("heading", name="Injury or strain", level=3)).to_be_visible()
    expect(article.get_by_role("img", name="A couple lifting boxes together")).to_be_visible()

    products = article.locator(".product-block")
    expect(products).to_have_count(2)
    expect(products.nth(0)).to_contain_text("Pain Therapy System")
    expect(products.nth(0)).to_contain_text("$149.95")
    expect(products.nth(1)).to_contain_text("$299.95")
    expect(products.nth(0).get_by_role("button", name="Add to cart")).to_be_visible()
    assert_accessible(page)

    references = article.locator("ol.reference-list > li")
    expect(references).to_have_count(2)
    expect(page.locator("#ref-1")).to_contain_text("Spine-Health")
    expect(page.locator("#ref-2")).to_contain_text("MedicineNet")
    expect(article.get_by_role("link", name="Back Pain page")).to_have_attribute(
        "href", "/back-pain/"
    )

    # Leave a reply: held for moderation, not shown yet.
    form = page.locator("#comment-form")
    form.get_by_label("Name").fill("Pat Reader")
    form.get_by_label("Email (never shown)").fill("pat@example.com")
    form.get_by_label("Comment").fill("The stretching tip helped me <b>a lot</b>.")
    form.get_by_role("button", name="Post Comment").click()
    expect(page.locator("body")).to_contain_text("awaiting moderation")
    expect(page.locator("#comments")).not_to_contain_text("The stretching tip helped me")
    assert_accessible(page)

    moderate_comments(ArticleComment.objects.all(), ArticleComment.Status.APPROVED)
    page.goto(demo_site + ARTICLE)
    comment = page.locator("#comments .comment").first
    expect(comment).to_contain_text("Pat Reader")
    expect(comment).to_contain_text("The stretching tip helped me <b>a lot</b>.")
    expect(page.locator("#comments")).not_to_contain_text("pat@example.com")

    # Ask for the guide and download it.
    offer = page.locator(".download-offer")
    offer.get_by_label("Your email").fill("pat@example.com")
    offer.get_by_role("button", name="Send me the guide").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your guide is ready")
    assert_accessible(page)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download Guide to Understanding Pain").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    with open(download.path(), "rb") as handle:
        assert handle.read(4) == b"%PDF"
