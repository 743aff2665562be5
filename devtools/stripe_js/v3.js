/*
 * A fake Stripe.js for development and tests, served by the fake Stripe at /js.stripe.com/v3/
 * (devtools/fake_payment_methods.py). Our own small code, not Stripe's nor localstripe's: just
 * the parts the checkout uses, so that it runs offline against the fake API.
 *
 * - stripe.elements({mode, amount, currency, ...}) with the Payment Element (a card form of
 *   three labelled inputs) and the Express Checkout Element (one "Pay with test wallet" button
 *   that plays a Google Pay sheet from window.fakeStripeWallet or a default buyer);
 * - stripe.createPaymentMethod({elements}), stripe.handleNextAction({clientSecret}) (a
 *   3-D Secure dialog that answers the fake's /_authenticate), stripe.confirmPayment() and
 *   stripe.retrievePaymentIntent().
 *
 * Requests go to the origin this script came from, form-encoded with the publishable key as
 * Stripe.js sends them: simple requests, so a page on another origin needs no preflight.
 * docs/fake-stripe.md lists what is covered.
 */
(function () {
  "use strict";

  const API = new URL(document.currentScript.src).origin;
  const WALLET_TYPE = "google_pay";
  const DEFAULT_WALLET = {
    name: "Jordan Rivera",
    email: "wallet.buyer@example.com",
    phone: "+13125550100",
    address: {
      line1: "233 S Wacker Dr",
      line2: "",
      city: "Chicago",
      state: "IL",
      postal_code: "60606",
      country: "US",
    },
    card: "4242424242424242",
  };
  const AUTHENTICATION_FAILED =
    "We are unable to authenticate your payment method. Please choose a different payment " +
    "method and try again.";
  const SUBMIT_FIRST =
    "elements.submit() must be called before stripe.createPaymentMethod(). Call " +
    "elements.submit() as soon as your customer presses pay, prior to any asynchronous work.";

  /* --- Helpers ------------------------------------------------------------------------- */

  // Stripe's form encoding: nested objects and lists as card[number], items[0][id].
  function formBody(params) {
    const body = new URLSearchParams();
    const add = (value, name) => {
      if (value === undefined || value === null) {
        return;
      }
      if (Array.isArray(value)) {
        value.forEach((item, index) => add(item, `${name}[${index}]`));
      } else if (typeof value === "object") {
        Object.keys(value).forEach((key) => add(value[key], name ? `${name}[${key}]` : key));
      } else {
        body.append(name, String(value));
      }
    };
    add(params, "");
    return body;
  }

  async function call(key, method, path, params) {
    const body = formBody({ ...params, key });
    const url = `${API}${path}`;
    try {
      const response =
        method === "GET" ? await fetch(`${url}?${body}`) : await fetch(url, { method, body });
      const data = await response.json().catch(() => ({}));
      if (response.ok && !data.error) {
        return { data };
      }
      return { error: data.error || { type: "api_error", message: `HTTP ${response.status}` } };
    } catch (err) {
      return { error: { type: "api_connection_error", message: String(err) } };
    }
  }

  function make(tag, attributes, children) {
    const node = document.createElement(tag);
    Object.entries(attributes || {}).forEach(([name, value]) => {
      if (name === "text") {
        node.textContent = value;
      } else if (name === "style") {
        Object.assign(node.style, value);
      } else {
        node.setAttribute(name, value);
      }
    });
    (children || []).forEach((child) => node.appendChild(child));
    return node;
  }

  function mountPoint(where) {
    const node = typeof where === "string" ? document.querySelector(where) : where;
    if (!node) {
      throw new Error(`Stripe (fake): no element matches ${where} to mount on.`);
    }
    return node;
  }

  function integrationError(message) {
    return { error: { type: "integration_error", message } };
  }

  function paymentIntentId(clientSecret) {
    const found = /^(pi_\w+?)_secret_/.exec(clientSecret || "");
    return found ? found[1] : null;
  }

  function walletProfile() {
    const custom = window.fakeStripeWallet || {};
    return {
      ...DEFAULT_WALLET,
      ...custom,
      address: { ...DEFAULT_WALLET.address, ...(custom.address || {}) },
    };
  }

  const digits = (value) => (value || "").replace(/\D/g, "");
  const BUTTON_STYLE = { font: "inherit", fontSize: "1rem", minHeight: "44px", padding: "0 1rem" };
  const BOX_STYLE = {
    flex: "1 1 8rem",
    minWidth: "0",
    display: "flex",
    flexDirection: "column",
    justifyContent: "space-between",
  };
  const INPUT_STYLE = {
    display: "block",
    width: "100%",
    boxSizing: "border-box",
    font: "inherit",
    fontSize: "16px",
    padding: "0.5rem",
    marginTop: "0.25rem",
  };

  /* --- The card form's rules ------------------------------------------------------------ */

  function readExpiry(text) {
    let month;
    let year;
    if (text.includes("/")) {
      [month, year] = text.split("/").map(digits);
    } else {
      const all = digits(text);
      month = all.slice(0, 2);
      year = all.slice(2);
    }
    if (!month || !year || year.length < 2 || year.length === 3) {
      return { code: "incomplete_expiry", message: "Your card's expiration date is incomplete." };
    }
    const monthNumber = parseInt(month, 10);
    const yearNumber = year.length === 2 ? 2000 + parseInt(year, 10) : parseInt(year, 10);
    if (monthNumber < 1 || monthNumber > 12) {
      return { code: "invalid_expiry_month", message: "Your card's expiration date is invalid." };
    }
    const now = new Date();
    if (yearNumber < now.getFullYear()) {
      return {
        code: "invalid_expiry_year_past",
        message: "Your card's expiration year is in the past.",
      };
    }
    if (yearNumber === now.getFullYear() && monthNumber < now.getMonth() + 1) {
      return {
        code: "invalid_expiry_month_past",
        message: "Your card's expiration date is in the past.",
      };
    }
    return { exp_month: String(monthNumber), exp_year: String(yearNumber) };
  }

  // The card, or the first thing wrong with it (and which input to point at).
  function readCard(inputs) {
    const number = digits(inputs.number.value);
    const cvc = digits(inputs.cvc.value);
    if (number.length < 16) {
      return {
        field: "number",
        code: "incomplete_number",
        message: "Your card number is incomplete.",
      };
    }
    const expiry = readExpiry(inputs.expiry.value);
    if (expiry.code) {
      return { field: "expiry", ...expiry };
    }
    if (cvc.length < 3) {
      return {
        field: "cvc",
        code: "incomplete_cvc",
        message: "Your card's security code is incomplete.",
      };
    }
    return { card: { number: number.slice(0, 16), cvc, ...expiry } };
  }

  /* --- Elements ------------------------------------------------------------------------- */

  class Emitter {
    constructor(type, elements, options) {
      this.elementType = type;
      this._elements = elements;
      this._options = { ...(options || {}) };
      this._handlers = {};
      this._root = null;
    }

    on(event, handler) {
      (this._handlers[event] = this._handlers[event] || []).push(handler);
      return this;
    }

    off(event, handler) {
      this._handlers[event] = (this._handlers[event] || []).filter((h) => h !== handler);
      return this;
    }

    _listens(event) {
      return (this._handlers[event] || []).length > 0;
    }

    _emit(event, payload) {
      const detail = { elementType: this.elementType, ...(payload || {}) };
      (this._handlers[event] || []).slice().forEach((handler) => handler(detail));
    }

    _attach(where, root, ready) {
      this._root = root;
      mountPoint(where).appendChild(root);
      setTimeout(() => this._emit("ready", ready), 0);
    }

    update(options) {
      Object.assign(this._options, options || {});
    }

    unmount() {
      if (this._root) {
        this._root.remove();
      }
    }

    destroy() {
      this.unmount();
      this._root = null;
      delete this._elements._created[this.elementType];
    }
  }

  // The Payment Element, card only: three inputs in a fieldset, each with its visible label.
  class PaymentElement extends Emitter {
    mount(where) {
      const field = (name, label, autocomplete, placeholder) => {
        const id = `fake-stripe-card-${name}`;
        const input = make("input", {
          id,
          name: id,
          type: "text",
          inputmode: "numeric",
          autocomplete,
          placeholder,
          "aria-describedby": "fake-stripe-card-error",
          style: INPUT_STYLE,
        });
        // A column whose input sits at the bottom: the inputs of a row line up when one
        // label wraps on a phone.
        const box = make("div", { style: BOX_STYLE }, [
          make("label", { for: id, text: label }),
          input,
        ]);
        return { input, box };
      };
      const number = field("number", "Card number", "cc-number", "4242 4242 4242 4242");
      const expiry = field("expiry", "Expiration date (MM / YY)", "cc-exp", "MM / YY");
      const cvc = field("cvc", "Security code", "cc-csc", "CVC");
      this._inputs = { number: number.input, expiry: expiry.input, cvc: cvc.input };
      this._error = make("p", {
        id: "fake-stripe-card-error",
        "aria-live": "polite",
        style: { margin: "0.5rem 0 0", color: "#b00020" },
      });
      const row = make("div", { style: { display: "flex", flexWrap: "wrap", gap: "0.75rem" } }, [
        expiry.box,
        cvc.box,
      ]);
      number.box.style.marginBottom = "0.75rem";
      const fieldset = make(
        "fieldset",
        {
          class: "fake-stripe-payment",
          style: {
            border: "1px solid #767676",
            borderRadius: "4px",
            padding: "0.75rem",
            margin: "0",
            minWidth: "0",
            maxWidth: "100%",
            boxSizing: "border-box",
          },
        },
        [make("legend", { text: "Card (test mode)" }), number.box, row, this._error],
      );
      fieldset.addEventListener("input", (event) => {
        event.target.removeAttribute("aria-invalid");
        this._error.textContent = "";
        this._elements._wallet = null; // typing a card means the wallet is not being used
        const read = readCard(this._inputs);
        const empty = Object.values(this._inputs).every((input) => !input.value);
        const complete = !read.code;
        this._emit("change", { complete, empty, collapsed: false, value: { type: "card" } });
      });
      fieldset.addEventListener("focusin", (event) => {
        if (!fieldset.contains(event.relatedTarget)) {
          this._emit("focus");
        }
      });
      fieldset.addEventListener("focusout", (event) => {
        if (!fieldset.contains(event.relatedTarget)) {
          this._emit("blur");
        }
      });
      this._attach(where, fieldset, {});
      return this;
    }

    // The card, or a validation error shown next to the input at fault.
    _read() {
      if (!this._inputs) {
        return { code: "incomplete", message: "The Payment Element is not mounted." };
      }
      const read = readCard(this._inputs);
      if (read.code && read.field) {
        this._inputs[read.field].setAttribute("aria-invalid", "true");
        this._error.textContent = read.message;
      }
      return read;
    }

    focus() {
      if (this._inputs) {
        this._inputs.number.focus();
      }
    }

    blur() {
      if (document.activeElement && this._root && this._root.contains(document.activeElement)) {
        document.activeElement.blur();
      }
    }

    clear() {
      Object.values(this._inputs || {}).forEach((input) => {
        input.value = "";
      });
    }

    collapse() {
      return this;
    }
  }

  // The Express Checkout Element: one button that plays a wallet's payment sheet.
  class ExpressCheckoutElement extends Emitter {
    mount(where) {
      this._button = make("button", {
        type: "button",
        id: "fake-stripe-express-button",
        text: "Pay with test wallet",
        style: { ...BUTTON_STYLE, width: "100%", maxWidth: "100%" },
      });
      this._message = make("p", {
        id: "fake-stripe-express-message",
        "aria-live": "polite",
        style: { margin: "0.5rem 0 0" },
      });
      this._button.addEventListener("click", () => this._play());
      const root = make("div", { class: "fake-stripe-express" }, [this._button, this._message]);
      this._attach(where, root, {
        availablePaymentMethods: { applePay: false, googlePay: true, link: false },
      });
      return this;
    }

    // Fires an event whose handler must answer with resolve(payload) or reject(); with no
    // handler the sheet goes on, as Stripe's does.
    _ask(event, payload) {
      if (!this._listens(event)) {
        return Promise.resolve({ resolved: true, value: {} });
      }
      return new Promise((settle) => {
        this._emit(event, {
          ...payload,
          resolve: (value) => settle({ resolved: true, value: value || {} }),
          reject: () => settle({ resolved: false }),
        });
      });
    }

    _cancel(message) {
      this._message.textContent = message;
      this._emit("cancel");
    }

    async _play() {
      if (this._button.disabled) {
        return;
      }
      this._button.disabled = true;
      this._message.textContent = "";
      try {
        await this._sheet();
      } finally {
        this._button.disabled = false;
      }
    }

    async _sheet() {
      const clicked = await this._ask("click", { expressPaymentType: WALLET_TYPE });
      const options = { ...this._options, ...clicked.value };
      const profile = walletProfile();
      let rates = options.shippingRates || [];
      let shippingAddress;
      let shippingRate;
      if (options.shippingAddressRequired) {
        const { city, state, postal_code, country } = profile.address;
        const address = await this._ask("shippingaddresschange", {
          name: profile.name,
          address: { city, state, postal_code, country },
        });
        if (!address.resolved) {
          this._cancel("This wallet address cannot be used.");
          return;
        }
        rates = address.value.shippingRates || rates;
        shippingAddress = { name: profile.name, address: { ...profile.address } };
        if (rates.length) {
          shippingRate = rates.find((rate) => rate.id === profile.shippingRateId) || rates[0];
          const rate = await this._ask("shippingratechange", { shippingRate });
          if (!rate.resolved) {
            this._cancel("This shipping rate cannot be used.");
            return;
          }
        }
      }
      const billingDetails = { name: profile.name, address: { ...profile.address } };
      if (options.emailRequired) {
        billingDetails.email = profile.email;
      }
      if (options.phoneNumberRequired) {
        billingDetails.phone = profile.phone;
      }
      // createPaymentMethod({elements}) now makes the wallet's card, until the page says
      // the payment failed or the buyer types a card instead.
      this._elements._wallet = profile;
      this._emit("confirm", {
        expressPaymentType: WALLET_TYPE,
        billingDetails,
        shippingAddress,
        shippingRate,
        paymentFailed: (details) => {
          this._elements._wallet = null;
          const reason = (details && details.reason) || "fail";
          this._message.textContent =
            reason === "invalid_shipping_address"
              ? "This wallet address cannot be used."
              : "The wallet payment failed.";
        },
      });
    }
  }

  const ELEMENT_TYPES = { payment: PaymentElement, expressCheckout: ExpressCheckoutElement };

  class Elements {
    constructor(options) {
      this._options = { ...(options || {}) };
      this._created = {};
      this._wallet = null;
      this._submitted = false;
    }

    create(type, options) {
      const Kind = ELEMENT_TYPES[type];
      if (!Kind) {
        throw new Error(`Stripe (fake): there is no "${type}" Element in the fake Stripe.js.`);
      }
      if (this._created[type]) {
        throw new Error(`Stripe (fake): can only create one Element of type ${type}.`);
      }
      this._created[type] = new Kind(type, this, options);
      return this._created[type];
    }

    getElement(type) {
      return this._created[type] || null;
    }

    update(options) {
      Object.assign(this._options, options || {});
    }

    fetchUpdates() {
      return Promise.resolve({});
    }

    async submit() {
      if (this._wallet) {
        return {};
      }
      const payment = this._created.payment;
      if (!payment) {
        return integrationError("elements.submit() needs a mounted Payment Element.");
      }
      const read = payment._read();
      if (read.code) {
        this._submitted = false;
        return { error: { type: "validation_error", code: read.code, message: read.message } };
      }
      this._submitted = true;
      return {};
    }
  }

  /* --- 3-D Secure ------------------------------------------------------------------------ */

  // The bank's page, as an accessible modal dialog; resolves true (complete) or false.
  function askThreeDSecure() {
    return new Promise((resolve) => {
      const before = document.activeElement;
      const title = make("h2", {
        id: "fake-stripe-3ds-title",
        text: "Test 3-D Secure",
        style: { margin: "0 0 0.5rem", fontSize: "1.25rem" },
      });
      const text = make("p", {
        id: "fake-stripe-3ds-text",
        text: "Your bank asks you to confirm this test payment.",
      });
      const complete = make("button", {
        type: "button",
        id: "fake-stripe-3ds-complete",
        text: "Complete authentication",
        style: BUTTON_STYLE,
      });
      const fail = make("button", {
        type: "button",
        id: "fake-stripe-3ds-fail",
        text: "Fail authentication",
        style: BUTTON_STYLE,
      });
      const dialog = make(
        "div",
        {
          id: "fake-stripe-3ds",
          role: "dialog",
          "aria-modal": "true",
          "aria-labelledby": title.id,
          "aria-describedby": text.id,
          style: {
            background: "#fff",
            color: "#1a1a1a",
            padding: "1.25rem",
            borderRadius: "8px",
            width: "100%",
            maxWidth: "26rem",
            boxSizing: "border-box",
            fontFamily: "system-ui, sans-serif",
          },
        },
        [
          title,
          text,
          make("div", { style: { display: "flex", flexWrap: "wrap", gap: "0.5rem" } }, [
            complete,
            fail,
          ]),
        ],
      );
      const backdrop = make(
        "div",
        {
          id: "fake-stripe-3ds-backdrop",
          style: {
            position: "fixed",
            inset: "0",
            display: "flex",
            alignItems: "center",
            justifyContent: "center",
            padding: "1rem",
            background: "rgba(0, 0, 0, 0.5)",
            zIndex: "2147483647",
          },
        },
        [dialog],
      );
      const onKey = (event) => {
        if (event.key === "Escape") {
          close(false);
        } else if (event.key === "Tab") {
          // Focus stays in the dialog: it has two buttons.
          event.preventDefault();
          (document.activeElement === complete ? fail : complete).focus();
        }
      };
      const close = (answer) => {
        document.removeEventListener("keydown", onKey, true);
        backdrop.remove();
        if (before && before.focus) {
          before.focus();
        }
        resolve(answer);
      };
      complete.addEventListener("click", () => close(true));
      fail.addEventListener("click", () => close(false));
      document.addEventListener("keydown", onKey, true);
      document.body.appendChild(backdrop);
      complete.focus();
    });
  }

  /* --- The Stripe object ------------------------------------------------------------------ */

  class FakeStripe {
    constructor(key) {
      if (typeof key !== "string" || !key.startsWith("pk_")) {
        throw new Error("Stripe (fake): pass a publishable key (pk_...).");
      }
      this._key = key;
    }

    elements(options) {
      return new Elements(options);
    }

    async _newPaymentMethod(params) {
      const created = await call(this._key, "POST", "/v1/payment_methods", params);
      return created.error ? { error: created.error } : { paymentMethod: created.data };
    }

    async createPaymentMethod(args) {
      const { elements, params } = args || {};
      if (!(elements instanceof Elements)) {
        return integrationError("createPaymentMethod: pass {elements} from stripe.elements().");
      }
      const billing = (params && params.billing_details) || {};
      const profile = elements._wallet;
      if (profile) {
        const { name, email, phone, address } = profile;
        return this._newPaymentMethod({
          type: "card",
          card: {
            number: profile.card,
            exp_month: profile.exp_month || "12",
            exp_year: profile.exp_year || "2034",
            cvc: profile.cvc || "123",
            wallet: WALLET_TYPE,
          },
          billing_details: { name, email, phone, address, ...billing },
        });
      }
      if (!elements._submitted) {
        return integrationError(SUBMIT_FIRST);
      }
      const read = elements._created.payment._read();
      if (read.code) {
        return { error: { type: "validation_error", code: read.code, message: read.message } };
      }
      elements._submitted = false;
      return this._newPaymentMethod({ type: "card", card: read.card, billing_details: billing });
    }

    async retrievePaymentIntent(clientSecret) {
      const id = paymentIntentId(clientSecret);
      if (!id) {
        return integrationError("Invalid client secret.");
      }
      const read = await call(this._key, "GET", `/v1/payment_intents/${id}`, {
        client_secret: clientSecret,
      });
      return read.error ? { error: read.error } : { paymentIntent: read.data };
    }

    async _authenticate(clientSecret) {
      const success = await askThreeDSecure();
      const id = paymentIntentId(clientSecret);
      const done = await call(
        this._key,
        "POST",
        `/v1/payment_intents/${id}/_authenticate?success=${success}`,
        { client_secret: clientSecret },
      );
      if (done.error) {
        return { error: done.error };
      }
      if (done.data.status === "requires_payment_method") {
        const error = {
          type: "card_error",
          code: "payment_intent_authentication_failure",
          message: AUTHENTICATION_FAILED,
          payment_intent: done.data,
        };
        return { error };
      }
      return { paymentIntent: done.data };
    }

    async handleNextAction(args) {
      const clientSecret = args && args.clientSecret;
      const read = await this.retrievePaymentIntent(clientSecret);
      if (read.error || read.paymentIntent.status !== "requires_action") {
        return read;
      }
      return this._authenticate(clientSecret);
    }

    async confirmPayment(args) {
      const { elements, clientSecret, confirmParams = {}, redirect = "always" } = args || {};
      const id = paymentIntentId(clientSecret);
      if (!id) {
        return integrationError("confirmPayment: pass the PaymentIntent's clientSecret.");
      }
      let paymentMethod = confirmParams.payment_method;
      if (!paymentMethod) {
        const data = confirmParams.payment_method_data || {};
        const created = await this.createPaymentMethod({
          elements,
          params: { billing_details: data.billing_details },
        });
        if (created.error) {
          return created;
        }
        paymentMethod = created.paymentMethod.id;
      }
      const confirmed = await call(this._key, "POST", `/v1/payment_intents/${id}/confirm`, {
        client_secret: clientSecret,
        payment_method: paymentMethod,
        return_url: confirmParams.return_url,
        receipt_email: confirmParams.receipt_email,
      });
      if (confirmed.error) {
        return { error: confirmed.error };
      }
      let paymentIntent = confirmed.data;
      const acted = paymentIntent.status === "requires_action";
      if (acted) {
        const done = await this._authenticate(clientSecret);
        if (done.error) {
          return done;
        }
        paymentIntent = done.paymentIntent;
      }
      if (redirect === "if_required" && !acted) {
        return { paymentIntent };
      }
      if (!confirmParams.return_url) {
        return integrationError("confirmPayment: confirmParams.return_url is required.");
      }
      const target = new URL(confirmParams.return_url, window.location.href);
      target.searchParams.set("payment_intent", paymentIntent.id);
      target.searchParams.set("payment_intent_client_secret", clientSecret);
      const ok = ["succeeded", "processing", "requires_capture"].includes(paymentIntent.status);
      target.searchParams.set("redirect_status", ok ? "succeeded" : "failed");
      window.location.assign(target.toString());
      return new Promise(() => {}); // the page is leaving
    }
  }

  window.Stripe = function Stripe(key, options) {
    return new FakeStripe(key, options);
  };
  window.Stripe.version = 3;
})();
