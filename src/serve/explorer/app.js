// geokg explorer: a neighbourhood viewer over the /api/ endpoints of `geokg serve`.
// Plain JavaScript, no libraries, nothing fetched from the network but the server itself.
// The graph is SVG laid out by a small force simulation (repulsion between all nodes,
// springs along ties, a pull to the centre), which is plenty for the <= 300 nodes the API
// returns at once. The map view draws the same selection's events over country outlines
// the server embeds (/countries.json), in a projection of its own (see "map" below).
"use strict";

const QUAD_NAMES = {
  1: "Verbal cooperation",
  2: "Material cooperation",
  3: "Verbal conflict",
  4: "Material conflict",
  0: "Uncoded relation",
};
const QUAD_COLOURS = { 1: "#2a9d8f", 2: "#1f6fb2", 3: "#e09f3e", 4: "#d1495b", 0: "#9aa5b1" };
const NODE_COLOURS = {
  Person: "#475569",
  Country: "#3d5afe",
  Organisation: "#8e44ad",
  Group: "#b5651d",
};
const SVG_NS = "http://www.w3.org/2000/svg";

const state = {
  centre: null, // actor id
  hops: 1,
  filter: { from: "", to: "", roots: [] },
  view: null, // {nodes, ties, kind: "neighbourhood" | "paths"}
  selectedTie: null,
  stage: "network", // or "map"
  // What the map shows, as /api/places parameters: {actor, hops} or {path}.
  selection: null,
};

const $ = (id) => document.getElementById(id);

// ---- HTTP -------------------------------------------------------------------------------

async function api(path, params = {}, attempt = 0) {
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== "") qs.set(k, v);
  }
  const res = await fetch(`/api/${path}?${qs}`, { headers: { Accept: "application/json" } });
  if (res.status === 503 && attempt < 60) {
    // The server is still projecting the store.
    await new Promise((r) => setTimeout(r, 1000));
    return api(path, params, attempt + 1);
  }
  const body = await res.json().catch(() => ({}));
  if (!res.ok) {
    const err = new Error(body.detail || body.error || `HTTP ${res.status}`);
    err.body = body;
    err.status = res.status;
    throw err;
  }
  return body;
}

function filterParams() {
  const f = state.filter;
  return { from: f.from, to: f.to, roots: f.roots.join(",") };
}

function toast(message, ms = 4000) {
  const t = $("toast");
  t.textContent = message;
  t.hidden = false;
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => (t.hidden = true), ms);
}

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "class") node.className = v;
    else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else if (v !== undefined && v !== null) node.setAttribute(k, v);
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return node;
}

function svg(tag, attrs = {}) {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  return node;
}

// ---- type-ahead -------------------------------------------------------------------------

function typeahead(input, list, onPick) {
  let items = [];
  let active = -1;
  let seq = 0;
  const close = () => {
    list.hidden = true;
    active = -1;
  };
  const render = () => {
    list.replaceChildren(
      ...items.map((a, i) =>
        el(
          "li",
          {
            class: i === active ? "active" : "",
            role: "option",
            "data-id": a.id,
            onmousedown: (e) => {
              e.preventDefault();
              pick(i);
            },
          },
          el("span", {}, a.label),
          el("span", { class: "kind" }, [a.type, a.country].filter(Boolean).join(" · ")),
        ),
      ),
    );
    list.hidden = items.length === 0;
  };
  const pick = (i) => {
    const a = items[i];
    if (!a) return;
    input.value = a.label;
    input.dataset.id = a.id;
    close();
    onPick(a);
  };
  input.addEventListener("input", async () => {
    delete input.dataset.id;
    const q = input.value.trim();
    const mine = ++seq;
    if (!q) {
      items = [];
      render();
      return;
    }
    try {
      const res = await api("actors", { q, limit: 8 });
      if (mine !== seq) return; // a later keystroke answered first
      items = res.actors;
      active = items.length ? 0 : -1;
      render();
    } catch (e) {
      toast(e.message);
    }
  });
  input.addEventListener("keydown", (e) => {
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      if (!items.length) return;
      e.preventDefault();
      active = (active + (e.key === "ArrowDown" ? 1 : items.length - 1)) % items.length;
      render();
    } else if (e.key === "Enter") {
      e.preventDefault();
      if (!list.hidden && active >= 0) pick(active);
    } else if (e.key === "Escape") {
      close();
    }
  });
  input.addEventListener("blur", () => setTimeout(close, 120));
}

// ---- graph drawing ----------------------------------------------------------------------

const graph = {
  nodes: [],
  edges: [],
  byId: new Map(),
  transform: { k: 1, x: 0, y: 0 },
  alpha: 0,
  frame: null,
};

function nodeRadius(n) {
  return Math.min(26, 6 + 2.6 * Math.sqrt(n.mentions || n.events || 1));
}

function edgeWidth(events) {
  return Math.min(11, 1.4 + 1.7 * Math.sqrt(events));
}

// Deterministic starting positions: rings by hop distance, so the layout is the same on
// every load of the same data.
function seedPositions(nodes) {
  const rings = new Map();
  for (const n of nodes) {
    const d = n.distance || 0;
    if (!rings.has(d)) rings.set(d, []);
    rings.get(d).push(n);
  }
  for (const [d, ring] of rings) {
    ring.forEach((n, i) => {
      const angle = (2 * Math.PI * i) / ring.length + d * 0.7;
      const radius = d === 0 && ring.length === 1 ? 0 : 120 + 150 * d;
      n.x = radius * Math.cos(angle);
      n.y = radius * Math.sin(angle);
      n.vx = 0;
      n.vy = 0;
    });
  }
}

function tick() {
  const { nodes, edges } = graph;
  const alpha = graph.alpha;
  for (let i = 0; i < nodes.length; i++) {
    const a = nodes[i];
    for (let j = i + 1; j < nodes.length; j++) {
      const b = nodes[j];
      let dx = b.x - a.x;
      let dy = b.y - a.y;
      let d2 = dx * dx + dy * dy;
      if (d2 < 1) {
        dx = (i - j) * 0.5 + 0.1;
        dy = 0.3;
        d2 = dx * dx + dy * dy;
      }
      const minD = a.r + b.r + 30;
      const f = (alpha * 5200) / Math.max(d2, minD * minD * 0.25);
      const d = Math.sqrt(d2);
      const fx = (dx / d) * f;
      const fy = (dy / d) * f;
      a.vx -= fx;
      a.vy -= fy;
      b.vx += fx;
      b.vy += fy;
    }
  }
  for (const e of edges) {
    const a = e.source;
    const b = e.target;
    const dx = b.x - a.x;
    const dy = b.y - a.y;
    const d = Math.sqrt(dx * dx + dy * dy) || 1;
    const rest = 110 + a.r + b.r;
    const f = ((d - rest) / d) * 0.06 * alpha;
    a.vx += dx * f;
    a.vy += dy * f;
    b.vx -= dx * f;
    b.vy -= dy * f;
  }
  for (const n of nodes) {
    n.vx -= n.x * 0.012 * alpha;
    n.vy -= n.y * 0.012 * alpha;
    if (n.fixed) {
      n.vx = 0;
      n.vy = 0;
      continue;
    }
    n.vx *= 0.62;
    n.vy *= 0.62;
    n.x += n.vx;
    n.y += n.vy;
  }
  graph.alpha *= 0.975;
}

function drawPositions() {
  for (const e of graph.edges) {
    for (const line of [e.line, e.hit]) {
      line.setAttribute("x1", e.source.x);
      line.setAttribute("y1", e.source.y);
      line.setAttribute("x2", e.target.x);
      line.setAttribute("y2", e.target.y);
    }
  }
  for (const n of graph.nodes) n.g.setAttribute("transform", `translate(${n.x},${n.y})`);
}

function applyTransform() {
  const t = graph.transform;
  $("viewport").setAttribute("transform", `translate(${t.x},${t.y}) scale(${t.k})`);
}

function fit(animate = false) {
  if (!graph.nodes.length) return;
  const box = $("graph").getBoundingClientRect();
  if (!box.width || !box.height) return; // hidden behind the map
  let [x0, y0, x1, y1] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const n of graph.nodes) {
    x0 = Math.min(x0, n.x - n.r - 10);
    x1 = Math.max(x1, n.x + n.r + 90); // room for the label
    y0 = Math.min(y0, n.y - n.r - 10);
    y1 = Math.max(y1, n.y + n.r + 10);
  }
  const top = 80; // the title
  const k = Math.min(1.6, (box.width - 60) / (x1 - x0), (box.height - top - 40) / (y1 - y0));
  graph.transform = {
    k,
    x: box.width / 2 - ((x0 + x1) / 2) * k,
    y: top + (box.height - top) / 2 - ((y0 + y1) / 2) * k,
  };
  applyTransform();
}

function run() {
  cancelAnimationFrame(graph.frame);
  $("graph").dataset.settled = "false";
  graph.alpha = 1;
  let frames = 0;
  const step = () => {
    for (let i = 0; i < 3; i++) tick();
    drawPositions();
    if (frames++ % 10 === 0) fit();
    if (graph.alpha > 0.004) {
      graph.frame = requestAnimationFrame(step);
    } else {
      fit();
      $("graph").dataset.settled = "true";
    }
  };
  graph.frame = requestAnimationFrame(step);
}

// Draws nodes [{id,label,type,distance,mentions}] and ties [{a,b,events,dominant,...}].
function draw(nodes, ties, centre) {
  $("empty").hidden = nodes.length > 0 || state.stage === "map";
  const edgeLayer = $("edges");
  const nodeLayer = $("nodes");
  edgeLayer.replaceChildren();
  nodeLayer.replaceChildren();
  graph.byId = new Map();
  graph.nodes = nodes.map((n) => ({ ...n }));
  for (const n of graph.nodes) {
    n.r = nodeRadius(n);
    graph.byId.set(n.id, n);
  }
  seedPositions(graph.nodes);
  graph.edges = [];
  for (const t of ties) {
    const source = graph.byId.get(t.a);
    const target = graph.byId.get(t.b);
    if (!source || !target || source === target) continue;
    const colour = QUAD_COLOURS[t.dominant] || QUAD_COLOURS[0];
    const g = svg("g", { class: "tie", "data-a": t.a, "data-b": t.b });
    const line = svg("line", {
      class: "edge",
      stroke: colour,
      "stroke-width": edgeWidth(t.events),
    });
    const hit = svg("line", { class: "edge-hit", "data-a": t.a, "data-b": t.b });
    const title = svg("title");
    title.textContent = `${source.label} — ${target.label}: ${t.events} event${t.events === 1 ? "" : "s"} (${QUAD_NAMES[t.dominant]})`;
    hit.append(title);
    g.append(line, hit);
    g.addEventListener("mouseenter", () => line.classList.add("hover"));
    g.addEventListener("mouseleave", () => line.classList.remove("hover"));
    g.addEventListener("click", (e) => {
      e.stopPropagation();
      selectTie(t);
    });
    edgeLayer.append(g);
    graph.edges.push({ ...t, source, target, line, hit, g });
  }
  for (const n of graph.nodes) {
    const g = svg("g", { class: `node${n.id === centre ? " centre" : ""}`, "data-id": n.id });
    const circle = svg("circle", { r: n.r, fill: NODE_COLOURS[n.type] || "#94a3b8" });
    const label = svg("text", { x: n.r + 5, y: 4 });
    label.textContent = n.label;
    const title = svg("title");
    title.textContent = `${n.label}${n.type ? ` (${n.type}${n.country ? ", " + n.country : ""})` : ""}: ${n.mentions || 0} mentions`;
    g.append(title, circle, label);
    enableDrag(g, n);
    nodeLayer.append(g);
    n.g = g;
  }
  drawPositions();
  fit();
  run();
}

function highlight(a, b) {
  for (const e of graph.edges) {
    const on = !a || (e.source.id === a && e.target.id === b) || (e.source.id === b && e.target.id === a);
    e.line.classList.toggle("dim", !on);
    e.line.classList.toggle("selected", Boolean(a) && on);
  }
  for (const n of graph.nodes) n.g.classList.toggle("dim", Boolean(a) && n.id !== a && n.id !== b);
}

function svgPoint(evt) {
  const box = $("graph").getBoundingClientRect();
  const t = graph.transform;
  return { x: (evt.clientX - box.left - t.x) / t.k, y: (evt.clientY - box.top - t.y) / t.k };
}

function enableDrag(g, n) {
  let moved = false;
  g.addEventListener("pointerdown", (evt) => {
    evt.stopPropagation();
    g.setPointerCapture(evt.pointerId);
    moved = false;
    n.fixed = true;
    const move = (e) => {
      const p = svgPoint(e);
      moved = true;
      n.x = p.x;
      n.y = p.y;
      drawPositions();
    };
    const up = (e) => {
      g.releasePointerCapture(e.pointerId);
      g.removeEventListener("pointermove", move);
      g.removeEventListener("pointerup", up);
      if (!moved) selectActor(n);
    };
    g.addEventListener("pointermove", move);
    g.addEventListener("pointerup", up);
  });
}

function enablePanZoom() {
  const surface = $("graph");
  surface.addEventListener(
    "wheel",
    (e) => {
      e.preventDefault();
      const box = surface.getBoundingClientRect();
      zoomAt(e.clientX - box.left, e.clientY - box.top, Math.exp(-e.deltaY * 0.0015));
    },
    { passive: false },
  );
  surface.addEventListener("pointerdown", (e) => {
    if (e.target.closest(".node") || e.target.closest(".tie")) return;
    const start = { x: e.clientX, y: e.clientY, tx: graph.transform.x, ty: graph.transform.y };
    surface.classList.add("panning");
    surface.setPointerCapture(e.pointerId);
    const move = (m) => {
      graph.transform.x = start.tx + m.clientX - start.x;
      graph.transform.y = start.ty + m.clientY - start.y;
      applyTransform();
    };
    const up = () => {
      surface.classList.remove("panning");
      surface.removeEventListener("pointermove", move);
      surface.removeEventListener("pointerup", up);
    };
    surface.addEventListener("pointermove", move);
    surface.addEventListener("pointerup", up);
  });
  // The buttons zoom whichever view is shown.
  const centreZoom = (f) => {
    const onMap = state.stage === "map";
    const box = $(onMap ? "map" : "graph").getBoundingClientRect();
    (onMap ? mapZoomAt : zoomAt)(box.width / 2, box.height / 2, f);
  };
  $("zoom-in").addEventListener("click", () => centreZoom(1.25));
  $("zoom-out").addEventListener("click", () => centreZoom(0.8));
  $("zoom-fit").addEventListener("click", () => (state.stage === "map" ? fitMap() : fit()));
}

function zoomAt(px, py, factor) {
  const t = graph.transform;
  const k = Math.min(6, Math.max(0.15, t.k * factor));
  t.x = px - ((px - t.x) * k) / t.k;
  t.y = py - ((py - t.y) * k) / t.k;
  t.k = k;
  applyTransform();
}

// ---- views ------------------------------------------------------------------------------

function setTitle(title, subtitle) {
  $("graph-title").replaceChildren(el("h2", {}, title), el("p", {}, subtitle));
}

async function loadNeighbourhood(actorId) {
  try {
    const res = await api("neighbourhood", {
      actor: actorId,
      hops: state.hops,
      ...filterParams(),
    });
    state.centre = res.centre.id;
    state.view = { kind: "neighbourhood", ...res };
    state.selection = { actor: res.centre.id, hops: state.hops };
    $("search").value = res.centre.label;
    $("search").dataset.id = res.centre.id;
    if (!$("path-from").value) {
      $("path-from").value = res.centre.label;
      $("path-from").dataset.id = res.centre.id;
    }
    const shown = res.nodes.length - 1;
    const more = res.truncated ? ` (the ${shown} busiest of ${res.total_actors})` : "";
    setTitle(
      res.centre.label,
      `${shown} actor${shown === 1 ? "" : "s"} within ${res.hops} hop${res.hops === 1 ? "" : "s"}${more} · ${res.ties.length} ties`,
    );
    history.replaceState(null, "", `#actor=${encodeURIComponent(res.centre.id)}&hops=${state.hops}`);
    draw(res.nodes, res.ties, res.centre.id);
    const centreNode = res.nodes.find((n) => n.id === res.centre.id);
    showActor(centreNode, res.ties);
    if (state.stage === "map") refreshMap();
  } catch (e) {
    const options = (e.body && (e.body.candidates || e.body.suggestions)) || [];
    toast(options.length ? `${e.message}` : e.message, 6000);
  }
}

function quadBar(q) {
  const total = q.verbal_cooperation + q.material_cooperation + q.verbal_conflict + q.material_conflict + q.neutral;
  const parts = [
    [1, q.verbal_cooperation],
    [2, q.material_cooperation],
    [3, q.verbal_conflict],
    [4, q.material_conflict],
    [0, q.neutral],
  ];
  return el(
    "span",
    { class: "bar", title: parts.filter((p) => p[1]).map((p) => `${QUAD_NAMES[p[0]]}: ${p[1]}`).join("\n") },
    parts
      .filter((p) => p[1] > 0)
      .map((p) => el("i", { class: `q${p[0]}-bg`, style: `width:${(100 * p[1]) / total}%` })),
  );
}

// One pill per QuadClass present in counts {verbal_cooperation, ...}.
function quadPills(q) {
  if (!q) return null;
  const byClass = { 1: q.verbal_cooperation, 2: q.material_cooperation, 3: q.verbal_conflict, 4: q.material_conflict, 0: q.neutral };
  return [1, 2, 3, 4, 0]
    .filter((c) => byClass[c] > 0)
    .map((c) => el("span", { class: "pill" }, el("i", { class: `q${c}-bg` }), `${byClass[c]} ${QUAD_NAMES[c].toLowerCase()}`));
}

function openInspector(...content) {
  $("inspector").hidden = false;
  $("inspector-body").replaceChildren(...content.flat().filter((c) => c !== null && c !== undefined));
  $("inspector").scrollTop = 0;
}

function showActor(node, ties) {
  if (!node) return;
  const own = (ties || (state.view && state.view.ties) || []).filter((t) => t.a === node.id || t.b === node.id);
  own.sort((x, y) => y.events - x.events);
  const label = (id) => (graph.byId.get(id) || { label: id }).label;
  openInspector(
    el(
      "div",
      { class: "tie-head" },
      el("h3", {}, node.label),
      el("p", { class: "muted" }, [node.type, node.country].filter(Boolean).join(" · ")),
      el(
        "div",
        { class: "stats" },
        el("span", { class: "pill" }, `${node.mentions || 0} mentions`),
        el("span", { class: "pill" }, `${own.length} ties shown`),
      ),
    ),
    node.id !== state.centre
      ? el("button", { class: "primary", type: "button", onclick: () => loadNeighbourhood(node.id) }, "Explore from here")
      : null,
    el("h2", { style: "margin-top:16px" }, "Ties"),
    el(
      "ul",
      { class: "tie-list" },
      own.map((t) =>
        el(
          "li",
          { onclick: () => selectTie(t) },
          el("span", {}, label(t.a === node.id ? t.b : t.a)),
          el("span", { style: "display:flex;gap:8px;align-items:center" }, quadBar(t.quad_classes), `${t.events}`),
        ),
      ),
    ),
  );
}

function selectActor(n) {
  highlight(null);
  showActor(n);
}

function eventCard(ev) {
  const q = ev.quad_class ?? 0;
  const chars = Array.from(ev.evidence || "");
  const evidence = el("p", { class: "evidence" });
  if (ev.trigger) {
    const [s, e] = ev.trigger;
    evidence.append(chars.slice(0, s).join(""), el("mark", {}, chars.slice(s, e).join("")), chars.slice(e).join(""));
  } else {
    evidence.append(ev.evidence || "");
  }
  const what = ev.cameo
    ? [el("span", { class: "code" }, ev.cameo), ev.cameo_name || ev.relation]
    : [ev.relation];
  return el(
    "div",
    { class: `event q${q}`, "data-statement": `${ev.doc}/${ev.statement}` },
    el(
      "div",
      { class: "meta" },
      el("span", {}, ev.date || "undated", " · ", el("span", { class: "class", style: `color:${QUAD_COLOURS[q]}` }, QUAD_NAMES[q])),
      el("span", { class: `modality ${ev.modality}` }, ev.modality),
    ),
    el("div", { class: "what" }, ...what),
    el("div", { class: "who" }, `${ev.subject.label} → ${ev.object.label}`),
    ev.location ? whereLine(ev.location) : null,
    evidence,
    ev.source ? el("div", { class: "source" }, `reported by ${ev.source.label}`) : null,
    el("div", { class: "source" }, ev.doc_title || ev.doc, ev.doc_date ? ` · ${ev.doc_date}` : ""),
  );
}

// Where an event happened, and whether the sentence or the dateline says so.
function whereLine(loc) {
  const pin = svg("svg", { viewBox: "0 0 12 12", width: 11, height: 11, "aria-hidden": "true" });
  pin.append(svg("path", { d: "M6 0.5a4 4 0 0 0-4 4c0 3 4 7 4 7s4-4 4-7a4 4 0 0 0-4-4zm0 5.6a1.6 1.6 0 1 1 0-3.2 1.6 1.6 0 0 1 0 3.2z" }));
  const country = loc.precision !== "country" && loc.country ? `, ${loc.country}` : "";
  const from = loc.from === "dateline" ? "from the dateline" : "named in the sentence";
  return el("div", { class: "where", title: `${loc.precision} · ${from}` }, pin, `${loc.label}${country}`, el("span", { class: "muted" }, ` · ${from}`));
}

async function selectTie(t) {
  state.selectedTie = t;
  highlight(t.a, t.b);
  const label = (id) => (graph.byId.get(id) || { label: id }).label;
  try {
    const res = await api("tie", { a: t.a, b: t.b, ...filterParams() });
    const q = t.quad_classes;
    openInspector(
      el(
        "div",
        { class: "tie-head" },
        el("h3", {}, `${label(t.a)} — ${label(t.b)}`),
        el(
          "div",
          { class: "stats" },
          el("span", { class: "pill" }, `${res.events.length} event${res.events.length === 1 ? "" : "s"}`),
          quadPills(q),
          t.net_goldstein !== undefined
            ? el("span", { class: "pill", title: "Sum of Goldstein values: below zero, conflict dominates" }, `Goldstein ${t.net_goldstein > 0 ? "+" : ""}${t.net_goldstein.toFixed(1)}`)
            : null,
          t.first_date ? el("span", { class: "pill" }, t.first_date === t.last_date ? t.first_date : `${t.first_date} → ${t.last_date}`) : null,
        ),
      ),
      el("div", { id: "tie-events" }, res.events.map(eventCard)),
    );
  } catch (e) {
    toast(e.message);
  }
}

async function findPaths() {
  const from = $("path-from").dataset.id || $("path-from").value.trim() || state.centre;
  const to = $("path-to").dataset.id || $("path-to").value.trim();
  if (!from || !to) {
    toast("Choose two actors");
    return;
  }
  try {
    const res = await api("paths", { a: from, b: to, k: 3, ...filterParams() });
    const box = $("path-results");
    if (!res.paths.length) {
      box.replaceChildren(el("p", { class: "muted small" }, `No path between ${res.from.label} and ${res.to.label} within 4 hops.`));
      return;
    }
    const items = res.paths.map((p, i) =>
      el(
        "div",
        { class: `path${i === 0 ? " active" : ""}`, onclick: (e) => showPaths(res, i, e.currentTarget) },
        p.actors.flatMap((a, j) => (j ? [el("span", { class: "arrow" }, "→"), a.label] : [a.label])),
      ),
    );
    box.replaceChildren(...items);
    showPaths(res, 0, items[0]);
  } catch (e) {
    toast(e.message, 6000);
  }
}

function showPaths(res, index, item) {
  document.querySelectorAll(".path").forEach((p) => p.classList.toggle("active", p === item));
  const nodes = new Map();
  const ties = new Map();
  res.paths.forEach((p, pi) => {
    p.actors.forEach((a, i) => {
      if (!nodes.has(a.id)) nodes.set(a.id, { ...a, distance: i });
    });
    if (pi !== index) return;
    for (const h of p.hops) {
      const key = [h.from.id, h.to.id].sort().join("|");
      const q = h.event ? h.event.quad_class ?? 0 : 0;
      ties.set(key, { a: h.from.id, b: h.to.id, events: h.events, dominant: q });
    }
  });
  const chosen = new Set(res.paths[index].actors.map((a) => a.id));
  const shown = [...nodes.values()].filter((n) => chosen.has(n.id));
  state.view = { kind: "paths", nodes: shown, ties: [...ties.values()] };
  state.selection = { path: res.paths[index].actors.map((a) => a.id).join(",") };
  if (state.stage === "map") refreshMap();
  setTitle(`${res.from.label} → ${res.to.label}`, `path ${index + 1} of ${res.paths.length}: ${res.paths[index].hops.length} hops; click a hop for its events`);
  draw(shown, [...ties.values()], res.from.id);
  openInspector(
    el("div", { class: "tie-head" }, el("h3", {}, `${res.from.label} → ${res.to.label}`), el("p", { class: "muted" }, "Each hop with the event that backs it")),
    res.paths[index].hops.map((h) => (h.event ? eventCard(h.event) : null)),
  );
}

// ---- map --------------------------------------------------------------------------------
// An equirectangular projection whose standard parallel is the middle of what it was fitted
// to: x = lon·cos(φ0), y = −lat (degrees), then the view's scale k and offset. Outlines
// come in hundredths of a degree (data/maps/README.md) and are placed by one transform on
// their group, with strokes that do not scale; points are placed in screen units, so they
// stay round and keep their size as the map zooms.

const map = {
  outlines: null, // promise of /countries.json
  unit: 0.01,
  byIso3: new Map(), // ISO3 -> {name, bbox, paths: [SVGPathElement]}
  data: null, // the /api/places answer drawn
  points: [], // {place, g}
  cos: 1,
  transform: { k: 1, x: 0, y: 0 },
  extent: null,
  seq: 0,
  dragged: false,
};

function loadOutlines() {
  if (!map.outlines) {
    map.outlines = fetch("/countries.json").then((res) => {
      if (!res.ok) throw new Error(`country outlines: HTTP ${res.status}`);
      return res.json();
    });
    map.outlines.then(drawOutlines).catch((e) => {
      map.outlines = null;
      toast(e.message);
    });
  }
  return map.outlines;
}

function drawOutlines(world) {
  if (map.byIso3.size) return;
  map.unit = world.unit || 0.01;
  const land = $("map-land");
  for (const c of world.countries) {
    const path = svg("path", { class: "country", d: c.d, "data-iso3": c.iso3 });
    const title = svg("title");
    title.textContent = c.name;
    path.append(title);
    land.append(path);
    const entry = map.byIso3.get(c.iso3) || { name: c.name, bbox: c.bbox, paths: [] };
    entry.paths.push(path);
    map.byIso3.set(c.iso3, entry);
  }
  // Parallels and meridians every 15 degrees, in the outlines' units.
  const u = 1 / map.unit;
  const lines = [];
  for (let lon = -180; lon <= 180; lon += 15) lines.push(`M${lon * u} ${-90 * u}V${90 * u}`);
  for (let lat = -75; lat <= 75; lat += 15) lines.push(`M${-180 * u} ${-lat * u}H${180 * u}`);
  $("map-grid").setAttribute("d", lines.join(""));
}

function countryName(iso3) {
  const c = map.byIso3.get(iso3);
  return c ? c.name : iso3;
}

function placeRadius(events) {
  return Math.min(24, 5 + 3.2 * Math.sqrt(events));
}

function project(lon, lat) {
  const t = map.transform;
  return [lon * map.cos * t.k + t.x, -lat * t.k + t.y];
}

function applyMapTransform() {
  const t = map.transform;
  const sx = t.k * map.cos * map.unit;
  const sy = t.k * map.unit;
  $("map-world").setAttribute("transform", `translate(${t.x},${t.y}) scale(${sx},${sy})`);
  for (const p of map.points) {
    const [x, y] = project(p.place.lon, p.place.lat);
    p.g.setAttribute("transform", `translate(${x.toFixed(1)},${y.toFixed(1)})`);
  }
}

// The box [west, south, east, north] of the points and shaded countries, padded, and never
// smaller than a region, so one city shows its surroundings.
function mapExtent(data) {
  let [w, s, e, n] = [Infinity, Infinity, -Infinity, -Infinity];
  const add = (x0, y0, x1, y1) => {
    w = Math.min(w, x0);
    s = Math.min(s, y0);
    e = Math.max(e, x1);
    n = Math.max(n, y1);
  };
  for (const p of (data && data.places) || []) add(p.lon, p.lat, p.lon, p.lat);
  for (const c of (data && data.countries) || []) {
    const outline = map.byIso3.get(c.country);
    if (outline) add(...outline.bbox);
  }
  if (w > e) return [-180, -58, 180, 84]; // nothing to place: the world without Antarctica
  const padX = Math.max(12 - (e - w) / 2, (e - w) * 0.12);
  const padY = Math.max(7 - (n - s) / 2, (n - s) * 0.12);
  return [w - padX, Math.max(-85, s - padY), e + padX, Math.min(85, n + padY)];
}

function fitMap() {
  const box = $("map").getBoundingClientRect();
  if (!box.width || !box.height || !map.extent) return;
  const [w, s, e, n] = map.extent;
  const mid = (s + n) / 2;
  map.cos = Math.cos((Math.max(-70, Math.min(70, mid)) * Math.PI) / 180);
  const top = 80; // the title
  const bottom = 90; // the status box
  const k = Math.min((box.width - 80) / ((e - w) * map.cos), (box.height - top - bottom) / (n - s));
  map.transform = {
    k,
    x: box.width / 2 - ((w + e) / 2) * map.cos * k,
    y: top + (box.height - top - bottom) / 2 + mid * k,
  };
  applyMapTransform();
}

function mapZoomAt(px, py, factor) {
  const t = map.transform;
  const k = Math.min(2000, Math.max(1, t.k * factor));
  t.x = px - ((px - t.x) * k) / t.k;
  t.y = py - ((py - t.y) * k) / t.k;
  t.k = k;
  applyMapTransform();
}

function enableMapPanZoom() {
  const surface = $("map");
  surface.addEventListener(
    "wheel",
    (e) => {
      e.preventDefault();
      const box = surface.getBoundingClientRect();
      mapZoomAt(e.clientX - box.left, e.clientY - box.top, Math.exp(-e.deltaY * 0.0015));
    },
    { passive: false },
  );
  // Listening on the window rather than capturing the pointer, so a click that did not
  // move still reaches the point or country under it.
  surface.addEventListener("pointerdown", (e) => {
    if (e.button !== 0 || e.target.closest(".place")) return;
    const start = { x: e.clientX, y: e.clientY, tx: map.transform.x, ty: map.transform.y };
    map.dragged = false;
    const move = (m) => {
      const dx = m.clientX - start.x;
      const dy = m.clientY - start.y;
      if (!map.dragged && Math.hypot(dx, dy) < 4) return;
      map.dragged = true;
      surface.classList.add("panning");
      map.transform.x = start.tx + dx;
      map.transform.y = start.ty + dy;
      applyMapTransform();
    };
    const up = () => {
      surface.classList.remove("panning");
      window.removeEventListener("pointermove", move);
      window.removeEventListener("pointerup", up);
    };
    window.addEventListener("pointermove", move);
    window.addEventListener("pointerup", up);
  });
  surface.addEventListener("click", (e) => {
    if (map.dragged) return;
    const shaded = e.target.closest(".country.shaded");
    if (shaded) selectMapCountry(shaded.dataset.iso3);
  });
}

function selectionParams() {
  return state.selection ? { ...state.selection, ...filterParams() } : null;
}

function showNetwork() {
  state.stage = "network";
  setToggle();
  setShown($("map"), false);
  $("map-status").hidden = true;
  setShown($("graph"), true);
  $("empty").hidden = graph.nodes.length > 0;
  highlight(null);
  fit();
}

async function showMap() {
  state.stage = "map";
  setToggle();
  setShown($("graph"), false);
  $("empty").hidden = true;
  setShown($("map"), true);
  $("map-status").hidden = false;
  await refreshMap();
}

// `hidden` as an attribute: SVG elements have no `hidden` property.
function setShown(node, shown) {
  node.toggleAttribute("hidden", !shown);
}

function setToggle() {
  for (const [id, stage] of [["view-network", "network"], ["view-map", "map"]]) {
    const b = $(id);
    b.classList.toggle("active", state.stage === stage);
    b.setAttribute("aria-selected", String(state.stage === stage));
  }
}

// Fetches the selection's places (and the outlines, once) and draws them.
async function refreshMap() {
  const mine = ++map.seq;
  const surface = $("map");
  surface.dataset.ready = "false";
  const params = selectionParams();
  try {
    const [world, data] = await Promise.all([loadOutlines(), params ? api("places", params) : null]);
    if (mine !== map.seq) return; // a later selection answered first
    drawOutlines(world);
    map.data = data;
    drawPlaces(data);
    map.extent = mapExtent(data);
    fitMap();
    surface.dataset.ready = "true";
  } catch (e) {
    if (mine === map.seq) toast(e.message);
  }
}

function drawPlaces(data) {
  const layer = $("map-points");
  layer.replaceChildren();
  map.points = [];
  for (const entry of map.byIso3.values()) {
    for (const path of entry.paths) {
      path.classList.remove("shaded", "selected", "hover");
      path.style.removeProperty("fill");
      path.style.removeProperty("fill-opacity");
      path.querySelector("title").textContent = entry.name;
    }
  }
  const places = (data && data.places) || [];
  const countries = (data && data.countries) || [];
  // Countries for events placed only at them, deeper for more events.
  const most = Math.max(1, ...countries.map((c) => c.events));
  for (const c of countries) {
    const outline = map.byIso3.get(c.country);
    if (!outline) continue;
    for (const path of outline.paths) {
      path.classList.add("shaded");
      path.style.fill = QUAD_COLOURS[c.dominant] || QUAD_COLOURS[0];
      path.style.fillOpacity = (0.2 + (0.3 * c.events) / most).toFixed(2);
      path.querySelector("title").textContent = `${outline.name}: ${c.events} event${c.events === 1 ? "" : "s"} placed only at the country`;
    }
  }
  // Big places first, so smaller ones are drawn over them; the busiest dozen named.
  const named = new Set(places.slice(0, 12).map((p) => p.id));
  for (const p of [...places].sort((a, b) => b.events - a.events)) {
    const r = placeRadius(p.events);
    const g = svg("g", { class: "place", "data-id": p.id });
    const title = svg("title");
    title.textContent = `${p.label}${p.country ? `, ${countryName(p.country)}` : ""}: ${p.events} event${p.events === 1 ? "" : "s"}`;
    g.append(title, svg("circle", { r, fill: QUAD_COLOURS[p.dominant] || QUAD_COLOURS[0] }));
    if (p.events > 1 && r >= 10) {
      const count = svg("text", { class: "count", y: 4 });
      count.textContent = p.events;
      g.append(count);
    }
    if (named.has(p.id)) {
      const label = svg("text", { x: r + 5, y: 4 });
      label.textContent = p.label;
      g.append(label);
    }
    g.addEventListener("click", (e) => {
      e.stopPropagation();
      selectPlace(p);
    });
    const outline = () => (map.byIso3.get(p.country) || { paths: [] }).paths;
    g.addEventListener("mouseenter", () => outline().forEach((path) => path.classList.add("hover")));
    g.addEventListener("mouseleave", () => outline().forEach((path) => path.classList.remove("hover")));
    layer.append(g);
    map.points.push({ place: p, g });
  }
  mapStatus(data);
}

function mapStatus(data) {
  const box = $("map-status");
  const credit = el("div", { class: "credit" }, "Country outlines: Natural Earth (public domain)");
  if (!data) {
    box.replaceChildren(el("div", {}, "Choose an actor to map the events of its neighbourhood."), credit);
    return;
  }
  const n = (x, one, many) => `${x.toLocaleString()} ${x === 1 ? one : many}`;
  const parts = [
    el("strong", {}, n(data.events, "event", "events")),
    `: ${n(data.at_places, "event", "events")} at ${n(data.places.length, "place", "places")}`,
  ];
  if (data.in_countries) parts.push(` · ${n(data.in_countries, "event", "events")} placed only at a country (shaded)`);
  parts.push(` · ${n(data.unlocated, "event", "events")} without a place`);
  const countries = data.countries.length
    ? el(
        "div",
        { class: "chips" },
        data.countries.map((c) =>
          el("button", { class: "chip", type: "button", onclick: () => selectMapCountry(c.country) }, `${c.label || countryName(c.country)} · ${c.events}`),
        ),
      )
    : null;
  box.replaceChildren(...[el("div", {}, ...parts), countries, credit].filter(Boolean));
}

function markSelected(placeId, iso3) {
  for (const p of map.points) p.g.classList.toggle("selected", p.place.id === placeId);
  for (const [code, entry] of map.byIso3) {
    for (const path of entry.paths) path.classList.toggle("selected", code === iso3);
  }
}

async function selectPlace(p) {
  markSelected(p.id, null);
  try {
    const res = await api("place", { ...selectionParams(), place: p.id });
    const where = [p.admin1, p.country ? countryName(p.country) : null].filter(Boolean).join(" · ");
    const also = p.names.filter((name) => name !== p.label);
    openInspector(
      el(
        "div",
        { class: "tie-head" },
        el("h3", {}, p.label),
        el("p", { class: "muted" }, where),
        also.length ? el("p", { class: "muted small" }, `Also named ${also.join(", ")}`) : null,
        el(
          "div",
          { class: "stats" },
          el("span", { class: "pill" }, `${res.events.length} event${res.events.length === 1 ? "" : "s"}`),
          quadPills(p.quad_classes),
        ),
      ),
      el("div", { id: "place-events" }, res.events.map(eventCard)),
    );
  } catch (e) {
    toast(e.message);
  }
}

async function selectMapCountry(iso3) {
  const c = map.data && map.data.countries.find((x) => x.country === iso3);
  if (!c) return;
  markSelected(null, iso3);
  try {
    const res = await api("place", { ...selectionParams(), place: c.id });
    openInspector(
      el(
        "div",
        { class: "tie-head" },
        el("h3", {}, c.label || countryName(iso3)),
        el("p", { class: "muted" }, "Events placed only at the country"),
        el(
          "div",
          { class: "stats" },
          el("span", { class: "pill" }, `${res.events.length} event${res.events.length === 1 ? "" : "s"}`),
          quadPills(c.quad_classes),
        ),
      ),
      el("div", { id: "place-events" }, res.events.map(eventCard)),
    );
  } catch (e) {
    toast(e.message);
  }
}

// ---- set-up -----------------------------------------------------------------------------

async function init() {
  enablePanZoom();
  enableMapPanZoom();
  $("view-network").addEventListener("click", showNetwork);
  $("view-map").addEventListener("click", showMap);
  typeahead($("search"), $("search-results"), (a) => loadNeighbourhood(a.id));
  for (const id of ["path-from", "path-to"]) {
    const input = $(id);
    typeahead(input, input.nextElementSibling, () => {});
  }
  $("hops").addEventListener("click", (e) => {
    const b = e.target.closest("button");
    if (!b) return;
    state.hops = Number(b.dataset.hops);
    $("hops").querySelectorAll("button").forEach((x) => x.classList.toggle("active", x === b));
    if (state.centre) loadNeighbourhood(state.centre);
  });
  $("apply-filters").addEventListener("click", () => {
    for (const k of ["from", "to"]) {
      if (!$(k).checkValidity()) {
        toast("Dates are YYYY, YYYY-MM or YYYY-MM-DD");
        return;
      }
    }
    state.filter = {
      from: $("from").value.trim(),
      to: $("to").value.trim(),
      roots: [...document.querySelectorAll("#roots input:checked")].map((i) => i.value),
    };
    if (state.centre) loadNeighbourhood(state.centre);
  });
  $("clear-filters").addEventListener("click", () => {
    $("from").value = "";
    $("to").value = "";
    document.querySelectorAll("#roots input").forEach((i) => (i.checked = false));
    state.filter = { from: "", to: "", roots: [] };
    if (state.centre) loadNeighbourhood(state.centre);
  });
  $("find-path").addEventListener("click", findPaths);
  $("close-inspector").addEventListener("click", () => {
    $("inspector").hidden = true;
    highlight(null);
  });
  $("graph").addEventListener("click", (e) => {
    if (!e.target.closest(".node") && !e.target.closest(".tie")) highlight(null);
  });
  window.addEventListener("resize", () => (state.stage === "map" ? fitMap() : fit()));

  try {
    const s = await api("summary");
    $("store-summary").textContent = `${s.actors.toLocaleString()} actors · ${s.events.toLocaleString()} events · ${s.documents.toLocaleString()} documents`;
    $("from").placeholder = s.first_date || "YYYY-MM-DD";
    $("to").placeholder = s.last_date || "YYYY-MM-DD";
    $("roots").replaceChildren(
      ...s.roots.map((r) =>
        el(
          "label",
          { title: `${r.name}: ${r.events} events` },
          el("input", { type: "checkbox", value: r.code }),
          el("span", { class: "code" }, r.code),
          el("span", {}, r.name.length > 22 ? r.name.slice(0, 20) + "…" : r.name),
        ),
      ),
    );
    $("top-actors").replaceChildren(
      ...s.top_actors.slice(0, 6).map((a) => el("button", { class: "chip", type: "button", onclick: () => loadNeighbourhood(a.id) }, a.label)),
    );
  } catch (e) {
    $("store-summary").textContent = e.message;
  }
  const hash = new URLSearchParams(location.hash.slice(1));
  if (hash.get("hops")) {
    state.hops = Math.min(3, Math.max(1, Number(hash.get("hops")) || 1));
    $("hops").querySelectorAll("button").forEach((x) => x.classList.toggle("active", Number(x.dataset.hops) === state.hops));
  }
  if (hash.get("actor")) loadNeighbourhood(hash.get("actor"));
}

init();
