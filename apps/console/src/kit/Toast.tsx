import { createContext, useCallback, useContext, useState, type ReactNode } from 'react';
import { common, useStrings } from '../lib/i18n.ts';

export type ToastKind = 'success' | 'error' | 'info';
interface ToastItem {
  id: number;
  text: string;
  kind: ToastKind;
}

const ToastContext = createContext<(text: string, kind?: ToastKind) => void>(() => {});

/** `const toast = useToast(); toast('Saved')` or `toast(errorText(e), 'error')`. Success and info fade after 4 s. */
export const useToast = () => useContext(ToastContext);

let nextId = 1;

export function ToastProvider({ children }: { children: ReactNode }) {
  const t = useStrings(common);
  const [items, setItems] = useState<ToastItem[]>([]);
  const dismiss = useCallback((id: number) => setItems((all) => all.filter((i) => i.id !== id)), []);
  const show = useCallback(
    (text: string, kind: ToastKind = 'success') => {
      const id = nextId++;
      setItems((all) => [...all.slice(-3), { id, text, kind }]);
      if (kind !== 'error') setTimeout(() => dismiss(id), 4000);
    },
    [dismiss],
  );
  return (
    <ToastContext.Provider value={show}>
      {children}
      <div className="toasts" aria-live="polite">
        {items.map((i) => (
          <div key={i.id} className={`toast toast-${i.kind}`} role={i.kind === 'error' ? 'alert' : 'status'}>
            <span>{i.text}</span>
            <button type="button" className="toast-x" aria-label={t('dismiss')} onClick={() => dismiss(i.id)}>
              ×
            </button>
          </div>
        ))}
      </div>
    </ToastContext.Provider>
  );
}
