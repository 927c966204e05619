using System.Net;
using Courier.WebFront.Pages.Shared;

namespace Courier.WebFront.Pages;

/// <summary>
/// The frame of the few pages rendered outside the Razor Components (the simulated provider's
/// payment page, the dev mailbox, a hosted site's sign-in): the same stylesheet, font and theme as
/// the storefront, with a plain header, since these pages stand apart from the shop.
/// </summary>
internal static class PageShell
{
    public static string Render(string title, string body) => $$"""
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover">
        <meta name="color-scheme" content="light dark"><title>{{WebUtility.HtmlEncode(title)}} · Courier</title>
        <script>{{ThemeBootstrap.Script}}</script>
        <link rel="stylesheet" href="/css/courier.css"><link rel="icon" href="/favicon.svg" type="image/svg+xml"></head>
        <body><header class="plain-header"><div class="container plain-header__inner"><a class="brand" href="/" aria-label="Courier home">{{Mark}}<span>Courier</span></a></div></header>
        <main id="main" class="container">{{body}}</main></body></html>
        """;

    private const string Mark = """<svg class="brand__mark" viewBox="0 0 32 32" aria-hidden="true" focusable="false"><defs><linearGradient id="brand-gradient-shell" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="#6366f1"/><stop offset="1" stop-color="#06b6d4"/></linearGradient></defs><rect width="32" height="32" rx="9" fill="url(#brand-gradient-shell)"/><path d="M20.6 11.3a6.6 6.6 0 1 0 0 9.4" fill="none" stroke="#fff" stroke-width="3" stroke-linecap="round"/><circle cx="22.8" cy="16" r="2.1" fill="#fff"/></svg>""";
}
