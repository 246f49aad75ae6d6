import { useEffect, useRef } from 'react';

/** A handler returns false when it did nothing with the key, so the key goes on to the layer below. */
export type KeyHandlers = Record<string, (e: KeyboardEvent) => void | boolean>;

interface Layer {
  handlers: { current: KeyHandlers };
  /** A modal layer (a dialog) keeps every key from the layers below it. */
  modal: boolean;
}

/** The layers on screen, the latest mounted on top: the list, the card over it, a dialog over both. */
const layers: Layer[] = [];

const typing = (target: EventTarget | null) =>
  target instanceof HTMLElement && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName));

function onKey(e: KeyboardEvent) {
  if (e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey) return;
  if (e.key !== 'Escape' && typing(e.target)) return;
  if (e.key === 'Enter' && e.target instanceof HTMLElement && e.target.closest('button, a, [role="option"]')) return;
  for (let i = layers.length - 1; i >= 0; i--) {
    const handler = layers[i].handlers.current[e.key];
    if (handler && handler(e) !== false) {
      e.preventDefault();
      return;
    }
    if (layers[i].modal) return;
  }
}

/**
 * Single-key shortcuts of a layer. They are silent while a person types in a field (except Escape,
 * which a field that uses it stops itself), and a key goes to the topmost layer that handles it, so
 * Esc closes the topmost layer only.
 */
export function useKeys(handlers: KeyHandlers, { modal = false } = {}) {
  const ref = useRef(handlers);
  ref.current = handlers;
  useEffect(() => {
    const layer: Layer = { handlers: ref, modal };
    if (layers.length === 0) window.addEventListener('keydown', onKey);
    layers.push(layer);
    return () => {
      layers.splice(layers.indexOf(layer), 1);
      if (layers.length === 0) window.removeEventListener('keydown', onKey);
    };
  }, [modal]);
}
