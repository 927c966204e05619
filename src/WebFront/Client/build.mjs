// Builds what the pages load from wwwroot: the TypeScript bundles (js/), the icon sprite
// (icons.svg, only the icons listed in icons.txt) and the Inter font (fonts/). Run by the
// WebFront project's build through `npm run build`; everything it writes is git-ignored.
import { build } from "esbuild";
import { copyFile, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const wwwroot = join(here, "..", "wwwroot");

await rm(join(wwwroot, "js"), { recursive: true, force: true });
await build({
  entryPoints: [join(here, "src", "site.ts")],
  outdir: join(wwwroot, "js"),
  bundle: true,
  splitting: true,
  format: "esm",
  target: ["es2020"],
  minify: true,
  chunkNames: "chunks/[name]-[hash]",
  legalComments: "linked",
  logLevel: "warning",
});

const iconNames = (await readFile(join(here, "icons.txt"), "utf8"))
  .split("\n").map((line) => line.trim()).filter((line) => line && !line.startsWith("#"));
const symbols = [];
for (const name of iconNames) {
  const svg = await readFile(join(here, "node_modules", "lucide-static", "icons", `${name}.svg`), "utf8");
  const body = svg.slice(svg.indexOf(">", svg.indexOf("<svg")) + 1, svg.lastIndexOf("</svg>")).replace(/\s*\n\s*/g, "");
  symbols.push(`<symbol id="${name}" viewBox="0 0 24 24"><g fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round">${body}</g></symbol>`);
}
await writeFile(join(wwwroot, "icons.svg"),
  `<svg xmlns="http://www.w3.org/2000/svg"><!-- Lucide icons (lucide-static, ISC licence) -->${symbols.join("")}</svg>\n`);

await mkdir(join(wwwroot, "fonts"), { recursive: true });
const fonts = join(here, "node_modules", "@fontsource-variable", "inter", "files");
for (const file of ["inter-latin-wght-normal.woff2", "inter-latin-ext-wght-normal.woff2"])
  await copyFile(join(fonts, file), join(wwwroot, "fonts", file));
// The SIL Open Font License travels with the font files.
await copyFile(join(here, "node_modules", "@fontsource-variable", "inter", "LICENSE"), join(wwwroot, "fonts", "OFL.txt"));
