/**
 * Where a part of the app loads on demand (`lazy`): if its code cannot be fetched — a tab opened before a deploy
 * asks for a file the new build no longer has, or the network drops — only that part shows `fallback`. Without a
 * boundary React unmounts the whole app: a blank page, and unsaved changes held in memory gone.
 */
import { Component, type ReactNode } from 'react';

export class LoadFailure extends Component<{ fallback: ReactNode; children: ReactNode }, { failed: boolean }> {
  override state = { failed: false };

  static getDerivedStateFromError(): { failed: boolean } {
    return { failed: true };
  }

  override render(): ReactNode {
    return this.state.failed ? this.props.fallback : this.props.children;
  }
}
