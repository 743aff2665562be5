/* Tracking with consent (issue 7).

   The page carries data only: the ids and script URLs (#tracking-config) and its events
   (<script type="application/json" data-tracking-event>). Pages are cached and shared by
   every anonymous visitor, so the visitor's choice is read here, in the browser, from the
   first-party cookie "consent" ("v1|analytics:1|marketing:0", a necessary cookie). Until
   the visitor agrees, no third-party script is loaded and no tracking cookie is set; the
   page's events are held and sent if consent comes while the page is open.

   Meta Pixel runs with "marketing" consent, Google Analytics 4 with "analytics" consent.
   Events that must count once (a Purchase, a checkout start) carry a "once" key remembered
   in localStorage, so a reload or a revisit sends nothing twice. */
(function () {
  "use strict";

  var configElement = document.getElementById("tracking-config");
  if (!configElement) { return; }
  var config = JSON.parse(configElement.textContent);

  var COOKIE = "consent";
  var COOKIE_MAX_AGE = 60 * 60 * 24 * 180;
  var SENT_KEY = "tracking:sent";
  var SENT_KEEP_MS = 1000 * 60 * 60 * 24 * 180;
  var TRACKING_COOKIE = /^(_fbp|_fbc|_ga|_ga_.+|_gid|_gat.*)$/;
  var GA_EVENTS = {
    ViewContent: "view_item",
    AddToCart: "add_to_cart",
    InitiateCheckout: "begin_checkout",
    Purchase: "purchase",
    Lead: "generate_lead",
    Search: "search",
    FindLocation: "find_location"
  };

  var started = { meta: false, ga: false };
  var pageEvents = [];

  /* --- The visitor's choice ----------------------------------------------------------- */

  function readConsent() {
    var match = document.cookie.match(/(?:^|;\s*)consent=([^;]*)/);
    if (!match) { return null; }
    var parts = decodeURIComponent(match[1]).split("|");
    if (parts[0] !== "v1") { return null; }
    var choice = { analytics: false, marketing: false };
    parts.slice(1).forEach(function (part) {
      var pair = part.split(":");
      if (Object.prototype.hasOwnProperty.call(choice, pair[0])) { choice[pair[0]] = pair[1] === "1"; }
    });
    return choice;
  }

  function writeConsent(choice) {
    var value = "v1|analytics:" + (choice.analytics ? 1 : 0) + "|marketing:" + (choice.marketing ? 1 : 0);
    var secure = window.location.protocol === "https:" ? "; Secure" : "";
    document.cookie = COOKIE + "=" + value + "; Max-Age=" + COOKIE_MAX_AGE + "; Path=/; SameSite=Lax" + secure;
  }

  function deleteTrackingCookies() {
    var host = window.location.hostname.split(".");
    var domains = [""];
    for (var i = 0; i < host.length - 1; i++) { domains.push("; Domain=." + host.slice(i).join(".")); }
    document.cookie.split(/;\s*/).forEach(function (pair) {
      var name = pair.split("=")[0];
      if (!TRACKING_COOKIE.test(name)) { return; }
      domains.forEach(function (domain) {
        document.cookie = name + "=; Max-Age=0; Path=/" + domain;
      });
    });
  }

  /* --- Events sent once ------------------------------------------------------------------ */

  function sentLog() {
    try {
      return JSON.parse(window.localStorage.getItem(SENT_KEY) || "{}");
    } catch (error) {
      return {};
    }
  }

  function wasSent(key) {
    return Object.prototype.hasOwnProperty.call(sentLog(), key);
  }

  function markSent(key) {
    var log = sentLog();
    var now = Date.now();
    Object.keys(log).forEach(function (old) {
      if (now - log[old] > SENT_KEEP_MS) { delete log[old]; }
    });
    log[key] = now;
    try {
      window.localStorage.setItem(SENT_KEY, JSON.stringify(log));
    } catch (error) {
      /* Storage full or blocked: the server still renders a Purchase only once. */
    }
  }

  /* --- The trackers ------------------------------------------------------------------------ */

  function loadScript(src) {
    var script = document.createElement("script");
    script.async = true;
    script.src = src;
    document.head.appendChild(script);
  }

  function startMeta() {
    if (!window.fbq) {
      // Meta's base code: a queue that fbevents.js drains when it has loaded.
      var fbq = function () {
        if (fbq.callMethod) { fbq.callMethod.apply(fbq, arguments); } else { fbq.queue.push(arguments); }
      };
      window.fbq = fbq;
      if (!window._fbq) { window._fbq = fbq; }
      fbq.push = fbq;
      fbq.loaded = true;
      fbq.version = "2.0";
      fbq.queue = [];
      loadScript(config.metaScriptUrl);
    }
    window.fbq("init", config.metaPixelId);
    window.fbq("track", "PageView");
    started.meta = true;
  }

  function startGa() {
    window.dataLayer = window.dataLayer || [];
    window.gtag = function () { window.dataLayer.push(arguments); };
    window.gtag("js", new Date());
    window.gtag("config", config.ga4Id);  // sends GA4's page_view
    var separator = config.ga4ScriptUrl.indexOf("?") === -1 ? "?" : "&";
    loadScript(config.ga4ScriptUrl + separator + "id=" + encodeURIComponent(config.ga4Id));
    started.ga = true;
  }

  function gaParams(event) {
    var params = event.params || {};
    var out = {};
    if (params.currency) { out.currency = params.currency; }
    if (typeof params.value === "number") { out.value = params.value; }
    var contents = params.contents || (params.content_ids || []).map(function (id) {
      return { id: id, quantity: 1 };
    });
    if (contents.length) {
      out.items = contents.map(function (item) { return { item_id: item.id, quantity: item.quantity }; });
    }
    if (params.search_string) { out.search_term = params.search_string; }
    if (event.event === "Purchase" && event.eventID) { out.transaction_id = event.eventID; }
    return out;
  }

  /* Send one event to the given trackers (those started). */
  function send(event, targets) {
    if (targets.meta && started.meta && !(event.once && wasSent(event.once + ":meta"))) {
      if (event.eventID) {
        window.fbq("track", event.event, event.params || {}, { eventID: event.eventID });
      } else {
        window.fbq("track", event.event, event.params || {});
      }
      if (event.once) { markSent(event.once + ":meta"); }
    }
    var gaName = GA_EVENTS[event.event];
    if (targets.ga && started.ga && gaName && !(event.once && wasSent(event.once + ":ga"))) {
      window.gtag("event", gaName, gaParams(event));
      if (event.once) { markSent(event.once + ":ga"); }
    }
  }

  /* Start what the choice allows and has not started yet; send this page's events to it. */
  function startAllowed(choice) {
    var fresh = { meta: false, ga: false };
    if (choice.marketing && config.metaPixelId && !started.meta) { startMeta(); fresh.meta = true; }
    if (choice.analytics && config.ga4Id && !started.ga) { startGa(); fresh.ga = true; }
    if (fresh.meta || fresh.ga) {
      pageEvents.forEach(function (event) { send(event, fresh); });
    }
  }

  function readJson(element) {
    try {
      return JSON.parse(element.textContent);
    } catch (error) {
      return null;
    }
  }

  pageEvents = Array.prototype.map.call(
    document.querySelectorAll("script[data-tracking-event]"), readJson
  ).filter(function (event) { return event && event.event; });

  /* --- AddToCart: any add-to-basket form on any page ------------------------------------------ */

  function productData(pk) {
    var card = document.querySelector('script[data-tracking-product="' + pk + '"]');
    if (card) { return readJson(card); }
    for (var i = 0; i < pageEvents.length; i++) {
      if (String(pageEvents[i].productPk) === String(pk)) { return pageEvents[i]; }
    }
    return null;
  }

  document.addEventListener("submit", function (domEvent) {
    var form = domEvent.target;
    // site.js may hold the first submit back to fetch a CSRF token, then submit again.
    if (domEvent.defaultPrevented || !(started.meta || started.ga)) { return; }
    var match = (form.getAttribute("action") || "").match(/\/basket\/add\/(\d+)\//);
    if (!match) { return; }
    var data = productData(match[1]);
    var quantityInput = form.querySelector('[name="quantity"]');
    var quantity = Math.max(parseInt(quantityInput ? quantityInput.value : "1", 10) || 1, 1);
    var params = { content_type: "product", content_ids: [], contents: [] };
    if (data && data.params) {
      params.content_ids = data.params.content_ids;
      params.contents = data.params.content_ids.map(function (id) { return { id: id, quantity: quantity }; });
      params.content_name = data.params.content_name;
      params.currency = data.params.currency;
      if (typeof data.params.value === "number") {
        params.value = Math.round(data.params.value * quantity * 100) / 100;
      }
    }
    send({ event: "AddToCart", params: params }, { meta: true, ga: true });
  });

  /* --- The banner -------------------------------------------------------------------------- */

  var banner = document.getElementById("consent-banner");
  var choices = document.getElementById("consent-choices");
  var chooseButton = banner && banner.querySelector('[data-consent-action="choose"]');
  var returnFocusTo = null;

  function openChoices() {
    var current = readConsent() || { analytics: false, marketing: false };
    Array.prototype.forEach.call(choices.querySelectorAll("input[name]"), function (box) {
      box.checked = !!current[box.name];
    });
    choices.hidden = false;
    chooseButton.setAttribute("aria-expanded", "true");
    var first = choices.querySelector("input[name]") || choices.querySelector("button");
    if (first) { first.focus(); }
  }

  function showBanner(withChoices) {
    banner.hidden = false;
    if (withChoices) {
      openChoices();
    } else {
      choices.hidden = true;
      chooseButton.setAttribute("aria-expanded", "false");
    }
  }

  function hideBanner() {
    banner.hidden = true;
    if (returnFocusTo) { returnFocusTo.focus(); returnFocusTo = null; }
  }

  function apply(choice) {
    writeConsent(choice);
    hideBanner();
    var withdrawn = (started.meta && !choice.marketing) || (started.ga && !choice.analytics);
    if (withdrawn) {
      // Scripts cannot be unloaded: clear their cookies and start the page afresh.
      deleteTrackingCookies();
      window.location.reload();
      return;
    }
    startAllowed(choice);
  }

  if (banner) {
    banner.addEventListener("click", function (domEvent) {
      var button = domEvent.target.closest("[data-consent-action]");
      if (!button) { return; }
      var action = button.getAttribute("data-consent-action");
      if (action === "accept") { apply({ analytics: true, marketing: true }); }
      if (action === "reject") { apply({ analytics: false, marketing: false }); }
      if (action === "choose") { openChoices(); }
    });
    choices.addEventListener("submit", function (domEvent) {
      domEvent.preventDefault();
      var box = function (name) {
        var input = choices.querySelector('input[name="' + name + '"]');
        return !!(input && input.checked);
      };
      apply({ analytics: box("analytics"), marketing: box("marketing") });
    });
    banner.addEventListener("keydown", function (domEvent) {
      if (domEvent.key === "Escape" && readConsent()) { hideBanner(); }
    });
    document.addEventListener("click", function (domEvent) {
      var opener = domEvent.target.closest("[data-consent-open]");
      if (!opener) { return; }
      domEvent.preventDefault();
      returnFocusTo = opener;
      showBanner(true);
    });
  }

  var consent = readConsent();
  if (consent) {
    startAllowed(consent);
  } else if (banner) {
    showBanner(false);
  }
})();
