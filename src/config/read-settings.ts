// Reads the settings table from the environment: refuses unknown HWCERT_* names (with a "did you
// mean"), takes each setting's text (trimmed, empty counting as unset, a secret possibly from
// `<NAME>_FILE`) or its default, and parses it with the setting's schema. Knows nothing of what
// the values mean or how they combine; load-config.ts decides that.

import { readSecretText } from "./credentials.js";
import { nearest } from "./nearest.js";
import type { Problems } from "./problems.js";
import {
  SETTING_PREFIX,
  SETTINGS,
  type SettingName,
  type SettingSpec,
  type SettingValue,
  type SettingValues,
} from "./settings.js";
import { parseText } from "./text-schemas.js";

export type Environment = Readonly<Record<string, string | undefined>>;

type SettingNamed<Name extends SettingName> = Extract<(typeof SETTINGS)[number], { name: Name }>;

export interface EnvironmentSettings {
  /** Whether the operator set the variable (to anything but blanks). */
  isSet(name: SettingName): boolean;
  /** One setting's value: `null` when unset without a default, undefined when refused. */
  read<Name extends SettingName>(name: Name): SettingValue<SettingNamed<Name>> | undefined;
  /** A group's values, read (and their problems reported) in the group's order. */
  readGroup<Group extends readonly SettingSpec[]>(group: Group): SettingValues<Group>;
}

/** Reports every HWCERT_* variable that is no setting, in name order. */
export function rejectUnknownSettings(problems: Problems, env: Environment): void {
  const known = new Set<string>();
  for (const setting of SETTINGS) {
    known.add(setting.name);
    if (setting.secret) known.add(`${setting.name}_FILE`);
  }
  for (const name of Object.keys(env).sort()) {
    if (name.startsWith(SETTING_PREFIX) && !known.has(name)) {
      const suggestion = nearest(name, known);
      problems.add(
        name,
        suggestion === undefined
          ? "unknown setting (check the spelling; see config/example.env)"
          : `unknown setting; did you mean ${suggestion}? (see config/example.env)`,
      );
    }
  }
}

export function environmentSettings(
  problems: Problems,
  env: Environment,
  readSecretFile: (path: string) => string,
): EnvironmentSettings {
  const raw = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value === undefined || value === "" ? undefined : value;
  };

  /** The text to parse; null when unset without a default, undefined when it cannot be read. */
  const textOf = (setting: SettingSpec): string | null | undefined => {
    const direct = raw(setting.name);
    const filePath = setting.secret ? raw(`${setting.name}_FILE`) : undefined;
    if (direct !== undefined && filePath !== undefined) {
      const name = setting.name;
      return problems.add(name, `set both ${name} and ${name}_FILE; set only one`);
    }
    if (filePath !== undefined) {
      return readSecretText(problems, `${setting.name}_FILE`, filePath, readSecretFile);
    }
    return direct ?? setting.defaultValue ?? null;
  };

  const readSetting = (setting: SettingSpec): unknown => {
    const text = textOf(setting);
    return text === undefined || text === null
      ? text
      : parseText(problems, setting.name, setting.schema, text);
  };

  const byName = new Map<string, SettingSpec>(SETTINGS.map((setting) => [setting.name, setting]));
  return {
    isSet: (name) => raw(name) !== undefined,
    // The table ties each name to its schema, so the value has the type the schema gives it.
    read: <Name extends SettingName>(name: Name) =>
      readSetting(byName.get(name) as SettingSpec) as SettingValue<SettingNamed<Name>> | undefined,
    readGroup: <Group extends readonly SettingSpec[]>(group: Group) =>
      Object.fromEntries(
        group.map((setting) => [setting.name, readSetting(setting)]),
      ) as SettingValues<Group>,
  };
}

/** Values of which none was refused. */
export type Valid<T> = { readonly [K in keyof T]: Exclude<T[K], undefined> };

/** The values, when none was refused (undefined marks a refused value, already reported). */
export function allValid<T extends object>(values: T): Valid<T> | undefined {
  return Object.values(values).every((value) => value !== undefined)
    ? (values as Valid<T>)
    : undefined;
}
