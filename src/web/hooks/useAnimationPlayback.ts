import { useState } from 'react';
import { usePrefersReducedMotion } from './usePrefersReducedMotion.js';

/**
 * Whether an animation plays, and the user's Play/Pause. Their own choice wins; until they make one, it plays unless
 * they asked the system for reduced motion. Shared by the `gif` block and the image lightbox.
 */
export function useAnimationPlayback(): [playing: boolean, setPlaying: (playing: boolean) => void] {
  const reducedMotion = usePrefersReducedMotion();
  const [choice, setChoice] = useState<boolean | null>(null);
  return [choice ?? !reducedMotion, setChoice];
}
