/*
 * Oscar's page set-up, from a file. Oscar's templates write it as an inline script (the
 * `onbodyload` block), which the Content-Security-Policy could only allow by a nonce, and a
 * page served from the cache would show every visitor the same nonce. The script tag says
 * which page this is (Django's view name); the parts each page needs are listed here.
 */
(function () {
  "use strict";
  var script = document.currentScript;
  var view = script.getAttribute("data-view") || "";
  var basketUrl = script.getAttribute("data-basket-url");
  var PARTS = {
    "basket:summary": ["basket"],
    "catalogue:index": ["search"],
    "catalogue:category": ["search"],
    "search:search": ["search"],
    "customer:wishlists-list": ["wishlists"],
    "customer:notifications-inbox": ["notifications"],
    "customer:notifications-archive": ["notifications"],
  };
  var INIT = {
    basket: function () { oscar.basket.init({ basketURL: basketUrl }); },
    search: function () { oscar.search.init(); },
    wishlists: function () { oscar.customer.wishlists.init(); },
    notifications: function () { oscar.notifications.init(); },
  };
  document.addEventListener("DOMContentLoaded", function () {
    var done = ["oscar"];
    oscar.init();
    (PARTS[view] || []).forEach(function (part) {
      INIT[part]();
      done.push(part);
    });
    // What ran, as an attribute the browser tests wait for (expect().to_have_attribute).
    document.documentElement.setAttribute("data-oscar-ready", done.join(" "));
  });
})();
