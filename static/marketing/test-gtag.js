/* A local stand-in for Google's gtag.js, for tests (settings.GA4_SCRIPT_URL). Like the
   real script it sets the _ga cookie; the calls stay in window.dataLayer for tests to read. */
(function () {
  "use strict";
  window.__gtagLoaded = true;
  if (!/(?:^|;\s*)_ga=/.test(document.cookie)) {
    var id = "GA1.1." + Math.floor(Math.random() * 1e10) + "." + Math.floor(Date.now() / 1000);
    document.cookie = "_ga=" + id + "; Max-Age=63072000; Path=/; SameSite=Lax";
  }
})();
