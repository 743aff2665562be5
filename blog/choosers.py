"""The Wagtail admin chooser for Oscar products, used by the product block and by the
featured/recommended product panels.

A ``ChooserViewSet`` gives the modal, the form widget (registered for every ForeignKey to
``catalogue.Product``) and a StreamField block class from one definition.
https://docs.wagtail.org/en/stable/extending/generic_views.html#chooserviewset
"""

from django import forms
from django.db.models import Q
from wagtail.admin.forms.choosers import BaseFilterForm
from wagtail.admin.views.generic import chooser as chooser_views
from wagtail.admin.viewsets.chooser import ChooserViewSet
from wagtail.blocks import ChooserBlock

from shop.selectors import products_for_cards


class ProductSearchForm(BaseFilterForm):
    """Oscar products are not in Wagtail's search index: match title and UPC in the DB."""

    q = forms.CharField(
        label="Search term",
        widget=forms.TextInput(attrs={"placeholder": "Title or UPC"}),
        required=False,
        max_length=200,
    )

    def filter(self, objects):
        objects = super().filter(objects)
        query = self.cleaned_data.get("q")
        if query:
            objects = objects.filter(Q(title__icontains=query) | Q(upc__iexact=query))
            self.is_searching = True
            self.search_query = query
        return objects


class ProductChooseMixin:
    filter_form_class = ProductSearchForm

    def get_object_list(self):
        # Child variants are bought through their parent's page; offer standalone and
        # parent products only.
        return self.model_class.objects.filter(parent__isnull=True).order_by("title")


class ProductChooseView(ProductChooseMixin, chooser_views.ChooseView):
    pass


class ProductChooseResultsView(ProductChooseMixin, chooser_views.ChooseResultsView):
    pass


class BaseProductChooserBlock(ChooserBlock):
    def bulk_to_python(self, values):
        """All products of a page in one query, with stock records and images prefetched,
        so a page's query count does not grow with its number of product blocks."""
        objects = products_for_cards().in_bulk([value for value in values if value is not None])
        return [objects.get(value) for value in values]


class ProductChooserViewSet(ChooserViewSet):
    model = "catalogue.Product"
    icon = "tag"
    choose_one_text = "Choose a product"
    choose_another_text = "Choose another product"
    edit_item_text = "Edit product"
    choose_view_class = ProductChooseView
    choose_results_view_class = ProductChooseResultsView
    base_block_class = BaseProductChooserBlock
    per_page = 20


product_chooser_viewset = ProductChooserViewSet("product_chooser")
