"""Registration that does not tell whether an email already has an account (issue 24).

Oscar's registration form answers "A user with that email address already exists", so
anyone could test which addresses are customers. Here a known and an unknown email get the
same answer (a redirect to the sign-in page saying "Check your email", nobody signed in),
and the email tells the address's owner what happened, as password reset already does:

- a new address gets its account, Oscar's welcome email and ``user_registered`` (which
  emails the link that claims earlier guest orders, support/signals.py); the customer then
  signs in with the password just chosen;
- a known address changes nothing; its owner is emailed that someone tried to register it,
  with links to sign in and to reset the password.

Both registration forms (the sign-in page's and ``accounts/register/``) are these views;
shop/config.py routes their URLs here ahead of Oscar's.
"""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from oscar.apps.customer import views as oscar_views
from oscar.apps.customer.forms import EmailUserCreationForm
from oscar.apps.customer.signals import user_registered
from oscar.apps.customer.utils import normalise_email
from oscar.core.loading import get_class

from config.security import canonical_url

CustomerDispatcher = get_class("customer.utils", "CustomerDispatcher")

CHECK_EMAIL = (
    "Check your email: we have sent a message to the address you gave. "
    "Sign in with it and your password to finish."
)
ATTEMPT_EVENT_CODE = "REGISTRATION_ATTEMPT"


class RegistrationForm(EmailUserCreationForm):
    """Oscar's form without its "already exists" error: the view decides, silently."""

    def clean_email(self):
        return normalise_email(self.cleaned_data["email"])


class NonRevealingRegistration:
    """For Oscar's two registration views: register or tell the owner, answer the same."""

    def register_user(self, form):
        email = form.cleaned_data["email"]
        owner = get_user_model()._default_manager.filter(email__iexact=email).first()
        if owner is not None:
            _tell_the_owner(self.request, owner)
            return None
        user = form.save()
        user_registered.send_robust(sender=self, request=self.request, user=user)
        self.send_registration_email(user)
        return user

    def registered(self, form):
        messages.success(self.request, CHECK_EMAIL)
        url = reverse("customer:login")
        if form.cleaned_data.get("redirect_url"):
            url += "?" + urlencode({"next": form.cleaned_data["redirect_url"]})
        return redirect(url)


def _tell_the_owner(request, owner):
    context = {
        "user": owner,
        "request": request,
        "sign_in_url": canonical_url(reverse("customer:login")),
        "reset_url": canonical_url(reverse("password-reset")),
    }
    dispatcher = CustomerDispatcher()
    emails = dispatcher.dispatcher.get_messages(ATTEMPT_EVENT_CODE, context)
    dispatcher.dispatcher.dispatch_user_messages(owner, emails)


class RegistrationView(NonRevealingRegistration, oscar_views.AccountRegistrationView):
    form_class = RegistrationForm

    def form_valid(self, form):
        self.register_user(form)
        return self.registered(form)


class SignInOrRegisterView(NonRevealingRegistration, oscar_views.AccountAuthView):
    registration_form_class = RegistrationForm

    def validate_registration_form(self):
        form = self.get_registration_form(bind_data=True)
        if form.is_valid():
            self.register_user(form)
            return self.registered(form)
        return self.render_to_response(self.get_context_data(registration_form=form))
