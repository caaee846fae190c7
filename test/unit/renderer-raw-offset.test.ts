import { describe, expect, it } from 'vitest';
import { parseOffset } from '../../renderer/src/components/images/RawHexView.js';

describe('raw hex offsets as an examiner types them', () => {
  it('reads bytes, hexadecimal and sectors', () => {
    expect(parseOffset('446', 512)).toBe(446);
    expect(parseOffset(' 0x1BE ', 512)).toBe(0x1be);
    expect(parseOffset('s:2048', 512)).toBe(2048 * 512);
    expect(parseOffset('s:1', 4096)).toBe(4096);
  });

  it('refuses what is not an offset', () => {
    for (const t of ['', 'abc', '0x', '-5', '1.5', 's:', 's:-1', '0xZZ', '9'.repeat(20)]) expect(parseOffset(t, 512)).toBeNull();
  });
});
