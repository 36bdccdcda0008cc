// Drives the explorer page of a running `geokg serve` in headless Chromium:
// search an actor, check the drawn neighbourhood against the JSON API, click an edge and
// check its evidence sentence, save a screenshot; then switch to the map, check its points
// and shaded countries against the API, click the busiest place and check its events,
// save a second screenshot.
//
// usage: node explorer-test.js BASE_URL QUERY SCREENSHOT.png [MAP_SCREENSHOT.png]
// env:   PLAYWRIGHT_CORE (path of the playwright-core package), CHROMIUM (browser binary)
"use strict";

const { chromium } = require(process.env.PLAYWRIGHT_CORE || "playwright-core");

const [base, query, screenshot, mapShot] = process.argv.slice(2);
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
    // No sandbox (CI runs as root); nothing that would reach out on its own.
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-default-apps",
      "--disable-sync",
      "--no-first-run",
      "--metrics-recording-only",
    ],
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

    // The map of the same neighbourhood: one point per place the API lists, one shaded
    // outline per country it lists, and a place's events on click.
    const places = await api(`places?actor=${encodeURIComponent(actor.id)}&hops=1`);
    check(places.places.length > 0, `the API places ${places.at_places} of ${places.events} events at ${places.places.length} places`);
    await page.click("#view-map");
    await page.waitForSelector('#map[data-ready="true"]', { timeout: 20000 });
    check(await page.locator("#graph").isHidden(), "the map replaces the network");
    const points = await page.locator("#map-points g.place").count();
    check(points === places.places.length, `the map draws ${places.places.length} places (drew ${points})`);
    const outlines = await page.locator("#map-land path.country").count();
    check(outlines > 170, `with the countries' outlines (${outlines})`);
    const shadedCodes = await page.$$eval("#map-land path.country.shaded", (ps) => [...new Set(ps.map((p) => p.dataset.iso3))].sort());
    const wanted = places.countries.map((c) => c.country).sort();
    check(
      JSON.stringify(shadedCodes) === JSON.stringify(wanted),
      `and shades the countries of events placed only there (${wanted.join(", ") || "none"}; shaded ${shadedCodes.join(", ") || "none"})`,
    );
    // Every point lies inside the map's frame (the view was fitted to them).
    const frame = await page.locator("#map").boundingBox();
    const boxes = await page.$$eval("#map-points g.place circle", (cs) => cs.map((c) => {
      const b = c.getBoundingClientRect();
      return { x: b.x + b.width / 2, y: b.y + b.height / 2 };
    }));
    const inside = boxes.filter((b) => b.x >= frame.x && b.x <= frame.x + frame.width && b.y >= frame.y && b.y <= frame.y + frame.height);
    check(inside.length === boxes.length, `every point is in view (${inside.length} of ${boxes.length})`);

    const busiest = places.places[0];
    await page.locator(`#map-points g.place[data-id="${busiest.id}"] circle`).click();
    await page.waitForSelector("#place-events .event", { timeout: 10000 });
    const at = await api(`place?actor=${encodeURIComponent(actor.id)}&hops=1&place=${encodeURIComponent(busiest.id)}`);
    const placeCards = await page.locator("#place-events .event").count();
    check(placeCards === at.events.length && at.events.length === busiest.events, `clicking ${busiest.label} shows its ${busiest.events} events (shows ${placeCards})`);
    const heading = await page.textContent("#inspector .tie-head h3");
    check(heading === busiest.label, `the card is headed ${busiest.label} (${heading})`);
    const firstPlaced = await page.locator("#place-events .event .evidence").first().textContent();
    check(firstPlaced === at.events[0].evidence, `its first event's sentence: "${firstPlaced.slice(0, 60)}..."`);
    const where = await page.locator("#place-events .event .where").first().textContent();
    check(where.includes(at.events[0].location.label), `and where it happened: "${where}"`);
    if (mapShot) {
      await page.screenshot({ path: mapShot });
      console.log(`map screenshot: ${mapShot}`);
    }
    // And back: the network is drawn as it was.
    await page.click("#view-network");
    const again = await page.locator("#nodes g.node").count();
    check(again === expected.nodes.length && (await page.locator("#map").isHidden()), "back to the network view");

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
