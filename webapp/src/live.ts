// artifactPublished over graphql-ws: the run and job-run pages refresh when one arrives.
import { createClient } from 'graphql-ws';
import { useEffect, useState } from 'preact/hooks';
import { getToken } from './api';
import { PublishedSubscription } from './queries';

export function useLive(
  variables: { workflowRunId?: string; jobRunId?: string },
  onPublished: (name: string) => void,
): string {
  const [state, setState] = useState('connecting');
  const key = JSON.stringify(variables);
  useEffect(() => {
    const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
    const client = createClient({
      url: `${scheme}://${window.location.host}/graphql`,
      connectionParams: () => ({ Authorization: `Bearer ${getToken() ?? ''}` }),
      retryAttempts: 5,
      on: {
        connected: () => setState('live'),
        closed: () => setState('offline'),
      },
    });
    const stop = client.subscribe<{ artifactPublished: { id: string; displayName: string } }>(
      { query: PublishedSubscription.toString(), variables },
      {
        next: (message) => {
          const name = message.data?.artifactPublished.displayName;
          if (name !== undefined) onPublished(name);
        },
        error: () => setState('offline'),
        complete: () => {},
      },
    );
    return () => {
      stop();
      void client.dispose();
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);
  return state;
}
