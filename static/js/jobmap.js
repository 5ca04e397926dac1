/* The job map: the same query as the list, markers for every job in the radius, clustered.
   Progressive enhancement: without JavaScript the page links to the list, which has the same jobs. */
(function () {
  "use strict";
  var element = document.getElementById("job-map");
  if (!element || typeof L === "undefined") { return; }
  var status = document.getElementById("map-status");
  var data = element.dataset;
  // The marker images come from Leaflet's npm package (static/vendor/leaflet/images, hashed by
  // collectstatic): name them outright, since Leaflet's own guess from leaflet.css misses hashed names.
  L.Icon.Default.imagePath = "";
  L.Icon.Default.mergeOptions({ iconUrl: data.iconUrl, iconRetinaUrl: data.iconRetinaUrl, shadowUrl: data.shadowUrl });
  var map = L.map(element, { scrollWheelZoom: false });
  L.tileLayer(data.tileUrl, { maxZoom: 18, attribution: data.attribution }).addTo(map);
  if (data.lat && data.lon) {
    map.setView([parseFloat(data.lat), parseFloat(data.lon)], 10);
  } else {
    map.setView([56.1, 10.4], 7);  // Denmark
  }

  function popup(marker) {
    var box = document.createElement("div");
    var title = document.createElement("a");
    title.href = marker.url;
    title.textContent = marker.title;
    title.className = "jobs-popup-title";
    var employer = document.createElement("p");
    employer.textContent = marker.employer + (marker.city ? " · " + marker.city : "");
    box.appendChild(title);
    box.appendChild(employer);
    if (marker.distance_km !== null && marker.distance_km !== undefined) {
      var distance = document.createElement("p");
      distance.textContent = marker.distance_km.toLocaleString(document.documentElement.lang || "da") + " " + data.textKm;
      box.appendChild(distance);
    }
    var open = document.createElement("a");
    open.href = marker.url;
    open.textContent = data.textOpen;
    box.appendChild(open);
    return box;
  }

  fetch(data.markersUrl, { headers: { "Accept": "application/json" }, credentials: "same-origin" })
    .then(function (response) {
      if (!response.ok) { throw new Error(String(response.status)); }
      return response.json();
    })
    .then(function (payload) {
      var cluster = L.markerClusterGroup();
      var bounds = [];
      payload.markers.forEach(function (marker) {
        var point = L.marker([marker.lat, marker.lon], { title: marker.title, alt: marker.title });
        point.bindPopup(function () { return popup(marker); });
        cluster.addLayer(point);
        bounds.push([marker.lat, marker.lon]);
      });
      // The view moves to the radius (or the jobs) at once, before the markers are drawn: an animated
      // zoom would re-cluster them as it ends, replacing (and closing the popup of) a marker that a
      // person had already tapped.
      if (payload.centre && payload.radius_km) {
        var circle = L.circle([payload.centre.lat, payload.centre.lon], { radius: payload.radius_km * 1000, fill: false, weight: 1 }).addTo(map);
        map.fitBounds(circle.getBounds(), { animate: false });
      } else if (bounds.length) {
        map.fitBounds(bounds, { animate: false });
      }
      map.addLayer(cluster);
      if (status) {
        status.textContent = data.textFound + " " + payload.markers.length.toLocaleString(document.documentElement.lang || "da");
      }
      element.dataset.loaded = String(payload.markers.length);
    })
    .catch(function () {
      if (status) { status.textContent = data.textError; }
    });
})();
