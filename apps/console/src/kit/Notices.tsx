import { errorText } from '../lib/api.ts';
import { Button } from './Button.tsx';
import { Card, Page } from './Page.tsx';

/** A secret (API key, webhook secret) shown this one time, with what to do and a button to dismiss it. */
export function ShownOnce({ title, hint, value, doneLabel, onDone }: { title: string; hint: string; value: string; doneLabel: string; onDone: () => void }) {
  return (
    <Card title={title}>
      <p role="alert">{hint}</p>
      <p><code>{value}</code></p>
      <Button onClick={onDone}>{doneLabel}</Button>
    </Card>
  );
}

/** A whole page that could not load (e.g. an account of another organisation): its message, in the page frame. */
export function PageLoadError({ title, error }: { title: string; error: unknown }) {
  return (
    <Page title={title}>
      <Card>
        <p role="alert">{errorText(error)}</p>
      </Card>
    </Page>
  );
}
