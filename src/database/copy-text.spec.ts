import { copyColumns, copyKind, copyText, encodeCopyRows } from './copy-text';

describe('COPY text encoding', () => {
  it('maps SQL types to how their values are written', () => {
    expect(copyKind('text')).toBe('text');
    expect(copyKind('char(3)')).toBe('text');
    expect(copyKind('timestamptz')).toBe('text');
    expect(copyKind('integer')).toBe('number');
    expect(copyKind('numeric')).toBe('number');
    expect(copyKind('real')).toBe('number');
    expect(copyKind('boolean')).toBe('boolean');
    expect(copyKind('jsonb')).toBe('json');
    expect(copyKind('text[]')).toBe('text[]');
    expect(() => copyKind('integer[]')).toThrow(/not supported/);
  });

  it('escapes backslash, tab, newline and carriage return, and nothing else', () => {
    expect(copyText('plain "quoted" é ✓')).toBe('plain "quoted" é ✓');
    expect(copyText('a\tb\nc\rd\\e')).toBe('a\\tb\\nc\\rd\\\\e');
    // the literal text \N is not NULL
    expect(copyText('\\N')).toBe('\\\\N');
    expect(() => copyText('a\0b')).toThrow(/NUL/);
  });

  it('writes one line per row with \\N for null and typed values', () => {
    const cols = copyColumns([
      ['t', 'text'],
      ['n', 'numeric'],
      ['b', 'boolean'],
      ['j', 'jsonb'],
      ['a', 'text[]'],
      ['at', 'timestamptz'],
    ]);
    const text = encodeCopyRows(
      [
        {
          t: 'x\ty',
          n: 12.5,
          b: true,
          j: { k: 'line\nbreak', q: 'back\\slash', t: 'tab\there\r' },
          a: ['p "q"', 'r\\s', 'u,v{}'],
          at: new Date('2026-11-01T00:00:00Z'),
        },
        { t: null, n: undefined, b: false, j: null, a: [], at: '2026-11-02T00:00:00Z' },
      ],
      cols,
    );
    expect(text.split('\n')).toEqual([
      [
        'x\\ty',
        '12.5',
        't',
        // JSON escapes the newline, tab, CR and backslash; COPY then escapes JSON's backslashes
        '{"k":"line\\\\nbreak","q":"back\\\\\\\\slash","t":"tab\\\\there\\\\r"}',
        '{"p \\\\"q\\\\"","r\\\\\\\\s","u,v{}"}',
        '2026-11-01T00:00:00.000Z',
      ].join('\t'),
      ['\\N', '\\N', 'f', '\\N', '{}', '2026-11-02T00:00:00Z'].join('\t'),
      '',
    ]);
    expect(encodeCopyRows([], cols)).toBe('');
  });

  it('refuses values a column cannot hold instead of sending them', () => {
    const cols = copyColumns([['n', 'integer']]);
    expect(() => encodeCopyRows([{ n: Number.NaN }], cols)).toThrow(/n: not a finite number/);
    expect(() => encodeCopyRows([{ n: '7' }], cols)).toThrow(/not a finite number/);
    const arr = copyColumns([['a', 'text[]']]);
    expect(() => encodeCopyRows([{ a: 'x' }], arr)).toThrow(/not an array/);
    expect(() => encodeCopyRows([{ a: [{}] }], arr)).toThrow(/array element/);
    const txt = copyColumns([['t', 'text']]);
    expect(() => encodeCopyRows([{ t: 5 }], txt)).toThrow(/not a string/);
  });
});
