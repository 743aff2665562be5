/* The address forms' state/province list (shop/address/forms.py). Without JavaScript the
   list shows every state and province grouped by country and the server checks the choice;
   with it, the list keeps only the chosen country's group, and the labels follow the
   country: "State"/"Province", "ZIP code"/"Postal code" (data-label-us, data-label-ca). */
(function () {
  "use strict";

  function setUp(region) {
    var form = region.form;
    var country = form && form.querySelector("select[data-address-country]");
    if (!country) { return; }
    var names = {};
    region.getAttribute("data-country-groups").split(",").forEach(function (pair) {
      var parts = pair.split(":");
      names[parts[0]] = parts[1];
    });
    var groups = Array.prototype.slice.call(region.querySelectorAll("optgroup"));
    var relabelled = form.querySelectorAll("[data-label-us]");

    function update() {
      var code = country.value;
      var kept = region.value;
      groups.forEach(function (group) {
        if (group.parentNode) { region.removeChild(group); }
      });
      groups.forEach(function (group) {
        if (!names[code] || group.label === names[code]) { region.appendChild(group); }
      });
      // A state of the other country is no longer offered: back to "Choose…".
      region.value = kept;
      if (region.value !== kept) { region.value = ""; }
      relabelled.forEach(function (field) {
        var label = form.querySelector('label[for="' + field.id + '"]');
        var text = field.getAttribute("data-label-" + code.toLowerCase());
        if (label && text) { label.textContent = text; }
      });
    }

    country.addEventListener("change", update);
    update();
  }

  function init() {
    document.querySelectorAll("select[data-address-region]").forEach(setUp);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
