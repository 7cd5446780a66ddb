// Turns zod's issues about the targets file into one plain sentence each, at a path an operator
// can find in the file: `targets[0]: unknown key "regoin"; did you mean "region"?`, or
// `targets[0]: "region" is required`. A misspelt required key is reported once, as the unknown
// key, not a second time as the missing one. Knows nothing about the file's meaning: the keys it
// suggests come from the schema itself.

import { z } from "zod";
import { nearest } from "./nearest.js";

export interface FileIssue {
  /** `targets[0].region`; "" for the top level of the file. */
  readonly path: string;
  readonly message: string;
}

type Path = readonly PropertyKey[];

export function formatPath(path: Path): string {
  let result = "";
  for (const key of path) {
    result +=
      typeof key === "number" ? `[${String(key)}]` : `${result === "" ? "" : "."}${String(key)}`;
  }
  return result;
}

export function describeIssues(
  schema: z.ZodType,
  data: unknown,
  issues: readonly z.core.$ZodIssue[],
): FileIssue[] {
  // Pass 1: the keys a misspelling stands for, per object, so that their "is required" is not
  // said as well.
  const meant = new Set<string>();
  const unknownKeys = new Map<z.core.$ZodIssue, { key: string; suggestion?: string }[]>();
  for (const issue of issues) {
    if (issue.code !== "unrecognized_keys") continue;
    const valid = keysAt(schema, issue.path) ?? [];
    const entries = issue.keys.map((key) => {
      const suggestion = nearest(key, valid);
      if (suggestion !== undefined) meant.add(`${formatPath(issue.path)}\u0000${suggestion}`);
      return suggestion === undefined ? { key } : { key, suggestion };
    });
    unknownKeys.set(issue, entries);
  }

  const described: FileIssue[] = [];
  for (const issue of issues) {
    const path = formatPath(issue.path);
    const entries = unknownKeys.get(issue);
    if (entries !== undefined) {
      const valid = keysAt(schema, issue.path) ?? [];
      for (const { key, suggestion } of entries) {
        described.push({
          path,
          message:
            suggestion === undefined
              ? `unknown key "${key}" (valid keys: ${valid.join(", ")})`
              : `unknown key "${key}"; did you mean "${suggestion}"?`,
        });
      }
      continue;
    }
    if (issue.code === "invalid_type" && issue.expected !== "never") {
      const missing = missingKey(data, issue.path);
      if (missing !== undefined) {
        const parent = formatPath(issue.path.slice(0, -1));
        if (!meant.has(`${parent}\u0000${missing}`)) {
          described.push({ path: parent, message: `"${missing}" is required` });
        }
        continue;
      }
      described.push({
        path,
        message: wrongType(issue.expected, valueAt(data, issue.path), path === ""),
      });
      continue;
    }
    // Every other issue carries a message the schema wrote for it.
    described.push({ path, message: issue.message });
  }
  return described;
}

/** The key an issue is about when that key is absent from an object that is there. */
function missingKey(data: unknown, path: Path): string | undefined {
  const key = path.at(-1);
  if (typeof key !== "string") return undefined;
  const parent = valueAt(data, path.slice(0, -1));
  return isRecord(parent) && !Object.hasOwn(parent, key) ? key : undefined;
}

function wrongType(expected: string, found: unknown, topLevel: boolean): string {
  if (topLevel) {
    return found === null || found === undefined
      ? "the file is empty; it must hold a targets: list (see config/targets.example.yaml)"
      : `must be a mapping with a targets: list, not ${describeValue(found)}`;
  }
  const wanted = EXPECTED[expected] ?? expected;
  if (found === null || found === undefined) return `is empty; it must be ${wanted}`;
  const quote = expected === "string" && typeof found === "number" ? "; put it in quotes" : "";
  return `must be ${wanted}, not ${describeValue(found)}${quote}`;
}

const EXPECTED: Readonly<Record<string, string>> = {
  string: "text",
  array: "a list",
  object: "a mapping (key: value)",
  number: "a number",
  boolean: "true or false",
};

function describeValue(value: unknown): string {
  if (Array.isArray(value)) return "a list";
  switch (typeof value) {
    case "string":
      return "text";
    case "number":
      return "a number";
    case "boolean":
      return "true or false";
    case "object":
      return "a mapping";
    default:
      return typeof value;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function valueAt(data: unknown, path: Path): unknown {
  let current = data;
  for (const key of path) {
    if (typeof key === "number" && Array.isArray(current)) current = current[key] as unknown;
    else if (typeof key === "string" && isRecord(current)) current = current[key];
    else return undefined;
  }
  return current;
}

/** The keys the object schema at `path` accepts, found by walking the schema. */
function keysAt(schema: z.ZodType, path: Path): string[] | undefined {
  let current: z.ZodType | undefined = schema;
  for (const key of path) {
    current = current === undefined ? undefined : child(unwrap(current), key);
  }
  const object = current === undefined ? undefined : unwrap(current);
  return object instanceof z.ZodObject ? Object.keys(object.shape) : undefined;
}

function unwrap(schema: z.ZodType): z.ZodType {
  let current = schema;
  while (current instanceof z.ZodOptional) current = current.unwrap() as z.ZodType;
  return current;
}

function child(schema: z.ZodType, key: PropertyKey): z.ZodType | undefined {
  if (schema instanceof z.ZodArray && typeof key === "number") return schema.element as z.ZodType;
  if (schema instanceof z.ZodRecord && typeof key === "string") {
    return schema.valueType as z.ZodType;
  }
  if (schema instanceof z.ZodObject && typeof key === "string") {
    return (schema.shape as Record<string, z.ZodType | undefined>)[key];
  }
  return undefined;
}
