"""Category listing, "all products" and product search, from the database (see apps.py).

The three views share one queryset: browsable products with Oscar's prefetches (images,
stock records, class) and the lowest price annotated for sorting.
"""

from django import forms
from django.conf import settings
from django.db.models import Min, Q
from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.generic import ListView
from oscar.core.loading import get_model

Category = get_model("catalogue", "Category")
Product = get_model("catalogue", "Product")

SORTS = {
    "": ("Featured", ("-rating", "title")),
    "newest": ("Newest", ("-date_created", "title")),
    "price-asc": ("Price: low to high", ("min_price", "title")),
    "price-desc": ("Price: high to low", ("-min_price", "title")),
    "title-asc": ("Name: A to Z", ("title",)),
    "title-desc": ("Name: Z to A", ("-title",)),
}


class SortForm(forms.Form):
    sort_by = forms.ChoiceField(
        label="Sort by",
        required=False,
        choices=[(key, label) for key, (label, _) in SORTS.items()],
    )
    q = forms.CharField(required=False, max_length=200, widget=forms.HiddenInput)

    def ordering(self):
        key = self.cleaned_data.get("sort_by", "") if self.is_valid() else ""
        return SORTS.get(key, SORTS[""])[1]


class ProductListView(ListView):
    context_object_name = "products"
    paginate_by = settings.OSCAR_PRODUCTS_PER_PAGE

    def get(self, request, *args, **kwargs):
        self.form = SortForm(request.GET)
        try:
            return super().get(request, *args, **kwargs)
        except Http404:
            # An invalid or out-of-range page number: back to page one, politely.
            return redirect(request.path)

    def base_queryset(self):
        return Product._default_manager.browsable().base_queryset()

    def get_queryset(self):
        return (
            self.base_queryset()
            .annotate(min_price=Min("stockrecords__price"))
            .order_by(*self.form.ordering())
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["form"] = self.form
        ctx["sort_form"] = self.form
        ctx["page"] = ctx["page_obj"]
        return ctx


class CatalogueView(ProductListView):
    template_name = "oscar/catalogue/browse.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["summary"] = "All products"
        return ctx


class ProductCategoryView(ProductListView):
    template_name = "oscar/catalogue/category.html"

    def get(self, request, *args, **kwargs):
        self.category = get_object_or_404(Category, pk=kwargs["pk"])
        if not (self.category.is_public or request.user.is_staff):
            raise Http404
        expected = self.category.get_absolute_url()
        if request.path != expected:
            return HttpResponsePermanentRedirect(expected)
        return super().get(request, *args, **kwargs)

    def base_queryset(self):
        categories = self.category.get_descendants_and_self()
        return super().base_queryset().filter(categories__in=categories).distinct()

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["category"] = self.category
        ctx["summary"] = self.category.name
        return ctx


class FacetedSearchView(ProductListView):
    """Products whose title, description or UPC contain every word of the query."""

    template_name = "oscar/search/results.html"

    def base_queryset(self):
        queryset = super().base_queryset()
        self.query = self.form.cleaned_data.get("q", "").strip() if self.form.is_valid() else ""
        if not self.query:
            return queryset.none()
        for word in self.query.split()[:10]:
            queryset = queryset.filter(
                Q(title__icontains=word) | Q(description__icontains=word) | Q(upc__iexact=word)
            )
        return queryset

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["query"] = self.query
        ctx["search_url"] = reverse("search:search")
        return ctx
