// Typesets the book's formulas with the KaTeX copy shipped in the book (src/katex, copied to the
// built book's katex/), so that a book opened without network still shows them. A formula is
// written in the Markdown as a code span — `$…$` in a sentence, `$$…$$` as a paragraph of its
// own — because Markdown leaves code spans alone: no emphasis from `_`, no lost `\`, no curly
// quotes from smart punctuation.
//
// KaTeX is loaded from here rather than listed in book.toml: mdBook copies listed files to their
// path under the book folder, where the stylesheet's relative font URLs would not find the fonts.
//
// A formula KaTeX cannot parse stays visible as its source and is reported on the console, which
// the browser check of .ci/run treats as a failure.
(function () {
  "use strict";
  const formulas = Array.from(document.querySelectorAll("main code")).filter((code) => {
    const tex = code.textContent;
    return tex.length > 2 && tex.startsWith("$") && tex.endsWith("$") && code.closest("pre") === null;
  });
  if (formulas.length === 0) return;

  const root = `${path_to_root}katex/`;
  const style = document.createElement("link");
  style.rel = "stylesheet";
  style.href = `${root}katex.min.css`;
  document.head.appendChild(style);
  const script = document.createElement("script");
  script.src = `${root}katex.min.js`;
  script.onload = () => {
    formulas.forEach(typeset);
    fitAll();
  };
  style.onload = fitAll;
  // KaTeX's fonts arrive after its stylesheet and change every formula's width.
  document.fonts.ready.then(fitAll);
  document.fonts.addEventListener("loadingdone", fitAll);
  window.addEventListener("resize", fitAll);
  script.onerror = () => console.error(`could not load ${script.src}: formulas are shown as TeX`);
  document.head.appendChild(script);

  // A displayed formula wider than the column (on a phone) is set smaller, down to 60 % of its
  // size, before it is left to scroll sideways.
  const SMALLEST = 0.6;
  function fitAll() {
    document.querySelectorAll(".formula-display").forEach((display) => {
      // Part of a formula's width does not scale with its font (struts, spacing in ex units that
      // KaTeX rounds): shrink in a few steps, measuring each time.
      let size = 1;
      display.style.fontSize = "";
      for (let step = 0; step < 4 && display.scrollWidth > display.clientWidth + 1; step++) {
        size = Math.max(SMALLEST, (size * 0.99 * display.clientWidth) / display.scrollWidth);
        display.style.fontSize = `${size * 100}%`;
        if (size === SMALLEST) break;
      }
    });
  }

  function typeset(code) {
    const source = code.textContent;
    const display = source.length > 4 && source.startsWith("$$") && source.endsWith("$$");
    const tex = display ? source.slice(2, -2) : source.slice(1, -1);
    const target = document.createElement(display ? "div" : "span");
    target.className = display ? "formula formula-display" : "formula";
    try {
      katex.render(tex, target, { displayMode: display, throwOnError: true, strict: "error" });
    } catch (err) {
      console.error(`formula not typeset: ${source}: ${err.message}`);
      return;
    }
    // A display formula is a paragraph of its own: it replaces the paragraph.
    const paragraph = code.parentElement;
    if (display && paragraph.tagName === "P" && paragraph.childNodes.length === 1) {
      paragraph.replaceWith(target);
    } else {
      code.replaceWith(target);
    }
  }
})();
