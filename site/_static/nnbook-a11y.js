/* Keyboard and screen-reader access the theme and the saved widgets leave out (issues 21 and 23; audited with
   axe-core by tests/system/test_a11y.py). Nothing is hidden or restyled:
   - a code or output block wider than the column scrolls: it gets tabindex=0, so the keyboard can reach and
     scroll it (WCAG 2.1.1);
   - a saved slider's handle (role=slider) is named by its slider's label, as the live widget's label names it
     in words on screen;
   - a Play widget's icon-only buttons are named by their icon: Play, Pause, Stop, Repeat.
   The widget manager draws the saved widgets after the page loads, so this runs again whenever the article
   changes, and on resize (what overflows depends on the width). */
(function () {
  "use strict";
  var ICONS = { "fa-play": "Play", "fa-pause": "Pause", "fa-stop": "Stop", "fa-retweet": "Repeat",
                "fa-repeat": "Repeat" };

  function scrolls(el) {
    var style = window.getComputedStyle(el);
    var x = (style.overflowX === "auto" || style.overflowX === "scroll") && el.scrollWidth > el.clientWidth;
    var y = (style.overflowY === "auto" || style.overflowY === "scroll") && el.scrollHeight > el.clientHeight;
    return x || y;
  }

  function mend(root) {
    root.querySelectorAll("pre, .highlight, .output, .cell_output, .widget-subarea, .widget-html-content, table")
      .forEach(function (el) {
        if (el.dataset.nnbookScroll === "added" && !scrolls(el)) {
          el.removeAttribute("tabindex");
          delete el.dataset.nnbookScroll;
        } else if (!el.hasAttribute("tabindex") && scrolls(el)) {
          el.setAttribute("tabindex", "0");
          el.dataset.nnbookScroll = "added";
        }
      });
    root.querySelectorAll(".widget-slider [role=slider]:not([aria-label]):not([aria-labelledby])")
      .forEach(function (handle) {
        var slider = handle.closest(".widget-slider");
        var label = slider && slider.querySelector(".widget-label");
        var text = label && label.textContent.trim();
        if (text) {
          handle.setAttribute("aria-label", text);
        }
      });
    root.querySelectorAll(".widget-play button:not([aria-label])").forEach(function (button) {
      if (button.textContent.trim()) {
        return;
      }
      var icon = button.querySelector("i");
      Object.keys(ICONS).forEach(function (name) {
        if (icon && icon.classList.contains(name)) {
          button.setAttribute("aria-label", ICONS[name]);
          button.setAttribute("title", ICONS[name]);
        }
      });
    });
  }

  var pending = null;
  function later() {
    if (pending === null) {
      pending = window.requestAnimationFrame(function () {
        pending = null;
        mend(document);
      });
    }
  }

  function start() {
    mend(document);
    var article = document.querySelector("article") || document.body;
    new MutationObserver(later).observe(article, { childList: true, subtree: true });
    window.addEventListener("resize", later);
    window.addEventListener("load", later);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
