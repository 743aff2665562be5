/* Suggestions as you type in the header's search box: the ARIA 1.2 combobox pattern
   (https://www.w3.org/WAI/ARIA/apg/patterns/combobox/), a list of products, articles and pages
   from /search/suggest/. Without this script the box is a plain GET form to /search/, so every
   ARIA attribute is added here, not in the template. */
(function () {
  "use strict";
  var input = document.getElementById("site-search-q");
  if (!input || !window.fetch) { return; }
  var form = input.form;
  var endpoint = form.getAttribute("action").replace(/\/?$/, "/") + "suggest/";
  var listbox = document.createElement("div");
  var status = document.createElement("div");
  var options = [];
  var active = -1;
  var timer = null;
  var pending = null;
  var GROUPS = [["products", "Products"], ["articles", "Articles"], ["pages", "Pages"]];

  listbox.id = "site-search-listbox";
  listbox.className = "search-suggestions";
  listbox.setAttribute("role", "listbox");
  listbox.setAttribute("aria-label", "Search suggestions");
  listbox.hidden = true;
  status.className = "sr-only";
  status.setAttribute("role", "status");
  form.appendChild(listbox);
  form.appendChild(status);
  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-expanded", "false");
  input.setAttribute("aria-controls", listbox.id);
  input.setAttribute("autocomplete", "off");

  function setActive(index) {
    if (active >= 0 && options[active]) { options[active].setAttribute("aria-selected", "false"); }
    active = index;
    if (active >= 0 && options[active]) {
      options[active].setAttribute("aria-selected", "true");
      input.setAttribute("aria-activedescendant", options[active].id);
      options[active].scrollIntoView({ block: "nearest" });
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  }

  function close() {
    setActive(-1);
    listbox.hidden = true;
    input.setAttribute("aria-expanded", "false");
  }

  function open() {
    if (!options.length) { return; }
    listbox.hidden = false;
    input.setAttribute("aria-expanded", "true");
  }

  function option(item, kind) {
    var node = document.createElement("div");
    node.id = "site-search-option-" + options.length;
    node.className = "search-suggestion search-suggestion-" + kind;
    node.setAttribute("role", "option");
    node.setAttribute("aria-selected", "false");
    node.dataset.url = item.url;
    if (item.image) {
      var image = document.createElement("img");
      image.src = item.image;
      image.alt = "";
      image.width = 40;
      image.height = 40;
      node.appendChild(image);
    }
    var title = document.createElement("span");
    title.className = "search-suggestion-title";
    title.textContent = item.title;
    node.appendChild(title);
    if (item.price) {
      var price = document.createElement("span");
      price.className = "search-suggestion-price";
      price.textContent = item.price;
      node.appendChild(price);
    }
    options.push(node);
    return node;
  }

  function render(data) {
    listbox.textContent = "";
    options = [];
    active = -1;
    GROUPS.forEach(function (pair) {
      var items = data[pair[0]] || [];
      if (!items.length) { return; }
      var group = document.createElement("div");
      group.setAttribute("role", "group");
      group.setAttribute("aria-label", pair[1]);
      items.forEach(function (item) { group.appendChild(option(item, pair[0])); });
      listbox.appendChild(group);
    });
    if (options.length) {
      var all = option({ title: "All results for “" + data.query + "”", url: form.getAttribute("action") + "?q=" + encodeURIComponent(data.query) }, "all");
      listbox.appendChild(all);
    }
    var count = options.length ? options.length - 1 : 0;
    status.textContent = count ? count + (count === 1 ? " suggestion" : " suggestions") + ", arrow down to choose" : "";
    if (options.length && document.activeElement === input) { open(); } else { close(); }
  }

  function load() {
    var query = input.value.trim();
    if (query.length < 2) { render({ query: query }); return; }
    if (pending) { pending.abort(); }
    pending = new AbortController();
    fetch(endpoint + "?q=" + encodeURIComponent(query), { signal: pending.signal, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) { if (data && input.value.trim() === query) { render(data); } })
      .catch(function () { /* aborted or offline: the plain search still works */ });
  }

  function go(node) {
    if (node && node.dataset.url) { window.location.assign(node.dataset.url); }
  }

  input.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(load, 150);
  });
  input.addEventListener("keydown", function (event) {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      if (!options.length) { return; }
      event.preventDefault();
      open();
      var step = event.key === "ArrowDown" ? 1 : -1;
      setActive((active + step + options.length + (active < 0 && step < 0 ? 1 : 0)) % options.length);
    } else if (event.key === "Enter" && !listbox.hidden && active >= 0) {
      event.preventDefault();
      go(options[active]);
    } else if (event.key === "Escape") {
      if (!listbox.hidden) { event.preventDefault(); close(); } else { input.value = ""; }
    }
  });
  input.addEventListener("focus", open);
  input.addEventListener("blur", function () { window.setTimeout(close, 150); });
  listbox.addEventListener("mousedown", function (event) { event.preventDefault(); });
  listbox.addEventListener("click", function (event) {
    go(event.target.closest("[role=option]"));
  });
})();
