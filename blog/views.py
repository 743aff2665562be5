"""Public endpoints of the content side: comment posting, download offers (site search is
the search app's)."""

import logging

from django.contrib import messages
from django.core import signing
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from wagtail.documents import get_document_model
from wagtail.models import Page

from config.security import canonical_url, client_ip

from . import services
from .forms import CommentForm, LeadForm
from .models import ArticleComment, ArticlePage, Lead

logger = logging.getLogger(__name__)


def _live_article(page_id):
    return get_object_or_404(ArticlePage.objects.live().public(), pk=page_id)


def _rerender_article(request, article, **forms):
    """The article again, with the submitted form and its errors (status 400)."""
    return article.serve(request, **forms)


@require_POST
@never_cache
def post_comment(request, page_id):
    article = _live_article(page_id)
    form = CommentForm(request.POST)
    if form.caught_bot():
        # Look like success so the bot learns nothing; store nothing.
        messages.success(request, "Thank you. Your comment is awaiting moderation.")
        return redirect(article.url + "#comments")
    if not form.is_valid():
        return _rerender_article(request, article, comment_form=form)
    ip_address = client_ip(request)
    email = form.cleaned_data["email"]
    try:
        services.check_rate_limit(scope="comment", ip_address=ip_address, identity=email)
    except services.RateLimited as limited:
        form.add_error(
            None,
            "Many comments have come from your network in a short time. Please wait a few minutes."
            if limited.shared
            else "You have posted several comments in a short time. Please wait.",
        )
        response = _rerender_article(request, article, comment_form=form)
        response.status_code = 429
        return response
    parent = None
    if form.cleaned_data.get("parent"):
        parent = ArticleComment.objects.filter(pk=form.cleaned_data["parent"]).first()
    try:
        services.post_comment(
            page=article,
            parent=parent,
            name=form.cleaned_data["name"],
            email=form.cleaned_data["email"],
            text=form.cleaned_data["text"],
            ip_address=ip_address,
        )
    except services.CommentsClosed:
        form.add_error(None, "Comments are closed on this article.")
        response = _rerender_article(request, article, comment_form=form)
        response.status_code = 403
        return response
    services.record_accepted_post(scope="comment", ip_address=ip_address, identity=email)
    messages.success(request, "Thank you. Your comment is awaiting moderation.")
    return redirect(article.url + "#comments")


def _offered_document(page, document_id):
    """The document, if the page's body really offers it (so the form cannot be pointed at
    any other document)."""
    body = getattr(page, "body", None)
    if body is None:
        return None
    for block in body:
        if block.block_type == "download_offer":
            document = block.value.get("document")
            if document is not None and document.pk == document_id:
                return document
    return None


@require_POST
@never_cache
def request_download(request):
    form = LeadForm(request.POST)
    form.is_valid()
    page_id = form.cleaned_data.get("page")
    page = Page.objects.live().public().filter(pk=page_id).first() if page_id else None
    page = page.specific if page is not None else None
    if page is None:
        raise Http404("No such page")
    if form.caught_bot():
        return render(request, "blog/download_requested.html", {"page": page, "bot": True})
    if not form.is_valid():
        return _rerender_article(request, page, lead_form=form)
    document = _offered_document(page, form.cleaned_data["document"])
    if document is None:
        raise Http404("This page offers no such download")
    ip_address = client_ip(request)
    email = form.cleaned_data["email"]
    try:
        services.check_rate_limit(scope="lead", ip_address=ip_address, identity=email)
    except services.RateLimited:
        form.add_error(None, "Too many requests from your connection. Please wait a little.")
        response = _rerender_article(request, page, lead_form=form)
        response.status_code = 429
        return response
    with transaction.atomic():
        lead = services.capture_lead(
            email=form.cleaned_data["email"],
            page=page,
            document=document,
            marketing_consent=form.cleaned_data["marketing_consent"],
        )
        services.record_accepted_post(scope="lead", ip_address=ip_address, identity=email)
        token = services.make_download_token(lead, document)
        download_url = canonical_url(reverse("blog:download", args=[token]))
        services.send_download_email(lead, document, download_url)
    return render(
        request,
        "blog/download_requested.html",
        {"page": page, "document": document, "download_url": download_url, "lead": lead},
    )


@never_cache
def download(request, token):
    try:
        lead_id, document_id = services.read_download_token(token)
    except signing.SignatureExpired:
        return render(request, "blog/download_expired.html", status=410)
    except signing.BadSignature:
        return render(request, "blog/download_invalid.html", status=403)
    document = get_document_model().objects.filter(pk=document_id).first()
    if document is None or not Lead.objects.filter(pk=lead_id).exists():
        return render(request, "blog/download_invalid.html", status=403)
    try:
        handle = document.file.open("rb")
    except FileNotFoundError:
        logger.error("download: file of document %s is missing", document.pk)
        raise Http404("File missing")
    return FileResponse(handle, as_attachment=True, filename=document.filename)
