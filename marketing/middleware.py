"""The thank-you page's Purchase report, claimed while the request is handled.

Oscar's ``ThankYouView`` answers with a TemplateResponse; before it renders, this claims the
order's report (``services.claim_purchase_report_for``) and hands the answer to the template
as ``report_purchase``, so the page carries the event on its first showing only and the
template itself never writes. Living here keeps the checkout (shop) unaware of marketing.
"""

from . import services

# Views (by URL name) whose ``order`` the Purchase event reports.
PURCHASE_PAGES = frozenset({"checkout:thank-you"})


class PurchaseReportMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_template_response(self, request, response):
        match = getattr(request, "resolver_match", None)
        context = getattr(response, "context_data", None)
        if match is not None and match.view_name in PURCHASE_PAGES and context is not None:
            context["report_purchase"] = services.claim_purchase_report_for(
                request, context.get("order")
            )
        return response
