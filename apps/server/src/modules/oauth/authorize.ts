import { AppError } from '../../platform/errors.ts';
import type { OAuthScope } from './tables.ts';

/**
 * Checks of `/connect/oauth2/authorize`, with WeChat's page error numbers (10003 redirect_uri domain
 * differs from the configured one, 10005 scope not allowed, 10010–10013 missing parameter).
 */
export const SCOPES: readonly OAuthScope[] = ['snsapi_base', 'snsapi_userinfo'];
export const STATE_RE = /^[A-Za-z0-9_-]{0,128}$/;

export interface AuthorizeQuery {
  appid?: string | undefined;
  redirect_uri?: string | undefined;
  response_type?: string | undefined;
  scope?: string | undefined;
  state?: string | undefined;
}

export interface CheckedAuthorize {
  redirectUri: string;
  scope: OAuthScope;
  state: string;
}

const bad = (message: string, wxErrcode: number) => new AppError('invalid_argument', message, { wxErrcode });

export const isScope = (s: string | undefined): s is OAuthScope => s === 'snsapi_base' || s === 'snsapi_userinfo';

/**
 * The redirect_uri must be http(s) and its host[:port] must equal the account's web-page domain
 * exactly (no subdomains: a domain is configured per host, as WeChat's base scope requires).
 */
export function checkRedirectUri(raw: string | undefined, webDomain: string | null): URL {
  if (!raw) throw bad('redirect_uri is missing', 10011);
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw bad('redirect_uri is not a valid URL', 10003);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw bad('redirect_uri must be an http or https URL', 10003);
  if (url.username || url.password) throw bad('redirect_uri must not carry credentials', 10003);
  if (!webDomain) throw bad('this account has no web-page domain configured, so it cannot use OAuth web login', 10003);
  if (url.host.toLowerCase() !== webDomain.toLowerCase()) throw bad(`redirect_uri host ${url.host} does not match the account's web-page domain ${webDomain}`, 10003);
  return url;
}

/** Validates everything but the appid (the caller resolves the account first). */
export function checkAuthorize(q: AuthorizeQuery, webDomain: string | null): CheckedAuthorize {
  const url = checkRedirectUri(q.redirect_uri, webDomain);
  if (q.response_type !== 'code') throw bad('response_type must be code', 10003);
  if (!q.scope) throw bad('scope is missing', 10010);
  if (!isScope(q.scope)) throw bad(`scope must be snsapi_base or snsapi_userinfo, not ${q.scope}`, 10005);
  const state = q.state ?? '';
  if (!STATE_RE.test(state)) throw bad('state must be at most 128 letters, digits, _ or -', 10003);
  return { redirectUri: url.toString(), scope: q.scope, state };
}

/** `redirect_uri?code=…&state=…` keeping the URI's own query (and fragment after it), as WeChat does. */
export function redirectWith(redirectUri: string, params: { code?: string; state: string }): string {
  const url = new URL(redirectUri);
  if (params.code !== undefined) url.searchParams.set('code', params.code);
  url.searchParams.set('state', params.state);
  return url.toString();
}
