/* The one-page checkout (templates/oscar/checkout/one_page.html, shop/checkout/views.py).

   The server prices everything; the page never sends an amount. As the address or the
   shipping method changes, the form is posted to checkout:quote, which answers the new
   summary, shipping methods and amount (the Payment Element and the wallets are told the
   amount, for display). Pay: Stripe.js turns the Payment Element into a PaymentMethod
   (elements.submit, createPaymentMethod); the form and its id are posted to the checkout,
   which checks the card, creates and confirms the PaymentIntent and answers JSON:
   redirect (paid), client_secret (3-D Secure: handleNextAction, then the return URL
   where the server re-reads the payment) or error. A saved card needs no Stripe.js. The
   Express Checkout Element (Apple Pay, Google Pay, Link) posts the same form, filled
   from the wallet's address, after the server has re-priced that address. */
(function () {
  "use strict";

  var form = document.getElementById("checkout-form");
  if (!form) { return; }
  var payButton = document.getElementById("pay-button");
  var errors = document.getElementById("payment-errors");
  var summary = document.getElementById("checkout-summary");
  var methods = document.getElementById("shipping-methods");
  var newCard = document.getElementById("new-card");
  var amount = parseInt(form.dataset.amount, 10) || 0;
  var currency = form.dataset.currency || "usd";
  var ratesData = document.getElementById("shipping-rates");
  var rates = ratesData ? JSON.parse(ratesData.textContent) : [];
  var stripe = typeof Stripe === "undefined" ? null : Stripe(form.dataset.stripeKey);
  var elements = null;
  var busyNow = false;

  Array.prototype.forEach.call(form.querySelectorAll("[data-no-js]"), function (el) {
    el.hidden = true;
  });

  function csrfToken() {
    return form.querySelector('input[name="csrfmiddlewaretoken"]').value;
  }

  function post(url, body) {
    return fetch(url, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken(), "Accept": "application/json" }
    }).then(function (response) {
      return response.json().catch(function () {
        throw new Error("The payment could not be started. Please try again.");
      });
    });
  }

  function showError(message, fields) {
    errors.textContent = "";
    Array.prototype.forEach.call(form.querySelectorAll("[aria-invalid=true]"), function (el) {
      el.removeAttribute("aria-invalid");
      el.classList.remove("is-invalid");
    });
    if (!message) { return; }
    var box = document.createElement("div");
    box.className = "alert alert-danger";
    var text = document.createElement("p");
    text.className = "mb-0";
    text.textContent = message;
    box.appendChild(text);
    var first = null;
    Object.keys(fields || {}).forEach(function (name) {
      var input = form.querySelector('[name="' + name + '"]');
      var label = input && form.querySelector('label[for="' + input.id + '"]');
      var item = document.createElement("p");
      item.className = "mb-0 small";
      item.textContent = (label ? label.textContent.trim() + ": " : "") + fields[name].join(" ");
      box.appendChild(item);
      if (input && input.type !== "hidden") {
        input.setAttribute("aria-invalid", "true");
        input.classList.add("is-invalid");
        first = first || input;
      }
    });
    errors.appendChild(box);
    if (first) { first.focus(); }
  }

  function setBusy(on) {
    busyNow = on;
    if (payButton) {
      payButton.disabled = on;
      if (on) {
        payButton.dataset.label = payButton.textContent;
        payButton.textContent = "Processing\u2026";
      } else if (payButton.dataset.label) {
        payButton.textContent = payButton.dataset.label;
      }
    }
  }

  /* --- Totals as the address changes ---------------------------------------------- */

  function formData(extra) {
    var data = new FormData(form);
    data.delete("action");
    Object.keys(extra || {}).forEach(function (key) { data.set(key, extra[key]); });
    return data;
  }

  function applyQuote(data) {
    if (data.error) { return data; }
    summary.innerHTML = data.summary_html;
    // The methods are drawn again; a shopper choosing one with the arrow keys keeps the focus.
    var focused = methods.contains(document.activeElement) ? document.activeElement.value : null;
    methods.innerHTML = data.methods_html;
    if (focused !== null) {
      var again = methods.querySelector('input[name="shipping_method"][value="' + focused + '"]');
      if (again) { again.focus(); }
    }
    amount = data.amount;
    rates = data.shipping_rates || [];
    form.dataset.amount = String(amount);
    if (payButton && !busyNow) { payButton.textContent = data.pay_label; }
    if (elements && amount > 0) { elements.update({ amount: amount }); }
    return data;
  }

  function quote(extra) {
    return post(form.dataset.quoteUrl, formData(extra));
  }

  var timer = null;
  function requote() {
    clearTimeout(timer);
    timer = setTimeout(function () { quote().then(applyQuote).catch(function () {}); }, 250);
  }

  form.addEventListener("change", function (event) {
    var name = event.target.name;
    if (["country", "state", "postcode", "line4", "shipping_method"].indexOf(name) !== -1) {
      requote();
    }
    if (name === "card") { showNewCard(); }
  });

  /* --- Saved addresses and cards --------------------------------------------------- */

  var savedData = document.getElementById("saved-address-fields");
  var savedSelect = form.querySelector("[data-saved-addresses]");
  if (savedData && savedSelect) {
    var saved = JSON.parse(savedData.textContent);
    savedSelect.addEventListener("change", function () {
      var fields = saved[savedSelect.value];
      if (!fields) { return; }
      Object.keys(fields).forEach(function (key) {
        var input = form.querySelector('[name="' + (key === "country_id" ? "country" : key) + '"]');
        if (input) {
          input.value = fields[key];
          input.dispatchEvent(new Event("change", { bubbles: true }));
        }
      });
      requote();
    });
  }

  function chosenCard() {
    var checked = form.querySelector('input[name="card"]:checked');
    if (checked) { return checked.value; }
    var hidden = form.querySelector('input[name="card"]');
    return hidden ? hidden.value : "new";
  }

  function showNewCard() {
    if (newCard) { newCard.hidden = chosenCard() !== "new"; }
  }
  showNewCard();

  /* --- Paying ------------------------------------------------------------------------ */

  function finish(data) {
    if (data.client_secret) {
      // The server re-reads the PaymentIntent, whatever the 3-D Secure outcome was.
      return stripe.handleNextAction({ clientSecret: data.client_secret }).then(function () {
        window.location.assign(data.return_url);
      });
    }
    if (data.redirect) {  // paid, or the cart needs attention first
      window.location.assign(data.redirect);
      return null;
    }
    setBusy(false);
    showError(data.error || "Something went wrong. Please try again.", data.fields);
    return null;
  }

  function pay(body) {
    body.set("action", "pay");
    return post(form.getAttribute("action"), body).then(finish);
  }

  function failed(err) {
    setBusy(false);
    showError((err && err.message) || "Something went wrong. Please try again.");
  }

  if (stripe && document.getElementById("payment-element") && amount > 0) {
    elements = stripe.elements({
      mode: "payment",
      amount: amount,
      currency: currency,
      paymentMethodCreation: "manual"
    });
    elements.create("payment", { layout: "tabs" }).mount("#payment-element");
  }

  form.addEventListener("submit", function (event) {
    var submitter = event.submitter;
    if (!submitter || submitter.value !== "pay" || !stripe) { return; }
    if (parseInt(form.dataset.amount, 10) <= 0) { return; }  // nothing to pay: a plain post
    event.preventDefault();
    if (busyNow) { return; }  // a double click pays once
    setBusy(true);
    showError("");
    var body = formData();
    if (chosenCard() !== "new" || !elements) {
      pay(body).catch(failed);
      return;
    }
    elements.submit().then(function (result) {
      if (result.error) { throw new Error(result.error.message); }
      return stripe.createPaymentMethod({ elements: elements });
    }).then(function (result) {
      if (result.error) { throw new Error(result.error.message); }
      body.set("payment_method", result.paymentMethod.id);
      body.set("card", "new");
      return pay(body);
    }).catch(failed);
  });

  /* --- Wallets: Apple Pay, Google Pay, Link ------------------------------------------ */

  var section = document.getElementById("express-checkout-section");
  if (!stripe || !section || amount <= 0) { return; }
  var guest = form.dataset.guest === "1";
  var walletElements = stripe.elements({ mode: "payment", amount: amount, currency: currency });
  var express = walletElements.create("expressCheckout", {});
  var walletAddress = {};

  function walletFields(address, method) {
    return {
      wallet: "1",
      country: address.country || "",
      state: address.state || "",
      postcode: address.postal_code || "",
      line4: address.city || "",
      shipping_method: method || ""
    };
  }

  function walletQuote(address, method, event) {
    return quote(walletFields(address, method)).then(function (data) {
      if (data.error) { event.reject(); return; }
      walletElements.update({ amount: data.amount });
      event.resolve({ shippingRates: data.shipping_rates, lineItems: data.line_items });
    }).catch(function () { event.reject(); });
  }

  express.on("ready", function (event) {
    var found = event.availablePaymentMethods || {};
    section.hidden = !(found.applePay || found.googlePay || found.link);
  });
  express.on("click", function (event) {
    event.resolve({
      emailRequired: guest,
      phoneNumberRequired: false,
      shippingAddressRequired: true,
      allowedShippingCountries: ["US", "CA"],
      shippingRates: rates.length ? rates : [{ id: "standard", displayName: "Standard shipping", amount: 0 }]
    });
  });
  express.on("shippingaddresschange", function (event) {
    walletAddress = event.address || {};
    walletQuote(walletAddress, "", event);
  });
  express.on("shippingratechange", function (event) {
    walletQuote(walletAddress, event.shippingRate.id, event);
  });
  express.on("confirm", function (event) {
    var shipping = event.shippingAddress || {};
    var address = shipping.address || {};
    var names = (shipping.name || "").trim().split(/\s+/);
    var billing = event.billingDetails || {};
    setBusy(true);
    showError("");
    stripe.createPaymentMethod({ elements: walletElements }).then(function (result) {
      if (result.error) { throw new Error(result.error.message); }
      var body = formData(walletFields(address, event.shippingRate && event.shippingRate.id));
      body.set("first_name", names.length > 1 ? names.slice(0, -1).join(" ") : names[0] || "");
      body.set("last_name", names.length > 1 ? names[names.length - 1] : "");
      body.set("line1", address.line1 || "");
      body.set("line2", address.line2 || "");
      body.set("phone_number", billing.phone || "");
      if (guest) { body.set("email", billing.email || ""); }
      body.set("card", "new");
      body.set("save_card", "");
      body.set("payment_method", result.paymentMethod.id);
      body.set("action", "pay");
      return post(form.getAttribute("action"), body);
    }).then(function (data) {
      if (data.error && event.paymentFailed) { event.paymentFailed({ reason: "fail" }); }
      return finish(data);
    }).catch(function (err) {
      if (event.paymentFailed) { event.paymentFailed({ reason: "fail" }); }
      failed(err);
    });
  });
  express.mount("#express-checkout");
})();
