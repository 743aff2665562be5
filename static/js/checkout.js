/* Review and pay (templates/oscar/checkout/payment_details.html).

   One flow for real Stripe.js and localstripe's: card Element -> createToken -> POST the
   token to the server, which charges -> if the bank wants 3-D Secure, confirmCardPayment
   with the client secret, then go to the return URL where the server re-reads the payment.
   The browser never sends an amount. */
(function () {
  "use strict";

  var form = document.getElementById("payment-form");
  if (!form || typeof Stripe === "undefined") { return; }

  var stripe = Stripe(form.dataset.stripeKey);
  var card = stripe.elements().create("card");
  card.mount("#card-element");

  var button = document.getElementById("pay-button");
  var errors = document.getElementById("card-errors");
  var buttonLabel = button.textContent;

  function busy() {
    button.disabled = true;
    button.textContent = "Processing\u2026";
    errors.textContent = "";
  }

  function showError(message) {
    errors.textContent = message;
    button.disabled = false;
    button.textContent = buttonLabel;
  }

  function csrfToken() {
    var input = form.querySelector('input[name="csrfmiddlewaretoken"]');
    if (input && input.value) { return Promise.resolve(input.value); }
    return window.siteCsrfToken();
  }

  function sendToken(tokenId) {
    return csrfToken().then(function (csrf) {
      var body = new URLSearchParams();
      body.append("token", tokenId);
      return fetch(form.action, {
        method: "POST",
        body: body,
        credentials: "same-origin",
        headers: { "X-CSRFToken": csrf, "Accept": "application/json" }
      });
    }).then(function (response) {
      return response.json().catch(function () {
        throw new Error("The payment could not be started. Please try again.");
      });
    });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    busy();
    var tokenResult;
    try {
      tokenResult = stripe.createToken(card);
    } catch (err) {
      showError("Please enter your card details.");
      return;
    }
    Promise.resolve(tokenResult).then(function (result) {
      if (result.error) {
        throw new Error(result.error.message || "Please check your card details.");
      }
      return sendToken(result.token.id);
    }).then(function (data) {
      if (data.client_secret) {
        // The server re-reads the PaymentIntent, whatever the 3-D Secure outcome was.
        return stripe.confirmCardPayment(data.client_secret).then(function () {
          window.location.assign(data.return_url);
        });
      }
      if (data.error && !data.redirect) {
        showError(data.error);
        return;
      }
      window.location.assign(data.redirect);
    }).catch(function (err) {
      showError((err && err.message) || "Something went wrong. Please try again.");
    });
  });
})();
