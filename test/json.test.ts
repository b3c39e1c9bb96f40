import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { compareJson, compareJsonWithLive, type JsonCompareOptions } from '../src/compare/json.js';
import { loadPages } from '../src/index.js';
import { parseJsonSample, parseLiveJson, toPlain, type JsonValue } from '../src/formats/json.js';
import { repoRoot } from './helpers/paths.js';

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

describe('comparing a documented body with a live one (compareJsonWithLive)', () => {
  /** Every JSON body on the bundled pages and lint fixtures, with its page group. */
  const bodies = async () => {
    const { groups } = await loadPages(['docs', 'fixtures/lint'], { cwd: repoRoot });
    return groups.flatMap((g) =>
      g.pages.flatMap((p) =>
        p.samples.flatMap((s) => {
          const json =
            s.kind === 'json'
              ? s.json
              : (s.kind === 'http-request' || s.kind === 'http-response') && s.http?.body?.type === 'json'
                ? s.http.body.json
                : null;
          return json?.value ? [{ group: g.pageId, value: json.value }] : [];
        }),
      ),
    );
  };
  const repeatsAKey = (v: JsonValue): boolean =>
    v.type === 'object'
      ? new Set(v.members.map((m) => m.key)).size < v.members.length || v.members.some((m) => repeatsAKey(m.value))
      : v.type === 'array'
        ? v.items.some(repeatsAKey)
        : false;
  /** Live bodies to compare a documented one with: as served, and altered one place at a time. */
  const livesOf = (plain: unknown): unknown[] => {
    const out: unknown[] = [plain];
    const walk = (node: unknown, set: (v: unknown) => unknown): void => {
      if (Array.isArray(node)) {
        out.push(set(node.slice(1)), set([...node, 'extra']));
        node.forEach((item, i) => walk(item, (v) => set(node.map((x, j) => (j === i ? v : x)))));
      } else if (node && typeof node === 'object') {
        const entries = Object.entries(node);
        out.push(set(Object.fromEntries(entries.slice(1))), set({ ...node, extraMember: 1 }));
        for (const [k, v] of entries) walk(v, (x) => set({ ...node, [k]: x }));
      } else {
        out.push(
          set(typeof node === 'string' ? `${node}!` : typeof node === 'number' ? node + 1 : node === null ? 0 : !node),
          set({ replaced: node }),
        );
      }
    };
    walk(plain, (v) => v);
    return out;
  };

  it(`finds what compareJson finds on the live body parsed with positions, \
on every body of docs/ and the fixtures`, async () => {
    let pairs = 0;
    let differing = 0;
    const options = [
      {},
      { subset: true },
      { extraMembers: true },
      { acceptValue: (e: unknown, a: unknown) => typeof e === 'string' && typeof a === 'string' && a.startsWith(e) },
    ];
    // Elisions as the corpora write them, which docs/ happens not to hold in bodies.
    const elided = [
      '{"id": "...", "name": "…", "items": [1, 2, ...], "more": {"a": true, ...}}',
      '{"value": [{"id": "x"}, ...], "...": "..."}',
      '[..., {"n": null}]',
    ].map((text) => ({ group: 'handwritten', value: parseJsonSample(text).value! }));
    const all = [...(await bodies()).filter((b) => !repeatsAKey(b.value)), ...elided];
    expect(all.length).toBeGreaterThan(40);
    for (const { group, value } of all) {
      // The body's own alterations, and the other locales' versions of bodies on the same page.
      const lives = [
        ...livesOf(toPlain(value)),
        ...all.filter((o) => o.group === group && o.value !== value).map((o) => toPlain(o.value)),
      ];
      for (const live of lives) {
        const text = JSON.stringify(live);
        const positioned = parseJsonSample(text).value!;
        for (const o of options) {
          const expected = compareJson(value, positioned, o as JsonCompareOptions);
          const found = compareJsonWithLive(value, JSON.parse(text), o as JsonCompareOptions);
          expect(found && { ...found, actualOffset: undefined }, text).toEqual(
            expected && { ...expected, actualOffset: undefined },
          );
          pairs++;
          if (expected) differing++;
        }
      }
    }
    expect(pairs).toBeGreaterThan(5000);
    expect(differing).toBeGreaterThan(pairs / 2);
  });

  it('compares a documented key repeated by mistake with the live member each time', () => {
    const doc = parseJsonSample('{"a": 1, "a": 1}').value!;
    expect(compareJsonWithLive(doc, { a: 1 })).toBeNull();
    expect(compareJsonWithLive(doc, { a: 1, b: 2 })).toMatchObject({ path: '$.b', what: 'extra member' });
  });

  it(`treats keys that name Object.prototype members (__proto__, constructor, toString) \
as plain keys, in subset mode too`, () => {
    const pairs: [string, string][] = [
      ['{"__proto__": 1}', '{"__proto__": 1}'],
      ['{"__proto__": 1}', '{}'],
      ['{"__proto__": {}}', '{}'],
      ['{"a": 1}', '{"a": 1, "__proto__": 2}'],
      ['{"constructor": {}}', '{}'],
      ['{"toString": 1}', '{}'],
      ['{"toString": {"x": [1]}}', '{"toString": {"x": [1]}}'],
    ];
    const verdicts = pairs.map(([doc, live]) => {
      const expected = compareJson(parseJsonSample(doc).value!, parseJsonSample(live).value!, { subset: true });
      const found = compareJsonWithLive(parseJsonSample(doc).value!, JSON.parse(live), { subset: true });
      expect(found && { ...found, actualOffset: undefined }, `${doc} vs ${live}`).toEqual(
        expected && { ...expected, actualOffset: undefined },
      );
      return found && `${found.what} ${found.path}`;
    });
    expect(verdicts).toEqual([
      null,
      'missing member $.__proto__',
      'missing member $.__proto__',
      null,
      'missing member $.constructor',
      'missing member $.toString',
      null,
    ]);
  });

  it(`a documented number beyond a double (1e400) is not taken for null; \
a missing inherited key is not offered to acceptValue`, () => {
    // as `"truncated": true` does
    const anyForNull = { subset: true, acceptValue: (documented: unknown) => documented === null };
    for (const [doc, live, options, what] of [
      ['{"size": 1e400}', '{"size": null}', {}, 'type $.size'],
      ['-1e400', 'null', {}, 'type $'],
      ['{"id": "1", "valueOf": null}', '{"id": "1"}', anyForNull, 'missing member $.valueOf'],
      ['{"constructor": null}', '{}', anyForNull, 'missing member $.constructor'],
    ] as const) {
      const expected = compareJson(parseJsonSample(doc).value!, parseJsonSample(live).value!, options);
      const found = compareJsonWithLive(parseJsonSample(doc).value!, JSON.parse(live), options);
      expect(found && { ...found, actualOffset: undefined }, `${doc} vs ${live}`).toEqual(
        expected && { ...expected, actualOffset: undefined },
      );
      expect(found && `${found.what} ${found.path}`).toBe(what);
    }
  });

  // Generated documented bodies (elisions, repeated keys, keys named like Object.prototype's,
  // numbers beyond a double) and live bodies made from them with a few changes: the fast checks
  // in compareJsonWithLive must reach compareJson's verdict, and the same difference.
  const KEYS = ['a', 'b', 'id', '__proto__', 'toString', 'valueOf', 'constructor', '0', '...'];
  const documentedText = fc.letrec<{ value: string; array: string; object: string }>((tie) => ({
    value: fc.oneof(
      { depthSize: 'small' },
      fc.constantFrom(
        '1',
        '-0',
        '2.5',
        '1e400',
        '-1e400',
        '12345678901234567890',
        'null',
        'true',
        'false',
        '"x"',
        '"..."',
        '"…"',
        '""',
        '"1"',
      ),
      tie('array'),
      tie('object'),
    ),
    array: fc
      .array(fc.oneof(tie('value'), fc.constant('...')), { maxLength: 4 })
      .map((items) => `[${items.join(', ')}]`),
    object: fc
      .array(
        fc.oneof(
          fc.tuple(fc.constantFrom(...KEYS), tie('value')).map(([k, v]) => `${JSON.stringify(k)}: ${v}`),
          fc.constant('...'),
        ),
        { maxLength: 4 },
      )
      .map((members) => `{${members.join(', ')}}`),
  })).value;
  const OPTIONS: JsonCompareOptions[] = [
    {},
    { subset: true },
    { extraMembers: true },
    { subset: true, acceptValue: (documented) => documented === null },
    { acceptValue: (e, a) => typeof e === 'string' && typeof a === 'string' && a.startsWith(e) },
  ];
  /**
   * A live body as a server might send for `v`: elisions filled in, then a member dropped, added or replaced here and
   * there.
   */
  const liveFrom = (v: JsonValue, random: () => number): unknown => {
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
    if (v.type === 'ellipsis' || (v.type === 'string' && (v.value === '...' || v.value === '…')))
      return pick(['q', 3, null, {}, [1]]);
    if (random() < 0.06) return pick([0, 'x', null, true, [], {}, [1], { a: 1 }]);
    if (v.type === 'array') {
      const items = v.items.map((item) => liveFrom(item, random));
      if (random() < (v.ellipsis ? 0.5 : 0.08)) items.push(pick([1, 'x', {}]));
      if (random() < 0.08) items.pop();
      return items;
    }
    if (v.type === 'object') {
      const out: Record<string, unknown> = {};
      const put = (key: string, value: unknown) =>
        // `__proto__` as a key, as JSON.parse makes it
        Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
      // No `"..."` key: parsed with positions (compareJson's side) a live one would be an elision too.
      for (const m of v.members) if (m.key !== '...' && random() > 0.15) put(m.key, liveFrom(m.value, random));
      if (random() < (v.ellipsis ? 0.5 : 0.08)) put(pick(KEYS.filter((k) => k !== '...')), pick([1, null, 'x']));
      return out;
    }
    return v.value;
  };
  test.prop([documentedText, fc.integer(), fc.constantFrom(...OPTIONS.keys())], { numRuns: 100_000 })(
    'agrees with compareJson on generated bodies',
    (text, seed, which) => {
      const documented = parseJsonSample(text);
      // A repeated key is compared with the live member each time (tested above), where compareJson pairs members.
      fc.pre(documented.value !== null && documented.errors.length === 0 && !repeatsAKey(documented.value));
      let state = seed >>> 0;
      const random = () => (state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 2 ** 32;
      const liveText = JSON.stringify(liveFrom(documented.value!, random));
      const expected = compareJson(documented.value!, parseJsonSample(liveText).value!, OPTIONS[which]);
      const found = compareJsonWithLive(documented.value!, JSON.parse(liveText), OPTIONS[which]);
      expect(found && { ...found, actualOffset: undefined }, `${text} vs ${liveText}`).toEqual(
        expected && { ...expected, actualOffset: undefined },
      );
    },
  );

  it('says why a live body is not JSON, comments and ellipses included', () => {
    expect(parseLiveJson('{"a": 1}')).toEqual({ ok: true, value: { a: 1 } });
    expect(parseLiveJson('{"a": 1,}')).toMatchObject({ ok: false, reason: expect.stringMatching(/trailing comma/) });
    expect(parseLiveJson('{"a": 1 // one\n}')).toEqual({ ok: false, reason: 'a comment' });
    expect(parseLiveJson('{"a": ...}')).toEqual({ ok: false, reason: 'an ellipsis' });
    expect(parseLiveJson('')).toMatchObject({ ok: false, reason: expect.stringMatching(/empty/) });
  });
});
