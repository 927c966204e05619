// One SignalR connection per page to /hubs/live, opened lazily (the client library is a separate
// chunk loaded only when something watches a topic). Events whose version is not newer than what
// the page holds for their source are dropped; after every (re)connect the topics are watched
// again and the page re-reads its state over HTTP, so nothing shown stays stale. A watch the hub
// could not take (not a refusal: a refusal is final) is tried again with backoff, and a topic
// counts as live only once the hub has taken its watch — pages poll for anything not live.
// The connection's state and each topic's are mirrored on <html data-live …> for support and tests.

import type { HubConnection } from "@microsoft/signalr";

export interface LiveEvent<T = Record<string, unknown>> {
  source: string;
  version: number;
  at: string;
  data: T;
}

type Handler = (event: LiveEvent) => void;

const handlers = new Map<string, Set<Handler>>();
/** Each watched topic: waiting for the hub to take the watch, taken, or refused for good. */
const topics = new Map<string, "pending" | "watching" | "refused">();
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
  if (topics.get(topic) !== "watching") topics.set(topic, "pending");
  if (connection?.state === "Connected") void invokeWatch(topic);
  else void connect();
}

export function connectionState(): string {
  return connection?.state ?? "Disconnected";
}

/** True while the topic's events arrive: connected, and the hub took the watch. */
export function isLive(topic: string): boolean {
  return connection?.state === "Connected" && topics.get(topic) === "watching";
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

async function invokeWatch(topic: string, retry = 0): Promise<void> {
  try {
    await connection!.invoke("Watch", topic);
    topics.set(topic, "watching");
    // A watch taken only on a later try may have missed events: read the state again.
    if (retry > 0) for (const read of resyncs) read(true);
  } catch (error) {
    const message = (error as Error).message;
    console.warn(`Courier live: ${message}`);
    // The hub's refusals arrive as HubException ("You may not watch …"); anything else may pass.
    if (message.includes("HubException")) {
      topics.set(topic, "refused");
    } else {
      topics.set(topic, "pending");
      window.setTimeout(() => {
        if (connection?.state === "Connected" && topics.get(topic) === "pending") void invokeWatch(topic, retry + 1);
      }, backoff(retry));
    }
  }
  mirrorState();
}

function mirrorState(): void {
  const root = document.documentElement;
  root.dataset.live = connectionState();
  root.dataset.liveTopics = [...topics].map(([topic, state]) => `${topic}=${state}`).join(" ");
}

function watchAgain(): void {
  for (const [topic, state] of topics) if (state !== "refused") topics.set(topic, "pending");
  mirrorState();
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
      connection.onreconnecting(() => watchAgain());
      connection.onreconnected(() => void afterConnect(true));
      connection.onclose(() => {
        watchAgain();
        starting = undefined;
        window.setTimeout(() => void connect(), backoff(attempt++));
      });
    }
    try {
      mirrorState();
      await connection.start();
      attempt = 0;
      await afterConnect(false);
    } catch {
      starting = undefined;
      mirrorState();
      window.setTimeout(() => void connect(), backoff(attempt++));
    }
  })();
  return starting;
}

async function afterConnect(reconnected: boolean): Promise<void> {
  watchAgain();
  await Promise.all([...topics].filter(([, state]) => state === "pending").map(([topic]) => invokeWatch(topic)));
  // Even a first connect may have missed an event between the page's render and now.
  for (const read of resyncs) read(reconnected);
}
