/* Clinic Locator: "Use my location" and the Leaflet map. Both are enhancements: the
 * search form and the result list work without JavaScript, the map works without tiles. */
(function () {
  "use strict";

  function readJson(id) {
    var node = document.getElementById(id);
    if (!node) return null;
    try { return JSON.parse(node.textContent); } catch (e) { return null; }
  }

  function setupLocationButton() {
    var button = document.querySelector("[data-clinic-use-location]");
    var form = button && button.form;
    if (!button || !form || !("geolocation" in navigator)) return;
    var status = document.querySelector("[data-clinic-location-status]");
    var lat = form.querySelector("input[name=lat]");
    var lng = form.querySelector("input[name=lng]");
    var query = form.querySelector("input[name=q]");
    button.hidden = false;

    // Typing a place replaces a previous "my location" search.
    query.addEventListener("input", function () { lat.value = ""; lng.value = ""; });

    button.addEventListener("click", function () {
      if (status) status.textContent = "Finding your location…";
      button.disabled = true;
      navigator.geolocation.getCurrentPosition(function (position) {
        lat.value = position.coords.latitude.toFixed(5);
        lng.value = position.coords.longitude.toFixed(5);
        query.value = "";
        form.submit();
      }, function (error) {
        button.disabled = false;
        if (status) {
          status.textContent = error.code === error.PERMISSION_DENIED
            ? "Location permission was refused; type a ZIP code, postal code or city instead."
            : "We couldn't get your location; type a ZIP code, postal code or city instead.";
        }
      }, { enableHighAccuracy: false, timeout: 10000, maximumAge: 600000 });
    });
  }

  function setupMap() {
    var node = document.getElementById("clinic-map");
    var markers = readJson("clinic-map-markers") || [];
    if (!node || !window.L || !markers.length) return;
    var L = window.L;
    var map = L.map(node, { scrollWheelZoom: false });
    if (node.dataset.tileUrl) {
      L.tileLayer(node.dataset.tileUrl, {
        maxZoom: 19,
        // A phone's screen has 2-3 device pixels per CSS pixel: ask for the next zoom's
        // tiles at half size there, so the map is sharp (Lighthouse: image-size-responsive).
        detectRetina: true,
        attribution: node.dataset.tileAttribution || ""
      }).addTo(map);
    }
    var icon = L.icon({
      iconUrl: node.dataset.markerIcon,
      iconRetinaUrl: node.dataset.markerIcon2x,
      shadowUrl: node.dataset.markerShadow,
      iconSize: [25, 41], iconAnchor: [12, 41], popupAnchor: [1, -34], shadowSize: [41, 41]
    });
    var bounds = [];
    markers.forEach(function (m) {
      var popup = document.createElement("div");
      var link = document.createElement("a");
      link.href = m.url;
      link.textContent = m.name;
      popup.appendChild(link);
      popup.appendChild(document.createElement("br"));
      popup.appendChild(document.createTextNode(m.address + (m.distance ? " (" + m.distance + ")" : "")));
      L.marker([m.lat, m.lng], { icon: icon, title: m.name }).bindPopup(popup).addTo(map);
      bounds.push([m.lat, m.lng]);
    });
    var origin = readJson("clinic-map-origin");
    if (origin) {
      L.circleMarker([origin.lat, origin.lng], { radius: 6 }).addTo(map);
      bounds.push([origin.lat, origin.lng]);
    }
    if (bounds.length === 1) {
      map.setView(bounds[0], 14);
    } else {
      map.fitBounds(bounds, { padding: [24, 24], maxZoom: 14 });
    }
  }

  setupLocationButton();
  setupMap();
})();
