// MBR names follow The Sleuth Kit's mmls wording so examiners see the same words in both tools.
const mbrNames: Record<number, string> = {
  0x00: 'Empty',
  0x01: 'DOS FAT12',
  0x04: 'DOS FAT16',
  0x05: 'DOS Extended',
  0x06: 'DOS FAT16',
  0x07: 'NTFS / exFAT',
  0x0b: 'Win95 FAT32',
  0x0c: 'Win95 FAT32',
  0x0e: 'Win95 FAT16',
  0x0f: 'Win95 Extended',
  0x11: 'DOS FAT12 Hidden',
  0x12: 'Hibernation',
  0x14: 'DOS FAT16 Hidden',
  0x16: 'DOS FAT16 Hidden',
  0x17: 'Hidden IFS/HPFS',
  0x1b: 'Win95 FAT32 Hidden',
  0x1c: 'Win95 FAT32 Hidden',
  0x27: 'Windows Recovery',
  0x82: 'Linux Swap / Solaris x86',
  0x83: 'Linux',
  0x85: 'Linux Extended',
  0x8e: 'Linux Logical Volume Manager',
  0xa5: 'FreeBSD',
  0xa6: 'OpenBSD',
  0xa8: 'Mac OSX',
  0xa9: 'NetBSD',
  0xaf: 'Mac OSX HFS',
  0xee: 'GPT Safety Partition',
  0xef: 'EFI File System',
  0xfd: 'Linux RAID',
};

/** MBR partition types that hold an extended partition table (EBR chain). */
export const extendedTypes = new Set([0x05, 0x0f, 0x85]);

/** The name of an MBR type byte, e.g. "Linux (0x83)". */
export function mbrTypeName(type: number): string {
  return `${mbrNames[type] ?? 'Unknown Type'} (0x${type.toString(16).padStart(2, '0')})`;
}

const gptNames: Record<string, string> = {
  'C12A7328-F81F-11D2-BA4B-00A0C93EC93B': 'EFI System',
  '21686148-6449-6E6F-744E-656564454649': 'BIOS boot',
  'EBD0A0A2-B9E5-4433-87C0-68B6B72699C7': 'Microsoft basic data',
  'E3C9E316-0B5C-4DB8-817D-F92DF00215AE': 'Microsoft reserved',
  'DE94BBA4-06D1-4D40-A16A-BFD50179D6AC': 'Windows recovery environment',
  '5808C8AA-7E8F-42E0-85D2-E1E90434CFB3': 'Windows LDM metadata',
  'AF9B60A0-1431-4F62-BC68-3311714A69AD': 'Windows LDM data',
  '0FC63DAF-8483-4772-8E79-3D69D8477DE4': 'Linux filesystem',
  '0657FD6D-A4AB-43C4-84E5-0933C84B4F4F': 'Linux swap',
  'E6D6D379-F507-44C2-A23C-238F2A3DF928': 'Linux LVM',
  'A19D880F-05FC-4D3B-A006-743F0F84911E': 'Linux RAID',
  '4F68BCE3-E8CD-4DB1-96E7-FBCAF984B709': 'Linux root (x86-64)',
  'B921B045-1DF0-41C3-AF44-4C6F280D3FAE': 'Linux root (ARM-64)',
  '44479540-F297-41B2-9AF7-D131D5F0458A': 'Linux root (x86)',
  '933AC7E1-2EB4-4F13-B844-0E14E2AEF915': 'Linux home',
  'BC13C2FF-59E6-4262-A352-B275FD6F7172': 'Linux extended boot',
  'CA7D7CCB-63ED-4C53-861C-1742536059CC': 'Linux LUKS',
  '48465300-0000-11AA-AA11-00306543ECAC': 'Apple HFS+',
  '7C3457EF-0000-11AA-AA11-00306543ECAC': 'Apple APFS',
  '516E7CB4-6ECF-11D6-8FF8-00022D09712B': 'FreeBSD data',
};

/** The name of a GPT partition type GUID, e.g. "Linux filesystem". */
export function gptTypeName(guid: string): string {
  return gptNames[guid.toUpperCase()] ?? 'Unknown type';
}

/** Formats a 16-byte on-disk GUID (first three fields little-endian) as text. */
export function formatGuid(b: Uint8Array): string {
  const hex = (from: number, to: number, reverse: boolean) => {
    const part = Array.from(b.subarray(from, to));
    return (reverse ? part.reverse() : part).map((x) => x.toString(16).padStart(2, '0')).join('');
  };
  return `${hex(0, 4, true)}-${hex(4, 6, true)}-${hex(6, 8, true)}-${hex(8, 10, false)}-${hex(10, 16, false)}`.toUpperCase();
}
