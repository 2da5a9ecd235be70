import { lazy, Suspense, useEffect, useMemo, useRef, useState, type CSSProperties } from 'react';
import { errorText } from '../lib/api.ts';
import { navigate } from '../lib/router.ts';
import { socialApi, type Friend } from '../social/api.ts';
import { FriendPicker } from '../social/ShareSheet.tsx';
import { useSocialStrings } from '../social/strings.ts';
import { BridgeFailure, createBridge, type PayRequest, type PayResult } from './bridge.ts';
import { currentLocation, uploadImage, verifyConfig } from './native.ts';
import { ImagePicker, Scanner } from './Scanner.tsx';
import { pageShareOf } from './share.ts';
import { useWebViewStrings } from './strings.ts';

/** The page to open: only http(s), and never the client's own origin (see the sandbox note below). */
export function pageUrlOf(raw: string | null): URL | undefined {
  if (!raw) return undefined;
  try {
    const url = new URL(raw);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
    if (url.origin === window.location.origin) return undefined;
    return url;
  } catch {
    return undefined;
  }
}

const bar: CSSProperties = { display: 'flex', alignItems: 'center', gap: 4, padding: '6px 4px', borderBottom: '1px solid #ddd', background: '#f7f7f7', flex: 'none' };
const iconButton: CSSProperties = { width: 40, height: 40, border: 'none', background: 'transparent', fontSize: 22, lineHeight: 1, cursor: 'pointer', color: '#222' };

type Pending<T> = { resolve: (value: T) => void } | null;

// The pay sheet (wx.chooseWXPay / getBrandWCPayRequest) loads when a page asks to pay.
const JsapiPay = lazy(() => import('../pay/JsapiPay.tsx'));

/** `/webview?url=<encoded>&account=<id>`: a merchant page in a sandboxed iframe with the JS-SDK bridge. */
export function WebViewPage({ url: rawUrl, accountId }: { url: string | null; accountId: string | null }) {
  const t = useWebViewStrings();
  const s = useSocialStrings();
  const page = useMemo(() => pageUrlOf(rawUrl), [rawUrl]);
  const frame = useRef<HTMLIFrameElement>(null);
  const [title, setTitle] = useState('');
  const [scan, setScan] = useState<Pending<string | null>>(null);
  const [pick, setPick] = useState<{ count: number; resolve: (files: File[] | null) => void } | null>(null);
  const [share, setShare] = useState<Record<string, unknown> | null>(null);
  const [pay, setPay] = useState<{ req: PayRequest; resolve: (r: PayResult) => void } | null>(null);
  const [picking, setPicking] = useState(false);
  const [sent, setSent] = useState('');
  // Iframe navigations join the tab's session history: while the page has history, Back goes back in it.
  const depth = useRef(0);
  const goingBack = useRef(false);

  const close = () => navigate(accountId ? `/chat/${encodeURIComponent(accountId)}` : '/chats');

  useEffect(() => {
    if (!page) return;
    const bridge = createBridge({
      frame: () => frame.current?.contentWindow,
      pageOrigin: page.origin,
      handlers: {
        verify: verifyConfig,
        getLocation: () => currentLocation(),
        scan: () => new Promise<string | null>((resolve) => setScan({ resolve })),
        chooseImage: async (count) => {
          const files = await new Promise<File[] | null>((resolve) => setPick({ count, resolve }));
          if (!files || files.length === 0) return null;
          try {
            return await Promise.all(files.map(uploadImage));
          } catch (err) {
            throw err instanceof BridgeFailure ? err : new BridgeFailure('chooseImage:fail');
          }
        },
        share: (data) => setShare(data),
        close,
        title: (text) => setTitle(text),
        pay: (req) => new Promise<PayResult>((resolve) => setPay({ req, resolve })),
      },
    });
    const listener = (event: MessageEvent) => bridge.onMessage(event);
    window.addEventListener('message', listener);
    return () => window.removeEventListener('message', listener);
    // The bridge lives as long as the loaded page's origin.
  }, [page?.origin]);

  if (!page) {
    return (
      <div style={{ padding: 24 }}>
        <p role="alert">{t.badUrl}</p>
        <button type="button" onClick={close}>
          {t.close}
        </button>
      </div>
    );
  }

  // Share: a page card to a friend, with the page's share data (or its URL and title when it set none).
  const shareTo = async (f: Friend) => {
    setPicking(false);
    try {
      await socialApi.sharePage({ friendId: f.id, ...pageShareOf(page, title, share, accountId) });
      setSent(s.shared(f.nickname));
    } catch (e) {
      setSent(`${t.shareFailed}: ${errorText(e)}`);
    }
  };

  const onLoad = () => {
    if (goingBack.current) {
      goingBack.current = false;
      depth.current = Math.max(1, depth.current - 1);
    } else depth.current += 1;
  };
  const back = () => {
    if (depth.current > 1) {
      goingBack.current = true;
      window.history.back();
    } else close();
  };

  return (
    <div style={{ display: 'flex', flexDirection: 'column', height: '100dvh', background: '#fff' }}>
      <header style={bar}>
        <button type="button" aria-label={t.back} title={t.back} onClick={back} style={iconButton}>
          ‹
        </button>
        <div style={{ flex: 1, minWidth: 0, textAlign: 'center' }}>
          <h1 data-testid="webview-title" style={{ margin: 0, fontSize: 16, fontWeight: 600, overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }}>
            {title || page.host}
          </h1>
          <div data-testid="webview-url" title={page.href} style={{ fontSize: 11, color: '#888', overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }}>
            {page.href}
          </div>
        </div>
        <button type="button" aria-label={t.share} title={t.share} onClick={() => setPicking(true)} style={iconButton}>
          ⤴
        </button>
        <button type="button" aria-label={t.close} title={t.close} onClick={close} style={iconButton}>
          ✕
        </button>
      </header>
      {sent || share ? (
        <div role="status" style={{ fontSize: 12, padding: '4px 8px', background: '#eef8ee', color: '#2a6a2a' }}>
          {sent || `${t.sharedAs}: ${String(share?.title ?? '')}`}
        </div>
      ) : null}
      {/*
        allow-same-origin keeps the merchant page on ITS OWN origin (its cookies, storage and fetches to
        its backend work, and event.origin is its real origin for the bridge's check). It does not give
        it ours: the page is cross-origin to the client, so it cannot reach this document or lift its
        sandbox — that would only be possible for a same-origin page, which pageUrlOf refuses to load.
      */}
      <iframe
        ref={frame}
        title={title || page.host}
        src={page.href}
        onLoad={onLoad}
        sandbox="allow-scripts allow-forms allow-same-origin allow-popups"
        allow="geolocation"
        referrerPolicy="strict-origin-when-cross-origin"
        style={{ flex: 1, border: 'none', width: '100%' }}
      />
      {scan ? (
        <Scanner
          t={t}
          onDone={(text) => {
            setScan(null);
            scan.resolve(text);
          }}
        />
      ) : null}
      {picking ? <FriendPicker onPick={(f) => void shareTo(f)} onClose={() => setPicking(false)} /> : null}
      {pay ? (
        <Suspense fallback={null}>
          <JsapiPay
            params={pay.req}
            onDone={(o) => {
              setPay(null);
              pay.resolve(o.kind === 'fail' ? { kind: 'fail', reason: o.reason } : { kind: o.kind });
            }}
          />
        </Suspense>
      ) : null}
      {pick ? (
        <ImagePicker
          t={t}
          count={pick.count}
          onDone={(files) => {
            setPick(null);
            pick.resolve(files);
          }}
        />
      ) : null}
    </div>
  );
}
