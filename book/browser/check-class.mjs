// Opens the class report a `grade` run writes (OUT/class/index.html) in headless Chromium, at a
// desktop's width and a phone's, and fails on what an instructor would notice: a console error,
// a request for anything but the page's own file (the report must open offline, with no script
// from elsewhere), a histogram that is not drawn or does not fit the screen, or the page itself
// wider than the screen. Keeps a screenshot of each width.
//
//   node check-class.mjs <OUT/class/index.html> <screenshot folder>

import { mkdirSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium } from "playwright-core";

const [page_path, shots] = process.argv.slice(2);
if (!page_path || !shots) {
  console.error("usage: node check-class.mjs <index.html> <screenshot folder>");
  process.exit(2);
}
mkdirSync(shots, { recursive: true });
const url = pathToFileURL(resolve(page_path)).href;
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
});
const problems = [];
for (const [name, width] of [["desktop", 1280], ["phone", 390]]) {
  const context = await browser.newContext({ viewport: { width, height: 900 } });
  const page = await context.newPage();
  const report = (what) => problems.push(`${name} (${width} px): ${what}`);
  page.on("console", (msg) => msg.type() === "error" && report(`console error: ${msg.text()}`));
  page.on("pageerror", (err) => report(`script error: ${err.message}`));
  await page.route("**/*", (route) => {
    const asked = route.request().url();
    if (asked === url) return route.continue();
    report(`asked for ${asked}`);
    return route.abort();
  });
  await page.goto(url, { waitUntil: "load" });
  const figures = await page.$$eval("figure svg", (svgs) =>
    svgs.map((svg) => {
      const box = svg.getBoundingClientRect();
      return { width: box.width, height: box.height, bars: svg.querySelectorAll("rect").length };
    }),
  );
  if (figures.length === 0) report("no histogram at all");
  figures.forEach((f, i) => {
    if (!(f.width > 100 && f.height > 40)) report(`histogram ${i + 1} is not drawn (${f.width}×${f.height})`);
    if (f.width > width) report(`histogram ${i + 1} is ${f.width} px wide`);
    if (f.bars < 2) report(`histogram ${i + 1} has no bars`);
  });
  const wide = await page.evaluate(() => document.documentElement.scrollWidth);
  if (wide > width + 1) report(`the page is ${wide} px wide: something does not wrap or scroll in its box`);
  const text = await page.textContent("body");
  for (const part of ["Teach again", "Submissions that look alike"]) {
    if (!text.includes(part)) report(`no section "${part}"`);
  }
  await page.screenshot({ path: `${shots}/class-${name}.png`, fullPage: true });
  console.log(`${name}: ${figures.length} histograms drawn, page ${wide} px wide`);
  await context.close();
}
await browser.close();
if (problems.length > 0) {
  console.error(problems.join("\n"));
  process.exit(1);
}
