// Paper cannot unfold an answer: every <details> of the page (the "Check yourself" answers) is
// opened while the page prints and closed again after, as the reader left it. assets/formula.css
// does the same with ::details-content where the browser has it.
(function () {
  "use strict";
  let opened = [];
  window.addEventListener("beforeprint", () => {
    opened = Array.from(document.querySelectorAll("main details:not([open])"));
    opened.forEach((details) => (details.open = true));
  });
  window.addEventListener("afterprint", () => {
    opened.forEach((details) => (details.open = false));
    opened = [];
  });
})();
