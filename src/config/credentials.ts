// Credentials: which auth method a set of fields describes (exactly one, complete), and secrets
// read from files. Shared by the environment and the targets file, which name fields
// differently, so every message can use the caller's names.

import type { AuthConfig } from "./config.js";
import type { Problems } from "./problems.js";
import { Secret } from "./secret.js";

/** The credential fields of one method set, wherever they were read from. */
export interface CredentialFields {
  readonly token?: Secret | undefined;
  readonly accessKey?: Secret | undefined;
  readonly secretKey?: Secret | undefined;
  readonly securityToken?: Secret | undefined;
  readonly domain?: string | undefined;
  readonly username?: string | undefined;
  readonly password?: Secret | undefined;
}

/** How each credential field is named where it was read, for messages. */
export type CredentialNames = Readonly<Record<keyof CredentialFields, string>>;

/**
 * Decides the auth method from whichever fields are set: exactly one method, complete.
 * Returns "none" when no field at all is set (the caller decides whether that is an error).
 */
export function resolveAuth(
  problems: Problems,
  fields: CredentialFields,
  names: CredentialNames,
  where: string,
): AuthConfig | "none" | undefined {
  const set = (key: keyof CredentialFields): boolean => fields[key] !== undefined;
  const methods: { name: string; keys: (keyof CredentialFields)[] }[] = [
    { name: "static token", keys: ["token"] },
    { name: "AK/SK", keys: ["accessKey", "secretKey", "securityToken"] },
    { name: "IAM password", keys: ["domain", "username", "password"] },
  ];
  const chosen = methods.filter((method) => method.keys.some(set));
  if (chosen.length === 0) return "none";
  if (chosen.length > 1) {
    const described = chosen.map(
      (method) =>
        `${method.name} (${method.keys
          .filter(set)
          .map((k) => names[k])
          .join(", ")})`,
    );
    return problems.add(
      where,
      `several auth methods configured: ${described.join(" and ")}; set exactly one`,
    );
  }
  const [method] = chosen;
  if (method === undefined) return "none";
  const required = method.name === "AK/SK" ? (["accessKey", "secretKey"] as const) : method.keys;
  const missing = required.filter((key) => !set(key));
  if (missing.length > 0) {
    return problems.add(
      where,
      `${method.name} is incomplete: ${missing.map((k) => names[k]).join(" and ")} ${missing.length === 1 ? "is" : "are"} not set`,
    );
  }
  if (fields.token) return { kind: "token", token: fields.token };
  if (fields.accessKey && fields.secretKey) {
    return {
      kind: "aksk",
      accessKey: fields.accessKey,
      secretKey: fields.secretKey,
      securityToken: fields.securityToken ?? null,
    };
  }
  if (fields.domain && fields.username && fields.password) {
    return {
      kind: "password",
      domain: fields.domain,
      username: fields.username,
      password: fields.password,
    };
  }
  return problems.add(where, "incomplete credentials");
}

/** The trimmed content of a secret file, or undefined after reporting why there is none. */
export function readSecretText(
  problems: Problems,
  name: string,
  path: string,
  read: (path: string) => string,
): string | undefined {
  let content: string;
  try {
    content = read(path).trim();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "unreadable";
    return problems.add(name, `cannot read "${path}" (${code})`);
  }
  if (content === "") return problems.add(name, `"${path}" is empty`);
  return content;
}

export function readSecretFromFile(
  problems: Problems,
  name: string,
  path: string,
  read: (path: string) => string,
): Secret | undefined {
  const content = readSecretText(problems, name, path, read);
  return content === undefined ? undefined : new Secret(content);
}
