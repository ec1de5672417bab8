import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { getToken, setSignOutListener, setToken, signOut, takeTokenFromFragment } from './api';
import { useQuery } from './hooks';
import { ArtifactPage, Home, JobPage, KeyPage, RunPage, WorkflowPage } from './pages';
import { ViewerQuery } from './queries';
import { match, usePath } from './router';
import { ErrorBox, Link } from './ui';
import './styles.css';

takeTokenFromFragment();

function SignIn(props: { message: string | null; onSignIn: () => void }) {
  const [value, setValue] = useState('');
  return (
    <main id="main" class="signin">
      <h1>Sign in to Cairn</h1>
      {props.message && (
        <p class="error" role="alert">
          {props.message}
        </p>
      )}
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (value.trim()) {
            setToken(value);
            props.onSignIn();
          }
        }}
      >
        <label for="token">Access token (JWT)</label>
        <textarea
          id="token"
          rows={5}
          value={value}
          autocomplete="off"
          spellcheck={false}
          onInput={(e) => setValue(e.currentTarget.value)}
        />
        <button type="submit" class="primary">
          Sign in
        </button>
      </form>
      <p class="muted">
        Run <code>cairn token --org ORG</code> for a token, or open the link <code>cairn serve</code>{' '}
        prints. The token stays in this tab only (session storage).
      </p>
    </main>
  );
}

function Page() {
  const route = match(usePath());
  switch (route.page) {
    case 'home':
      return <Home />;
    case 'workflow':
      return <WorkflowPage key={route.id} id={route.id} />;
    case 'run':
      return <RunPage key={route.id} id={route.id} />;
    case 'job':
      return <JobPage key={route.id} id={route.id} />;
    case 'artifact':
      return <ArtifactPage key={route.id} id={route.id} />;
    case 'key':
      return <KeyPage key={route.key} lineage={route.key} />;
    default:
      return (
        <section>
          <h1>Page not found</h1>
          <Link href="/">Back to the start page</Link>
        </section>
      );
  }
}

function Shell() {
  const viewer = useQuery(ViewerQuery, {});
  const path = usePath();
  useEffect(() => {
    const h1 = document.querySelector('h1');
    document.title = h1?.textContent ? `${h1.textContent} · Cairn` : 'Cairn';
  });
  return (
    <>
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header>
        <nav aria-label="Main">
          <Link href="/" class="brand">
            Cairn
          </Link>
          <span class="muted org">
            {viewer.data ? `${viewer.data.viewer.organizationId} · ${viewer.data.viewer.subject}` : ''}
          </span>
          <a href="/graphql">GraphiQL</a>
          <button type="button" onClick={() => signOut(null)}>
            Sign out
          </button>
        </nav>
      </header>
      <main id="main" tabIndex={-1} data-path={path}>
        {viewer.error && viewer.error.code !== 'UNAUTHENTICATED' && <ErrorBox error={viewer.error} />}
        <Page />
      </main>
    </>
  );
}

function App() {
  const [signedIn, setSignedIn] = useState(getToken() !== null);
  const [message, setMessage] = useState<string | null>(null);
  useEffect(() => {
    setSignOutListener((m) => {
      setMessage(m);
      setSignedIn(false);
    });
    // A `#token=` link opened in an already open tab arrives as a fragment change.
    const onHash = () => {
      if (!window.location.hash.startsWith('#token=')) return;
      takeTokenFromFragment();
      if (getToken()) {
        setMessage(null);
        setSignedIn(true);
      }
    };
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  return signedIn ? (
    <Shell />
  ) : (
    <SignIn
      message={message}
      onSignIn={() => {
        setMessage(null);
        setSignedIn(true);
      }}
    />
  );
}

render(<App />, document.getElementById('app') as HTMLElement);
