// The only way the app talks to Cairn: POST /graphql with the session's bearer token.
import type { TypedDocumentString } from './gql/graphql';

const KEY = 'cairn.token';

export class ApiError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}

type Listener = (message: string | null) => void;
let onSignOut: Listener = () => {};

export function setSignOutListener(listener: Listener): void {
  onSignOut = listener;
}

/** Move a `#token=` fragment into sessionStorage and out of the address bar. */
export function takeTokenFromFragment(): void {
  const hash = window.location.hash;
  if (hash.startsWith('#token=')) {
    const token = decodeURIComponent(hash.slice('#token='.length)).trim();
    if (token) sessionStorage.setItem(KEY, token);
    history.replaceState(history.state, '', window.location.pathname + window.location.search);
  }
}

export function getToken(): string | null {
  return sessionStorage.getItem(KEY);
}

export function setToken(token: string): void {
  sessionStorage.setItem(KEY, token.trim());
}

export function signOut(message: string | null = null): void {
  sessionStorage.removeItem(KEY);
  onSignOut(message);
}

interface Payload {
  data?: unknown;
  errors?: { message: string; extensions?: { code?: string } }[];
}

export async function request<R, V>(
  document: TypedDocumentString<R, V>,
  variables?: V,
): Promise<R> {
  const token = getToken();
  if (!token) {
    signOut(null);
    throw new ApiError('Sign in first.', 'UNAUTHENTICATED');
  }
  let response: Response;
  try {
    response = await fetch('/graphql', {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        Accept: 'application/json',
        Authorization: `Bearer ${token}`,
      },
      body: JSON.stringify({ query: document.toString(), variables: variables ?? {} }),
    });
  } catch {
    throw new ApiError('Cairn cannot be reached: check your connection and retry.', 'NETWORK');
  }
  let payload: Payload;
  try {
    payload = (await response.json()) as Payload;
  } catch {
    throw new ApiError(`Cairn answered HTTP ${response.status}.`, 'INTERNAL_SERVER_ERROR');
  }
  const error = payload.errors?.[0];
  if (error) {
    const code = error.extensions?.code ?? 'INTERNAL_SERVER_ERROR';
    if (code === 'UNAUTHENTICATED') {
      signOut('Your token has expired or is not valid. Paste a new one to sign in again.');
    }
    throw new ApiError(error.message, code);
  }
  return payload.data as R;
}
