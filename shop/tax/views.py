"""The dashboard's sales tax table (Shop managers) and the basket's destination chooser."""

from django.contrib import messages
from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.db import transaction
from django.http import HttpResponseRedirect
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django.views.generic import CreateView, DeleteView, ListView, UpdateView

from . import services
from .forms import DestinationForm, TaxRateForm
from .models import TaxRate


def _log(user, rate, flag, message):
    LogEntry.objects.log_actions(
        user_id=user.pk,
        queryset=[rate],
        action_flag=flag,
        change_message=message,
        single_object=True,
    )


class RateViewMixin(PermissionRequiredMixin):
    """A screen of the rate table: one permission each, refused (403) rather than
    redirected to sign-in, back to the list when done."""

    raise_exception = True
    model = TaxRate
    success_url = reverse_lazy("tax:rate-list")


class RateListView(RateViewMixin, ListView):
    permission_required = "tax.view_taxrate"
    template_name = "tax/dashboard/rate_list.html"
    context_object_name = "rates"


class RateFormMixin(RateViewMixin):
    form_class = TaxRateForm
    template_name = "tax/dashboard/rate_form.html"

    def form_valid(self, form):
        with transaction.atomic():
            response = super().form_valid(form)
            _log(self.request.user, self.object, self.log_flag, str(self.object))
        messages.success(self.request, f"Saved: {self.object}.")
        return response


class RateCreateView(RateFormMixin, CreateView):
    permission_required = "tax.add_taxrate"
    log_flag = ADDITION


class RateUpdateView(RateFormMixin, UpdateView):
    permission_required = "tax.change_taxrate"
    log_flag = CHANGE


class RateDeleteView(RateViewMixin, DeleteView):
    permission_required = "tax.delete_taxrate"
    template_name = "tax/dashboard/rate_confirm_delete.html"

    def form_valid(self, form):
        with transaction.atomic():
            _log(self.request.user, self.object, DELETION, str(self.object))
            response = super().form_valid(form)
        messages.success(self.request, f"Deleted: {self.object}.")
        return response


@require_POST
def set_destination(request):
    """Remember where the shopper ships to, so the basket can estimate the tax."""
    form = DestinationForm(request.POST)
    if form.is_valid():
        services.remember_destination(request, form.destination())
    else:
        messages.error(request, "Choose the state or province you are shipping to.")
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        target = reverse("basket:summary")
    return HttpResponseRedirect(target)
