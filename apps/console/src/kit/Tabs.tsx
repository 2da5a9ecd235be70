export interface Tab<K extends string> {
  key: K;
  label: string;
}

/** A tab bar (role="tablist"); render the selected panel yourself below it. */
export function Tabs<K extends string>({ tabs, value, onChange, label }: { tabs: readonly Tab<K>[]; value: K; onChange: (k: K) => void; label: string }) {
  return (
    <div className="tabs" role="tablist" aria-label={label}>
      {tabs.map((tab) => (
        <button key={tab.key} type="button" role="tab" aria-selected={tab.key === value} className={tab.key === value ? 'tab active' : 'tab'} onClick={() => onChange(tab.key)}>
          {tab.label}
        </button>
      ))}
    </div>
  );
}
