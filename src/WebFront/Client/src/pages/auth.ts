// Sign-in, registration and password-reset forms: post to the auth API, show field errors from
// the problem details, then go to the return URL (a local path chosen by the server) — or, for a
// reset e-mail request, show what happens next in place of the form.

import { api, ProblemError } from "../api";
import { setBusy } from "../dom";

const endpoints: Record<string, string> = {
  login: "/api/auth/login",
  register: "/api/auth/register",
  forgot: "/api/auth/password-reset",
  reset: "/api/auth/password-reset/confirm",
};

export function init(): void {
  for (const form of document.querySelectorAll<HTMLFormElement>("[data-auth-form]")) {
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const endpoint = endpoints[form.dataset.authForm ?? ""] ?? endpoints.login;
      const data = Object.fromEntries([...new FormData(form)].map(([k, v]) => [k, String(v)]));
      clearErrors(form);
      const missing = [...form.querySelectorAll<HTMLInputElement>("input[required]")].filter((input) => !input.value.trim());
      if (missing.length > 0) {
        for (const input of missing) showFieldError(form, input.name, `Enter your ${labelOf(form, input)}.`);
        missing[0].focus();
        return;
      }
      const button = form.querySelector<HTMLButtonElement>("button[type=submit]");
      setBusy(button, true);
      try {
        const answer = await api<{ message?: string }>("POST", endpoint, data);
        const done = form.parentElement?.querySelector<HTMLElement>("[data-auth-done]");
        if (done) {
          const message = done.querySelector<HTMLElement>("[data-auth-done-message]");
          if (message && answer?.message) message.textContent = answer.message;
          form.hidden = true;
          done.hidden = false;
          done.focus();
          return;
        }
        window.location.assign(form.dataset.returnUrl ?? "/account");
      } catch (problem) {
        const p = problem as ProblemError;
        let focused = false;
        for (const [field, messages] of Object.entries(p.errors ?? {})) {
          if (showFieldError(form, field, messages[0]) && !focused) {
            form.querySelector<HTMLInputElement>(`[name=${CSS.escape(field)}]`)?.focus();
            focused = true;
          }
        }
        if (!focused) {
          const error = form.querySelector<HTMLElement>("[data-form-error]");
          if (error) { error.textContent = p.detail || p.title; error.hidden = false; }
        }
        setBusy(button, false);
      }
    });
  }
}

function labelOf(form: HTMLFormElement, input: HTMLInputElement): string {
  return form.querySelector(`label[for="${input.id}"]`)?.textContent?.trim().toLowerCase() ?? input.name;
}

function clearErrors(form: HTMLFormElement): void {
  for (const error of form.querySelectorAll<HTMLElement>("[data-field-error], [data-form-error]")) { error.hidden = true; error.textContent = ""; }
  for (const input of form.querySelectorAll("input")) input.removeAttribute("aria-invalid");
}

function showFieldError(form: HTMLFormElement, field: string, message: string): boolean {
  const key = Object.keys({ email: 1, password: 1, displayName: 1, token: 1 }).find((k) => k.toLowerCase() === field.toLowerCase()) ?? field;
  const error = form.querySelector<HTMLElement>(`[data-field-error="${key}"]`);
  if (!error) return false;
  error.textContent = message;
  error.hidden = false;
  form.querySelector(`[name="${key}"]`)?.setAttribute("aria-invalid", "true");
  return true;
}
