// Who else is on this ticket: <div data-presence="/ws/tickets/<id>/presence/"> lists the
// colleagues viewing it, and who of them is typing. Without JS the panel stays empty.
(function () {
  "use strict";
  var TYPING_SHOWN_MS = 4000;
  var TYPING_SEND_MS = 1500;
  var RECONNECT_MS = 3000;

  function wsUrl(path) {
    var scheme = location.protocol === "https:" ? "wss:" : "ws:";
    return scheme + "//" + location.host + path;
  }

  function Presence(root) {
    this.root = root;
    this.list = root.querySelector("[data-presence-list]");
    this.empty = root.querySelector("[data-presence-empty]");
    this.conns = {}; // conn -> {user, typingUntil}
    this.lastSent = 0;
    this.connect();
    var self = this;
    document.addEventListener("input", function (event) {
      if (event.target.closest && event.target.closest(".reply-form")) self.typed();
    });
    setInterval(function () { self.render(); }, 1000);
  }

  Presence.prototype.connect = function () {
    var self = this;
    var socket = new WebSocket(wsUrl(this.root.getAttribute("data-presence")));
    this.socket = socket;
    socket.onopen = function () { self.root.setAttribute("data-connected", ""); };
    socket.onmessage = function (message) { self.handle(JSON.parse(message.data)); };
    socket.onclose = function (event) {
      self.root.removeAttribute("data-connected");
      self.conns = {};
      self.render();
      if (event.code === 4403 || event.code === 4401) return; // not allowed, or logged out
      setTimeout(function () { self.connect(); }, RECONNECT_MS);
    };
  };

  Presence.prototype.handle = function (event) {
    if (event.type === "joined" || event.type === "here") {
      var known = this.conns[event.conn];
      this.conns[event.conn] = { user: event.user, typingUntil: known ? known.typingUntil : 0 };
    } else if (event.type === "typing") {
      this.conns[event.conn] = { user: event.user, typingUntil: Date.now() + TYPING_SHOWN_MS };
    } else if (event.type === "left") {
      delete this.conns[event.conn];
    }
    this.render();
  };

  Presence.prototype.typed = function () {
    var now = Date.now();
    if (!this.socket || this.socket.readyState !== WebSocket.OPEN) return;
    if (now - this.lastSent < TYPING_SEND_MS) return;
    this.lastSent = now;
    this.socket.send(JSON.stringify({ type: "typing" }));
  };

  Presence.prototype.render = function () {
    // One line per person, however many tabs they have open; typing if any tab types.
    var people = {};
    var now = Date.now();
    Object.keys(this.conns).forEach(function (conn) {
      var entry = this.conns[conn];
      var person = people[entry.user.id] || { name: entry.user.name, typing: false };
      person.typing = person.typing || entry.typingUntil > now;
      people[entry.user.id] = person;
    }, this);
    var ids = Object.keys(people);
    this.list.textContent = "";
    ids.forEach(function (id) {
      var item = document.createElement("li");
      item.setAttribute("data-presence-user", id);
      var line = people[id].typing ? gettext("%(name)s is typing…") : gettext("%(name)s is viewing");
      item.textContent = interpolate(line, { name: people[id].name }, true);
      if (people[id].typing) item.setAttribute("data-typing", "");
      this.list.appendChild(item);
    }, this);
    this.empty.hidden = ids.length > 0;
    this.root.classList.toggle("presence--others", ids.length > 0);
  };

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-presence]").forEach(function (root) { new Presence(root); });
  });
})();
