"""The Stripe webhook endpoint (verify, hand over to the service, answer quickly) and the
account's saved cards."""

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseBadRequest, JsonResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView

from . import customers, services
from . import stripe_gateway as gateway

logger = logging.getLogger(__name__)


@csrf_exempt  # Stripe cannot send a CSRF token; the signature authenticates the request.
@require_POST
def stripe_webhook(request):
    try:
        result = services.handle_webhook(
            payload=request.body, signature=request.headers.get("Stripe-Signature", "")
        )
    except gateway.InvalidWebhook as exc:
        logger.warning("Rejected Stripe webhook: %s", exc)
        return HttpResponseBadRequest(str(exc))
    return JsonResponse({"result": result})


@method_decorator([never_cache, login_required], name="dispatch")
class SavedCardsView(TemplateView):
    """The account's saved cards (brand, last four, expiry), each with "Remove". The cards
    are Stripe's (saved with a payment, shop/payments/customers.py); none are kept here."""

    template_name = "oscar/customer/saved_cards.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        try:
            cards = customers.saved_cards(self.request.user)
        except gateway.GatewayError:
            cards, context["unavailable"] = [], True
        today = timezone.localdate()
        context.update(
            page_title="Saved cards",
            active_tab="cards",
            cards=[(card, card.expired(today)) for card in cards],
        )
        return context

    def post(self, request, *args, **kwargs):
        try:
            removed = customers.remove_saved_card(request.user, request.POST.get("card", ""))
        except gateway.GatewayError:
            messages.error(request, "We could not remove that card just now. Please try again.")
            return redirect("saved-cards")
        if removed:
            logger.info("User %s removed a saved card", request.user.pk)
            messages.success(request, "The card has been removed.")
        else:
            messages.error(request, "That card is not saved on your account.")
        return redirect("saved-cards")
