import { describe, expect, test } from "vitest";
import { writeJsonArray } from "../../../src/cli/commands/list.js";

function written(items: unknown[]): { text: string; writes: number } {
  let text = "";
  let writes = 0;
  writeJsonArray(items, (chunk) => {
    text += chunk;
    writes++;
  });
  return { text, writes };
}

describe("list --json's writer", () => {
  test.each([
    ["no records", []],
    ["one record", [{ key: "a", tags: [], source: null }]],
    [
      "records with line breaks, quotes and nesting in their values",
      [
        { title: "Zwei\nZeilen „Zitat“", entities: [{ id: "x", count: 2 }], diagnostics: [{ message: "a\r\nb", line: null }], empty: {} },
        { title: "\u2028 and \\n", nested: [[1, [2, []]], { deep: { deeper: "  indented\n  text" } }] },
      ],
    ],
  ])("writes what JSON.stringify(records, null, 2) gives, and a newline: %s", (_, items) => {
    expect(written(items).text).toBe(`${JSON.stringify(items, null, 2)}\n`);
  });

  test("a large list goes out in pieces of about a megabyte, the same bytes", () => {
    const items = Array.from({ length: 3000 }, (_, i) => ({ key: `story-${i}`, summary: "Lorem ipsum dolor sit amet. ".repeat(40), tags: [{ name: "Politik", slug: "politik" }] }));
    const { text, writes } = written(items);
    expect(text).toBe(`${JSON.stringify(items, null, 2)}\n`);
    expect(writes).toBeGreaterThan(2);
    expect(text.length / writes).toBeLessThan(2 << 20);
  });
});
