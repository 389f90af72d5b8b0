// The reply box's macro select: choosing a macro fills the box with its text for this
// ticket and remembers the macro, whose actions apply when the reply is sent. Without
// this file the "Insert" button reloads the page with the text filled in.
(function () {
  "use strict";

  function bind(root) {
    root.querySelectorAll("[data-macro-picker]").forEach(function (picker) {
      if (picker.dataset.bound) return;
      picker.dataset.bound = "1";
      var select = picker.querySelector("select");
      var button = picker.querySelector("[data-macro-insert]");
      var form = picker.closest("form");
      if (!select || !form) return;
      var body = form.querySelector("textarea[name=body]");
      var chosen = form.querySelector("input[name=macro]");

      function insert() {
        if (!select.value) {
          if (chosen) chosen.value = "";
          return;
        }
        fetch(picker.dataset.macroUrl + encodeURIComponent(select.value) + "/", {
          credentials: "same-origin",
          headers: { Accept: "application/json" },
        })
          .then(function (response) {
            if (!response.ok) throw new Error("macro " + response.status);
            return response.json();
          })
          .then(function (macro) {
            if (body) {
              body.value = macro.body;
              body.dispatchEvent(new Event("input", { bubbles: true }));
              body.focus();
            }
            if (chosen) chosen.value = String(macro.id);
            picker.dataset.inserted = String(macro.id);
          })
          .catch(function () {
            picker.dataset.inserted = "";
          });
      }

      select.addEventListener("change", insert);
      if (button) {
        button.addEventListener("click", function (event) {
          event.preventDefault();
          insert();
        });
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () { bind(document); });
  document.addEventListener("htmx:load", function (event) { bind(event.target); });
})();
