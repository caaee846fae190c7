/** Lets the artifact detail panel ask the case view to open an image without threading props through the tabs. */
import { createContext, useContext } from 'react';

/** Opens the Image tab for a complete artifact; null outside a case view. */
export const OpenImageContext = createContext<((artifactId: string) => void) | null>(null);

/** The case view's "open this image" callback, or null when none is provided. */
export function useOpenImage(): ((artifactId: string) => void) | null {
  return useContext(OpenImageContext);
}
