import { createHash } from 'node:crypto';
import { requestHash, requestHashAround } from './inventory-rules';

const digest = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 32);

describe('requestHashAround', () => {
  const cases: Array<Record<string, unknown>> = [
    { site: 'ams1', locationId: null, quantity: 2, k: 'ticket', forRef: 'T-1', note: null },
    { a: 1, z: 'last', site: 'fra2', expiresIn: '72h' },
    // values that look like JSON, the marker or the hole's own pair must not confuse the cut
    { forRef: '["p","\u0000hole\u0000"]', note: '"p"', site: 'x"y\\', quantity: 1 },
    { forRef: 'épée ✓ 部品', site: 'ams1' },
  ];

  it.each(cases)('rebuilds requestHash for any id (%#)', (args) => {
    const { before, after } = requestHashAround(args, 'p');
    for (const id of [1, 42, 987654321]) {
      expect(digest(before + String(id) + after)).toBe(requestHash({ ...args, p: id }));
    }
  });

  it('distinguishes ids and arguments', () => {
    const args = { site: 'ams1', quantity: 1 };
    const { before, after } = requestHashAround(args, 'p');
    expect(digest(before + '1' + after)).not.toBe(digest(before + '2' + after));
    const other = requestHashAround({ ...args, quantity: 2 }, 'p');
    expect(other.before + '1' + other.after).not.toBe(before + '1' + after);
  });
});
