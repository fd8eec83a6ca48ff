/* Service worker of the portal: the network first, and the kits a person saved (Cache API, see
   kits/static/kits/kits.js) when the network is gone. Nothing is cached without that explicit save. */
var KITS_CACHE = "transiscope-kits-v1";

self.addEventListener("install", function () { self.skipWaiting(); });
self.addEventListener("activate", function (event) { event.waitUntil(self.clients.claim()); });

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET" || new URL(request.url).origin !== self.location.origin) { return; }
  event.respondWith(
    fetch(request).catch(function () {
      return caches.open(KITS_CACHE).then(function (cache) {
        return cache.match(request, { ignoreVary: true }).then(function (hit) {
          if (hit) { return hit; }
          return cache.match(new URL(request.url).pathname, { ignoreVary: true, ignoreSearch: true });
        });
      }).then(function (hit) {
        return hit || new Response(
          "<!DOCTYPE html><meta charset=utf-8><title>Hors connexion</title><h1>Hors connexion</h1>" +
          "<p>Cette page n’a pas été enregistrée pour la lecture hors connexion.</p>",
          { status: 503, headers: { "Content-Type": "text/html; charset=utf-8" } }
        );
      });
    })
  );
});
