// Fails when a compose file uses a Compose feature newer than the version the README says is needed.
// Usage: node compose-features.js <README version, e.g. 2.24.0> <file.json>... (the compose files as JSON).
// The table lists features by the Docker Compose v2 release that added them (Compose release notes); a feature
// not in the table is not checked, so add a row when a compose file starts using something new.
const fs = require("fs");
const [stated, ...files] = process.argv.slice(2);
const services = (c) => Object.values(c.services || {});
const features = [
  ["top-level name", "2.3.3", (c) => c.name !== undefined],
  ["build.additional_contexts", "2.17.0", (c) => services(c).some((s) => s.build && s.build.additional_contexts)],
  ["build.dockerfile_inline", "2.17.0", (c) => services(c).some((s) => s.build && s.build.dockerfile_inline)],
  ["depends_on.<service>.restart", "2.17.0", (c) => services(c).some((s) => deps(s).some((d) => d.restart !== undefined))],
  ["top-level include", "2.20.0", (c) => c.include !== undefined],
  ["depends_on.<service>.required", "2.20.0", (c) => services(c).some((s) => deps(s).some((d) => d.required !== undefined))],
  ["healthcheck.start_interval", "2.20.2", (c) => services(c).some((s) => s.healthcheck && s.healthcheck.start_interval)],
  ["develop (watch)", "2.22.0", (c) => services(c).some((s) => s.develop !== undefined)],
  ["configs.<name>.content", "2.23.1", (c) => Object.values(c.configs || {}).some((x) => x.content !== undefined)],
  ["env_file with required", "2.24.0", (c) => services(c).some((s) => envFiles(s).some((e) => e.required !== undefined))],
  ["env_file with format", "2.30.0", (c) => services(c).some((s) => envFiles(s).some((e) => e.format !== undefined))],
  ["gpus", "2.30.0", (c) => services(c).some((s) => s.gpus !== undefined)],
  ["post_start / pre_stop hooks", "2.30.0", (c) => services(c).some((s) => s.post_start || s.pre_stop)],
  ["label_file", "2.32.0", (c) => services(c).some((s) => s.label_file !== undefined)],
  ["provider services", "2.36.0", (c) => services(c).some((s) => s.provider !== undefined)],
  ["top-level models", "2.38.0", (c) => c.models !== undefined],
];
function deps(s) {
  return s.depends_on && !Array.isArray(s.depends_on) ? Object.values(s.depends_on) : [];
}
function envFiles(s) {
  const e = s.env_file;
  return (Array.isArray(e) ? e : e ? [e] : []).filter((x) => typeof x === "object");
}
const num = (v) => v.split(".").map(Number).reduce((a, x) => a * 1000 + x, 0);
let failed = false;
for (const file of files) {
  const compose = JSON.parse(fs.readFileSync(file, "utf8"));
  const used = features.filter(([, , uses]) => uses(compose));
  const newest = used.reduce((max, f) => (num(f[1]) > num(max) ? f[1] : max), "2.0.0");
  const over = used.filter(([, version]) => num(version) > num(stated));
  console.log(`${file}: needs Compose v${newest} (${used.map((f) => f[0] + " " + f[1]).join(", ") || "nothing versioned"})`);
  for (const [what, version] of over) {
    console.error(`${file} uses ${what}, which needs Compose v${version}, newer than the v${stated} the README states`);
    failed = true;
  }
}
process.exit(failed ? 1 : 0);
