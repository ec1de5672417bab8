// A tiny history router: the server answers index.html on every app path.
import { useEffect, useState } from 'preact/hooks';

type Listener = () => void;
const listeners = new Set<Listener>();

export function navigate(path: string): void {
  history.pushState(null, '', path);
  window.scrollTo(0, 0);
  listeners.forEach((l) => l());
}

export function usePath(): string {
  const [path, setPath] = useState(window.location.pathname);
  useEffect(() => {
    const update = () => setPath(window.location.pathname);
    listeners.add(update);
    window.addEventListener('popstate', update);
    return () => {
      listeners.delete(update);
      window.removeEventListener('popstate', update);
    };
  }, []);
  return path;
}

export type Route =
  | { page: 'home' }
  | { page: 'workflow'; id: string }
  | { page: 'run'; id: string }
  | { page: 'job'; id: string }
  | { page: 'artifact'; id: string }
  | { page: 'key'; key: string }
  | { page: 'missing' };

export function match(path: string): Route {
  if (path === '/' || path === '') return { page: 'home' };
  const m = /^\/(workflows|runs|job-runs|artifacts|keys)\/([^/]+)\/?$/.exec(path);
  if (!m) return { page: 'missing' };
  const value = decodeURIComponent(m[2]);
  switch (m[1]) {
    case 'workflows':
      return { page: 'workflow', id: value };
    case 'runs':
      return { page: 'run', id: value };
    case 'job-runs':
      return { page: 'job', id: value };
    case 'artifacts':
      return { page: 'artifact', id: value };
    default:
      return { page: 'key', key: value };
  }
}
