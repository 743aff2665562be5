/* Site-wide behaviour. Pages may come from the whole-page cache, which strips CSRF tokens
   (a token must never be shared between visitors): fill the empty ones from the visitor's
   own token before any form is submitted. */
(function () {
  "use strict";

  var tokenPromise = null;
  function csrfToken() {
    if (!tokenPromise) {
      tokenPromise = fetch("/session/csrf/", { credentials: "same-origin" })
        .then(function (r) { return r.json(); })
        .then(function (data) { return data.csrfToken; });
    }
    return tokenPromise;
  }
  window.siteCsrfToken = csrfToken;

  function emptyTokenInputs() {
    return document.querySelectorAll('input[name="csrfmiddlewaretoken"]:not([value]), input[name="csrfmiddlewaretoken"][value=""]');
  }

  function fillTokens() {
    var inputs = emptyTokenInputs();
    if (!inputs.length) { return Promise.resolve(); }
    return csrfToken().then(function (token) {
      inputs.forEach(function (input) { input.value = token; });
    });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    var input = form.querySelector('input[name="csrfmiddlewaretoken"]');
    if (input && !input.value) {
      event.preventDefault();
      var submitter = event.submitter;
      fillTokens().then(function () {
        if (form.requestSubmit) { form.requestSubmit(submitter || undefined); } else { form.submit(); }
      });
    }
  }, true);

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", fillTokens);
  } else {
    fillTokens();
  }
})();

/* A form that comes back with errors: move focus to the first invalid field, so keyboard
   and screen-reader users land on it and hear its label and error (aria-describedby); when
   no field is invalid (a wrong password), to the form's own error message. */
(function () {
  "use strict";
  function focusFirstError() {
    if (document.activeElement && document.activeElement !== document.body) { return; }
    var field = document.querySelector('main [aria-invalid="true"]') ||
      document.querySelector("main [data-form-errors]");
    if (field) { field.focus(); }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", focusFirstError);
  } else {
    focusFirstError();
  }
})();
