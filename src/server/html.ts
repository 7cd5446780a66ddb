// Escaping for HTML built as strings. Every value that reaches a page goes through escapeHtml:
// names, ids and error texts come from the cloud and are treated as hostile markup. The output
// is safe in element content and in double- or single-quoted attribute values.

const REPLACEMENTS: Readonly<Record<string, string>> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/** Explicit bidirectional formatting (e.g. U+202E), which could make `gnp.exe` read `exe.png`. */
const BIDI_CONTROLS = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/**
 * Escapes the five characters that can end text or an attribute, and shows control characters
 * (which browsers drop or reject) and bidirectional overrides (which reorder what is shown) as
 * U+FFFD, so what the page shows reads as what the cloud sent. Right-to-left scripts themselves
 * are untouched; the page isolates each value in <bdi>.
 */
export function escapeHtml(text: string): string {
  return (
    text
      .replace(/[&<>"']/g, (character) => REPLACEMENTS[character] ?? character)
      // eslint-disable-next-line no-control-regex -- finding control characters is the point
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, "\ufffd")
      .replace(BIDI_CONTROLS, "\ufffd")
  );
}
