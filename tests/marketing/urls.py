"""URLs for the marketing tests: the site's own, marketing's (for as long as config/urls.py
does not include them yet) and two test pages that show the includes the product page and
the thank-you page carry."""

from django.http import Http404, HttpResponse
from django.template import engines
from django.urls import include, path
from oscar.core.loading import get_model

from config.urls import urlpatterns as site_urlpatterns
from marketing import services

Product = get_model("catalogue", "Product")
Order = get_model("order", "Order")

PRODUCT_PAGE = """{% extends "base.html" %}{% block content %}
<h1>{{ product.title }}</h1>
{% include "marketing/includes/product_jsonld.html" with product=product %}
{% include "marketing/events/view_content.html" with product=product %}
<form id="add_to_basket_form" method="post" action="{% url 'basket:add' pk=product.pk %}">
  {% csrf_token %}<input type="hidden" name="quantity" value="2">
  <button type="submit">Add to basket</button>
</form>
{% endblock %}"""

THANK_YOU_PAGE = """{% extends "base.html" %}{% block content %}
<h1>Order {{ order.number }}</h1>
{% include "marketing/events/purchase.html" with order=order %}
{% endblock %}"""


def _render(request, source, context):
    template = engines["django"].from_string(source)
    return HttpResponse(template.render(context, request))


def product_page(request, pk):
    product = Product.objects.filter(pk=pk).first()
    if product is None:
        raise Http404
    return _render(request, PRODUCT_PAGE, {"product": product})


def thank_you_page(request, number):
    order = Order.objects.filter(number=number).first()
    if order is None:
        raise Http404
    # As the real thank-you page (marketing.middleware): the report is claimed before rendering.
    report_purchase = services.claim_purchase_report_for(request, order)
    response = _render(
        request, THANK_YOU_PAGE, {"order": order, "report_purchase": report_purchase}
    )
    response["Cache-Control"] = "private"  # as Oscar's checkout pages: never page-cached
    return response


def _includes_marketing(patterns):
    return any(getattr(pattern, "namespace", None) == "marketing" for pattern in patterns)


urlpatterns = [
    path("__tests__/product/<int:pk>/", product_page),
    path("__tests__/thank-you/<str:number>/", thank_you_page),
]
if not _includes_marketing(site_urlpatterns):
    urlpatterns.append(path("", include("marketing.urls")))
urlpatterns += site_urlpatterns

handler404 = "config.views.page_not_found"
handler500 = "config.views.server_error"
