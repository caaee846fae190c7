export declare function bundleIngestWorker(outDir: string): Promise<string>;
