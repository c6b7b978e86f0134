import { DomainError } from './errors';
import { parseId, parseIds } from './ids';

describe('parseId', () => {
  it('accepts positive integers as strings or numbers', () => {
    expect(parseId('42', 'listing')).toBe(42);
    expect(parseId(7, 'listing')).toBe(7);
    expect(parseIds(['1', '2'], 'source', 'sourceIds')).toEqual([1, 2]);
    expect(parseIds(undefined, 'source', 'sourceIds')).toBeUndefined();
  });

  it.each(['0', '-1', '1.5', '1e3', 'abc', '', '9007199254740993', '0x10'])(
    'rejects %j with a message naming the field and the object',
    (bad) => {
      expect(() => parseId(bad, 'alert rule')).toThrow(DomainError);
      expect(() => parseId(bad, 'alert rule')).toThrow(`id: '${bad}' is not an alert rule id`);
    },
  );

  it('names the list element that is wrong', () => {
    expect(() => parseIds(['3', 'x'], 'source', 'sourceIds')).toThrow(
      "sourceIds[1]: 'x' is not a source id",
    );
  });
});
