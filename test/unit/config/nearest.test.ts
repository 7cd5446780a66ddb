import { describe, expect, it } from "vitest";
import { editDistance, nearest } from "../../../src/config/nearest.js";

describe("editDistance", () => {
  it.each<[string, string, number]>([
    ["region", "region", 0],
    ["regoin", "region", 1],
    ["regio", "region", 1],
    ["regions", "region", 1],
    ["rigion", "region", 1],
    ["", "abc", 3],
    ["abc", "", 3],
    ["ca", "abc", 3],
    ["kitten", "sitting", 3],
  ])("%s → %s: %i", (a, b, distance) => {
    expect(editDistance(a, b)).toBe(distance);
  });
});

describe("nearest", () => {
  const keys = ["name", "region", "project_id", "domain_id", "sources", "endpoints"];
  it.each<[string, readonly string[], string | undefined]>([
    ["regoin", keys, "region"],
    ["Region", keys, "region"],
    ["projectid", keys, "project_id"],
    ["source", keys, "sources"],
    ["colour", keys, undefined],
    // One edit from five regions: guessing one of them would mislead.
    ["ap-southeast-9", ["ap-southeast-1", "ap-southeast-2", "ap-southeast-3"], undefined],
    ["ap-southaest-1", ["ap-southeast-1", "ap-southeast-2"], "ap-southeast-1"],
    // Short words allow one edit only.
    ["elf", ["elb", "ccm"], "elb"],
    ["abc", ["xyz"], undefined],
  ])("%s among %j → %s", (word, candidates, expected) => {
    expect(nearest(word, candidates)).toBe(expected);
  });
});
