// The team mirror on screen: on a phone the charts are wider than the page and scroll sideways (their
// text would be too small to read otherwise). Mark a chart that has more to its right or left, so the
// CSS can fade that edge: the reader sees that the chart goes on (the values are at its right end).
(function () {
  "use strict";
  function update(wrap) {
    var hidden = wrap.scrollWidth - wrap.clientWidth;
    wrap.classList.toggle("more-right", hidden > 2 && wrap.scrollLeft < hidden - 2);
    wrap.classList.toggle("more-left", hidden > 2 && wrap.scrollLeft > 2);
  }
  function start() {
    var wraps = Array.prototype.slice.call(document.querySelectorAll(".mirror .chart-wrap"));
    wraps.forEach(function (wrap) {
      wrap.addEventListener("scroll", function () { update(wrap); }, { passive: true });
      update(wrap);
    });
    window.addEventListener("resize", function () { wraps.forEach(update); });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
}());
