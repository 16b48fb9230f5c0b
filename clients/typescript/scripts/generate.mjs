// Generates src/generated/ from the API description (../../openapi.yaml): schema.ts, the types of every route,
// body and callback (openapi-typescript), and operations.ts, the writes whose route honours an Idempotency-Key.
// Run by `npm run build`; the generated files are never edited or committed.
import { mkdir, readFile, writeFile } from "node:fs/promises";
import openapiTS, { astToString } from "openapi-typescript";
import { parse } from "yaml";

const source = new URL("../../../openapi.yaml", import.meta.url);
const out = new URL("../src/generated/", import.meta.url);
const banner = "// Generated from openapi.yaml by scripts/generate.mjs (npm run build). Do not edit.\n";
const keyParameter = "#/components/parameters/IdempotencyKey";
const methods = ["get", "put", "post", "delete", "patch", "head", "options"];

const description = parse(await readFile(source, "utf8"));
const keyed = [];
for (const [path, item] of Object.entries(description.paths)) {
  for (const method of methods) {
    const operation = item[method];
    const parameters = [...(item.parameters ?? []), ...(operation?.parameters ?? [])];
    if (operation && parameters.some((p) => p.$ref === keyParameter)) {
      keyed.push(`${method.toUpperCase()} ${path}`);
    }
  }
}
if (keyed.length === 0) {
  throw new Error(`no operation of ${source.pathname} declares ${keyParameter}`);
}

/** Writes `text` unless the file holds it already, so that an unchanged API leaves tsc nothing to redo. */
async function update(name, text) {
  const file = new URL(name, out);
  const old = await readFile(file, "utf8").catch(() => undefined);
  if (old !== text) {
    await writeFile(file, text);
  }
}

await mkdir(out, { recursive: true });
await update("schema.ts", banner + astToString(await openapiTS(source, {
  // A field with a default may be left out of a request: optional, not required as in an answer.
  defaultNonNullable: false,
  // `type: object` without properties (a step's message) holds any fields, not none.
  emptyObjectsUnknown: true,
})));
await update(
  "operations.ts",
  banner +
    "/** The writes (METHOD and path as openapi.yaml names them) whose route honours an Idempotency-Key. */\n" +
    `export const keyedWrites: ReadonlySet<string> = new Set(${JSON.stringify(keyed.sort(), null, 2)});\n`,
);
console.log(`generated src/generated/schema.ts and operations.ts (${keyed.length} keyed writes) from openapi.yaml`);
