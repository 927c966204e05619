// One SignalR connection per page to /hubs/live, opened lazily (the client library is a separate
// chunk loaded only when something watches a topic). Events whose version is not newer than what
// the page holds for their source are dropped; after every (re)connect the topics are watched
// again and the page re-reads its state over HTTP, so nothing shown stays stale.

import type { HubConnection } from "@microsoft/signalr";

export interface LiveEvent<T = Record<string, unknown>> {
  source: string;
  version: number;
  at: string;
  data: T;
}

type Handler = (event: LiveEvent) => void;

const handlers = new Map<string, Set<Handler>>();
const topics = new Set<string>();
const resyncs = new Set<(reconnected: boolean) => void>();
const newest = new Map<string, number>();
let connection: HubConnection | undefined;
let starting: Promise<void> | undefined;
let attempt = 0;

/** Listens for an event ("cartChanged", "orderChanged", "deliveryChanged"...). */
export function on<T>(eventName: string, handler: (event: LiveEvent<T>) => void): void {
  let set = handlers.get(eventName);
  if (!set) {
    set = new Set();
    handlers.set(eventName, set);
    connection?.on(eventName, (event: LiveEvent) => dispatch(eventName, event));
  }
  set.add(handler as Handler);
}

/** Called after every reconnect: re-read the state over HTTP. */
export function onResync(read: (reconnected: boolean) => void): void {
  resyncs.add(read);
}

/** Watches a topic ("cart", "order:{id}"), connecting first if needed. */
export function watch(topic: string): void {
  topics.add(topic);
  if (connection?.state === "Connected") void invokeWatch(topic);
  else void connect();
}

export function connectionState(): string {
  return connection?.state ?? "Disconnected";
}

function dispatch(eventName: string, event: LiveEvent): void {
  if (!event || typeof event.version !== "number") return;
  const key = `${eventName}|${event.source}`;
  if ((newest.get(key) ?? -1) >= event.version) return;
  newest.set(key, event.version);
  for (const handler of handlers.get(eventName) ?? []) handler(event);
}

function backoff(retry: number): number {
  const base = Math.min(30_000, 1_000 * 2 ** Math.min(retry, 5));
  return base / 2 + Math.random() * (base / 2);
}

async function invokeWatch(topic: string): Promise<void> {
  try {
    await connection!.invoke("Watch", topic);
  } catch (error) {
    console.warn(`Courier live: ${(error as Error).message}`);
  }
}

async function connect(): Promise<void> {
  if (starting) return starting;
  starting = (async () => {
    const signalR = await import("@microsoft/signalr");
    if (!connection) {
      connection = new signalR.HubConnectionBuilder()
        .withUrl("/hubs/live")
        .withAutomaticReconnect({ nextRetryDelayInMilliseconds: (context) => backoff(context.previousRetryCount) })
        .configureLogging(signalR.LogLevel.None)
        .build();
      for (const eventName of handlers.keys()) connection.on(eventName, (event: LiveEvent) => dispatch(eventName, event));
      connection.onreconnected(() => void afterConnect(true));
      connection.onclose(() => { starting = undefined; window.setTimeout(() => void connect(), backoff(attempt++)); });
    }
    try {
      await connection.start();
      attempt = 0;
      await afterConnect(false);
    } catch {
      starting = undefined;
      window.setTimeout(() => void connect(), backoff(attempt++));
    }
  })();
  return starting;
}

async function afterConnect(reconnected: boolean): Promise<void> {
  await Promise.all([...topics].map(invokeWatch));
  // Even a first connect may have missed an event between the page's render and now.
  for (const read of resyncs) read(reconnected);
}
