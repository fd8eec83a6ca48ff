/* Service worker of the portal. Offline reading of saved kits is added by the kits app. */
self.addEventListener("install", (event) => { self.skipWaiting(); });
self.addEventListener("activate", (event) => { event.waitUntil(self.clients.claim()); });
