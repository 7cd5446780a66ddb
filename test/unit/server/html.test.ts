// escapeHtml against the strings a hostile cloud resource name could carry.

import { describe, expect, it } from "vitest";
import { escapeHtml } from "../../../src/server/html.js";

describe("escapeHtml", () => {
  it.each([
    ["<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"],
    ['"><img src=x onerror=alert(1)>', "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"],
    ["' onmouseover='alert(1)", "&#39; onmouseover=&#39;alert(1)"],
    ["&lt;already escaped&gt;", "&amp;lt;already escaped&amp;gt;"],
    ["</td></tr></table><h1>x", "&lt;/td&gt;&lt;/tr&gt;&lt;/table&gt;&lt;h1&gt;x"],
    ["<!--", "&lt;!--"],
    ["a\u0000b\u001bc\u007fd", "a\ufffdb\ufffdc\ufffdd"],
    ["tab\tand\nnewline", "tab\tand\nnewline"],
    ["\u202egnp.exe", "\ufffdgnp.exe"],
    ["a\u2066b\u2069c\u200f", "a\ufffdb\ufffdc\ufffd"],
    ["שלום مرحبا", "שלום مرحبا"],
    ["证书-生产 ✓ é", "证书-生产 ✓ é"],
    ["`backticks` and ${template}", "`backticks` and ${template}"],
    ["", ""],
  ])("%j", (input, expected) => {
    expect(escapeHtml(input)).toBe(expected);
  });

  it("leaves no character that could end text or an attribute", () => {
    let all = "";
    for (let code = 0; code < 0x300; code += 1) all += String.fromCharCode(code);
    expect(escapeHtml(all)).not.toMatch(/[<>"']/);
    expect(escapeHtml(all)).not.toContain("\u0000");
    expect(escapeHtml(all).replace(/&(amp|lt|gt|quot|#39);/g, "")).not.toContain("&");
  });
});
