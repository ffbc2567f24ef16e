import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Catalog, NewSegment, WorkUnitCommit } from '../../packages/core/src/index.js';

/** The catalog conformance suite: every catalog implementation runs it on its real database. */
export function catalogConformance(name: string, makeCatalog: () => Promise<Catalog>) {
  describe(`${name}: catalog conformance`, () => {
    let catalog: Catalog;
    beforeAll(async () => {
      catalog = await makeCatalog();
      await catalog.migrate();
    });
    afterAll(() => catalog.close());

    let n = 0;
    const uid = (label: string) => `${label}-${Date.now().toString(36)}-${++n}`;
    const segment = (id: string, extra: Partial<NewSegment> = {}): NewSegment => ({
      segmentId: id,
      org: 'acme',
      signal: 'logs',
      dateint: 20261129,
      frequencyMs: 0,
      objectKey: `logs/org=acme/dateint=20261129/hour=07/${id}.parquet`,
      records: 100,
      bytes: 4096,
      minTs: 1_795_000_000_000,
      maxTs: 1_795_000_060_000,
      ...extra,
    });
    const ingest = (unit: string, objects: string[], outputs: NewSegment[]): WorkUnitCommit => ({
      workUnitId: unit,
      org: 'acme',
      signal: 'logs',
      stage: 'ingest',
      outputs,
      ingestedObjects: objects.map((o) => ({
        identity: `bucket/${o}@v1`,
        bucket: 'bucket',
        key: o,
        version: 'v1',
      })),
      outbox: outputs.map((s) => ({
        topic: 'p.boxer.logs.compact',
        key: 'acme',
        value: JSON.stringify({ s: s.segmentId }),
      })),
    });
    const code = (p: Promise<unknown>) =>
      p.then(
        () => 'ok',
        (e: { code?: string }) => e.code ?? String(e),
      );

    it('an object a unit failed as a whole may be ingested by a later unit, once; a partly ingested one never', async () => {
      const whole = uid('whole.json');
      const partial = uid('partial.json');
      const id = (o: string) => `bucket/${o}@v1`;
      const failing = uid('failing');
      expect(
        (
          await catalog.commitWorkUnit({
            ...ingest(failing, [whole, partial], [segment(uid('seg'))]),
            failures: [
              { input: id(whole), code: 'LR_INPUT_LIMIT', reason: 'too many records', whole: true },
              { input: id(partial), code: 'LR_INPUT_CORRUPT', reason: 'line 3: not JSON', whole: false },
            ],
          })
        ).outcome,
      ).toBe('committed');
      // Nothing of the first is in the lake: a replay of its dead letter may take it over.
      expect(await catalog.consumedInputs([id(whole), id(partial)], 'ingest')).toEqual(
        new Set([id(partial)]),
      );
      const replay = uid('replay');
      expect((await catalog.commitWorkUnit(ingest(replay, [whole], [segment(uid('seg'))]))).outcome).toBe(
        'committed',
      );
      expect(await catalog.consumedInputs([id(whole)], 'ingest')).toEqual(new Set([id(whole)]));
      // Ingested now: a second replay (another unit id) conflicts and changes nothing.
      expect(await code(catalog.commitWorkUnit(ingest(uid('again'), [whole], [segment(uid('seg'))])))).toBe(
        'LR_CATALOG_CONFLICT',
      );
      expect(await code(catalog.commitWorkUnit(ingest(uid('again'), [partial], [segment(uid('seg'))])))).toBe(
        'LR_CATALOG_CONFLICT',
      );
      expect((await catalog.failures(failing)).map((f) => [f.input, f.whole])).toEqual(
        expect.arrayContaining([
          [id(whole), true],
          [id(partial), false],
        ]),
      );
    });

    it('migrates idempotently', async () => {
      await catalog.migrate();
      await catalog.migrate();
    });

    it('commits an ingest unit once: a replay is already-done and changes nothing', async () => {
      const unit = uid('ingest');
      const seg = segment(uid('seg'));
      const obj = uid('obj.json');
      expect(await catalog.unitProgress(unit, [`bucket/${obj}@v1`], 'ingest')).toEqual({
        done: false,
        consumed: new Set(),
      });
      const first = await catalog.commitWorkUnit(ingest(unit, [obj], [seg]));
      expect(first.outcome).toBe('committed');
      // The commit hands back what it queued, so the worker need not read it back.
      expect(first.outbox).toEqual(await catalog.pendingOutbox(unit));
      expect(first.outbox).toHaveLength(1);
      const replay = await catalog.commitWorkUnit(ingest(unit, [obj], [seg]));
      expect(replay).toEqual({ outcome: 'already-done', outbox: first.outbox });
      expect(await catalog.isWorkUnitDone(unit)).toBe(true);
      expect(await catalog.unitProgress(unit, [`bucket/${obj}@v1`, `bucket/${obj}@v2`], 'ingest')).toEqual({
        done: true,
        consumed: new Set([`bucket/${obj}@v1`]),
      });
      const live = (await catalog.segments({ signal: 'logs', org: 'acme' })).filter(
        (s) => s.segmentId === seg.segmentId,
      );
      expect(live).toHaveLength(1);
      expect(live[0]).toMatchObject({
        ...seg,
        createdBy: 'ingest',
        workUnitId: unit,
        published: true,
        unpublishedAt: null,
      });
      expect(await catalog.pendingOutbox(unit)).toHaveLength(1);
      expect(await catalog.consumedInputs([`bucket/${obj}@v1`, `bucket/${obj}@v2`], 'ingest')).toEqual(
        new Set([`bucket/${obj}@v1`]),
      );
      await catalog.markPublished(first.outbox.map((r) => r.id));
      expect((await catalog.commitWorkUnit(ingest(unit, [obj], [seg]))).outbox).toEqual([]);
    });

    it('writes a unit of many outputs, outbox rows and failures in full, in order', async () => {
      const unit = uid('wide');
      const outputs = Array.from({ length: 40 }, (_, i) =>
        segment(uid(`wide-seg-${i}`), {
          dateint: 20261129 + (i % 2),
          frequencyMs: i % 3 === 0 ? 60_000 : 0,
          records: 1000 + i,
          bytes: 2 ** 40 + i,
          minTs: 1_795_000_000_000 + i,
          maxTs: 1_795_000_060_000 + i,
          metadata: { services: [`svc-${i}`], note: 'it\'s "quoted"' },
          readers: i % 2 === 0 ? ['compact', 'rollup'] : [],
        }),
      );
      const outbox = outputs.map((s, i) => ({
        topic: `p.boxer.logs.${i % 2 ? 'compact' : 'rollup'}`,
        key: i % 5 === 0 ? null : `key-${i}`,
        value: JSON.stringify({ s: s.segmentId, i }),
      }));
      const failures = ['a', 'b', 'c'].map((x, i) => ({
        input: `bucket/${x}@v1`,
        code: 'LR_INPUT_CORRUPT',
        reason: `line ${i}: bad`,
        whole: i === 1,
      }));
      const result = await catalog.commitWorkUnit({ ...ingest(unit, [], outputs), outbox, failures });
      expect(result.outcome).toBe('committed');
      expect(result.outbox.map(({ topic, key, value }) => ({ topic, key, value }))).toEqual(outbox);
      expect(result.outbox.map((r) => r.id)).toEqual(
        [...result.outbox.map((r) => r.id)].sort((a, b) => a - b),
      );
      const stored = (await catalog.segments({ signal: 'logs', publishedOnly: false })).filter(
        (s) => s.workUnitId === unit,
      );
      expect(stored).toHaveLength(outputs.length);
      for (const s of outputs) {
        expect(stored.find((x) => x.segmentId === s.segmentId)).toMatchObject({
          ...s,
          readers: s.readers,
          createdBy: 'ingest',
        });
      }
      expect(await catalog.failures(unit)).toEqual(failures.map((f) => ({ ...f, workUnitId: unit })));
    });

    it('refuses a second unit that ingests an already-ingested object version, leaving no trace of it', async () => {
      const obj = uid('dup.json');
      await catalog.commitWorkUnit(ingest(uid('first'), [obj], [segment(uid('seg'))]));
      const second = uid('second');
      const lost = segment(uid('seg'));
      expect(await code(catalog.commitWorkUnit(ingest(second, [obj, uid('other.json')], [lost])))).toBe(
        'LR_CATALOG_CONFLICT',
      );
      expect(await catalog.isWorkUnitDone(second)).toBe(false);
      expect(await catalog.pendingOutbox(second)).toEqual([]);
      expect(
        (await catalog.segments({ signal: 'logs', publishedOnly: false })).some(
          (s) => s.segmentId === lost.segmentId,
        ),
      ).toBe(false);
    });

    it('swaps compacted segments atomically; a competing compaction of the same inputs conflicts', async () => {
      const inputs = [segment(uid('small')), segment(uid('small'))];
      await catalog.commitWorkUnit(ingest(uid('ingest'), [uid('a.json')], inputs));
      const merged = segment(uid('merged'), { records: 200 });
      const compact = (unit: string, out: NewSegment): WorkUnitCommit => ({
        workUnitId: unit,
        org: 'acme',
        signal: 'logs',
        stage: 'compact',
        outputs: [out],
        consumedSegments: { ids: inputs.map((s) => s.segmentId), stage: 'compact', replace: true },
        outbox: [],
      });
      const unit = uid('compact');
      expect((await catalog.commitWorkUnit(compact(unit, merged))).outcome).toBe('committed');
      const all = await catalog.segments({ signal: 'logs', publishedOnly: false });
      for (const input of inputs) {
        const row = all.find((s) => s.segmentId === input.segmentId);
        expect(row).toMatchObject({ published: false, consumedBy: { compact: unit } });
        expect(row?.unpublishedAt).toBeInstanceOf(Date);
      }
      const live = await catalog.segments({ signal: 'logs' });
      expect(live.some((s) => s.segmentId === merged.segmentId)).toBe(true);
      expect(live.some((s) => inputs.some((i) => i.segmentId === s.segmentId))).toBe(false);
      expect(
        await catalog.consumedInputs(
          inputs.map((s) => `segment:${s.segmentId}`),
          'compact',
        ),
      ).toEqual(new Set(inputs.map((s) => `segment:${s.segmentId}`)));
      expect(await code(catalog.commitWorkUnit(compact(uid('rival'), segment(uid('merged')))))).toBe(
        'LR_CATALOG_CONFLICT',
      );
    });

    it('marks rolled-up segments without unpublishing them, once', async () => {
      const source = segment(uid('tenS'), { signal: 'metrics', frequencyMs: 10_000 });
      await catalog.commitWorkUnit({
        ...ingest(uid('ingest'), [uid('m.json')], [source]),
        signal: 'metrics',
      });
      const rollup = (unit: string): WorkUnitCommit => ({
        workUnitId: unit,
        org: 'acme',
        signal: 'metrics',
        stage: 'rollup',
        outputs: [segment(uid('oneM'), { signal: 'metrics', frequencyMs: 60_000 })],
        consumedSegments: { ids: [source.segmentId], stage: 'rollup', replace: false },
        outbox: [],
      });
      const unit = uid('rollup');
      expect((await catalog.commitWorkUnit(rollup(unit))).outcome).toBe('committed');
      const row = (await catalog.segments({ signal: 'metrics', frequencyMs: 10_000 })).find(
        (s) => s.segmentId === source.segmentId,
      );
      expect(row).toMatchObject({ published: true, consumedBy: { rollup: unit } });
      expect(await code(catalog.commitWorkUnit(rollup(uid('again'))))).toBe('LR_CATALOG_CONFLICT');
    });

    /** A 10 s metrics segment read by both compaction (replaces it) and rollup (marks it). */
    async function tenSecondSegment() {
      const source = segment(uid('tenS'), {
        signal: 'metrics',
        frequencyMs: 10_000,
        readers: ['compact', 'rollup'],
      });
      await catalog.commitWorkUnit({
        ...ingest(uid('ingest'), [uid('m.json')], [source]),
        signal: 'metrics',
      });
      const consume = (stage: string, replace: boolean, outputs: NewSegment[] = []): WorkUnitCommit => ({
        workUnitId: uid(stage),
        org: 'acme',
        signal: 'metrics',
        stage,
        outputs,
        consumedSegments: { ids: [source.segmentId], stage, replace },
        outbox: [],
      });
      const row = async () =>
        (await catalog.segments({ signal: 'metrics', publishedOnly: false })).find(
          (s) => s.segmentId === source.segmentId,
        );
      const sweepable = async () =>
        (await catalog.sweepable('metrics', new Date(Date.now() + 60_000))).some(
          (s) => s.segmentId === source.segmentId,
        );
      return { source, consume, row, sweepable };
    }

    it('compacted, then rolled up: rollup still consumes the replaced segment, and only then may it be swept', async () => {
      const { source, consume, row, sweepable } = await tenSecondSegment();
      const key = `segment:${source.segmentId}`;
      const compacted = segment(uid('merged'), {
        signal: 'metrics',
        frequencyMs: 10_000,
        readers: ['compact'],
      });
      expect((await catalog.commitWorkUnit(consume('compact', true, [compacted]))).outcome).toBe('committed');
      expect(await row()).toMatchObject({ published: false });
      // Compaction's consumption is not rollup's: the replaced segment is still to be rolled up.
      expect(await catalog.consumedInputs([key], 'compact')).toEqual(new Set([key]));
      expect(await catalog.consumedInputs([key], 'rollup')).toEqual(new Set());
      expect(await sweepable()).toBe(false);
      expect((await catalog.commitWorkUnit(consume('rollup', false))).outcome).toBe('committed');
      expect(await catalog.consumedInputs([key], 'rollup')).toEqual(new Set([key]));
      expect((await row())?.consumedBy).toEqual({
        compact: expect.any(String),
        rollup: expect.any(String),
      });
      expect(await sweepable()).toBe(true);
    });

    it('rolled up, then compacted: the segment stays live until compaction replaces it, then may be swept', async () => {
      const { consume, row, sweepable } = await tenSecondSegment();
      expect((await catalog.commitWorkUnit(consume('rollup', false))).outcome).toBe('committed');
      expect(await row()).toMatchObject({ published: true });
      expect(await sweepable()).toBe(false);
      expect((await catalog.commitWorkUnit(consume('compact', true))).outcome).toBe('committed');
      expect(await row()).toMatchObject({ published: false });
      expect(await sweepable()).toBe(true);
      expect(await code(catalog.commitWorkUnit(consume('compact', true)))).toBe('LR_CATALOG_CONFLICT');
    });

    it('keeps the outbox in order until published', async () => {
      const unit = uid('outbox');
      await catalog.commitWorkUnit(ingest(unit, [uid('o.json')], [segment(uid('s1')), segment(uid('s2'))]));
      const pending = await catalog.pendingOutbox(unit);
      expect(pending.map((p) => JSON.parse(p.value).s)).toHaveLength(2);
      expect(pending[0]?.id).toBeLessThan(pending[1]?.id ?? 0);
      await catalog.markPublished([pending[0]?.id ?? -1]);
      expect((await catalog.pendingOutbox(unit)).map((p) => p.id)).toEqual([pending[1]?.id]);
      expect((await catalog.pendingOutbox()).some((p) => p.id === pending[0]?.id)).toBe(false);
    });

    it('records failed inputs with their reason', async () => {
      const unit = uid('failing');
      await catalog.commitWorkUnit({
        ...ingest(unit, [uid('ok.json')], []),
        failures: [
          { input: 'bucket/bad.json.gz@v1', code: 'LR_INPUT_CORRUPT', reason: 'incorrect header check' },
        ],
      });
      expect(await catalog.failures(unit)).toEqual([
        {
          workUnitId: unit,
          input: 'bucket/bad.json.gz@v1',
          code: 'LR_INPUT_CORRUPT',
          reason: 'incorrect header check',
          // Not said to be whole: it stays consumed, as every failure recorded before the flag.
          whole: false,
        },
      ]);
    });
  });
}
