// Copies the front-end packages installed by npm into static/vendor/, so that
// Django's collectstatic (and whitenoise) serve them. Nothing third-party is
// committed: static/vendor/ is generated and ignored by git.
import { cpSync, mkdirSync, rmSync, existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const modules = join(root, "node_modules");
const vendor = join(root, "static", "vendor");

const copies = [
  ["dkfds/dist/css", "dkfds/css"],
  ["dkfds/dist/js", "dkfds/js"],
  ["dkfds/dist/fonts", "dkfds/fonts"],
  ["dkfds/dist/img", "dkfds/img"],
  ["htmx.org/dist/htmx.min.js", "htmx/htmx.min.js"],
  ["leaflet/dist", "leaflet"],
  ["leaflet.markercluster/dist", "leaflet.markercluster"],
  ["axe-core/axe.min.js", "axe-core/axe.min.js"],
];

rmSync(vendor, { recursive: true, force: true });
for (const [source, target] of copies) {
  const from = join(modules, source);
  if (!existsSync(from)) {
    console.error(`missing ${from}: run 'npm ci' first`);
    process.exit(1);
  }
  const to = join(vendor, target);
  mkdirSync(dirname(to), { recursive: true });
  cpSync(from, to, { recursive: true });
}
// The map names Leaflet's marker images outright (static/js/jobmap.js): they must be there.
for (const image of ["marker-icon.png", "marker-icon-2x.png", "marker-shadow.png"]) {
  if (!existsSync(join(vendor, "leaflet", "images", image))) {
    console.error(`missing leaflet/images/${image} in ${vendor}`);
    process.exit(1);
  }
}
console.log(`front-end assets copied into ${vendor}`);
