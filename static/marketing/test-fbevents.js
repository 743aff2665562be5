/* A local stand-in for Meta's fbevents.js, for tests (settings.META_PIXEL_SCRIPT_URL).
   Like the real script it takes over the queue of Meta's base code and sets the _fbp
   cookie; instead of sending anything it records every call in window.__fbqCalls. */
(function () {
  "use strict";
  var fbq = window.fbq;
  if (!fbq) { return; }
  window.__fbqCalls = window.__fbqCalls || [];
  fbq.callMethod = function () {
    var args = Array.prototype.slice.call(arguments);
    window.__fbqCalls.push(JSON.parse(JSON.stringify(args)));
  };
  var queued = fbq.queue || [];
  fbq.queue = [];
  queued.forEach(function (args) { fbq.callMethod.apply(fbq, args); });
  if (!/(?:^|;\s*)_fbp=/.test(document.cookie)) {
    var id = "fb.1." + Date.now() + "." + Math.floor(Math.random() * 1e10);
    document.cookie = "_fbp=" + id + "; Max-Age=7776000; Path=/; SameSite=Lax";
  }
})();
