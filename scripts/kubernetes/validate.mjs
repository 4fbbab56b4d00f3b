// Validates deploy/kubernetes offline: renders the Kustomize base and every overlay, checks each object against
// the Kubernetes v1.36 OpenAPI schemas (kubernetes-models, compiled from the release's OpenAPI spec; the
// ServiceMonitor against the Prometheus Operator's CRD schema), compares the rendering with `kubectl kustomize`
// where kubectl is installed, and checks the deployment rules README "Run it on Kubernetes" promises.
// Usage: node validate.mjs <repository root>
import fs from "node:fs";
import path from "node:path";
import { execFileSync } from "node:child_process";
import { isDeepStrictEqual } from "node:util";
import YAML from "yaml";
import * as core from "kubernetes-models/v1";
import * as apps from "kubernetes-models/apps/v1";
import * as policy from "kubernetes-models/policy/v1";
import * as autoscaling from "kubernetes-models/autoscaling/v2";
import * as networking from "kubernetes-models/networking.k8s.io/v1";
import * as monitoring from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1";

const root = path.resolve(process.argv[2] ?? ".");
const deploy = path.join(root, "deploy/kubernetes");
const MODELS = {
  "v1/ConfigMap": core.ConfigMap,
  "v1/Secret": core.Secret,
  "v1/Service": core.Service,
  "v1/Namespace": core.Namespace,
  "apps/v1/Deployment": apps.Deployment,
  "policy/v1/PodDisruptionBudget": policy.PodDisruptionBudget,
  "autoscaling/v2/HorizontalPodAutoscaler": autoscaling.HorizontalPodAutoscaler,
  "networking.k8s.io/v1/NetworkPolicy": networking.NetworkPolicy,
  "networking.k8s.io/v1/Ingress": networking.Ingress,
  "monitoring.coreos.com/v1/ServiceMonitor": monitoring.ServiceMonitor,
};
const CLUSTER_SCOPED = new Set(["Namespace"]);
let failures = 0;
const fail = (where, message) => {
  failures++;
  console.error(`FAIL ${where}: ${message}`);
};
const id = (o) => `${o.kind}/${o.metadata?.name}`;

function readDocs(file) {
  return YAML.parseAllDocuments(fs.readFileSync(file, "utf8")).map((d) => {
    if (d.errors.length) throw new Error(`${file}: ${d.errors[0].message}`);
    return d.toJS();
  }).filter((o) => o != null);
}

// --- A Kustomize renderer for the features these kustomizations use (resources, namespace, images, JSON 6902
// patches with a kind/name target). Where kubectl is installed its built-in kustomize must render the same.
function render(dir) {
  const k = YAML.parse(fs.readFileSync(path.join(dir, "kustomization.yaml"), "utf8"));
  const known = new Set(["apiVersion", "kind", "resources", "namespace", "images", "patches"]);
  for (const key of Object.keys(k)) {
    if (!known.has(key)) throw new Error(`${dir}/kustomization.yaml: '${key}' is not supported by this renderer`);
  }
  let objects = [];
  for (const resource of k.resources ?? []) {
    const p = path.join(dir, resource);
    objects.push(...(fs.statSync(p).isDirectory() ? render(p) : readDocs(p)));
  }
  if (k.namespace) {
    for (const o of objects) if (!CLUSTER_SCOPED.has(o.kind)) o.metadata.namespace = k.namespace;
  }
  for (const image of k.images ?? []) {
    for (const o of objects) {
      for (const c of o.spec?.template?.spec?.containers ?? []) {
        const [name, tag] = c.image.split(":");
        if (name === image.name) c.image = `${image.newName ?? name}:${image.newTag ?? tag}`;
      }
    }
  }
  for (const patch of k.patches ?? []) {
    const targets = objects.filter((o) => o.kind === patch.target.kind && o.metadata.name === patch.target.name);
    if (targets.length !== 1) throw new Error(`${dir}: patch target ${patch.target.kind}/${patch.target.name} matches ${targets.length} objects`);
    for (const op of YAML.parse(patch.patch)) applyOp(targets[0], op, dir);
  }
  return objects;
}

function applyOp(object, op, where) {
  const parts = op.path.split("/").slice(1).map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
  const last = parts.pop();
  let node = object;
  for (const part of parts) {
    node = node?.[Array.isArray(node) ? Number(part) : part];
    if (node === undefined) throw new Error(`${where}: patch path ${op.path} does not exist in ${id(object)}`);
  }
  if (op.op === "add" && Array.isArray(node)) node.splice(last === "-" ? node.length : Number(last), 0, op.value);
  else if (op.op === "add" || op.op === "replace") node[last] = op.value;
  else if (op.op === "remove") Array.isArray(node) ? node.splice(Number(last), 1) : delete node[last];
  else throw new Error(`${where}: patch op '${op.op}' is not supported by this renderer`);
}

function validateSchema(o, where) {
  const Model = MODELS[`${o.apiVersion}/${o.kind}`];
  if (!Model) return fail(where, `${o.apiVersion} ${o.kind} has no schema here`);
  try {
    new Model(o).validate();
  } catch (e) {
    fail(where, `${id(o)} does not match the ${o.apiVersion} ${o.kind} schema: ${e.message}`);
  }
}

function kubectlKustomize(dir) {
  try {
    execFileSync("kubectl", ["version", "--client"], { stdio: "ignore" });
  } catch {
    return null;
  }
  return YAML.parseAllDocuments(execFileSync("kubectl", ["kustomize", dir], { encoding: "utf8" })).map((d) => d.toJS());
}

// --- The rules README "Run it on Kubernetes" states, checked on every rendering.
function checkRules(objects, where) {
  const find = (kind) => objects.filter((o) => o.kind === kind);
  const [deployment] = find("Deployment");
  const [settings] = find("ConfigMap").filter((c) => c.metadata.name === "qarnot-mcp-settings");
  if (!deployment || !settings) return fail(where, "no Deployment or no qarnot-mcp-settings ConfigMap");
  const pod = deployment.spec.template.spec;
  const [c] = pod.containers;
  const sc = c.securityContext ?? {};
  const expect = (ok, message) => ok || fail(where, message);
  expect(deployment.spec.replicas === 3, "3 replicas");
  expect(pod.securityContext?.runAsNonRoot === true && pod.securityContext?.seccompProfile?.type === "RuntimeDefault",
    "pod runs as non-root with the RuntimeDefault seccomp profile");
  expect(sc.readOnlyRootFilesystem === true && sc.allowPrivilegeEscalation === false
    && (sc.capabilities?.drop ?? []).includes("ALL"), "read-only root filesystem, no privilege escalation, capabilities dropped");
  expect(c.resources?.requests?.cpu && c.resources?.requests?.memory && c.resources?.limits?.memory, "CPU and memory requests, memory limit");
  const drain = Number(settings.data.MCP_SHUTDOWN_TIMEOUT);
  const pause = c.lifecycle?.preStop?.sleep?.seconds ?? 0;
  expect(pause > 0, "a preStop pause");
  expect(pod.terminationGracePeriodSeconds > drain + pause,
    `terminationGracePeriodSeconds (${pod.terminationGracePeriodSeconds}) above preStop (${pause}) + MCP_SHUTDOWN_TIMEOUT (${drain})`);
  expect(c.readinessProbe?.httpGet?.path === "/observe/health/ready", "readiness probe on /observe/health/ready");
  expect(c.livenessProbe?.httpGet?.path === "/observe/health/live", "liveness probe on /observe/health/live");
  expect((c.env ?? []).some((e) => e.name === "MCP_TOKEN_SECRET" && e.valueFrom?.secretKeyRef), "MCP_TOKEN_SECRET from a Secret");
  expect((c.envFrom ?? []).some((e) => e.configMapRef?.name === "qarnot-mcp-settings"), "settings from the ConfigMap");
  expect(find("Service").length === 1 && find("PodDisruptionBudget").length === 1, "a Service and a PodDisruptionBudget");
  const [hpa] = find("HorizontalPodAutoscaler");
  expect(hpa?.spec.metrics.some((m) => m.resource?.name === "cpu") && hpa.spec.minReplicas >= 3, "an HPA on CPU from 3 replicas");
  const [np] = find("NetworkPolicy");
  expect(np?.spec.ingress.every((rule) => rule.ports.every((p) => p.port === 8000)), "NetworkPolicy: ingress only to 8000");
  const selector = deployment.spec.selector.matchLabels;
  for (const o of [...find("Service"), ...find("PodDisruptionBudget"), ...find("NetworkPolicy")]) {
    const labels = o.spec.selector?.matchLabels ?? o.spec.selector ?? o.spec.podSelector?.matchLabels;
    expect(isDeepStrictEqual(labels, selector), `${id(o)} selects the Deployment's pods`);
  }
  for (const ingress of find("Ingress")) {
    expect(ingress.spec.tls?.length > 0, `${id(ingress)} has TLS`);
    const paths = ingress.spec.rules.flatMap((r) => r.http.paths.map((p) => p.path));
    expect(!paths.some((p) => p === "/" || p.startsWith("/observe")), `${id(ingress)} routes no /observe path`);
  }
  const mounted = (pod.volumes ?? []).find((v) => v.configMap?.name === "qarnot-mcp-routes");
  if (mounted) {
    const mount = c.volumeMounts.find((m) => m.name === mounted.name);
    expect(mount && !mount.subPath && mount.mountPath === settings.data.MCP_ROUTES_DIR,
      "the routes ConfigMap is mounted as a directory (no subPath, so updates arrive) at MCP_ROUTES_DIR");
  }
}

// The routes ConfigMap as `kubectl create configmap qarnot-mcp-routes --from-file=routes/` makes it.
function routesConfigMap() {
  const dir = path.join(root, "routes");
  const data = {};
  for (const f of fs.readdirSync(dir).filter((f) => f.endsWith(".camel.yaml")).sort()) {
    data[f] = fs.readFileSync(path.join(dir, f), "utf8");
  }
  return { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "qarnot-mcp-routes", namespace: "qarnot-mcp" }, data };
}

const renderings = [path.join(deploy, "base"), ...fs.readdirSync(path.join(deploy, "overlays")).map((o) => path.join(deploy, "overlays", o))];
for (const dir of renderings) {
  const where = path.relative(root, dir);
  const objects = render(dir);
  objects.forEach((o) => validateSchema(o, where));
  checkRules(objects, where);
  const kustomized = kubectlKustomize(dir);
  if (kustomized === null) {
    console.log(`${where}: kubectl not installed, rendering not compared with kustomize`);
  } else {
    const byId = (list) => Object.fromEntries(list.map((o) => [`${id(o)}@${o.metadata.namespace ?? ""}`, o]));
    if (!isDeepStrictEqual(byId(objects), byId(kustomized))) fail(where, "renders differently from `kubectl kustomize`");
  }
  console.log(`${where}: ${objects.length} objects (${objects.map(id).join(", ")})`);
}
for (const file of fs.readdirSync(path.join(deploy, "examples"))) {
  readDocs(path.join(deploy, "examples", file)).forEach((o) => validateSchema(o, `examples/${file}`));
}
const routes = routesConfigMap();
validateSchema(routes, "routes ConfigMap");
const bytes = Object.values(routes.data).reduce((n, s) => n + Buffer.byteLength(s), 0);
if (bytes > 1024 * 1024) fail("routes ConfigMap", `${bytes} bytes, over the 1 MiB a ConfigMap may hold`);
console.log(`routes ConfigMap: ${Object.keys(routes.data).length} files, ${bytes} bytes`);

// The validator must catch a broken manifest, or it proves nothing.
const broken = render(path.join(deploy, "base")).find((o) => o.kind === "Deployment");
broken.spec.replicas = "three";
broken.spec.template.spec.containers[0].ports[0].containerPort = 70000;
let caught = false;
try {
  new apps.Deployment(broken).validate();
} catch {
  caught = true;
}
if (!caught) fail("self-test", "a Deployment with replicas: \"three\" passed the schema");

if (failures > 0) {
  console.error(`${failures} Kubernetes manifest check(s) failed`);
  process.exit(1);
}
console.log("Kubernetes manifests valid (schemas of Kubernetes v1.36, kubernetes-models 5.1.0)");
