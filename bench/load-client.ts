/**
 * Child process for `bench api`: runs autocannon against a URL on request and sends back every
 * response time, so the load generator never shares the measured server's event loop (in the
 * same process, each response's latency included the client's own work on that loop).
 * Message in: LoadRequest; message out: LoadResult, one per request, in order.
 */
import autocannon from 'autocannon';

export interface LoadRequest {
  url: string;
  body: string;
  headers: Record<string, string>;
  connections: number;
  /** Seconds. */
  duration: number;
}

export interface LoadResult {
  times: number[];
  requests: number;
  errors: number;
  error?: string;
}

function fire(req: LoadRequest): Promise<LoadResult> {
  const times: number[] = [];
  let bad = 0;
  return new Promise((resolve) => {
    const instance = autocannon(
      {
        url: req.url,
        method: 'POST',
        headers: { 'content-type': 'application/json', ...req.headers },
        body: req.body,
        connections: req.connections,
        duration: req.duration,
      },
      (err, res) =>
        resolve(
          err
            ? { times, requests: 0, errors: 1, error: String(err) }
            : {
                times,
                requests: res.requests.total,
                errors: bad + res.errors + res.non2xx,
              },
        ),
    );
    instance.on('response', (_client, status, _bytes, ms) => {
      times.push(ms);
      if (status !== 200) bad++;
    });
  });
}

if (require.main === module) {
  let queue = Promise.resolve();
  process.on('message', (req: LoadRequest) => {
    queue = queue.then(async () => {
      process.send?.(await fire(req));
    });
  });
  process.on('disconnect', () => process.exit(0));
}
