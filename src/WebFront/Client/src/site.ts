// Loaded by every page. Page-specific code is imported on demand (separate chunks), keyed by
// the page's data-page attribute (catalog, checkout, auth, order-return, account, order).

import { initCart } from "./cart";
import { enableScriptedControls } from "./dom";
import { initTheme } from "./theme";

initTheme();
enableScriptedControls(document);
initCart();

const pages: Record<string, () => Promise<{ init(): void }>> = {
  catalog: () => import("./pages/catalog"),
  checkout: () => import("./pages/checkout"),
  auth: () => import("./pages/auth"),
  "order-return": () => import("./pages/order-return"),
  account: () => import("./pages/account"),
  order: () => import("./pages/order"),
};

const page = document.querySelector<HTMLElement>("[data-page]")?.dataset.page;
if (page && pages[page]) void pages[page]().then((module) => module.init());
