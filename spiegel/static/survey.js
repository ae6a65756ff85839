// A page submit is answered with the next page itself (one round trip instead of two on weak Wi-Fi).
// Show that page's own address, so that reloading it asks for the page instead of sending the answers
// again, and the browser's back button goes to the page before.
"use strict";
const pageForm = document.getElementById("page-form");
if (pageForm && location.pathname !== pageForm.getAttribute("action")) {
  history.replaceState(null, "", pageForm.getAttribute("action"));
}

// Every tap saved: each answer is sent on its own as it is tapped (POST <page>/answer), so that a
// reload, a closed tab or a lost connection before "Next" loses nothing. A tap is first written to
// this phone's localStorage, per page ("spiegel-taps:/t/<CODE>/p/<n>": field → value, with the page's
// token), and removed once the server has it. What could not be sent is sent again, in order, when
// the network comes back, on every page load and every few seconds. Without JavaScript, "Next" saves
// the page as before.
const statusLine = document.getElementById("save-status");
if (pageForm && statusLine) {
  const PREFIX = "spiegel-taps:";
  const pageKey = PREFIX + pageForm.getAttribute("action");
  const token = pageForm.elements.csrf_token.value;
  // Where localStorage is refused (some private modes), the queue lasts as long as the page.
  let shelf = {};
  try {
    localStorage.setItem(PREFIX, "");
    localStorage.removeItem(PREFIX);
    shelf = localStorage;
  } catch (error) { /* keep the in-memory shelf */ }

  const pending = () => Object.keys(shelf).filter((key) => key.startsWith(PREFIX) && key !== PREFIX);
  const load = (key) => {
    try {
      return JSON.parse(shelf[key] || "null") || { token: token, answers: {} };
    } catch (error) {
      return { token: token, answers: {} };
    }
  };
  const store = (key, queue) => {
    if (Object.keys(queue.answers).length) shelf[key] = JSON.stringify(queue);
    else delete shelf[key];
  };
  const say = (name, warning) => {
    statusLine.textContent = statusLine.dataset[name] || "";
    statusLine.classList.toggle("notice", Boolean(warning));
    statusLine.classList.toggle("warning", Boolean(warning));
  };

  // A later tap on the same question replaces the queued one, and goes to the end of the queue.
  const remember = (name, value) => {
    const queue = load(pageKey);
    delete queue.answers[name];
    queue.answers[name] = value;
    queue.token = token;
    store(pageKey, queue);
  };

  // Send what is queued, oldest first, until nothing is left (taps made meanwhile too); resolves to
  // true when all of it reached the server, false when the network failed. A tap the server refuses
  // (4xx: a closed round, another device took over) is dropped: "Next" posts the form, which holds it.
  const sendAll = async () => {
    let sent = false;
    for (let round = 0; round < 10 && pending().length; round++) {
      for (const key of pending()) {
        for (const [name, value] of Object.entries(load(key).answers)) {
          const body = new URLSearchParams({ [name]: value, csrf_token: load(key).token });
          let status = 0;
          try {
            status = (await fetch(key.slice(PREFIX.length) + "/answer", { method: "POST", body: body })).status;
          } catch (error) { /* no network: status 0 */ }
          if (status === 0 || status >= 500 || status === 429 || status === 408) {
            say("waiting");
            return false;
          }
          const now = load(key); // a newer tap on this question, made while this one was sent, stays
          if (now.answers[name] === value) delete now.answers[name];
          store(key, now);
          sent = true;
        }
      }
    }
    if (sent) say("saved");
    return true;
  };
  let sending = null;
  const sendQueued = () => sending || (sending = sendAll().finally(() => { sending = null; }));

  let typing = null;
  const tapped = (field) => {
    if (!field.name || !(field.type === "radio" ? field.checked : field.tagName === "TEXTAREA")) return;
    clearTimeout(typing);
    remember(field.name, field.value);
    sendQueued();
  };
  pageForm.addEventListener("change", (event) => tapped(event.target));
  // Open answers: also while typing, a second after the last key, besides on leaving the field.
  pageForm.addEventListener("input", (event) => {
    if (event.target.tagName !== "TEXTAREA") return;
    clearTimeout(typing);
    typing = setTimeout(() => tapped(event.target), 1000);
  });

  // "Next" without a network would show the browser's offline page: stay on this page, say that the
  // answers are kept, and let the respondent press again. Taps still queued are sent first.
  let letSubmitGo = false;
  pageForm.addEventListener("submit", (event) => {
    if (letSubmitGo) return;
    if (!navigator.onLine) {
      event.preventDefault();
      say("kept", true);
      return;
    }
    clearTimeout(typing);
    if (!pending().length) return;
    event.preventDefault();
    const button = event.submitter;
    sendQueued().then((done) => {
      if (!done) {
        say("kept", true);
        return;
      }
      letSubmitGo = true;
      pageForm.requestSubmit(button && button.form === pageForm ? button : null);
      letSubmitGo = false;
    });
  });

  // Taps not sent yet show on this page again (a reload, a phone that dropped the tab).
  for (const [name, value] of Object.entries(load(pageKey).answers)) {
    for (const field of pageForm.querySelectorAll("[name='" + CSS.escape(name) + "']")) {
      if (field.type === "radio") field.checked = field.value === value;
      else if (field.tagName === "TEXTAREA") field.value = value;
    }
  }
  if (pending().length) {
    say("waiting");
    sendQueued();
  }
  window.addEventListener("online", sendQueued);
  setInterval(() => { if (pending().length) sendQueued(); }, 5000);
}
