/**
 * Generalization guard: titles written apart from labelled.jsonl (test/fixtures/titles), scored
 * with the same rules as `npm run eval:normalizer`, plus the spot-check titles that once failed.
 */
import { readFileSync } from 'node:fs';
import { loadCatalogs } from '../catalog/catalogs';
import { defaultHoldoutPath, evaluate, parseLabelled } from './eval';
import { normalize, wellFormedCpu } from './normalize';

const cat = loadCatalogs();
const n = (title: string) => normalize({ title }, cat);

describe('normalizer on held-out titles', () => {
  const rows = parseLabelled(readFileSync(defaultHoldoutPath(), 'utf8'));
  const report = evaluate(rows, cat);

  it('covers every kind with at least 200 titles', () => {
    expect(rows.length).toBeGreaterThanOrEqual(200);
    const kinds = new Set(rows.map((r) => r.kind));
    for (const k of ['server', 'gpu', 'cpu', 'ram', 'drive', 'psu', 'part', 'other']) {
      expect(kinds).toContain(k);
    }
  });

  it('keeps kind >= 97% and fields >= 95%', () => {
    expect(report.kindAccuracy).toBeGreaterThanOrEqual(0.97);
    expect(report.fieldAccuracy).toBeGreaterThanOrEqual(0.95);
    for (const f of ['chassis', 'cpuModel', 'ramGb', 'driveCount', 'gpuModel']) {
      expect(report.perField[f]!.accuracy).toBeGreaterThanOrEqual(0.93);
    }
  });
});

describe('normalizer regressions from the spot check', () => {
  it('a PSU for a server is a psu, the server list is compatibility', () => {
    const o = n('Dell 0J4Y7V 750W 80+ Platinum Power Supply PowerEdge R630 R730');
    expect([o.kind, o.chassis, o.psuWatts]).toEqual(['psu', null, 750]);
  });

  it('an expander card for a server is a part', () => {
    const o = n('HPE 12Gb SAS Expander Card 761879-001 for DL380 Gen9');
    expect([o.kind, o.chassis]).toEqual(['part', null]);
  });

  it('emits a well-formed CPU model the catalog lacks, with a reason instead of a score', () => {
    const o = n('Intel Xeon Platinum 8276 2.2GHz 28 Core SRF8B CPU Processor');
    expect([o.kind, o.cpuModel, o.cpuCount]).toEqual(['cpu', 'Platinum 8276', 1]);
    expect(o.unrecognized).toEqual([]);
    expect(o.reasons.cpuScore).toMatch(/not in the catalog/);
  });

  it('keeps unrecognized for model-looking tokens that fit no vendor pattern', () => {
    const o = n('Intel Xeon Gold 1234 CPU');
    expect(o.cpuModel).toBeNull();
    expect(o.unrecognized).toContainEqual({ field: 'cpuModel', token: 'Gold 1234' });
  });

  it('"8x GPU server" is a server with its chassis and RAM, GPU model unknown', () => {
    const o = n('Gigabyte G481-HA0 8x GPU server 2x Gold 6138 384GB');
    expect([o.kind, o.chassis, o.cpuModel, o.cpuCount, o.ramGb, o.gpuModel]).toEqual([
      'server',
      'G481-HA0',
      'Gold 6138',
      2,
      384,
      null,
    ]);
  });

  it('reads RAM before bay and drive words', () => {
    expect(n('HPE ProLiant DL360 Gen10 Plus 2x Gold 6330 512GB 8SFF NVMe').ramGb).toBe(512);
    expect(n('Dell PowerEdge C6420 node 2x Xeon Gold 6152 256GB no drives').ramGb).toBe(256);
  });

  it('reads counted drives in a server without a drive word', () => {
    const o = n('Dell R720xd 2x E5-2670 v2 64GB 12x 3TB — untested for parts');
    expect([o.driveCount, o.driveCapacityGb, o.ramGb]).toEqual([12, 3000, 64]);
    expect(o.hints).toEqual(expect.arrayContaining(['untested', 'for-parts']));
  });

  it('a workstation stays other', () => {
    expect(n('Dell Precision 7920 Tower Workstation 2x Gold 6148 128GB Quadro P4000').kind).toBe(
      'other',
    );
    expect(n('Dell Precision T7910 Workstation 2x E5-2680 v4 64GB Quadro M4000').kind).toBe(
      'other',
    );
  });

  it('a Supermicro server named by its board is still a server', () => {
    const o = n('Supermicro 2U 12 Bay Server X10DRH-iT 2x E5-2620 v3 64GB');
    expect([o.kind, o.cpuModel, o.cpuCount, o.ramGb]).toEqual(['server', 'E5-2620 v3', 2, 64]);
  });

  it('a PSU counted inside a server configuration does not make a psu', () => {
    const o = n('HPE ProLiant DL380 Gen10 2x Gold 6230 512GB 2x 800W PSU');
    expect([o.kind, o.psuCount, o.psuWatts]).toEqual(['server', 2, 800]);
    expect(n('Dell PowerEdge R640 Barebone Server 2 x HeatSink 2 x 1100W PSU').kind).toBe('server');
    expect(n('Dell R730 8SFF 2x 750W PSU H730').kind).toBe('server');
    expect(n('Dell 2x 750W PSU R730').kind).toBe('psu');
  });

  it('reads decimal commas and French units', () => {
    const o = n('Dell PowerEdge R640 2x Gold 6132 256GB RAM 2x 1,2TB SAS');
    expect([o.driveCount, o.driveCapacityGb]).toEqual([2, 1200]);
    expect(n('Serveur Dell PowerEdge R630 2x Xeon E5-2640 v4 128 Go').ramGb).toBe(128);
    expect(n('Mémoire serveur 32 Go DDR4 2666 ECC').ramGb).toBe(32);
  });
});

describe('wellFormedCpu', () => {
  it('accepts vendor patterns and refuses near misses', () => {
    for (const m of [
      'Platinum 8276',
      'Gold 6338N',
      'Platinum 8480+',
      'Gold 6548Y+',
      'Silver 4114T',
      'E5-2650L v3',
      'E7-4870',
      'E3-1230 v5',
      'W-3275M',
      'E-2224',
      'D-2146NT',
      'X5670',
      'EPYC 7B13',
      'EPYC 75F3',
      'EPYC 9684X',
      'Threadripper PRO 3995WX',
    ]) {
      expect([m, wellFormedCpu(m)]).toEqual([m, true]);
    }
    for (const m of ['Gold 1234', 'Silver 6130', 'E5-9999 v9', 'EPYC 7003', 'EPYC 12', 'W-9999']) {
      expect([m, wellFormedCpu(m)]).toEqual([m, false]);
    }
  });
});
