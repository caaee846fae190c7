/** Builds main/core/hashing into one standalone ESM file (plus hash-worker.cjs next to it). */
export function bundleHashing(outDir?: string): Promise<{ dir: string; modulePath: string }>;
