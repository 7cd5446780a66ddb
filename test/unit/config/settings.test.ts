// The settings table: each default is a value its own schema accepts, so an unset setting can
// never fail to parse; no name is used twice, or is also a secret's `<NAME>_FILE`.

import { describe, expect, it } from "vitest";
import { SETTINGS } from "../../../src/config/settings.js";

describe("settings table", () => {
  it.each(
    SETTINGS.flatMap((setting) =>
      setting.defaultValue === undefined ? [] : [[setting.name, setting] as const],
    ),
  )("the default of %s passes its own schema", (_name, setting) => {
    expect(setting.schema.safeParse(setting.defaultValue).success).toBe(true);
  });

  it("names each setting once, and no setting after a secret's <NAME>_FILE", () => {
    const names: string[] = SETTINGS.map((setting) => setting.name);
    expect(new Set(names).size).toBe(names.length);
    const secretFiles = SETTINGS.filter((setting) => setting.secret).map((s) => `${s.name}_FILE`);
    expect(secretFiles.filter((name) => names.includes(name))).toEqual([]);
  });
});
