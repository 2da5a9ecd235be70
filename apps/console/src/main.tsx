import { StrictMode, Suspense, lazy } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import './styles.css';

/** The operator admin (/console/operator/*) is a separate app with its own session; its own chunk. */
const OperatorApp = lazy(() => import('./operator/OperatorApp.tsx').then((m) => ({ default: m.OperatorApp })));
const isOperator = /^\/console\/operator(\/|$)/.test(location.pathname);

const root = document.getElementById('root');
if (root) createRoot(root).render(<StrictMode>{isOperator ? <Suspense fallback={null}><OperatorApp /></Suspense> : <App />}</StrictMode>);
