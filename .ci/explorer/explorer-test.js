// Drives the explorer page of a running `geokg serve` in headless Chromium:
// search an actor, check the drawn neighbourhood against the JSON API, click an edge and
// check its evidence sentence, save a screenshot.
//
// usage: node explorer-test.js BASE_URL QUERY SCREENSHOT.png
// env:   PLAYWRIGHT_CORE (path of the playwright-core package), CHROMIUM (browser binary)
"use strict";

const { chromium } = require(process.env.PLAYWRIGHT_CORE || "playwright-core");

const [base, query, screenshot] = process.argv.slice(2);
let failures = 0;
let passes = 0;

function check(ok, what) {
  if (ok) {
    passes += 1;
    console.log(`ok   ${what}`);
  } else {
    failures += 1;
    console.log(`FAIL ${what}`);
  }
}

async function main() {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu"],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    const external = [];
    page.on("request", (r) => {
      if (!r.url().startsWith(base)) external.push(r.url());
    });
    const errors = [];
    page.on("pageerror", (e) => errors.push(e.message));

    // What the page should draw, from the API it draws from.
    const api = async (path) => {
      const res = await fetch(`${base}/api/${path}`);
      return res.json();
    };
    let search;
    for (let i = 0; i < 60; i++) {
      const res = await fetch(`${base}/api/actors?q=${encodeURIComponent(query)}`);
      if (res.status !== 503) {
        search = await res.json();
        break;
      }
      await new Promise((r) => setTimeout(r, 500));
    }
    check(search && search.actors.length > 0, `the API finds an actor for "${query}"`);
    const actor = search.actors[0];
    const expected = await api(`neighbourhood?actor=${encodeURIComponent(actor.id)}&hops=1`);

    await page.goto(base + "/", { waitUntil: "load" });
    await page.waitForFunction(() => !document.getElementById("store-summary").textContent.includes("loading"));
    await page.fill("#search", query);
    await page.waitForSelector(`#search-results li[data-id="${actor.id}"]`, { timeout: 10000 });
    await page.keyboard.press("Enter");
    await page.waitForSelector('#graph[data-settled="true"]', { timeout: 20000 });

    const drawn = await page.locator("#nodes g.node").count();
    check(
      drawn === expected.nodes.length,
      `the neighbourhood of ${actor.label} draws ${expected.nodes.length} nodes (drew ${drawn})`,
    );
    const ties = await page.locator("#edges g.tie").count();
    check(ties === expected.ties.length, `and ${expected.ties.length} ties (drew ${ties})`);
    const title = await page.textContent("#graph-title h2");
    check(title === actor.label, `the title names ${actor.label}`);

    // Click the busiest tie, as a user would (a real mouse click on the line's midpoint).
    const tie = expected.ties.reduce((a, b) => (b.events > a.events ? b : a));
    const line = page.locator(`#edges line.edge-hit[data-a="${tie.a}"][data-b="${tie.b}"]`);
    await line.click({ force: true });
    await page.waitForSelector("#tie-events .event", { timeout: 10000 });
    const detail = await api(`tie?a=${encodeURIComponent(tie.a)}&b=${encodeURIComponent(tie.b)}`);
    const cards = await page.locator("#tie-events .event").count();
    check(cards === detail.events.length, `clicking the tie shows its ${detail.events.length} events (shows ${cards})`);
    const evidence = await page.locator("#tie-events .event .evidence").first().textContent();
    check(
      evidence === detail.events[0].evidence,
      `the first event's evidence sentence is shown: "${evidence.slice(0, 70)}..."`,
    );
    const withTrigger = detail.events.filter((e) => e.trigger).length;
    const marks = await page.locator("#tie-events .event mark").count();
    check(marks === withTrigger, `each event's trigger is highlighted (${marks} of ${withTrigger})`);

    await page.screenshot({ path: screenshot });
    console.log(`screenshot: ${screenshot}`);

    check(external.length === 0, `the page requested nothing outside the server (${external.join(", ")})`);
    check(errors.length === 0, `no script errors (${errors.join("; ")})`);
  } finally {
    await browser.close();
  }
  console.log(`explorer: ${passes} passed, ${failures} failed`);
  process.exit(failures ? 1 : 0);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
