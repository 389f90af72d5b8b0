// Small progressive enhancements. Every page works without this file.
(function () {
  "use strict";

  // <div data-show-when="id_urgent">: visible only while that checkbox is ticked.
  function bindShowWhen(root) {
    root.querySelectorAll("[data-show-when]").forEach(function (target) {
      var toggle = document.getElementById(target.getAttribute("data-show-when"));
      if (!toggle || target.dataset.bound) return;
      target.dataset.bound = "1";
      var hasError = target.classList.contains("has-error");
      function sync() {
        target.hidden = !toggle.checked && !hasError;
        if (toggle.checked) hasError = false;
      }
      toggle.addEventListener("change", sync);
      sync();
    });
  }

  // <form data-autosubmit>: filter forms apply as soon as a select changes.
  function bindAutosubmit(root) {
    root.querySelectorAll("form[data-autosubmit]").forEach(function (form) {
      if (form.dataset.bound) return;
      form.dataset.bound = "1";
      form.addEventListener("change", function (event) {
        if (event.target.tagName === "SELECT") form.requestSubmit();
      });
    });
  }

  function init(root) {
    bindShowWhen(root);
    bindAutosubmit(root);
  }

  document.addEventListener("DOMContentLoaded", function () { init(document); });
  document.addEventListener("htmx:load", function (event) { init(event.target); });
})();
