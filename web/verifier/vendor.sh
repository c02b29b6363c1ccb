#!/usr/bin/env bash
# Vendor the verification page's JavaScript libraries: install the exact versions of
# package-lock.json (npm ci), then copy the files the page loads, and their licences,
# into the Python package's static folder. Run it after changing package.json; CI runs
# it and fails if the committed files differ. The page never loads anything from a CDN.
set -euo pipefail
cd "$(dirname "$0")"
npm ci --omit=optional --ignore-scripts --no-audit --no-fund --loglevel=error
vendor=../../certificates/publication/static/vendor
rm -rf "$vendor"
mkdir -p "$vendor"
modules=node_modules
cp "$modules/@noble/ed25519/index.js" "$vendor/noble-ed25519.js"
cp "$modules/@noble/ed25519/LICENSE" "$vendor/LICENSE-noble-ed25519.txt"
cp "$modules/canonicalize/lib/canonicalize.js" "$vendor/canonicalize.js"
cp "$modules/canonicalize/LICENSE" "$vendor/LICENSE-canonicalize.txt"
# .js, not .mjs: plain static servers (Python's among them) know its JavaScript type.
cp "$modules/pdfjs-dist/build/pdf.min.mjs" "$vendor/pdf.min.js"
cp "$modules/pdfjs-dist/build/pdf.worker.min.mjs" "$vendor/pdf.worker.min.js"
cp "$modules/pdfjs-dist/LICENSE" "$vendor/LICENSE-pdfjs-dist.txt"
node -e '
const lock = require("./package-lock.json");
for (const name of ["@noble/ed25519", "canonicalize", "pdfjs-dist"]) {
  const entry = lock.packages["node_modules/" + name];
  console.log(`${name} ${entry.version} ${entry.integrity}`);
}' > "$vendor/VERSIONS.txt"
