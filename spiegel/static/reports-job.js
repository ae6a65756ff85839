// Follows a print job: polls its JSON status and shows progress and, when ready, the download link
// (a single mirror, data-open, opens by itself when it is ready).
(function () {
  "use strict";
  var root = document.getElementById("job");
  if (!root) { return; }
  var url = root.getAttribute("data-status-url");
  var text = document.getElementById("job-text");
  var bar = document.getElementById("job-progress");
  var box = document.getElementById("job-download");
  var link = document.getElementById("job-download-link");
  var retry = document.getElementById("job-retry");
  var open = root.getAttribute("data-open") === "1";

  function show(status) {
    bar.value = status.percent;
    bar.textContent = status.percent + " %";
    text.textContent = status.text + (status.detail ? " " + status.detail : "");
    if (status.download) {
      link.href = status.download;
      box.hidden = false;
      if (open) { window.location.assign(status.download); }
    }
    if (retry && status.status === "failed") {
      retry.hidden = false;
    }
    return status.status === "done" || status.status === "failed";
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.ok ? response.json() : Promise.reject(response.status); })
      .then(function (status) { if (!show(status)) { window.setTimeout(poll, 1500); } })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  poll();
}());
