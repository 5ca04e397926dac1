/* Jobunivers push service worker, served at /sw.js (see notifications.views.service_worker).
   Shows the neutral notice the server sent and opens the inbox when it is clicked. */
self.addEventListener("push", (event) => {
  let data = {};
  try {
    data = event.data ? event.data.json() : {};
  } catch (error) {
    data = { title: "Jobunivers", body: event.data ? event.data.text() : "" };
  }
  const title = data.title || "Jobunivers";
  event.waitUntil(
    self.registration.showNotification(title, {
      body: data.body || "",
      data: { url: data.url || "/" },
      tag: data.tag || undefined,
    })
  );
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const url = (event.notification.data && event.notification.data.url) || "/";
  event.waitUntil(self.clients.openWindow(url));
});
