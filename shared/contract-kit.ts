/** Building blocks shared by the contract's channel maps. */
import { z } from 'zod';

/** Phantom marker carrying an output type through the channel map. */
export function out<T>(): T {
  return undefined as unknown as T;
}

export const id = z.string().min(1).max(100);
export const caseRef = { caseId: id };
export const text = (max: number) => z.string().max(max);
export const pathString = z.string().min(1).max(4096);
