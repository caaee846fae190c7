/**
 * Keyboard navigation for data tables: one row in the tab order (roving tabindex), arrows,
 * Page Up/Down, Home/End move it, Enter or Space activates it. Rows carry data-row-index.
 */
import { useCallback, useRef, type KeyboardEvent, type RefObject } from 'react';

interface Options {
  count: number;
  active: number;
  setActive: (index: number) => void;
  onActivate?: (index: number) => void;
  /** For virtualised tables: bring the row into the DOM before it is focused. */
  scrollToIndex?: (index: number) => void;
  pageSize?: number;
}

/** Returns the container ref and its keydown handler. */
export function useRowNavigation<T extends HTMLElement>({
  count,
  active,
  setActive,
  onActivate,
  scrollToIndex,
  pageSize = 10,
}: Options): { ref: RefObject<T | null>; onKeyDown: (e: KeyboardEvent<T>) => void } {
  const ref = useRef<T>(null);

  const focusRow = useCallback((index: number) => {
    scrollToIndex?.(index);
    // The virtualiser renders the row on the next frame; focus it then.
    requestAnimationFrame(() => {
      const row = ref.current?.querySelector<HTMLElement>(`[data-row-index="${index}"]`);
      row?.focus({ preventScroll: !!scrollToIndex });
    });
  }, [scrollToIndex]);

  const onKeyDown = useCallback(
    (e: KeyboardEvent<T>) => {
      const target = e.target as HTMLElement;
      // Keys inside buttons or inputs within a row belong to them.
      if (!target.hasAttribute('data-row-index') || count === 0) return;
      let next: number;
      switch (e.key) {
        case 'ArrowDown':
          next = Math.min(count - 1, active + 1);
          break;
        case 'ArrowUp':
          next = Math.max(0, active - 1);
          break;
        case 'PageDown':
          next = Math.min(count - 1, active + pageSize);
          break;
        case 'PageUp':
          next = Math.max(0, active - pageSize);
          break;
        case 'Home':
          next = 0;
          break;
        case 'End':
          next = count - 1;
          break;
        case 'Enter':
        case ' ':
          e.preventDefault();
          onActivate?.(active);
          return;
        default:
          return;
      }
      e.preventDefault();
      setActive(next);
      focusRow(next);
    },
    [active, count, focusRow, onActivate, pageSize, setActive],
  );

  return { ref, onKeyDown };
}
