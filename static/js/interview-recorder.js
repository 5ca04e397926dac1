/* Record an answer to an interview question in the browser (progressive enhancement of the practice page).
   The recording is kept in this page's memory only: it is never sent to the server. The citizen may play
   it, save it on their own device, or delete it. Without JavaScript, or without a microphone, the page
   works as before: answer in writing, or tick "I answered aloud". */
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
    let recorder = null;
    let stream = null;
    let chunks = [];
    let url = null;

    function forget() {
      if (url) URL.revokeObjectURL(url);
      url = null;
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
        const blob = new Blob(chunks, { type: type });
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
