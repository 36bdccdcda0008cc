// Loads geokg's Cytoscape.js export into headless Cytoscape and checks element counts.
// usage: node check_cytoscape.js DIR   (cytoscape resolvable through NODE_PATH)
const fs = require("fs");
const path = require("path");
const cytoscape = require("cytoscape");

const dir = process.argv[2];
const counts = JSON.parse(fs.readFileSync(path.join(dir, "counts.json"), "utf8"));
const data = JSON.parse(fs.readFileSync(path.join(dir, "graph.cyjs.json"), "utf8"));
let failures = 0;
function check(ok, what) {
  console.log((ok ? "ok   " : "FAIL ") + what);
  if (!ok) failures++;
}
// Cytoscape only warns about edges to missing nodes and drops them: the counts catch that.
const cy = cytoscape({ headless: true, elements: data.elements });
check(cy.nodes().length === counts.nodes, `Cytoscape: ${cy.nodes().length} nodes, expected ${counts.nodes}`);
check(cy.edges().length === counts.edges, `Cytoscape: ${cy.edges().length} edges, expected ${counts.edges}`);
const typed = cy.edges().filter((e) => e.data("goldstein") !== undefined);
check(typed.length > 0 && typed.every((e) => typeof e.data("goldstein") === "number"), "Cytoscape: goldstein is a number");
check(cy.nodes().every((n) => typeof n.data("label") === "string"), "Cytoscape: every node has a label");
if (counts.placed_nodes !== undefined) {
  const placed = cy.nodes().filter((n) => n.data("latitude") !== undefined || n.data("longitude") !== undefined);
  check(
    placed.length === counts.placed_nodes &&
      placed.every((n) => typeof n.data("latitude") === "number" && typeof n.data("longitude") === "number"),
    `Cytoscape: ${placed.length} nodes with numeric latitude and longitude, expected ${counts.placed_nodes}`,
  );
}
process.exit(failures ? 1 : 0);
