"""Newsletter sign-up, confirmation and unsubscribe pages, and the product feeds. Thin: the
rules are in services.py and feeds.py.

Confirmation and unsubscribe links open a page with one button that POSTs: mail scanners
that follow every link in an email must not confirm or cancel a subscription. The POST needs
no CSRF token because the signed link is itself the proof; that also lets mail providers
send RFC 8058 one-click unsubscribes (a POST with no cookies).
"""

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from config.security import canonical_origin

from . import services
from .feeds import cached_feed
from .forms import NewsletterForm
from .models import Subscriber


def _base_url(request):
    return canonical_origin() + "/"


@never_cache
@require_http_methods(["GET", "POST"])
def subscribe(request):
    if request.method == "GET":
        return render(request, "marketing/newsletter/subscribe.html", {"form": NewsletterForm()})
    form = NewsletterForm(request.POST)
    if form.caught_bot():
        return render(request, "marketing/newsletter/check_inbox.html")
    if not form.is_valid():
        return render(request, "marketing/newsletter/subscribe.html", {"form": form}, status=400)
    services.subscribe(
        email=form.cleaned_data["email"],
        source=form.cleaned_data["source"],
        source_url=form.cleaned_data["source_url"],
        base_url=_base_url(request),
    )
    return render(request, "marketing/newsletter/check_inbox.html")


def _link_failed(request, error):
    if isinstance(error, services.ExpiredLink):
        return render(request, "marketing/newsletter/link_expired.html", status=410)
    return render(request, "marketing/newsletter/link_invalid.html", status=400)


def _signed_link_view(*, check, act, done_status, ask_template, done_template):
    """A confirmation or unsubscribe link: GET asks (or says it is already done), POST
    acts (idempotent). ``check`` and ``act`` take the link's token."""

    @csrf_exempt
    @never_cache
    @require_http_methods(["GET", "POST"])
    def view(request, token):
        try:
            subscriber = act(token=token) if request.method == "POST" else check(token)
        except services.InvalidLink as error:
            return _link_failed(request, error)
        done = request.method == "POST" or subscriber.status == done_status
        template = done_template if done else ask_template
        return render(request, template, {"subscriber": subscriber})

    return view


confirm = _signed_link_view(
    check=services.check_confirm_token,
    act=services.confirm,
    done_status=Subscriber.Status.CONFIRMED,
    ask_template="marketing/newsletter/confirm.html",
    done_template="marketing/newsletter/confirmed.html",
)
unsubscribe = _signed_link_view(
    check=services.check_unsubscribe_token,
    act=services.unsubscribe,
    done_status=Subscriber.Status.UNSUBSCRIBED,
    ask_template="marketing/newsletter/unsubscribe.html",
    done_template="marketing/newsletter/unsubscribed.html",
)


@require_GET
def product_feed_xml(request):
    content = cached_feed("xml", base_url=_base_url(request))
    return HttpResponse(content, content_type="application/rss+xml; charset=utf-8")


@require_GET
def product_feed_csv(request):
    content = cached_feed("csv", base_url=_base_url(request))
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="products.csv"'
    return response
