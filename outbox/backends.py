"""The site's EMAIL_BACKEND: every email any code sends (ours, Oscar's, Django's password
reset, Wagtail's) is stored in the outbox instead of being delivered during the request.

Being an ordinary email backend is what makes every call site go through the outbox, and
the row is written in the caller's transaction: an email exists exactly when what caused
it was committed. ``manage.py send_outbox`` delivers it through ``POST_OFFICE["BACKENDS"]``.
"""

from django.core.mail.backends.base import BaseEmailBackend

from outbox import services


class OutboxBackend(BaseEmailBackend):
    def __init__(self, fail_silently=False, order=None, **kwargs):
        super().__init__(fail_silently=fail_silently, **kwargs)
        # Set by ``outbox.services.connection_for(order)``: the emails join the order's history.
        self.order = order

    def send_messages(self, email_messages):
        for message in email_messages:
            services.queue(message, order=self.order)
        return len(email_messages)
