// Facilitator console: sign in with a key (kept in this tab), navigate between views. Board
// sessions live in sessions.js, which this file hands its `api` and `el` helpers to.
(function () {
  "use strict";
  var KEY = "impact-console-key";
  var match = /(?:^#|&)key=([^&]+)/.exec(location.hash);
  if (match) {
    sessionStorage.setItem(KEY, decodeURIComponent(match[1]));
    history.replaceState(null, "", location.pathname);
  }
  var views = ["signin", "ask", "conversations", "sessions"];
  var me = null;

  function $(id) { return document.getElementById(id); }
  function el(tag, text, cls) {
    var n = document.createElement(tag);
    if (text !== undefined) n.textContent = text;
    if (cls) n.className = cls;
    return n;
  }

  async function api(path, options) {
    options = options || {};
    options.headers = Object.assign({ "Authorization": "Bearer " + sessionStorage.getItem(KEY) }, options.headers || {});
    var res = await fetch(path, options);
    var body = null;
    try { body = await res.json(); } catch (ignored) { /* empty */ }
    if (!res.ok) {
      var err = new Error((body && body.detail) || ("HTTP " + res.status));
      err.status = res.status;
      throw err;
    }
    return body;
  }

  function show(view) {
    if (!me) view = "signin";
    views.forEach(function (v) { $("view-" + v).hidden = v !== view; });
    document.querySelectorAll("nav a").forEach(function (a) {
      if (a.dataset.view === view) a.setAttribute("aria-current", "page"); else a.removeAttribute("aria-current");
    });
    if (view === "conversations") loadConversations();
    if (view === "sessions" && window.impactSessions) window.impactSessions.open(api, el);
    var heading = $("view-" + view).querySelector("h1");
    if (heading) { heading.tabIndex = -1; heading.focus(); }
  }

  function route() { show((location.hash || "#ask").slice(1)); }

  async function signIn() {
    try {
      me = await api("/v1/me");
    } catch (err) {
      me = null;
      sessionStorage.removeItem(KEY);
      return err.message;
    }
    $("who-text").textContent = "Organisation " + me.tenant + " · " + me.role + " key";
    $("who").hidden = false;
    $("nav").hidden = false;
    return null;
  }

  $("signin-form").addEventListener("submit", async function (e) {
    e.preventDefault();
    sessionStorage.setItem(KEY, $("key").value.trim());
    var problem = await signIn();
    $("signin-error").hidden = !problem;
    $("signin-error").textContent = problem ? "That key did not work: " + problem : "";
    if (!problem) { $("key").value = ""; location.hash = "#ask"; route(); }
  });
  $("sign-out").addEventListener("click", function () {
    sessionStorage.removeItem(KEY);
    me = null;
    $("who").hidden = true;
    $("nav").hidden = true;
    show("signin");
  });

  function renderAnswer(box, answer) {
    box.textContent = "";
    box.appendChild(el("p", answer.answer, "answer-text"));
    if (answer.notice) box.appendChild(el("p", answer.notice, "notice"));
    if (answer.citations.length) {
      box.appendChild(el("h2", "Sources"));
      var list = el("ol");
      answer.citations.forEach(function (c) {
        var li = el("li"), details = el("details");
        var where = [c.title];
        if (c.page !== null) where.push("page " + c.page);
        if (c.heading) where.push(c.heading);
        details.appendChild(el("summary", where.join(" — ")));
        details.appendChild(el("blockquote", c.text));
        li.appendChild(details);
        list.appendChild(li);
      });
      box.appendChild(list);
    }
  }

  $("ask-form").addEventListener("submit", async function (e) {
    e.preventDefault();
    var box = $("answer");
    box.textContent = "Answering…";
    try {
      var answer = await api("/v1/ask", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ question: $("question").value }),
      });
      renderAnswer(box, answer);
    } catch (err) {
      box.textContent = "";
      box.appendChild(el("p", "Could not answer: " + err.message, "error"));
    }
  });

  async function loadConversations() {
    var box = $("conv-list");
    $("conv-detail").textContent = "";
    box.textContent = "Loading…";
    try {
      var data = await api("/v1/conversations");
      box.textContent = "";
      if (!data.conversations.length) { box.appendChild(el("p", "No conversations yet.")); return; }
      var table = el("table"), head = el("tr");
      ["Started with", "Last active"].forEach(function (h) { head.appendChild(el("th", h)); });
      var thead = el("thead"); thead.appendChild(head); table.appendChild(thead);
      var body = el("tbody");
      data.conversations.forEach(function (c) {
        var row = el("tr"), cell = el("td"), open = el("button", c.title, "link");
        open.type = "button";
        open.addEventListener("click", function () { loadConversation(c.id); });
        cell.appendChild(open);
        row.appendChild(cell);
        row.appendChild(el("td", new Date(c.updated_at).toLocaleString("en-GB")));
        body.appendChild(row);
      });
      table.appendChild(body);
      box.appendChild(table);
    } catch (err) {
      box.textContent = "";
      box.appendChild(el("p", err.status === 403 ? "Listing conversations needs a facilitator or admin key." : "Could not load: " + err.message, "error"));
    }
  }

  async function loadConversation(id) {
    var box = $("conv-detail");
    box.textContent = "";
    try {
      var conv = await api("/v1/conversations/" + encodeURIComponent(id));
      var heading = el("h2", conv.title);
      heading.tabIndex = -1;
      box.appendChild(heading);
      conv.messages.forEach(function (m) {
        var div = el("div", undefined, "msg");
        div.appendChild(el("p", m.role === "user" ? "Question" : "Answer", "role"));
        div.appendChild(el("p", m.text, "answer-text"));
        box.appendChild(div);
      });
      heading.focus();
    } catch (err) {
      box.appendChild(el("p", "Could not load: " + err.message, "error"));
    }
  }

  window.addEventListener("hashchange", route);
  (async function start() {
    if (sessionStorage.getItem(KEY)) await signIn();
    route();
  })();
})();
