using Courier.Abstractions.Catalog;
using Courier.Abstractions.Commerce;
using Courier.Abstractions.Coupons;

namespace Courier.Silo.Commerce.Demo;

/// <param name="Template">The folder under Templates/ whose files make the product's zip (a download's files, a hosted site's pages).</param>
internal sealed record DemoProduct(string Id, ProductDraft Draft, string? Template = null);

internal sealed record DemoCoupon(string Code, CouponDraft Draft);

/// <summary>
/// The store the embedded run starts with: site templates, licences and hosted sites as a real
/// template shop would sell them. Images are under WebFront's wwwroot/media/products; the zips of
/// the downloads, and of the pages a hosted site serves, are built from Templates/{template}.
/// </summary>
internal static class DemoCatalog
{
    private const string Currency = "usd";

    public static IReadOnlyList<DemoProduct> Products { get; } =
    [
        Download("prod_aurora", "aurora-saas", "Aurora — SaaS Landing Page Template",
            "A conversion-focused landing page for SaaS products: hero, feature grid, pricing table and FAQ, in plain HTML and CSS.",
            """
            Aurora is a landing page for software products that need to explain themselves quickly and ask for a sign-up without shouting.

            ## What's included
            - `index.html` with hero, logo strip, three-column feature grid, pricing table with a highlighted plan, FAQ and footer
            - `styles.css` built on custom properties: change the accent colour, radius and font stack in one place
            - Light and dark themes through `prefers-color-scheme`
            - A README with the section map and customisation notes

            ## Tech stack
            Semantic HTML5 and modern CSS (grid, `clamp()`, custom properties). No build step, no JavaScript framework, no external requests. Scores 100 on Lighthouse accessibility out of the box.

            ## Licence
            Use it for one product or client site, commercial work included. Redistribution of the template itself is not permitted.

            ## Updates
            Free updates for 12 months from purchase, delivered to your account downloads.
            """,
            4900, ["saas", "landing"]),

        Download("prod_meridian", "meridian-dashboard", "Meridian — Analytics Dashboard Template",
            "An admin dashboard layout with KPI tiles, revenue chart, activity table and collapsible sidebar. Responsive down to phones.",
            """
            Meridian gives your internal tool or SaaS back office a calm, legible home: the numbers that matter at the top, the detail one click below.

            ## What's included
            - Dashboard page with four KPI tiles, a revenue chart drawn in inline SVG, a channel breakdown and a recent-orders table
            - Sidebar navigation that collapses into a top bar below 900 px
            - Tabular numerals, status badges and table styles ready for real data
            - README covering the layout grid and how to wire the chart to your API

            ## Tech stack
            HTML5 and CSS grid, no dependencies. The chart is a plain SVG path, so any charting library can replace it without fighting the layout.

            ## Licence
            One end product, internal or client-facing. Unlimited internal users.

            ## Updates
            12 months of free updates.
            """,
            6900, ["dashboard", "saas", "ui-kit"]),

        Download("prod_folio", "folio-portfolio", "Folio — Portfolio Template for Designers and Studios",
            "A quiet, image-first portfolio: large project grid, case-study typography and a contact section that gets replies.",
            """
            Folio stays out of the way of your work. Generous whitespace, a confident serif for headlines and a grid that makes six projects look like a body of work.

            ## What's included
            - Home page with introduction, selected-work grid, services list and contact block
            - Project cards with hover states and accessible focus rings
            - Editorial type scale for case studies
            - README with instructions for swapping images and adding projects

            ## Tech stack
            Static HTML and CSS. Deploys to any static host (Netlify, Cloudflare Pages, GitHub Pages, S3) by uploading the folder.

            ## Licence
            One personal or studio website. Client work requires one licence per client.

            ## Updates
            12 months of free updates.
            """,
            3900, ["portfolio", "landing"]),

        Download("prod_ledger", "ledger-docs", "Ledger — Documentation Site Template",
            "A three-pane documentation layout with navigation, readable article column, code blocks and an on-page table of contents.",
            """
            Ledger is built for developer documentation that people actually read: a measured line length, clear code blocks and navigation that never loses its place.

            ## What's included
            - Article page with sidebar navigation, breadcrumb, callouts, code samples and an on-this-page outline
            - Styles for tables, keyboard keys, inline code and admonitions (note, warning)
            - Print stylesheet that drops the navigation
            - README explaining how to use it with any static-site generator's output

            ## Tech stack
            HTML and CSS only; pairs with Eleventy, Hugo, Astro or hand-written pages. Syntax colours use CSS classes compatible with Prism and Shiki.

            ## Licence
            One documentation site, open-source projects included.

            ## Updates
            12 months of free updates.
            """,
            4400, ["docs"]),

        Download("prod_harbor", "harbor-store", "Harbor — Storefront Template for Digital Products",
            "A storefront for selling templates, e-books or presets: featured product, filterable grid and a trust-building footer.",
            """
            Harbor is a storefront front end for creators who sell digital goods. It puts the product first and keeps checkout one click away.

            ## What's included
            - Store home with featured product banner, category chips, six-product grid with prices and a newsletter block
            - Product card component with badge, rating and price styles
            - Responsive from 360 px phones to wide desktops
            - README on connecting the buy buttons to Stripe Payment Links, Courier or any hosted checkout

            ## Tech stack
            HTML5 and CSS, no JavaScript required. Images are referenced by path so you can drop in your own.

            ## Licence
            One store. Agencies need one licence per client store.

            ## Updates
            12 months of free updates.
            """,
            5900, ["ecommerce", "landing"]),

        Download("prod_linework", "linework-icons", "Linework — Outline Icon Set",
            "24 interface icons drawn on a 24 px grid with a 1.75 px stroke, delivered as an SVG sprite with a preview sheet.",
            """
            Linework covers the icons every product interface needs, drawn consistently so that they sit quietly next to your type.

            ## What's included
            - 24 icons: navigation, commerce, files, communication and status
            - One SVG sprite (`<symbol>` per icon) embedded in `index.html`, ready to copy into your own pages
            - `currentColor` strokes, so icons follow your text colour and dark mode
            - README with usage for HTML, React and CSS masks

            ## Tech stack
            Hand-tuned SVG, round caps and joins, 24 × 24 viewBox, optimised paths.

            ## Licence
            Unlimited personal and commercial projects. Do not resell the icons as an icon set.

            ## Updates
            New icons are added to the set for 12 months at no charge.
            """,
            2900, ["icons", "ui-kit"]),

        Download("prod_keystone", "keystone-design-system", "Keystone Design System Starter — Founders' Edition",
            "Design tokens, type scale and core components as plain CSS, with a living reference page. Limited to 25 founders' copies.",
            """
            Keystone is a design system you own as files instead of a design-tool subscription: tokens, components and a reference page your whole team can open in a browser.

            ## What's included
            - `styles.css` with colour, spacing, radius, shadow and type tokens as CSS custom properties
            - Components: buttons (three variants, three sizes), inputs, badges, cards, alerts and a data table
            - `index.html` reference page documenting every token and component
            - README with naming conventions and how to theme the system for a new brand

            ## Founders' edition
            25 copies only. Founders get every future Keystone release (forms, navigation, overlays) at no extra cost and a say in the roadmap.

            ## Tech stack
            Framework-agnostic CSS; works with React, Vue, Blazor or server-rendered HTML.

            ## Licence
            Unlimited projects inside one company or studio.
            """,
            8900, ["ui-kit", "dashboard"], stockLimit: 25),

        LicenseKey("prod_prism", "prism-colour-studio", "Prism Colour Studio — Desktop Licence",
            "A palette tool for designers and developers: build accessible colour scales, check contrast and export tokens. Licence for two computers.",
            """
            Prism turns a single brand colour into a full, accessible scale and exports it straight into your code base.

            ## What you get
            - A licence key that activates Prism on up to two computers (macOS 13+, Windows 10+, Ubuntu 22.04+)
            - Perceptual colour scales in OKLCH with WCAG 2.2 and APCA contrast checks
            - Export to CSS custom properties, Tailwind config, JSON design tokens and Swift/Kotlin
            - Offline by design: your palettes never leave your machine

            ## Licence
            Perpetual licence for the 3.x version line, for one person on two computers.

            ## Updates
            All 3.x updates are free. Major upgrades are offered to existing licence holders at 50 % off.
            """,
            3900, ["design-tools", "desktop-app"]),

        LicenseKey("prod_relay", "relay-forms-pro", "Relay Forms Pro — WordPress Plugin Licence",
            "Conditional multi-step forms, spam protection without captchas and webhooks to your CRM. Licence for three sites.",
            """
            Relay Forms Pro replaces a stack of form plugins with one that is fast, accessible and quiet about itself.

            ## What you get
            - A licence key for three production sites (staging and local sites are free)
            - Multi-step forms with conditional logic, file uploads and save-and-resume
            - Spam filtering by honeypot and timing analysis, no captcha for your visitors
            - Webhooks and native integrations for HubSpot, Pipedrive, Mailchimp and Slack

            ## Requirements
            WordPress 6.4+ and PHP 8.1+. Works with block themes and classic themes.

            ## Licence and updates
            One year of updates and priority support, renewable at 30 % off. The plugin keeps working if you do not renew.
            """,
            7900, ["plugin", "saas"]),

        LicenseKey("prod_northwind", "northwind-sans", "Northwind Sans — Font Licence, Founders' Release",
            "A humanist sans-serif in nine weights with italics, tuned for interfaces and long reading. Desktop and web licence.",
            """
            Northwind Sans is a humanist sans-serif drawn for product interfaces: open apertures, tabular figures and a tall x-height that stays crisp at 13 px.

            ## What you get
            - A licence key that registers your use and unlocks the font files in your account
            - 18 styles: nine weights from Thin to Black, each with a true italic, plus a variable font
            - OpenType features: tabular and old-style figures, slashed zero, case-sensitive forms, small caps
            - Latin Extended coverage for more than 200 languages

            ## Licence
            Desktop use for up to five users and web use up to 250,000 monthly page views. Founders' release: 50 licences at the introductory price.

            ## Updates
            Free updates to Northwind Sans 1.x, including the upcoming Mono and Condensed companions.
            """,
            5900, ["fonts"], stockLimit: 50),

        SiteAccess("prod_aurora_hosted", "aurora-saas-hosted", "aurora-saas", "Aurora SaaS Landing — Hosted",
            "Aurora, online in minutes: we host your landing page on a fast global network with SSL, your own domain and form handling.",
            """
            Everything Aurora offers as a template, without the hosting chores. After purchase we provision your site and send you the admin sign-in.

            ## What's included
            - Your Aurora landing page live on a `*.courier.site` address within 30 minutes, your own domain whenever you are ready
            - Automatic SSL, global CDN and daily backups
            - Built-in sign-up form handling with CSV export
            - Content editor for headlines, features, pricing and FAQ, no code needed

            ## Term
            One year of hosting included; renew at the same price or export the site as static files at any time.

            ## Availability
            Hosted launch seats are limited to 40 while we scale the platform.
            """,
            14900, ["saas", "landing", "hosted"], stockLimit: 40, sla: TimeSpan.FromMinutes(30)),

        SiteAccess("prod_ledger_hosted", "ledger-docs-hosted", "ledger-docs", "Ledger Docs — Hosted",
            "A hosted documentation site on the Ledger template with search, versioning and Git-based publishing.",
            """
            Ledger Docs hosted is a documentation site that publishes itself: push Markdown to your repository and the site updates within a minute.

            ## What's included
            - Hosted Ledger site with full-text search and version switcher
            - Git-based publishing from GitHub, GitLab or any Git remote
            - Custom domain, SSL and preview links for pull requests
            - Access control for private docs (up to 25 readers)

            ## Term
            One year of hosting included. Your content stays in your repository; leave whenever you like.
            """,
            9900, ["docs", "hosted"]),

        SiteAccess("prod_folio_hosted", "folio-portfolio-hosted", "folio-portfolio", "Folio Portfolio — Hosted",
            "Your Folio portfolio online with image optimisation, a contact form and a custom domain. Edit projects in the browser.",
            """
            Folio hosted is for designers and photographers who would rather spend the weekend on their work than on their website.

            ## What's included
            - The Folio portfolio, hosted with automatic image resizing and modern formats (AVIF, WebP)
            - Browser-based editor for projects, captions and ordering
            - Contact form delivered to your inbox, with spam filtering
            - Custom domain and SSL

            ## Term
            One year of hosting included; export your projects at any time.
            """,
            7900, ["portfolio", "hosted"]),
    ];

    /// <summary>The demo coupons; LAUNCH25 runs for 30 days from <paramref name="seededAt"/>.</summary>
    public static IReadOnlyList<DemoCoupon> Coupons(DateTimeOffset seededAt) =>
    [
        new("WELCOME10", new CouponDraft(CouponKind.Percentage, 1000, Currency, ExpiresAt: null, UsageLimit: null, MinimumSubtotal: 2000)),
        new("LAUNCH25", new CouponDraft(CouponKind.Percentage, 2500, Currency, seededAt.AddDays(30), UsageLimit: 100, MinimumSubtotal: 0)),
        new("SAVE5", new CouponDraft(CouponKind.Fixed, 500, Currency, ExpiresAt: null, UsageLimit: null, MinimumSubtotal: 0)),
    ];

    public const int LicenseKeysPerProduct = 20;

    /// <summary>The demo licence keys of a product, e.g. "PRISM-4F7K-9Q2M-XH3D": the same list on every run.</summary>
    public static IReadOnlyList<string> LicenseKeys(DemoProduct product)
    {
        const string alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        var prefix = product.Draft.Slug.Split('-')[0].ToUpperInvariant();
        return [.. Enumerable.Range(1, LicenseKeysPerProduct).Select(n =>
        {
            var hash = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"{product.Id}#{n}"));
            var chars = hash.Take(12).Select(b => alphabet[b % alphabet.Length]).ToArray();
            return $"{prefix}-{new string(chars, 0, 4)}-{new string(chars, 4, 4)}-{new string(chars, 8, 4)}";
        })];
    }

    private static DemoProduct Download(string id, string slug, string title, string summary, string description, long price, string[] tags, int? stockLimit = null) =>
        Product(id, slug, title, summary, description, price, DeliveryKind.Download, tags, stockLimit, sla: null, template: slug);

    private static DemoProduct LicenseKey(string id, string slug, string title, string summary, string description, long price, string[] tags, int? stockLimit = null) =>
        Product(id, slug, title, summary, description, price, DeliveryKind.LicenseKey, tags, stockLimit, sla: null, template: null);

    /// <summary>A hosted site: its product file is the zip of <paramref name="template"/>, which the built-in site host serves.</summary>
    private static DemoProduct SiteAccess(string id, string slug, string template, string title, string summary, string description, long price, string[] tags, int? stockLimit = null, TimeSpan? sla = null) =>
        Product(id, slug, title, summary, description, price, DeliveryKind.SiteAccess, tags, stockLimit, sla, template);

    private static DemoProduct Product(
        string id, string slug, string title, string summary, string description, long price, DeliveryKind kind,
        string[] tags, int? stockLimit, TimeSpan? sla, string? template) =>
        new(id, new ProductDraft(
            slug, title, summary, description.Trim() + "\n", [$"/media/products/{slug}.svg"], new Money(price, Currency), kind,
            stockLimit, sla, tags, Active: true, template is null ? null : $"products/{id}/{template}.zip"), template);
}
