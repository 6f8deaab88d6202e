/* ipywidgets' HTML manager typesets widget labels with MathJax 2's `MathJax.Hub.Queue(["Typeset", Hub, el])`;
   the site serves MathJax 3, which has no Hub. This gives whatever `window.MathJax` holds (the config object,
   then MathJax 3 itself) a Hub whose Queue typesets the element with MathJax 3's API. Loaded before both. */
(function () {
  "use strict";
  var current = window.MathJax;

  function queue() {
    Array.prototype.forEach.call(arguments, function (item) {
      var mathjax = window.MathJax;
      if (typeof item === "function") {
        item();
      } else if (Array.isArray(item) && item[0] === "Typeset" && item[2] && mathjax && mathjax.startup &&
                 mathjax.startup.promise) {
        // Wait for MathJax to be ready, then typeset just this element.
        mathjax.startup.promise = mathjax.startup.promise.then(function () {
          return mathjax.typesetPromise ? mathjax.typesetPromise([item[2]]) : null;
        });
      }
    });
  }

  function withHub(value) {
    if (value && typeof value === "object" && !value.Hub) {
      value.Hub = { Queue: queue };
    }
    return value;
  }

  Object.defineProperty(window, "MathJax", {
    configurable: true,
    get: function () { return current; },
    set: function (value) { current = withHub(value); },
  });
  withHub(current);
})();
