using System.Net;

namespace Courier.WebFront.Pages;

/// <summary>
/// The frame of the few server-rendered pages that exist before the storefront (payment page,
/// checkout return): tokens for light and dark, one stylesheet.
/// </summary>
internal static class PageShell
{
    public static string Render(string title, string body) => $$"""
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="color-scheme" content="light dark"><link rel="icon" href="/favicon.svg" type="image/svg+xml"><title>{{WebUtility.HtmlEncode(title)}} · Courier</title>
        <style>
          :root { --ink:#101828; --muted:#667085; --paper:#f5f6f8; --card:#fff; --line:#e4e7ec; --accent:#3e4ccf; --accent-ink:#fff; --error:#b42318; --ok:#067647; }
          @media (prefers-color-scheme: dark) { :root { --ink:#f2f4f7; --muted:#98a2b3; --paper:#0c111d; --card:#161b26; --line:#293040; --accent:#8b96ff; --accent-ink:#0c111d; --error:#fda29b; --ok:#75e0a7; } }
          * { box-sizing: border-box; } body { margin:0; background:var(--paper); color:var(--ink); font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif; }
          .pay { max-width: 960px; margin: 0 auto; min-height: 100vh; display:grid; grid-template-columns: 1fr 1fr; align-items: start; gap: 48px; padding: 64px 32px; }
          @media (max-width: 760px) { .pay { grid-template-columns: 1fr; gap: 24px; padding: 24px 16px; } }
          .brand { font-weight:700; letter-spacing:-.01em; margin:0 0 24px; } .badge { font-size:12px; font-weight:600; color:#b54708; background:#fffaeb; border:1px solid #fedf89; border-radius:999px; padding:2px 8px; margin-left:8px; }
          h1 { font-size: 36px; letter-spacing:-.02em; margin: 0 0 24px; } h2 { font-size: 18px; margin: 0 0 16px; }
          .muted { color: var(--muted); font-weight: 400; }
          .lines { list-style:none; margin:0; padding:0; border-top:1px solid var(--line); } .lines li, .total { display:flex; justify-content:space-between; gap:16px; padding:12px 0; border-bottom:1px solid var(--line); }
          .total { border:0; font-size:18px; } .lines li > span:last-child, .total strong { white-space:nowrap; }
          .form { background:var(--card); border:1px solid var(--line); border-radius:16px; padding:32px; box-shadow:0 1px 2px rgb(16 24 40/6%),0 12px 32px rgb(16 24 40/8%); }
          label { display:block; font-size:14px; font-weight:600; margin:16px 0 6px; }
          input { width:100%; font:inherit; color:inherit; background:transparent; border:1px solid var(--line); border-radius:10px; padding:12px 14px; }
          input:focus-visible, button:focus-visible, summary:focus-visible { outline:2px solid var(--accent); outline-offset:2px; }
          .row { display:grid; grid-template-columns:1fr 1fr; gap:12px; }
          button { width:100%; margin-top:24px; font:inherit; font-weight:600; border:0; border-radius:10px; padding:14px; background:var(--accent); color:var(--accent-ink); cursor:pointer; }
          button[disabled] { opacity:.5; cursor:not-allowed; } button.link { background:none; color:var(--muted); margin-top:8px; font-weight:500; text-decoration:underline; }
          .notice { border-radius:10px; padding:12px 14px; background:var(--paper); } .notice.error { color:var(--error); } .notice.ok { color:var(--ok); }
          .cards { margin-top:24px; font-size:14px; color:var(--muted); } .cards ul { padding-left:18px; } code { font-size:13px; }
        </style></head><body><main>{{body}}</main></body></html>
        """;
}
