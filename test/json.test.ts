import { describe, expect, it } from 'vitest';
import { parseJsonSample, toPlain } from '../src/sample/json.js';

describe('tolerant JSON parser', () => {
  it('parses plain JSON like JSON.parse does', () => {
    const text = '{"a": [1, 2.50, -3e2, true, false, null], "b": {"c": "x\\u00e9\\n"}}';
    const doc = parseJsonSample(text);
    expect(doc.errors).toEqual([]);
    expect(toPlain(doc.value)).toEqual(JSON.parse(text));
  });

  it('keeps error offsets inside the text when it ends in a backslash (found by fuzzing)', () => {
    for (const text of ['{"\\', '"\\', '["a\\']) {
      const doc = parseJsonSample(text);
      expect(doc.errors.length).toBeGreaterThan(0);
      for (const e of doc.errors) expect(e.offset).toBeLessThanOrEqual(text.length);
      expect(doc.value!.end).toBeLessThanOrEqual(text.length);
    }
  });

  it('records ellipses in value, member and element positions instead of failing', () => {
    const doc = parseJsonSample('{\n  "value": [\n    { "id": "1" },\n    ...\n  ],\n  "x": ...,\n  ...\n}');
    expect(doc.errors).toEqual([]);
    expect(doc.ellipses).toBe(3);
    const value = doc.value!;
    expect(value.type).toBe('object');
    if (value.type !== 'object') return;
    expect(value.ellipsis).toBe(true);
    const arr = value.members[0]!.value;
    expect(arr.type === 'array' && arr.ellipsis).toBe(true);
    expect(value.members[1]!.value.type).toBe('ellipsis');
  });

  it('treats "...": "..." members and the unicode ellipsis as elisions', () => {
    const doc = parseJsonSample('{ "a": 1, "...": "...", "b": [ … ] }');
    expect(doc.errors).toEqual([]);
    expect(doc.ellipses).toBe(2);
    expect(toPlain(doc.value)).toEqual({ a: 1, b: [] });
  });

  it('skips // and /* */ comments and counts them', () => {
    const doc = parseJsonSample('{\n  // the id\n  "id": 1, /* more */ "x": 2\n}');
    expect(doc.errors).toEqual([]);
    expect(doc.comments).toBe(2);
  });

  it('reports a trailing comma at the comma and still returns the value', () => {
    const text = '{\n  "a": 1,\n}';
    const doc = parseJsonSample(text);
    expect(doc.errors).toHaveLength(1);
    expect(doc.errors[0]!.message).toMatch(/trailing comma/);
    expect(doc.errors[0]!.offset).toBe(text.indexOf(','));
    expect(toPlain(doc.value)).toEqual({ a: 1 });
  });

  it('names an HTML entity injected by machine translation', () => {
    const doc = parseJsonSample('{ &quot;id&quot;: 1 }');
    expect(doc.errors[0]!.message).toContain('HTML entity `&quot;`');
  });

  it('reports a truncated sample at the unclosed bracket', () => {
    const doc = parseJsonSample('{ "value": [ { "a": 1 }');
    expect(doc.errors.map((e) => e.message).join('\n')).toMatch(/not closed/);
  });

  it('reports garbage after the value, empty input, and bad escapes', () => {
    expect(parseJsonSample('{} {}').errors[0]!.message).toMatch(/after the end/);
    expect(parseJsonSample('   ').errors[0]!.message).toMatch(/empty/);
    expect(parseJsonSample('{"a": "\\q"}').errors[0]!.message).toMatch(/invalid escape/);
  });

  it('recovers after an error and keeps parsing the members that follow', () => {
    const doc = parseJsonSample('{ "a": @, "b": 2 }');
    expect(doc.errors).toHaveLength(1);
    expect(toPlain(doc.value)).toEqual({ b: 2 });
  });
});
