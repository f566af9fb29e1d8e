// Opens every chapter of the built book in headless Chromium, the way a reader would, and fails
// on what a reader would notice: a console error or failed request, an image that does not load,
// a link inside the book that leads nowhere (a missing page or anchor), a formula left as raw
// TeX, an interactive figure whose slider does not change the picture, a request to anywhere
// but the local server (the book must work offline), a listing that scrolls sideways at 1280 px,
// a figure, table or displayed formula wider than a 390 px screen, or an interactive figure that
// prints one frame or an answer that prints folded.
// Keeps a full-page screenshot of every chapter, at 1280 and 390 px, for people to look at.
//
//   node check.mjs <summary.md> <base url of the served book> <screenshot folder>
//
// Run by .ci/run after the book is built and served on localhost.

import { readFileSync, mkdirSync } from "node:fs";
import { chromium } from "playwright-core";

const [summaryPath, base, shots] = process.argv.slice(2);
if (!summaryPath || !base || !shots) {
  console.error("usage: node check.mjs <SUMMARY.md> <base url> <screenshot folder>");
  process.exit(2);
}
mkdirSync(shots, { recursive: true });

// The chapters, in the order of the table of contents, then mdBook's print page: every chapter on
// one page, which is what a reader prints or saves as PDF, with its own links and typesetting.
const chapters = [...readFileSync(summaryPath, "utf8").matchAll(/\]\(([^)]+)\.md\)/g)].map((m) => m[1]);
chapters.push("print");

// Patterns of TeX that was meant to be typeset but reached the reader as source.
const rawTex = /\\\(|\\\[|\$\$|\\(frac|sum|mathbf|mathcal|partial|sigma|alpha|lambda|cdot|left|right)\b/;

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
  ],
});
const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
const problems = [];
const anchorsOf = new Map(); // page path → Set of element ids

async function ids(page, path) {
  if (!anchorsOf.has(path)) {
    anchorsOf.set(path, new Set(await page.$$eval("[id]", (els) => els.map((e) => e.id))));
  }
  return anchorsOf.get(path);
}

// One chapter's checks; returns the line that sums it up (none when the page did not load).
async function checkChapter(chapter) {
  const page = await context.newPage();
  const url = new URL(`${chapter}.html`, base).href;
  const report = (what) => problems.push(`${chapter}: ${what}`);
  page.on("console", (msg) => msg.type() === "error" && report(`console error: ${msg.text()}`));
  page.on("pageerror", (err) => report(`script error: ${err.message}`));
  const refused = new Set();
  page.on("requestfailed", (req) => {
    // An image the page stopped wanting is aborted, not missing: resizing the viewport switches a
    // <picture> to its other source, and the reload that follows cancels what is in flight. A
    // missing file answers 404 (below) and leaves a broken image (checked per page).
    if (req.failure()?.errorText === "net::ERR_ABORTED" && req.resourceType() === "image") return;
    if (!refused.has(req.url())) report(`request failed: ${req.url()} (${req.failure()?.errorText})`);
  });
  page.on("response", (res) => res.status() >= 400 && report(`HTTP ${res.status()} for ${res.url()}`));
  // The book is read offline: a request that would leave the local server is refused and reported,
  // so a font or script fetched from a CDN fails here even on a machine that has a network.
  await page.route("**/*", (route) => {
    const target = route.request().url();
    if (new URL(target).origin === new URL(base).origin) return route.continue();
    refused.add(target);
    report(`request leaves the book (it must work offline): ${target}`);
    return route.abort();
  });
  const response = await page.goto(url, { waitUntil: "networkidle" });
  if (!response || !response.ok()) {
    report(`the page itself did not load (${response?.status()})`);
    await page.close();
    return null;
  }

  const broken = await page.$$eval("main img", (imgs) =>
    imgs.filter((i) => !i.complete || i.naturalWidth === 0).map((i) => i.getAttribute("src")),
  );
  broken.forEach((src) => report(`image does not load: ${src}`));

  // Formulas are code spans `$…$` that assets/math.js replaces by KaTeX's typesetting; one still
  // in the page was not typeset. KaTeX's own rendering keeps the TeX only in hidden MathML.
  const untypeset = await page.$$eval("main code", (codes) =>
    codes.map((c) => c.textContent).filter((t) => t.length > 2 && t.startsWith("$") && t.endsWith("$")),
  );
  untypeset.forEach((tex) => report(`formula left as raw TeX: ${tex}`));
  const text = await page.$eval("main", (m) => {
    const copy = m.cloneNode(true);
    copy.querySelectorAll(".katex-mathml").forEach((e) => e.remove());
    return copy.innerText;
  });
  const tex = text.match(rawTex);
  if (tex) report(`raw TeX in the text: …${text.slice(Math.max(0, tex.index - 30), tex.index + 30)}…`);
  const typeset = await page.$$eval("main .katex", (els) => els.length);

  // Interactive figures (assets/slider.js): moving a slider to its other end must show another
  // frame, one frame at a time, with no request leaving the page (the route above reports any).
  const sliders = await page.$$("figure[data-slider]");
  for (const [n, figure] of sliders.entries()) {
    const visible = () =>
      figure.$$eval("img.frame", (frames) => frames.filter((f) => !f.hidden).map((f) => f.getAttribute("src")));
    const before = await visible();
    await figure.$eval("input[type=range]", (input) => {
      input.value = input.value === input.max ? input.min : input.max;
      input.dispatchEvent(new Event("input", { bubbles: true }));
    });
    const after = await visible();
    if (before.length !== 1 || after.length !== 1 || before[0] === after[0]) {
      report(`interactive figure ${n + 1}: moving the slider showed ${after.join(", ") || "nothing"} after ${before.join(", ") || "nothing"}`);
    }
  }

  // Links inside the book: the page must exist and the anchor must be an id on it.
  const links = await page.$$eval("main a[href]", (as) => as.map((a) => a.href));
  for (const link of links) {
    const target = new URL(link);
    if (target.origin !== new URL(base).origin) continue; // outside the book: not checked offline
    const path = target.pathname;
    const probe = path === new URL(url).pathname ? page : await context.newPage();
    if (probe !== page) {
      const res = await probe.goto(target.href.split("#")[0], { waitUntil: "load" });
      if (!res || !res.ok()) report(`broken link: ${link} (${res?.status()})`);
    }
    const anchor = decodeURIComponent(target.hash.slice(1));
    if (anchor && !(await ids(probe, path)).has(anchor)) report(`broken anchor: ${link}`);
    if (probe !== page) await probe.close();
  }

  // Nothing wider than its column: at the desktop width, at a phone's, and in print. On screen a
  // box that scrolls sideways (a wide table) holds what it must; in print nothing scrolls, so
  // there every box must fit, and a formula must not be cut by its own box either.
  const layouts = [
    { name: "1280 px", width: 1280, media: "screen" },
    { name: "390 px", width: 390, media: "screen" },
    { name: "print", width: 700, media: "print" },
  ];
  for (const layout of layouts) {
    await page.setViewportSize({ width: layout.width, height: 900 });
    await page.emulateMedia({ media: layout.media });
    // mdBook lays out its sidebar for the width it loads at, with a transition: load afresh.
    await page.reload({ waitUntil: "networkidle" });
    await page.waitForTimeout(400);
    const wide = await page.$eval(
      "main",
      (main, print) => {
        const right = main.getBoundingClientRect().right + 1;
        const scrolls = (el) => {
          for (let p = el.parentElement; p && p !== main.parentElement; p = p.parentElement) {
            if (/(auto|scroll)/.test(getComputedStyle(p).overflowX)) return p;
          }
          return null;
        };
        const name = (el) => {
          const text = (el.innerText || el.getAttribute("src") || "").trim().replace(/\s+/g, " ");
          return `<${el.tagName.toLowerCase()}${el.className ? ` class="${el.className}"` : ""}> ${text.slice(0, 60)}`;
        };
        const found = new Set();
        for (const el of main.querySelectorAll("*")) {
          const box = el.getBoundingClientRect();
          // KaTeX keeps the TeX as MathML for screen readers, visually hidden by a clip.
          if (box.width === 0 || getComputedStyle(el).visibility === "hidden" || el.closest(".katex-mathml")) continue;
          // KaTeX draws stretchy parts (a root's bar) as very wide SVGs inside a box that clips them.
          if (el.closest(".katex .hide-tail")) continue;
          const scroller = scrolls(el);
          if (box.right > right && (print || !scroller)) {
            // Report the outermost box that overflows, not each of its descendants.
            const outer = el.parentElement?.closest(".katex-display, pre, table, .table-wrapper, figure, svg");
            found.add(name(print && scroller ? scroller : outer && main.contains(outer) ? outer : el));
          }
          // A displayed formula wider than its own box is cut (or, on screen, scrolls).
          const clips = print || getComputedStyle(el).overflowX === "hidden";
          if (clips && el.matches(".katex-display") && el.scrollWidth > el.clientWidth + 1) {
            found.add(`formula cut off: ${name(el)}`);
          }
        }
        return [...found].slice(0, 10);
      },
      layout.media === "print",
    );
    wide.forEach((what) => report(`wider than its column at ${layout.name}: ${what}`));
    // At the desktop width no listing scrolls sideways: what is off-screen is missed (a test of
    // the book crate keeps every listing to 80 columns; this is the same promise, measured).
    if (layout.width === 1280) {
      const scrolled = await page.$$eval("main pre", (pres) =>
        pres
          .filter((pre) => [pre, ...pre.querySelectorAll("code")].some((el) => el.scrollWidth > el.clientWidth + 1))
          .map((pre) => `${Math.max(...[pre, ...pre.querySelectorAll("code")].map((el) => el.scrollWidth))} px in ${pre.clientWidth}: ${pre.innerText.split("\n").sort((a, b) => b.length - a.length)[0].slice(0, 90)}`),
      );
      scrolled.forEach((what) => report(`listing scrolls sideways at 1280 px: ${what}`));
    }
    // On a phone figures scale to the column (their text with them; a tap shows them full size),
    // tables wrap or stack their cells, and a displayed formula is set smaller (assets/math.js)
    // or written in rows: none may be wider than the screen or its box, nor scroll sideways.
    if (layout.width === 390) {
      const overflowing = await page.$$eval("main img, main table, main .formula-display", (els) => {
        const viewport = document.documentElement.clientWidth;
        return els
          .filter((el) => el.getBoundingClientRect().width > 0)
          .filter((el) => {
            const box = el.getBoundingClientRect();
            const parent = el.parentElement.getBoundingClientRect();
            return box.right > viewport + 1 || box.width > parent.width + 1 || el.scrollWidth > el.clientWidth + 1;
          })
          .map((el) => {
            // A formula is named by its TeX (KaTeX keeps it in an annotation), not its glyphs.
            const tex = el.querySelector("annotation")?.textContent;
            const what = tex ? `formula ${tex}` : `<${el.tagName.toLowerCase()}> ${el.getAttribute("src") || el.innerText}`;
            return `${what.replace(/\s+/g, " ").slice(0, 80)} (${Math.round(el.getBoundingClientRect().width)} px, scrolls ${el.scrollWidth} in ${el.clientWidth})`;
          });
      });
      overflowing.forEach((what) => report(`wider than the screen or its box at 390 px: ${what}`));
      // An exercise table keeps its words whole on a phone: a header or a function name breaks
      // only at a space or after an underscore, never inside a word ("Poi / nts").
      const broken = await page.$$eval(".exercise-table th, .exercise-table code", (els) =>
        els.flatMap((el) => {
          const texts = [...el.childNodes].filter((n) => n.nodeType === Node.TEXT_NODE);
          return texts.flatMap((text) =>
            [...text.data.matchAll(/[^\s_]+_?/g)]
              .filter((word) => {
                const range = document.createRange();
                range.setStart(text, word.index);
                range.setEnd(text, word.index + word[0].length);
                return new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size > 1;
              })
              .map((word) => `${word[0]} in “${el.textContent.trim()}”`),
          );
        }),
      );
      broken.forEach((what) => report(`a word of an exercise table breaks at 390 px: ${what}`));
      // Every figure has a phone's version, drawn for a phone's column (panels stacked, text
      // 12 px): the phone must get it, shown at about its size, not the column's shrunk to half.
      const small = await page.$$eval('main img[src$=".svg"]', (imgs) =>
        imgs
          .filter((i) => i.getBoundingClientRect().width > 0) // not a slider's hidden frame
          .filter((i) => !i.currentSrc.endsWith("-phone.svg") || i.getBoundingClientRect().width < 0.9 * i.naturalWidth)
          .map((i) => `${i.currentSrc.split("/").pop()} at ${Math.round(i.getBoundingClientRect().width)} of ${i.naturalWidth} px`),
      );
      small.forEach((what) => report(`a phone is not shown the phone's figure at its size: ${what}`));
    }
    // Paper cannot move a slider: in print every frame of an interactive figure shows, and no
    // sentence asks the reader to move it.
    if (layout.media === "print") {
      const unseen = await page.$$eval("figure[data-slider]", (figures) =>
        figures.flatMap((figure, n) =>
          Array.from(figure.querySelectorAll("img.frame"))
            .filter((img) => getComputedStyle(img).display === "none" || img.getBoundingClientRect().width < 50)
            .map((img) => `interactive figure ${n + 1}: frame ${img.getAttribute("src")}`),
        ),
      );
      unseen.forEach((what) => report(`not printed: ${what}`));
      const asks = await page.$eval("main", (m) => (m.innerText.match(/[^.]*move the slider[^.]*/i) || [])[0]);
      if (asks) report(`in print, a sentence asks to move a slider: ${asks.trim()}`);
      // Paper cannot unfold an answer: a folded one (<details>) prints open.
      const folded = await page.$$eval("main details", (all) =>
        all
          // A folded answer's text keeps a size but is not drawn: ask whether it is visible.
          .filter((d) => [...d.children].some((c) => c.tagName !== "SUMMARY" && !c.checkVisibility()))
          .map((d) => d.closest("li")?.innerText.split("\n")[0].slice(0, 60) ?? d.innerText.slice(0, 60)),
      );
      folded.forEach((what) => report(`in print, a folded answer does not show: ${what}`));
    }
    // The figures' text is 12 px when shown 750 px wide, the column they are drawn for (wider ones
    // scale their text up; a test of the book crate checks the SVGs): at the desktop width a figure
    // must be shown at least that wide, or its text is smaller.
    if (layout.width === 1280) {
      const shrunk = await page.$$eval("main img[src$='.svg']", (imgs) =>
        imgs
          .filter((i) => i.getBoundingClientRect().width > 0 && i.naturalWidth > 0)
          .filter((i) => i.getBoundingClientRect().width < Math.min(i.naturalWidth, 750) - 1)
          .map((i) => `${i.getAttribute("src")} at ${Math.round(i.getBoundingClientRect().width)} of ${i.naturalWidth} px`),
      );
      shrunk.forEach((what) => report(`figure shrunk at ${layout.name}, its text below 12 px: ${what}`));
    }
  }
  await page.emulateMedia({ media: "screen" });
  await page.setViewportSize({ width: 1280, height: 900 });

  // The print page is the whole book, about 80 000 pixels tall: its first screen is enough.
  await page.screenshot({ path: `${shots}/${chapter}.png`, fullPage: chapter !== "print" });
  if (chapter !== "print") {
    await page.setViewportSize({ width: 390, height: 900 });
    await page.reload({ waitUntil: "networkidle" });
    await page.waitForTimeout(400);
    await page.screenshot({ path: `${shots}/${chapter}-390.png`, fullPage: true });
    await page.setViewportSize({ width: 1280, height: 900 });
  }
  await page.close();
  return `checked ${chapter}: ${typeset} formulas, ${links.length} links, ${broken.length} broken images, ${sliders.length} sliders`;
}

// Three chapters at a time: most of a chapter's time is waiting (for the network to go idle after
// each of its four loads, for mdBook's sidebar to settle), not computing. The lines keep the order
// of the table of contents.
const lines = new Array(chapters.length);
let next = 0;
async function worker() {
  while (next < chapters.length) {
    const i = next++;
    lines[i] = await checkChapter(chapters[i]);
  }
}
await Promise.all([worker(), worker(), worker()]);
lines.filter(Boolean).forEach((line) => console.log(line));

await browser.close();
if (problems.length > 0) {
  console.error(`\n${problems.length} problem(s) in the book:`);
  problems.forEach((p) => console.error(`  ${p}`));
  process.exit(1);
}
console.log(`\nAll ${chapters.length} pages (the chapters and the print page) load cleanly; screenshots in ${shots}/`);
