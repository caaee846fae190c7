import { describe, expect, it } from 'vitest';
import { splitIds } from '../../renderer/src/components/IdText.js';

describe('splitIds', () => {
  it('marks EC2 and EBS ids, short and long, and keeps the text byte for byte', () => {
    const text = 'Set DeleteOnTermination=false on /dev/sdf (vol-0a1b2c3d4e5f60012) of i-0a1b2c3d, via eni-0a1b2c3d4e5f60051.';
    const parts = splitIds(text);
    expect(parts.map((p) => p.text).join('')).toBe(text);
    expect(parts.filter((p) => p.id).map((p) => p.text)).toEqual(['vol-0a1b2c3d4e5f60012', 'i-0a1b2c3d', 'eni-0a1b2c3d4e5f60051']);
  });

  it('leaves KMS key ids, ARNs parts and words with hyphens alone', () => {
    const parts = splitIds('key/1234abcd-12ab-34cd-56ef-1234567890ab in us-east-1, re-encrypted, snap-xyz');
    expect(parts).toEqual([{ text: 'key/1234abcd-12ab-34cd-56ef-1234567890ab in us-east-1, re-encrypted, snap-xyz', id: false }]);
  });

  it('finds an AMI id as itself, not as an instance id inside it', () => {
    expect(splitIds('ami-0a1b2c3d4e5f60900').filter((p) => p.id).map((p) => p.text)).toEqual(['ami-0a1b2c3d4e5f60900']);
  });
});
