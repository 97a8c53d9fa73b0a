// Validates Kubernetes objects, as YAML documents on stdin, against the Kubernetes OpenAPI schemas that the npm package
// kubernetes-models compiles into validators (types, required fields, enumerations, formats), and with TypeScript
// against its interfaces for fields the schemas do not know: OpenAPI lets any object carry extra fields, so a
// misspelt one (readinesProbe) would pass the first check, while an API server validating strictly refuses it.
// Run by validate.sh, which installs the packages: node validate.mjs NODE_MODULES_PARENT < objects.yaml
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const packages = process.argv[2];
const modules = join(packages, "node_modules");
const { parseAllDocuments } = await import(pathToFileURL(join(modules, "yaml", "dist", "index.js")));

const objects = parseAllDocuments(readFileSync(0, "utf8")).map(document => {
  if (document.errors.length > 0) throw new Error(`not YAML: ${document.errors[0].message}`);
  return document.toJS();
}).filter(object => object !== null);

const problems = [];
const typed = [];
for (const object of objects) {
  const label = `${object?.kind ?? "?"}/${object?.metadata?.name ?? "?"}`;
  // kubernetes-models lays out one module per kind: apps/v1/StatefulSet.js, v1/Service.js.
  const module = `kubernetes-models/${object?.apiVersion}/${object?.kind}`;
  if (typeof object?.apiVersion !== "string" || typeof object?.kind !== "string" || !existsSync(join(modules, `${module}.js`))) {
    problems.push(`${label}: no Kubernetes schema for apiVersion '${object?.apiVersion}', kind '${object?.kind}'`);
    continue;
  }
  const model = (await import(pathToFileURL(join(modules, `${module}.js`))))[object.kind];
  try {
    new model(object).validate();
  } catch (error) {
    problems.push(`${label}: ${error.message}`);
  }
  typed.push({ label, module, object });
}

// One object a line, so that TypeScript's line numbers name the object.
const work = mkdtempSync(join(packages, "check-"));
try {
  const source = typed.map(({ module, object }, i) =>
    `import type { I${object.kind} as T${i} } from "${module}"; export const o${i}: T${i} = ${JSON.stringify(object)};`);
  writeFileSync(join(work, "objects.mts"), source.join("\n") + "\n");
  const tsc = join(modules, "typescript", "bin", "tsc");
  const options = ["--noEmit", "--strict", "--skipLibCheck", "--module", "nodenext", "--moduleResolution", "nodenext", "--target", "es2022"];
  try {
    execFileSync(process.execPath, [tsc, ...options, join(work, "objects.mts")], { cwd: packages, encoding: "utf8" });
  } catch (error) {
    for (const line of `${error.stdout}`.split("\n")) {
      const found = /objects\.mts\((\d+),\d+\): error TS\d+: (.*)/.exec(line);
      if (found) problems.push(`${typed[Number(found[1]) - 1].label}: ${found[2]}`);
      else if (line.trim() && !line.startsWith(" ")) problems.push(`TypeScript: ${line}`);
    }
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

for (const problem of problems) console.error(problem);
console.log(`${objects.length} objects, ${problems.length} problem${problems.length === 1 ? "" : "s"}`);
process.exit(problems.length === 0 ? 0 : 1);
