import { useEffect, useRef } from 'react';
import { useStores } from './useStores.js';

/**
 * While `open` (the user typed a draft not saved yet), the draft counts for the leave-page warning, which saves it
 * first with `save` (the latest one passed).
 */
export function useOpenDraft(open: boolean, save: () => void): void {
  const { drafts } = useStores();
  const saveRef = useRef(save);
  useEffect(() => {
    saveRef.current = save;
  });
  useEffect(() => {
    if (!open) return;
    return drafts.register(() => saveRef.current());
  }, [open, drafts]);
}
