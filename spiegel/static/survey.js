// A page submit is answered with the next page itself (one round trip instead of two on weak Wi-Fi).
// Show that page's own address, so that reloading it asks for the page instead of sending the answers
// again, and the browser's back button goes to the page before.
"use strict";
const pageForm = document.getElementById("page-form");
if (pageForm && location.pathname !== pageForm.getAttribute("action")) {
  history.replaceState(null, "", pageForm.getAttribute("action"));
}
