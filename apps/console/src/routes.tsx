import { lazy, type ComponentType, type LazyExoticComponent } from 'react';
import type { Permission } from './lib/api.ts';
import type { common } from './lib/i18n.ts';

/** What every page component receives: the `:params` of its path. */
export interface PageProps {
  params: Record<string, string>;
}

export interface RouteDef {
  /** In-app path under /console, with `:params` (e.g. `/accounts/:id/settings`). */
  path: string;
  /** The page, lazy-loaded (each section is its own chunk). */
  page: LazyExoticComponent<ComponentType<PageProps>>;
  /** The permission the page needs: without it the page is hidden from navigation and refused. */
  permission?: Permission;
  /** Shown in the left navigation: `main` (top level) or `account` (under each official account). */
  nav?: { place: 'main' | 'account'; label: keyof typeof common.en };
}

/**
 * THE routes table: one line per page. A new page = a folder `sections/<name>/index.tsx` with a default
 * export `(props: PageProps) => JSX` + one line here. The order here is the order in the navigation.
 */
export const ROUTES: readonly RouteDef[] = [
  { path: '/', page: lazy(() => import('./sections/overview/index.tsx')), nav: { place: 'main', label: 'overview' } },
  { path: '/accounts/:id/settings', page: lazy(() => import('./sections/account-settings/index.tsx')), permission: 'settings', nav: { place: 'account', label: 'accountSettings' } },
  { path: '/accounts/:id/menu', page: lazy(() => import('./sections/menu/index.tsx')), permission: 'settings', nav: { place: 'account', label: 'menu' } },
  { path: '/accounts/:id/auto-replies', page: lazy(() => import('./sections/auto-replies/index.tsx')), permission: 'settings', nav: { place: 'account', label: 'autoReplies' } },
  { path: '/accounts/:id/qrcodes', page: lazy(() => import('./sections/qrcodes/index.tsx')), permission: 'settings', nav: { place: 'account', label: 'qrcodes' } },
  { path: '/followers', page: lazy(() => import('./sections/followers/index.tsx')), permission: 'followers', nav: { place: 'main', label: 'followers' } },
  { path: '/inbox', page: lazy(() => import('./sections/inbox/index.tsx')), permission: 'inbox', nav: { place: 'main', label: 'inbox' } },
  { path: '/broadcasts', page: lazy(() => import('./sections/broadcasts/index.tsx')), permission: 'broadcast', nav: { place: 'main', label: 'broadcasts' } },
  { path: '/pay', page: lazy(() => import('./sections/pay/index.tsx')), permission: 'pay.read', nav: { place: 'main', label: 'pay' } },
  { path: '/pay/orders/:outTradeNo', page: lazy(() => import('./sections/pay/order.tsx')), permission: 'pay.read' },
  { path: '/developer', page: lazy(() => import('./sections/developer/index.tsx')), permission: 'developer', nav: { place: 'main', label: 'developer' } },
  { path: '/developer/deliveries/:id', page: lazy(() => import('./sections/developer/delivery.tsx')), permission: 'developer' },
  { path: '/analytics', page: lazy(() => import('./sections/analytics/index.tsx')), permission: 'analytics', nav: { place: 'main', label: 'analytics' } },
  { path: '/team', page: lazy(() => import('./sections/team/index.tsx')), permission: 'team', nav: { place: 'main', label: 'team' } },
];
