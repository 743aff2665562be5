"""Support emails: plain text as written (nothing HTML-escaped), and an HTML version."""

import pytest
from django.core import mail
from freezegun import freeze_time

from support import services
from tests.support.conftest import make_order
from tests.support.test_returns import DELIVERED, _ask


@pytest.mark.django_db
@freeze_time("2025-03-10 12:00:00")
def test_text_is_as_written_and_html_is_escaped(agent):
    order = make_order(delivered_on=DELIVERED)
    request = _ask(order)
    note = "Pads & case missing; see <https://example.com/returns> or call O'Brien"
    services.reject_return(return_request=request, by=agent, note=note)
    message = mail.outbox[-1]
    assert note in message.body
    assert "&amp;" not in message.body and "&#x27;" not in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert "Pads &amp; case missing" in html
    assert "<https" not in html  # the angle brackets of the note are escaped
    assert 'href="https://example.com/returns"' in html
    assert request.number in html
