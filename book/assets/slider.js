// Interactive figures: a <figure data-slider> holds a range input and one <img class="frame"> per
// position, every frame computed by the reference solutions when the book was generated. Moving
// the slider shows its frame and hides the others; nothing is fetched or computed in the browser.
// Without this script (or in print) the frame that is not `hidden` in the HTML shows alone.
(function () {
  "use strict";
  document.querySelectorAll("figure[data-slider]").forEach((figure) => {
    const input = figure.querySelector("input[type=range]");
    const output = figure.querySelector("output");
    const frames = Array.from(figure.querySelectorAll("img.frame"));
    if (!input || frames.length === 0) return;
    const show = () => {
      const at = Number(input.value);
      frames.forEach((frame, i) => {
        frame.hidden = i !== at;
      });
      if (output) output.textContent = frames[at] ? frames[at].dataset.label : "";
    };
    input.addEventListener("input", show);
    show();
  });
})();
