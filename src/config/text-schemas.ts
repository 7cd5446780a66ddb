// The kinds of value a setting can hold, as zod schemas from trimmed text to a typed value: a
// number in a range, a boolean, a cron expression, host:port, a list of ids, a URL. The
// environment and the targets file share them, so a value is refused in the same words wherever
// it is written. Messages describe the value, never name the setting: the caller prefixes that.

import { validateDetailed } from "node-cron";
import { z } from "zod";
import { SOURCE_NAMES, type SourceName } from "../source-names.js";
import { LOG_LEVELS, type ListenAddress, type LogLevel } from "./config.js";
import type { Problems } from "./problems.js";
import { Secret } from "./secret.js";

/** Parses a setting's text (already trimmed, never empty) into its value. */
export type TextSchema<T> = z.ZodType<T, string>;

export const REGION_PATTERN = /^[a-z]{2,}(?:-[a-z0-9]+)+$/;
/** Certificate, instance and domain ids go into URL paths: allow only what is path-safe. */
export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
/** Huawei Cloud project ids are 32 lower-case hexadecimal characters. */
export const PROJECT_ID_PATTERN = /^[0-9a-f]{32}$/;

/**
 * Parses `text` with `schema`, reporting each of its issues under `name`. Undefined when the
 * text is refused (every reason is reported already).
 */
export function parseText<T>(
  problems: Problems,
  name: string,
  schema: TextSchema<T>,
  text: string,
): T | undefined {
  const result = schema.safeParse(text);
  if (result.success) return result.data;
  for (const issue of result.error.issues) problems.add(name, issue.message);
  return undefined;
}

/** Refuses the text being transformed, for each of the reasons given. */
export function refuse(context: z.RefinementCtx, ...messages: readonly string[]): never {
  for (const message of messages) context.addIssue({ code: "custom", message });
  return z.NEVER;
}

/** Comma-separated entries, trimmed, empty ones dropped. */
export function splitList(text: string, normalize: (entry: string) => string = (e) => e): string[] {
  return text
    .split(",")
    .map((entry) => normalize(entry.trim()))
    .filter((entry) => entry !== "");
}

/** Free text (a file path, a user name, an endpoint template checked later per target). */
export const plainText: TextSchema<string> = z.string();

/** A credential: wrapped at once so that no log or message can show it. */
export const secretText: TextSchema<Secret> = z.string().transform((text) => new Secret(text));

export function numberText(range: {
  readonly min: number;
  readonly max: number;
  readonly integer: boolean;
  readonly minExclusive?: boolean;
}): TextSchema<number> {
  const kind = range.integer ? "a whole number" : "a number";
  const from = range.minExclusive ? `above ${String(range.min)}` : String(range.min);
  const toNumber = (text: string): number =>
    /^[0-9]+(?:\.[0-9]+)?$/.test(text) ? Number(text) : NaN;
  return z
    .string()
    .refine(
      (text) => {
        const number = toNumber(text);
        return Number.isFinite(number) && (!range.integer || Number.isInteger(number));
      },
      { abort: true, error: (issue) => `"${String(issue.input)}" is not ${kind}` },
    )
    .refine(
      (text) => {
        const number = toNumber(text);
        const tooSmall = range.minExclusive ? number <= range.min : number < range.min;
        return !tooSmall && number <= range.max;
      },
      {
        error: (issue) =>
          `${String(issue.input)} is out of range (${kind} from ${from} to ${String(range.max)})`,
      },
    )
    .transform(toNumber);
}

const TRUE_WORDS = ["true", "1", "yes", "on"];
const FALSE_WORDS = ["false", "0", "no", "off"];

export const booleanText: TextSchema<boolean> = z
  .string()
  .refine((text) => [...TRUE_WORDS, ...FALSE_WORDS].includes(text.toLowerCase()), {
    error: (issue) => `"${String(issue.input)}" is not a boolean (true or false)`,
  })
  .transform((text) => TRUE_WORDS.includes(text.toLowerCase()));

export const logLevelText: TextSchema<LogLevel> = z
  .string()
  .transform(
    (text, context) =>
      LOG_LEVELS.find((level) => level === text.toLowerCase()) ??
      refuse(context, `"${text}" is not a log level (one of ${LOG_LEVELS.join(", ")})`),
  );

/** A node-cron expression, its whitespace collapsed to single spaces. */
export const cronText: TextSchema<string> = z.string().transform((text, context) => {
  const expression = text.replace(/\s+/g, " ");
  const result = validateDetailed(expression);
  if (result.valid) return expression;
  const why = result.errors.map((e) => e.message).join("; ");
  return refuse(context, `"${text}" is not a valid cron expression (${why})`);
});

export const listenAddressText: TextSchema<ListenAddress> = z
  .string()
  .transform((text, context) => {
    const match = /^(?:\[([0-9A-Fa-f:.]+)\]|([^:[\]\s]*)):(\d{1,5})$/.exec(text);
    const port = match?.[3] === undefined ? NaN : Number(match[3]);
    if (!match || !Number.isInteger(port) || port > 65535) {
      return refuse(
        context,
        `"${text}" is not a listen address (expected host:port, e.g. 0.0.0.0:10057 or [::]:10057)`,
      );
    }
    const host = match[1] ?? match[2] ?? "";
    return { host: host === "" ? "0.0.0.0" : host, port };
  });

/** Sources to poll, in a stable order, without duplicates. */
export const sourcesText: TextSchema<readonly SourceName[]> = z
  .string()
  .transform((text, context) => {
    const entries = splitList(text, (entry) => entry.toLowerCase());
    const unknown = entries.filter((entry) => !SOURCE_NAMES.some((source) => source === entry));
    if (unknown.length > 0) {
      return refuse(
        context,
        `unknown source ${unknown.map((u) => JSON.stringify(u)).join(", ")} (choose from ${SOURCE_NAMES.join(", ")})`,
      );
    }
    if (entries.length === 0) return refuse(context, "lists no source");
    return SOURCE_NAMES.filter((source) => entries.includes(source));
  });

const HOST_LABEL = "[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?";
const HOST_NAME = new RegExp(`^${HOST_LABEL}(?:\\.${HOST_LABEL})*$`);
const IPV6_LITERAL = /^\[[0-9a-f:.]+\]$/;

/** A host name, an IP literal, or `*.` followed by a suffix of at least two labels. */
function isHostPattern(entry: string): boolean {
  if (entry.startsWith("*.")) {
    const suffix = entry.slice(2);
    return HOST_NAME.test(suffix) && suffix.includes(".");
  }
  return HOST_NAME.test(entry) || IPV6_LITERAL.test(entry);
}

/** Lower-case host names, IP literals or `*.suffix` patterns, without duplicates. */
export const hostPatternsText: TextSchema<readonly string[]> = z
  .string()
  .transform((text, context) => {
    const entries = [...new Set(splitList(text, (entry) => entry.toLowerCase()))];
    if (entries.length === 0) return refuse(context, "lists no host");
    const bad = entries.filter((entry) => !isHostPattern(entry));
    if (bad.length > 0) {
      return refuse(
        context,
        `${bad.map((b) => JSON.stringify(b)).join(", ")}: not a host name or *.suffix pattern with at least two labels`,
      );
    }
    return entries;
  });

/** Path-safe ids, without duplicates. */
export function idListText(
  noun: "certificate" | "instance" | "resource",
): TextSchema<readonly string[]> {
  return z.string().transform((text, context) => {
    const ids = [...new Set(splitList(text))];
    if (ids.length === 0) return refuse(context, `is set but lists no ${noun} id`);
    const bad = ids.filter((id) => !ID_PATTERN.test(id));
    if (bad.length === 0) return ids;
    const quoted = bad.map((id) => JSON.stringify(id)).join(", ");
    const verb =
      bad.length === 1
        ? `is not ${noun === "instance" ? "an" : "a"} ${noun} id`
        : `are not ${noun} ids`;
    return refuse(context, `${quoted} ${verb} (letters, digits, "-" and "_")`);
  });
}

/** One path-safe id (the account's domain id). */
export function idText(noun: "domain"): TextSchema<string> {
  return z.string().regex(ID_PATTERN, {
    error: (issue) =>
      `"${String(issue.input)}" is not a ${noun} id (letters, digits, "-" and "_", at most 64)`,
  });
}

export const regionText: TextSchema<string> = z.string().regex(REGION_PATTERN, {
  error: (issue) =>
    `"${String(issue.input)}" is not a region name (expected something like ap-southeast-1)`,
});

/**
 * A project id: 32 lower-case hex characters, as IAM issues them (My Credentials > API
 * Credentials lists them per region). A region name here is the commonest slip: project names
 * are region names, so the console shows "ap-southeast-1" right next to the id. `unset` says how
 * to leave the id out where it was written.
 */
export function projectIdText(unset: string): TextSchema<string> {
  return z.string().transform((text, context) => {
    if (PROJECT_ID_PATTERN.test(text)) return text;
    const why = /^[a-z]{2}-[a-z]+-\d+$/.test(text)
      ? "looks like a project name (a region), not its id"
      : /^[0-9a-fA-F]{32}$/.test(text)
        ? "is not a project id: write it in lower case"
        : "is not a project id: Huawei Cloud project ids are 32 hexadecimal characters";
    return refuse(
      context,
      `"${text}" ${why} (see My Credentials > API Credentials, or ${unset} to look the id up by region)`,
    );
  });
}

/**
 * An API endpoint: `{region}` replaced, http(s) only, no user info, query or fragment. Any path
 * prefix (API gateways, proxies) is kept without its trailing slash, so request paths can be
 * appended as they are.
 */
export function endpointText(region: string): TextSchema<string> {
  return z.string().transform((text, context) => {
    const expanded = text.replaceAll("{region}", region);
    if (!URL.canParse(expanded)) {
      // The commonest slip: a bare host name, which the URL parser refuses for want of a scheme.
      return refuse(
        context,
        !text.includes("://") && URL.canParse(`https://${expanded}`)
          ? `"${text}" is not a valid URL: add the scheme, e.g. https://${text}`
          : `"${text}" is not a valid URL`,
      );
    }
    const url = new URL(expanded);
    if (url.protocol !== "https:" && url.protocol !== "http:") {
      return refuse(context, `"${text}" must use https:// (or http:// for a local simulator)`);
    }
    if (url.username || url.password) {
      return refuse(context, "must not contain user info; credentials have their own settings");
    }
    if (url.search || url.hash) {
      return refuse(context, `"${text}" must not have a query or fragment`);
    }
    return `${url.origin}${url.pathname.replace(/\/+$/, "")}`;
  });
}
