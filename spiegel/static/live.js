/* Live response counter: polls the round's live.json and updates the numbers in place.
   Numbers only (started / submitted per team); the page shows them without JavaScript too. */
(function () {
  "use strict";
  var root = document.querySelector("[data-live-url]");
  if (!root || !window.fetch) { return; }
  var url = root.getAttribute("data-live-url");
  var interval = parseInt(root.getAttribute("data-live-interval"), 10) || 8000;
  var stamp = root.querySelector("[data-live-updated]");
  var hint = root.querySelector(".no-js-hint");
  if (hint) { hint.hidden = true; }

  function set(element, value) {
    if (!element) { return; }
    var text = String(value);
    if (element.textContent !== text) {
      element.textContent = text;
      element.classList.remove("changed");
      void element.offsetWidth; // restart the highlight
      element.classList.add("changed");
    }
  }

  function update(data) {
    Object.keys(data.teams || {}).forEach(function (id) {
      ["started", "submitted"].forEach(function (kind) {
        set(root.querySelector('[data-rt="' + id + '"][data-kind="' + kind + '"]'), data.teams[id][kind]);
      });
    });
    if (data.total) {
      set(root.querySelector('[data-total="started"]'), data.total.started);
      set(root.querySelector('[data-total="submitted"]'), data.total.submitted);
    }
    root.classList.remove("live-stale");
    if (stamp) {
      stamp.textContent = "✓ " + new Date().toLocaleTimeString(document.documentElement.lang || undefined,
        {hour: "2-digit", minute: "2-digit", second: "2-digit"});
    }
  }

  function poll() {
    if (document.hidden) { schedule(); return; }
    fetch(url, {credentials: "same-origin", cache: "no-store", headers: {"Accept": "application/json"}})
      .then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.json();
      })
      .then(update)
      .catch(function () { root.classList.add("live-stale"); })
      .then(schedule);
  }

  function schedule() { window.setTimeout(poll, interval); }

  schedule();
}());
