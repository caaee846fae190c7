/** One volume found on a disk image: a partition or an LVM logical volume. */
export interface Partition {
  index: number; // 1-based; MBR primaries are 1-4 by slot and logicals 5+, as Linux numbers them
  start: number; // byte offset in the image (for LVM: of the first extent)
  size: number; // bytes
  type: string; // e.g. "Linux (0x83)", "Linux filesystem", "LVM2 linear"
  typeId: string; // MBR type byte ("0x83"), GPT type GUID, or "lvm2"
  label?: string; // GPT partition name, LVM "vg/lv"
  uuid?: string;
  flags: string[]; // e.g. "bootable", "logical", "clipped", "legacy-bios-bootable", "read-only"
  /** Only for volumes that are not one contiguous byte range (LVM): where each piece lies in the image. */
  extents?: Extent[];
}

/** A contiguous piece of a volume: `size` bytes at `logical` in the volume come from `physical` in the image. */
export interface Extent {
  logical: number;
  physical: number;
  size: number;
}

/** The volume system found on an image. */
export interface VolumeLayout {
  scheme: 'mbr' | 'gpt' | 'lvm' | 'none';
  sectorSize: number;
  partitions: Partition[];
  warnings: string[];
}
