/* Traceable numbers (labour_market_book.trace): show where a number comes from.
 *
 * Every glued number is <a class="tal" aria-describedby="ID">, and ID is a hidden element
 * at the end of its paragraph with the dataset, source table, period and provenance.
 * Screen readers read that description on focus; this script shows the same text as a
 * tooltip on hover and keyboard focus, placed inside the viewport (also on a 400 px
 * phone), kept open while the pointer is over it, and closed with Escape.
 */
(function () {
  "use strict";
  var MARGIN = 8, GAP = 6;
  var tip = null, current = null, hideTimer = null;

  function numberOf(target) {
    return target && target.closest ? target.closest("a.tal") : null;
  }

  function ensureTip() {
    if (tip) { return tip; }
    tip = document.createElement("div");
    tip.className = "tal-tip";
    tip.setAttribute("role", "tooltip");
    tip.hidden = true;
    tip.addEventListener("mouseenter", function () { clearTimeout(hideTimer); });
    tip.addEventListener("mouseleave", scheduleHide);
    (document.querySelector("main") || document.body).appendChild(tip);
    return tip;
  }

  function place(link) {
    var box = link.getBoundingClientRect();
    var width = document.documentElement.clientWidth;
    var height = document.documentElement.clientHeight;
    tip.style.left = "0px";
    tip.style.top = "0px";
    var w = tip.offsetWidth, h = tip.offsetHeight;
    var left = Math.max(MARGIN, Math.min(box.left, width - w - MARGIN));
    var top = box.bottom + GAP;
    if (top + h > height - MARGIN && box.top - GAP - h >= MARGIN) {
      top = box.top - GAP - h;  // no room below: above the number
    }
    tip.style.left = left + "px";
    tip.style.top = top + "px";
  }

  function show(link) {
    var id = link.getAttribute("aria-describedby");
    var source = id ? document.getElementById(id) : null;
    if (!source) { return; }
    clearTimeout(hideTimer);
    ensureTip();
    tip.innerHTML = source.innerHTML;
    tip.hidden = false;
    current = link;
    place(link);
  }

  function hide() {
    clearTimeout(hideTimer);
    if (tip) { tip.hidden = true; }
    current = null;
  }

  function scheduleHide() {
    clearTimeout(hideTimer);
    hideTimer = setTimeout(function () {
      if (current && current === document.activeElement) { return; }
      hide();
    }, 300);
  }

  document.addEventListener("mouseover", function (event) {
    var link = numberOf(event.target);
    if (link) { show(link); }
  });
  document.addEventListener("mouseout", function (event) {
    if (numberOf(event.target)) { scheduleHide(); }
  });
  document.addEventListener("focusin", function (event) {
    var link = numberOf(event.target);
    if (link) { show(link); }
  });
  document.addEventListener("focusout", function (event) {
    if (numberOf(event.target)) { hide(); }
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && current) { hide(); }
  });
  window.addEventListener("scroll", function () { if (current) { place(current); } }, { passive: true });
  window.addEventListener("resize", function () { if (current) { place(current); } });
})();
