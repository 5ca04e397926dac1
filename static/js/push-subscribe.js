/* Turn web push on or off in this browser (progressive enhancement of the preferences page).
   Without JavaScript the page still works; only turning push on needs it. */
(function () {
  "use strict";
  const section = document.getElementById("push-settings");
  if (!section) return;
  const key = section.dataset.vapidKey;
  const status = section.querySelector(".jobunivers-push-status");
  const subscribeButton = section.querySelector("[data-push-action='subscribe']");
  if (!key || !subscribeButton || !("serviceWorker" in navigator) || !("PushManager" in window)) return;

  function csrfToken() {
    const field = document.querySelector("input[name='csrfmiddlewaretoken']");
    return field ? field.value : "";
  }

  function keyBytes(base64url) {
    const padding = "=".repeat((4 - (base64url.length % 4)) % 4);
    const raw = atob((base64url + padding).replace(/-/g, "+").replace(/_/g, "/"));
    return Uint8Array.from(raw, (c) => c.charCodeAt(0));
  }

  function say(text) {
    if (status) status.textContent = text;
  }

  async function send(url, subscription) {
    const response = await fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
      credentials: "same-origin",
      body: JSON.stringify(subscription ? subscription.toJSON() : {}),
    });
    const data = await response.json().catch(() => ({}));
    say(data.message || data.error || "");
    return response.ok;
  }

  subscribeButton.hidden = false;
  subscribeButton.addEventListener("click", async () => {
    try {
      const registration = await navigator.serviceWorker.register(section.dataset.serviceWorker, { scope: "/" });
      const permission = await Notification.requestPermission();
      if (permission !== "granted") {
        say(subscribeButton.dataset.deniedText || "");
        return;
      }
      const subscription = await registration.pushManager.subscribe({
        userVisibleOnly: true,
        applicationServerKey: keyBytes(key),
      });
      await send(section.dataset.subscribeUrl, subscription);
    } catch (error) {
      say(String(error));
    }
  });
})();
