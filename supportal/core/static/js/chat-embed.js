// The Supportal chat widget for a product admin page:
//   <script src="https://support.example/static/js/chat-embed.js"
//           data-portal="https://support.example" data-token="<from POST /chat/embed/token/>"
//           data-product="pressero" data-target="chat-here" defer></script>
// It frames the portal's chat page; the signed token (short-lived) authenticates the frame.
(function () {
  "use strict";
  // This runs on the customer's own site, without our pages' JavaScript catalog: gettext
  // is the site's own when it has one (Django's), else the English text.
  var gettext = window.gettext || function (text) { return text; };
  var script = document.currentScript;
  if (!script) return;
  var portal = (script.getAttribute("data-portal") || "").replace(/\/$/, "");
  var token = script.getAttribute("data-token") || "";
  if (!portal || !token) return;
  var params = new URLSearchParams({ token: token, product: script.getAttribute("data-product") || "" });
  var frame = document.createElement("iframe");
  frame.src = portal + "/chat/embed/?" + params.toString();
  frame.title = gettext("Live chat with support");
  frame.className = "supportal-chat-frame";
  frame.width = "380";
  frame.height = "560";
  frame.setAttribute("allow", "clipboard-write");
  var target = document.getElementById(script.getAttribute("data-target") || "");
  (target || document.body).appendChild(frame);
})();
