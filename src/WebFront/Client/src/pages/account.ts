// Account pages (overview, orders, profile, security; the order page uses initAccountShell too):
// times in the reader's own time zone, sign-out, the profile and e-mail preference forms (PUT
// /api/me/profile, PUT /api/me/preferences), and the security page's password form and device
// list (PUT /api/me/password, DELETE /api/me/sessions/{id}, POST /api/me/sessions/revoke-others).

import { api, ProblemError } from "../api";
import { announce, setBusy } from "../dom";

interface Preferences { orderEmails: boolean; deliveryEmails: boolean; marketingEmails: boolean }

export function init(): void {
  initAccountShell();
  initProfileForm();
  initPreferencesForm();
  initPasswordForm();
  initDeviceList();
  initDeleteForm();
}

function initDeleteForm(): void {
  const form = document.querySelector<HTMLFormElement>("[data-delete-form]");
  if (!form) return;
  const password = form.querySelector<HTMLInputElement>("[name=password]")!;
  const confirm = form.querySelector<HTMLInputElement>("[name=confirm]")!;
  const error = form.querySelector<HTMLElement>("[data-form-error]")!;
  const button = form.querySelector<HTMLButtonElement>("button[type=submit]")!;
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    error.hidden = true;
    clearFieldError(form, password);
    clearFieldError(form, confirm);
    if (!password.value) { showFieldError(form, password, "Enter your password to delete your account."); password.focus(); return; }
    if (!confirm.checked) { showFieldError(form, confirm, "Tick the box to confirm that you understand."); confirm.focus(); return; }
    setBusy(button, true);
    try {
      await api("POST", "/api/me/delete", { password: password.value, confirm: true });
      window.location.assign("/");
    } catch (problem) {
      const p = problem as ProblemError;
      const passwordError = p.errors?.password?.[0];
      const confirmError = p.errors?.confirm?.[0];
      if (passwordError) { showFieldError(form, password, passwordError); password.focus(); }
      else if (confirmError) showFieldError(form, confirm, confirmError);
      else { error.textContent = p.detail || p.title; error.hidden = false; }
      setBusy(button, false);
    }
  });
}

/** What every account page does: local times and the sign-out buttons. */
export function initAccountShell(root: ParentNode = document): void {
  localizeTimes(root);
  for (const button of document.querySelectorAll<HTMLButtonElement>("[data-sign-out]")) {
    if (button.dataset.bound) continue;
    button.dataset.bound = "true";
    button.addEventListener("click", async () => {
      button.disabled = true;
      try {
        await api("POST", "/api/auth/logout");
        window.location.assign("/");
      } catch (problem) {
        button.disabled = false;
        announce((problem as ProblemError).detail);
      }
    });
  }
}

const formats: Record<string, Intl.DateTimeFormatOptions> = {
  datetime: { day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit" },
  date: { day: "numeric", month: "short", year: "numeric" },
  time: { hour: "2-digit", minute: "2-digit" },
};

/** Rewrites server-rendered UTC times (<time data-local-time>) in the reader's time zone and language. */
export function localizeTimes(root: ParentNode = document): void {
  for (const time of root.querySelectorAll<HTMLTimeElement>("time[data-local-time]")) {
    const at = new Date(time.dateTime);
    if (Number.isNaN(at.getTime())) continue;
    time.textContent = formatTime(at, time.dataset.localTime ?? "datetime");
  }
}

export function formatTime(at: Date, format: string): string {
  return new Intl.DateTimeFormat(undefined, formats[format] ?? formats.datetime).format(at);
}

function initProfileForm(): void {
  const form = document.querySelector<HTMLFormElement>("[data-profile-form]");
  if (!form) return;
  const input = form.querySelector<HTMLInputElement>("[name=displayName]")!;
  const status = form.querySelector<HTMLElement>("[data-form-status]")!;
  const error = form.querySelector<HTMLElement>("[data-form-error]")!;
  const fieldError = form.querySelector<HTMLElement>("[data-field-error=displayName]")!;
  const button = form.querySelector<HTMLButtonElement>("button[type=submit]")!;
  input.addEventListener("input", () => { status.textContent = ""; });
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    status.textContent = "";
    error.hidden = true;
    fieldError.hidden = true;
    input.removeAttribute("aria-invalid");
    if (!input.value.trim()) {
      showFieldError("Enter the name we should greet you with.");
      return;
    }
    button.setAttribute("aria-busy", "true");
    button.disabled = true;
    try {
      const me = await api<{ displayName: string }>("PUT", "/api/me/profile", { displayName: input.value });
      input.value = me.displayName;
      for (const name of document.querySelectorAll<HTMLElement>("[data-testid=account-name]")) name.textContent = me.displayName;
      status.textContent = "Saved. This is how we greet you from now on.";
    } catch (problem) {
      const p = problem as ProblemError;
      const message = p.errors?.displayName?.[0];
      if (message) showFieldError(message);
      else { error.textContent = p.detail || p.title; error.hidden = false; }
    } finally {
      button.removeAttribute("aria-busy");
      button.disabled = false;
    }
  });

  function showFieldError(message: string): void {
    fieldError.textContent = message;
    fieldError.hidden = false;
    input.setAttribute("aria-invalid", "true");
    input.focus();
  }
}

function initPreferencesForm(): void {
  const form = document.querySelector<HTMLFormElement>("[data-preferences-form]");
  if (!form) return;
  const switches = [...form.querySelectorAll<HTMLInputElement>("input[type=checkbox]")];
  const status = form.querySelector<HTMLElement>("[data-form-status]")!;
  const error = form.querySelector<HTMLElement>("[data-form-error]")!;
  let saved = read();
  let saving: Promise<void> = Promise.resolve();

  form.addEventListener("submit", (event) => event.preventDefault());
  for (const toggle of switches) {
    toggle.addEventListener("change", () => {
      // Saves run one after another, each sending every switch as it is then.
      saving = saving.then(() => save(toggle));
    });
  }

  async function save(changed: HTMLInputElement): Promise<void> {
    const wanted = read();
    if (JSON.stringify(wanted) === JSON.stringify(saved)) return;
    error.hidden = true;
    status.textContent = "Saving…";
    form!.setAttribute("aria-busy", "true");
    try {
      saved = await api<Preferences>("PUT", "/api/me/preferences", wanted);
      apply(saved);
      const label = changed.closest("label")?.querySelector("strong")?.textContent ?? "Preference";
      status.textContent = `Saved — ${label.toLowerCase()} ${changed.checked ? "on" : "off"}.`;
    } catch (problem) {
      apply(saved);
      status.textContent = "";
      const p = problem as ProblemError;
      error.textContent = `Not saved: ${p.detail || p.title}`;
      error.hidden = false;
    } finally {
      form!.removeAttribute("aria-busy");
    }
  }

  function read(): Preferences {
    const value = (name: string) => switches.find((s) => s.name === name)?.checked ?? false;
    return { orderEmails: value("orderEmails"), deliveryEmails: value("deliveryEmails"), marketingEmails: value("marketingEmails") };
  }

  function apply(preferences: Preferences): void {
    for (const toggle of switches) toggle.checked = Boolean(preferences[toggle.name as keyof Preferences]);
  }
}

function initPasswordForm(): void {
  const form = document.querySelector<HTMLFormElement>("[data-password-form]");
  if (!form) return;
  const status = form.querySelector<HTMLElement>("[data-form-status]")!;
  const error = form.querySelector<HTMLElement>("[data-form-error]")!;
  const button = form.querySelector<HTMLButtonElement>("button[type=submit]")!;
  const inputs = [...form.querySelectorAll<HTMLInputElement>("input")];
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    status.textContent = "";
    error.hidden = true;
    for (const input of inputs) clearFieldError(form, input);
    const empty = inputs.filter((input) => !input.value);
    if (empty.length > 0) {
      for (const input of empty) showFieldError(form, input, input.name === "currentPassword" ? "Enter your current password." : "Choose a new password.");
      empty[0].focus();
      return;
    }
    setBusy(button, true);
    try {
      await api("PUT", "/api/me/password", Object.fromEntries(inputs.map((input) => [input.name, input.value])));
      for (const input of inputs) input.value = "";
      status.textContent = "Password changed. Every other device was signed out.";
      for (const device of document.querySelectorAll("[data-revoke-session]")) device.closest("li")?.remove();
      document.querySelector("[data-revoke-others]")?.remove();
    } catch (problem) {
      const p = problem as ProblemError;
      let focused = false;
      for (const [field, messages] of Object.entries(p.errors ?? {})) {
        const input = inputs.find((i) => i.name.toLowerCase() === field.toLowerCase());
        if (!input) continue;
        showFieldError(form, input, messages[0]);
        if (!focused) { input.focus(); focused = true; }
      }
      if (!focused) { error.textContent = p.detail || p.title; error.hidden = false; }
    } finally {
      setBusy(button, false);
    }
  });
}

function showFieldError(form: HTMLFormElement, input: HTMLInputElement, message: string): void {
  const error = form.querySelector<HTMLElement>(`[data-field-error="${input.name}"]`);
  if (error) { error.textContent = message; error.hidden = false; }
  input.setAttribute("aria-invalid", "true");
}

function clearFieldError(form: HTMLFormElement, input: HTMLInputElement): void {
  const error = form.querySelector<HTMLElement>(`[data-field-error="${input.name}"]`);
  if (error) { error.textContent = ""; error.hidden = true; }
  input.removeAttribute("aria-invalid");
}

function initDeviceList(): void {
  const list = document.querySelector<HTMLElement>("[data-testid=device-list]");
  if (!list) return;
  const status = document.querySelector<HTMLElement>("[data-sessions-status]")!;
  const error = document.querySelector<HTMLElement>("[data-sessions-error]")!;
  const others = document.querySelector<HTMLButtonElement>("[data-revoke-others]");

  async function run(button: HTMLButtonElement, action: () => Promise<string>): Promise<void> {
    status.textContent = "";
    error.hidden = true;
    setBusy(button, true);
    try {
      status.textContent = await action();
    } catch (problem) {
      const p = problem as ProblemError;
      error.textContent = p.detail || p.title;
      error.hidden = false;
      setBusy(button, false);
    }
  }

  for (const button of list.querySelectorAll<HTMLButtonElement>("[data-revoke-session]")) {
    button.addEventListener("click", () => run(button, async () => {
      const item = button.closest("li")!;
      const name = item.querySelector(".device__name")?.firstChild?.textContent?.trim() ?? "The device";
      await api("DELETE", `/api/me/sessions/${encodeURIComponent(button.dataset.revokeSession!)}`);
      item.remove();
      if (!list.querySelector("[data-revoke-session]")) others?.remove();
      return `${name} is signed out.`;
    }));
  }
  others?.addEventListener("click", () => run(others, async () => {
    const { signedOut } = await api<{ signedOut: number }>("POST", "/api/me/sessions/revoke-others");
    for (const button of list.querySelectorAll("[data-revoke-session]")) button.closest("li")?.remove();
    others.remove();
    return signedOut === 1 ? "1 other device is signed out." : `${signedOut} other devices are signed out.`;
  }));
}
