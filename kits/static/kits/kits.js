/* Kits: "save for offline reading" (Cache API) and opening the FAQ entry named in the address.
   Progressive enhancement: without JavaScript or the Cache API, the button stays hidden. */
(function () {
  "use strict";
  var CACHE = "transiscope-kits-v1";

  function openTargetedFaqEntry() {
    if (!location.hash) { return; }
    var target = document.getElementById(decodeURIComponent(location.hash.slice(1)));
    if (target && target.tagName === "DETAILS") { target.open = true; }
  }
  openTargetedFaqEntry();
  window.addEventListener("hashchange", openTargetedFaqEntry);

  var box = document.querySelector("[data-offline-bundle]");
  if (!box || !("caches" in window) || !("serviceWorker" in navigator)) { return; }
  var button = box.querySelector("[data-offline-save]");
  var status = box.querySelector(".offline-status");
  box.hidden = false;

  button.addEventListener("click", function () {
    button.disabled = true;
    fetch(box.getAttribute("data-offline-bundle"), { credentials: "same-origin" })
      .then(function (response) { if (!response.ok) { throw new Error(response.status); } return response.json(); })
      .then(function (bundle) {
        return caches.open(CACHE).then(function (cache) {
          return Promise.all(bundle.urls.map(function (url) {
            return fetch(url, { credentials: "same-origin" }).then(function (response) {
              if (response.ok) { return cache.put(url, response); }
            });
          }));
        });
      })
      .then(function () {
        status.textContent = status.getAttribute("data-saved-label");
        box.setAttribute("data-saved", "true");
      })
      .catch(function () { status.textContent = status.getAttribute("data-error-label"); })
      .then(function () { button.disabled = false; });
  });
})();
