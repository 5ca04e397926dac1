/* Record an answer to an interview question in the browser (progressive enhancement of the practice page).
   The recording is kept in this page's memory: the citizen may play it, save it on their own device, or
   delete it. It is sent to the server only when the citizen presses "Share the recording with my adviser"
   next to the consent text (ADR 0135): one POST with the recording, the consent version and the CSRF token;
   the page's list of shared recordings is then replaced by the server's (other recordings and unsaved
   answers stay). Without JavaScript, or without a microphone, the page works as before: answer in writing,
   or tick "I answered aloud". */
(function () {
  "use strict";
  if (!window.MediaRecorder || !navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) return;

  function setUp(box) {
    const toggle = box.querySelector("[data-recorder-toggle]");
    const label = toggle.firstChild;
    const status = box.querySelector("[data-recorder-status]");
    const result = box.querySelector("[data-recorder-result]");
    const audio = box.querySelector("[data-recorder-audio]");
    const save = box.querySelector("[data-recorder-save]");
    const remove = box.querySelector("[data-recorder-delete]");
    const spoken = document.getElementById(box.dataset.spoken);
    const shareBox = box.querySelector("[data-recorder-share-box]");
    const share = box.querySelector("[data-recorder-share]");
    let recorder = null;
    let stream = null;
    let chunks = [];
    let url = null;
    let blob = null;

    function forget() {
      if (url) URL.revokeObjectURL(url);
      url = null;
      blob = null;
      shareBox.hidden = false;
      audio.removeAttribute("src");
      save.removeAttribute("href");
      result.hidden = true;
    }

    function stopStream() {
      if (stream) stream.getTracks().forEach((track) => track.stop());
      stream = null;
    }

    async function start() {
      try {
        stream = await navigator.mediaDevices.getUserMedia({ audio: true });
      } catch (error) {
        status.textContent = box.dataset.textDenied;
        return;
      }
      forget();
      chunks = [];
      recorder = new MediaRecorder(stream);
      recorder.addEventListener("dataavailable", (event) => {
        if (event.data && event.data.size) chunks.push(event.data);
      });
      recorder.addEventListener("stop", () => {
        stopStream();
        const type = recorder.mimeType || "audio/webm";
        blob = new Blob(chunks, { type: type });
        chunks = [];
        url = URL.createObjectURL(blob);
        audio.src = url;
        save.href = url;
        save.download = box.dataset.file + (type.indexOf("ogg") >= 0 ? ".ogg" : type.indexOf("mp4") >= 0 ? ".m4a" : ".webm");
        result.hidden = false;
        if (spoken) spoken.checked = true;
        status.textContent = box.dataset.textDone;
        label.textContent = box.dataset.textStart;
        recorder = null;
      });
      recorder.start();
      label.textContent = box.dataset.textStop;
      status.textContent = box.dataset.textRecording;
    }

    async function send() {
      if (!blob) return;
      const form = box.closest("form");
      const token = form.querySelector("input[name=csrfmiddlewaretoken]").value;
      const data = new FormData();
      data.append("csrfmiddlewaretoken", token);
      data.append("consent", box.dataset.consent);
      data.append("recording", blob, box.dataset.file + (blob.type.indexOf("ogg") >= 0 ? ".ogg" : blob.type.indexOf("mp4") >= 0 ? ".m4a" : ".webm"));
      share.disabled = true;
      status.textContent = box.dataset.textSharing;
      try {
        const response = await fetch(shareBox.dataset.shareUrl, {
          method: "POST", body: data, credentials: "same-origin",
          headers: { "HX-Request": "true", "X-CSRFToken": token },
        });
        const text = await response.text();
        if (!response.ok) {
          status.textContent = response.status === 422 && text ? text : box.dataset.textShareFailed;
          return;
        }
        const section = document.getElementById("delte-optagelser");
        section.outerHTML = text;
        if (window.htmx) window.htmx.process(document.getElementById("delte-optagelser"));
        shareBox.hidden = true;
        status.textContent = box.dataset.textShared;
      } catch (error) {
        status.textContent = box.dataset.textShareFailed;
      } finally {
        share.disabled = false;
      }
    }

    share.addEventListener("click", send);
    toggle.addEventListener("click", () => {
      if (recorder && recorder.state === "recording") recorder.stop();
      else start();
    });
    remove.addEventListener("click", () => {
      forget();
      status.textContent = box.dataset.textDeleted;
      toggle.focus();
    });
    window.addEventListener("pagehide", () => {
      if (recorder && recorder.state === "recording") recorder.stop();
      stopStream();
      forget();
    });
    box.hidden = false;
  }

  document.querySelectorAll("[data-recorder]").forEach(setUp);
})();
