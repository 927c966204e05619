// The storefront's one way to call Courier's JSON API: same-origin cookies, the X-XSRF-TOKEN
// header echoed from the XSRF-TOKEN cookie, and RFC 7807 problems turned into ProblemError.

export interface Money { amount: number; currency: string }

export interface CartLine {
  productId: string; slug: string; title: string; image: string;
  unitPrice: Money; quantity: number; lineTotal: Money; available: number | null;
}

export interface Cart {
  cartId: string; lines: CartLine[]; itemCount: number; subtotal: Money;
  couponCode: string | null; couponProblem: string | null; discount: Money; total: Money; version: number;
}

export class ProblemError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string,
    readonly errors: Record<string, string[]> = {},
    /** From Retry-After on a 429 (or 503): how long to wait before trying again. */
    readonly retryAfterSeconds?: number,
  ) {
    super(detail || title);
  }
}

export function readCookie(name: string): string | undefined {
  for (const part of document.cookie.split(";")) {
    const [key, ...rest] = part.trim().split("=");
    if (key === name) return decodeURIComponent(rest.join("="));
  }
  return undefined;
}

export async function api<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
  const init: RequestInit = { method, credentials: "same-origin", headers: { Accept: "application/json", ...headers } };
  const xsrf = readCookie("XSRF-TOKEN");
  if (method !== "GET" && xsrf) (init.headers as Record<string, string>)["X-XSRF-TOKEN"] = xsrf;
  if (body !== undefined) {
    (init.headers as Record<string, string>)["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  let response: Response;
  try {
    response = await fetch(path, init);
  } catch {
    throw new ProblemError(0, "You seem to be offline.", "Check your connection and try again.");
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  const json = text ? safeParse(text) : undefined;
  if (!response.ok) {
    const problem = (json ?? {}) as { title?: string; detail?: string; errors?: Record<string, string[]> };
    throw new ProblemError(response.status, problem.title ?? "Something went wrong.",
      problem.detail ?? "Please try again in a moment.", problem.errors ?? {}, retryAfter(response.headers.get("Retry-After")));
  }
  return json as T;
}

function retryAfter(header: string | null): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, Math.ceil(seconds));
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - Date.now()) / 1000));
}

function safeParse(text: string): unknown {
  try { return JSON.parse(text); } catch { return undefined; }
}

const symbols: Record<string, string> = { usd: "$", eur: "€", gbp: "£", jpy: "¥" };

/** Same text as the server's MoneyText: "$49.00", "€12.50", "CHF 10.00". */
export function formatMoney(money: Money): string {
  const negative = money.amount < 0;
  const abs = Math.abs(money.amount);
  const units = Math.floor(abs / 100).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  const cents = (abs % 100).toString().padStart(2, "0");
  const symbol = symbols[money.currency.toLowerCase()];
  const number = `${units}.${cents}`;
  return (negative ? "−" : "") + (symbol ? symbol + number : `${money.currency.toUpperCase()} ${number}`);
}

export function plural(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}
