/** Filter values the bench's timeline queries look for. */
export declare const NEEDLES: { userAgentPrefix: string; sourceIp: string; accessKeyId: string; eventName: string };
export declare function ensureLogFiles(dir: string, total: number, perFile: number): { files: string[]; state: 'reused' | 'created' };
