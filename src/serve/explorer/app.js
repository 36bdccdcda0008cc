// geokg explorer: a neighbourhood viewer over the /api/ endpoints of `geokg serve`.
// Plain JavaScript, no libraries, nothing fetched from the network but the server itself.
// The graph is SVG laid out by a small force simulation (repulsion between all nodes,
// springs along ties, a pull to the centre), which is plenty for the <= 300 nodes the API
// returns at once.
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
  $("empty").hidden = nodes.length > 0;
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
  const centreZoom = (f) => {
    const box = surface.getBoundingClientRect();
    zoomAt(box.width / 2, box.height / 2, f);
  };
  $("zoom-in").addEventListener("click", () => centreZoom(1.25));
  $("zoom-out").addEventListener("click", () => centreZoom(0.8));
  $("zoom-fit").addEventListener("click", () => fit());
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
    evidence,
    ev.source ? el("div", { class: "source" }, `reported by ${ev.source.label}`) : null,
    el("div", { class: "source" }, ev.doc_title || ev.doc, ev.doc_date ? ` · ${ev.doc_date}` : ""),
  );
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
          q
            ? [1, 2, 3, 4, 0]
                .map((c) => [c, [q.neutral, q.verbal_cooperation, q.material_cooperation, q.verbal_conflict, q.material_conflict][c]])
                .filter((p) => p[1] > 0)
                .map((p) => el("span", { class: "pill" }, el("i", { class: `q${p[0]}-bg` }), `${p[1]} ${QUAD_NAMES[p[0]].toLowerCase()}`))
            : null,
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
  setTitle(`${res.from.label} → ${res.to.label}`, `path ${index + 1} of ${res.paths.length}: ${res.paths[index].hops.length} hops; click a hop for its events`);
  draw(shown, [...ties.values()], res.from.id);
  openInspector(
    el("div", { class: "tie-head" }, el("h3", {}, `${res.from.label} → ${res.to.label}`), el("p", { class: "muted" }, "Each hop with the event that backs it")),
    res.paths[index].hops.map((h) => (h.event ? eventCard(h.event) : null)),
  );
}

// ---- set-up -----------------------------------------------------------------------------

async function init() {
  enablePanZoom();
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
  window.addEventListener("resize", () => fit());

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
