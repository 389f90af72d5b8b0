// Live chat: the chat box (customer and agent), the agent console, the chat's time limit.
// Message bodies are plain text and only ever inserted with textContent.
(function () {
  "use strict";
  // Django's JavaScript catalog (/jsi18n/) defines gettext and interpolate; without it
  // (the catalog did not load) the English texts show.
  var gettext = window.gettext || function (text) { return text; };
  var interpolate = window.interpolate || function (format, values, named) {
    return format.replace(/%\(\w+\)s/g, function (match) { return String(values[match.slice(2, -2)]); });
  };

  var LIVE = { waiting: true, active: true };
  var CLOSE_FORBIDDEN = 4403;

  function wsUrl(path, params) {
    var scheme = location.protocol === "https:" ? "wss:" : "ws:";
    var query = new URLSearchParams(params).toString();
    return scheme + "//" + location.host + path + (query ? "?" + query : "");
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function timeOf(iso) {
    var d = new Date(iso);
    return ("0" + d.getHours()).slice(-2) + ":" + ("0" + d.getMinutes()).slice(-2);
  }

  function ChatBox(root) {
    this.root = root;
    this.chatId = root.getAttribute("data-chat");
    this.lastSeq = parseInt(root.getAttribute("data-last-seq") || "0", 10);
    this.status = root.getAttribute("data-status");
    this.token = root.getAttribute("data-token") || "";
    this.log = root.querySelector("[data-chat-log]");
    this.stateLine = root.querySelector("[data-chat-state]");
    this.typingLine = root.querySelector("[data-chat-typing]");
    this.errorLine = root.querySelector("[data-chat-error]");
    this.form = root.querySelector("[data-chat-form]");
    this.input = root.querySelector("[data-chat-input]");
    this.upload = root.querySelector("[data-chat-upload]");
    this.retry = 0;
    this.lastTyping = 0;
    this.bind();
    this.scroll();
    if (LIVE[this.status]) this.connect();
  }

  ChatBox.prototype.connect = function () {
    var self = this;
    var params = { after: String(this.lastSeq) };
    if (this.token) params.token = this.token;
    var socket = new WebSocket(wsUrl(this.root.getAttribute("data-socket"), params));
    this.socket = socket;
    socket.addEventListener("open", function () {
      self.retry = 0;
      self.root.setAttribute("data-connected", "1");
    });
    socket.addEventListener("message", function (event) {
      self.receive(JSON.parse(event.data));
    });
    socket.addEventListener("close", function (event) {
      self.root.removeAttribute("data-connected");
      if (event.code === CLOSE_FORBIDDEN) {
        self.showError(gettext("This chat is no longer open here."));
        self.disable();
        return;
      }
      if (!LIVE[self.status]) return;
      // Reconnect and resume after the last message seen: nothing is lost.
      var delay = Math.min(10000, 500 * Math.pow(2, self.retry++));
      setTimeout(function () { self.connect(); }, delay);
    });
  };

  ChatBox.prototype.receive = function (data) {
    if (data.type === "message") this.addMessage(data);
    else if (data.type === "state") this.setState(data);
    else if (data.type === "typing") this.showTyping(data);
    else if (data.type === "error") this.showError(data.message);
  };

  ChatBox.prototype.addMessage = function (m) {
    if (m.seq <= this.lastSeq) return; // already shown (a replay after reconnecting)
    this.lastSeq = m.seq;
    this.root.setAttribute("data-last-seq", String(m.seq));
    var item = el("li", "chat-msg chat-msg--" + m.role);
    item.setAttribute("data-seq", String(m.seq));
    if (m.role !== "system") item.appendChild(el("span", "chat-msg__author", m.author));
    if (m.file) {
      var link = el("a", "chat-msg__body", m.file.name);
      link.href = m.file.url + (this.token ? "?token=" + encodeURIComponent(this.token) : "");
      item.appendChild(link);
    } else {
      item.appendChild(el("span", "chat-msg__body", m.body));
    }
    var at = el("time", "chat-msg__at", timeOf(m.at));
    at.setAttribute("datetime", m.at);
    item.appendChild(at);
    this.log.appendChild(item);
    if (this.typingLine) this.typingLine.hidden = true;
    this.scroll();
  };

  ChatBox.prototype.setState = function (s) {
    this.status = s.status;
    this.root.setAttribute("data-status", s.status);
    var labels = {
      waiting: gettext("Waiting for an agent"),
      active: gettext("In conversation"),
      ended: gettext("Ended"),
      converted: gettext("Converted to a ticket")
    };
    this.stateLine.textContent = (labels[s.status] || s.status) + (s.agent ? " · " + s.agent : "");
    if (s.ticket_number) {
      this.stateLine.appendChild(document.createTextNode(" · " + gettext("ticket") + " "));
      var link = el("a", "", s.ticket_number);
      link.href = s.ticket_url;
      link.setAttribute("data-chat-ticket", s.ticket_number);
      this.stateLine.appendChild(link);
    }
    var timer = this.root.querySelector("[data-chat-timer]");
    if (timer) {
      if (s.server_now) timer.setAttribute("data-server-now", s.server_now);
      timer.setAttribute("data-limit-at", LIVE[s.status] && s.limit_at ? s.limit_at : "");
      timer.setAttribute("data-warning-at", LIVE[s.status] && s.warning_at ? s.warning_at : "");
      startTimer(timer);
      tickTimers();
    }
    if (!LIVE[s.status]) {
      this.disable();
      if (this.socket) this.socket.close();
    }
  };

  ChatBox.prototype.showTyping = function (t) {
    if (!this.typingLine) return;
    var line = this.typingLine;
    line.textContent = interpolate(gettext("%(name)s is typing…"), { name: t.author || gettext("Someone") }, true);
    line.hidden = false;
    clearTimeout(this.typingTimer);
    this.typingTimer = setTimeout(function () { line.hidden = true; }, 3000);
  };

  ChatBox.prototype.showError = function (text) {
    if (!this.errorLine) return;
    var line = this.errorLine;
    line.textContent = text;
    line.hidden = false;
    clearTimeout(this.errorTimer);
    this.errorTimer = setTimeout(function () { line.hidden = true; }, 6000);
  };

  ChatBox.prototype.disable = function () {
    [this.form, this.upload].forEach(function (form) {
      if (!form) return;
      form.querySelectorAll("textarea, input, button").forEach(function (c) { c.disabled = true; });
    });
  };

  ChatBox.prototype.send = function (payload) {
    if (!this.socket || this.socket.readyState !== WebSocket.OPEN) return false;
    this.socket.send(JSON.stringify(payload));
    return true;
  };

  ChatBox.prototype.scroll = function () {
    if (this.log) this.log.scrollTop = this.log.scrollHeight;
  };

  ChatBox.prototype.bind = function () {
    var self = this;
    if (this.form) {
      this.form.addEventListener("submit", function (event) {
        event.preventDefault();
        var body = self.input.value.trim();
        if (!body) return;
        if (self.send({ type: "message", body: body })) self.input.value = "";
        else self.showError(gettext("Reconnecting… your message is kept; send it again in a moment."));
      });
      this.input.addEventListener("keydown", function (event) {
        if (event.key === "Enter" && !event.shiftKey) {
          event.preventDefault();
          self.form.requestSubmit();
        }
      });
      this.input.addEventListener("input", function () {
        var now = Date.now();
        if (now - self.lastTyping > 1500) {
          self.lastTyping = now;
          self.send({ type: "typing" });
        }
      });
    }
    if (this.upload) {
      this.upload.addEventListener("submit", function (event) {
        event.preventDefault();
        var fileInput = self.upload.querySelector("input[type=file]");
        if (!fileInput.files.length) return;
        var data = new FormData();
        data.append("file", fileInput.files[0]);
        var headers = {};
        if (self.token) headers["X-Chat-Token"] = self.token;
        var csrf = self.upload.querySelector("input[name=csrfmiddlewaretoken]");
        if (csrf) headers["X-CSRFToken"] = csrf.value;
        fetch(self.root.getAttribute("data-upload-url"), {
          method: "POST", body: data, headers: headers, credentials: "same-origin"
        }).then(function (response) {
          return response.json().then(function (body) {
            if (!response.ok) self.showError((body.errors && body.errors.file) || gettext("The file was not accepted."));
            else fileInput.value = "";
          });
        }).catch(function () { self.showError(gettext("The upload failed; try again.")); });
      });
    }
  };

  // --- Agent console -----------------------------------------------------------------

  function pad(n) { return (n < 10 ? "0" : "") + n; }

  // The limit is the server's: the page's clock is corrected by the difference between the
  // server's time (sent with the page and with every state) and its own at that moment.
  function startTimer(timer) {
    var serverNow = Date.parse(timer.getAttribute("data-server-now") || "");
    timer.skew = isNaN(serverNow) ? 0 : serverNow - Date.now();
  }

  function tickTimers() {
    document.querySelectorAll("[data-chat-timer]").forEach(function (timer) {
      var limit = Date.parse(timer.getAttribute("data-limit-at") || "");
      var pane = timer.closest("[data-chat-pane]");
      var prompt = pane && pane.querySelector("[data-chat-limit]");
      if (isNaN(limit)) {
        timer.hidden = true;
        if (prompt) prompt.hidden = true;
        return;
      }
      timer.hidden = false;
      var now = Date.now() + (timer.skew || 0);
      var warning = Date.parse(timer.getAttribute("data-warning-at") || "");
      var left = Math.round((limit - now) / 1000);
      var abs = Math.abs(left);
      var text = pad(Math.floor(abs / 60)) + ":" + pad(abs % 60);
      timer.setAttribute("data-seconds-left", String(left));
      if (left > 0) {
        timer.textContent = interpolate(gettext("Time left: %(time)s"), { time: text }, true);
        timer.classList.remove("chat-timer--over");
        timer.classList.toggle("chat-timer--warning", !isNaN(warning) && now >= warning);
        if (prompt) prompt.hidden = true;
      } else {
        timer.textContent = gettext("Time is up: this chat continues as a ticket");
        timer.classList.remove("chat-timer--warning");
        timer.classList.add("chat-timer--over");
        if (prompt) prompt.hidden = false;
      }
    });
  }

  function Console(root) {
    this.root = root;
    this.retry = 0;
    this.connect();
    root.addEventListener("click", function (event) {
      var button = event.target.closest("[data-canned]");
      if (!button) return;
      var box = document.querySelector('[data-chat="' + button.getAttribute("data-canned-for") + '"]');
      var input = box && box.querySelector("[data-chat-input]");
      if (input) {
        input.value = button.getAttribute("data-canned");
        input.focus();
      }
    });
  }

  Console.prototype.connect = function () {
    var self = this;
    var socket = new WebSocket(wsUrl(this.root.getAttribute("data-chat-console"), {}));
    this.socket = socket;
    socket.addEventListener("open", function () {
      self.retry = 0;
      self.root.setAttribute("data-connected", "1");
    });
    socket.addEventListener("message", function (event) {
      var data = JSON.parse(event.data);
      if (data.type === "hello") {
        clearInterval(self.beat);
        self.beat = setInterval(function () {
          if (socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify({ type: "heartbeat" }));
        }, data.heartbeat_seconds * 1000);
      } else if (data.type === "queue_changed") {
        self.refreshWaiting();
      } else if (data.type === "assigned") {
        if (!document.querySelector('[data-chat-pane="' + data.chat_id + '"]')) location.reload();
      } else if (data.type === "released") {
        var pane = document.querySelector('[data-chat-pane="' + data.chat_id + '"]');
        if (pane) pane.remove();
      }
    });
    socket.addEventListener("close", function () {
      self.root.removeAttribute("data-connected");
      clearInterval(self.beat);
      var delay = Math.min(10000, 500 * Math.pow(2, self.retry++));
      setTimeout(function () { self.connect(); }, delay);
    });
  };

  Console.prototype.refreshWaiting = function () {
    var target = this.root.querySelector("[data-chat-waiting]");
    fetch(this.root.getAttribute("data-waiting-url"), { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) { if (html !== null) target.innerHTML = html; });
  };

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-chat]").forEach(function (root) { root.chatBox = new ChatBox(root); });
    document.querySelectorAll("[data-chat-console]").forEach(function (root) { new Console(root); });
    document.querySelectorAll("[data-chat-timer]").forEach(startTimer);
    if (document.querySelector("[data-chat-timer]")) {
      tickTimers();
      setInterval(tickTimers, 1000);
    }
  });
})();
