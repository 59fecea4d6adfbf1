// Board sessions in the facilitator console: start or resume a session, step through its
// questions (what good looks like, evidence, notes), private ratings then the spread, the agreed
// rating and target, the drafted actions (agree, drop, owner, date), and the board paper.
(function () {
  "use strict";
  var api = null, el = null, current = null, index = 0;

  function $(id) { return document.getElementById(id); }
  function say(text, isError) {
    var box = $("s-status");
    box.textContent = text || "";
    box.className = isError ? "status error" : "status";
  }
  function labelled(id, text, input) {
    var wrap = el("div"), label = el("label", text);
    label.htmlFor = id;
    input.id = id;
    wrap.appendChild(label);
    wrap.appendChild(input);
    return wrap;
  }
  function input(type, value) {
    var n = document.createElement("input");
    n.type = type;
    if (value !== undefined && value !== null) n.value = value;
    return n;
  }
  function levelSelect(scale, blank) {
    var s = document.createElement("select");
    if (blank) s.appendChild(new Option(blank, ""));
    scale.forEach(function (lv) { s.appendChild(new Option(lv.value + " – " + lv.label, lv.value)); });
    return s;
  }
  function button(text, onClick, cls) {
    var b = el("button", text, cls);
    b.type = "button";
    b.addEventListener("click", onClick);
    return b;
  }
  function path(suffix) { return "/v1/sessions/" + current.id + (suffix || ""); }
  async function send(method, url, body) {
    var options = { method: method, headers: {} };
    if (body !== undefined) {
      options.headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(body);
    }
    return api(url, options);
  }
  async function step(url, body, done) {
    say("Saving…");  // never leave the last step's message up while this one is on its way
    try {
      var result = await send("POST", url, body);
      if (result.questions) current = result; else current.actions = result.actions;
      render();
      say(done + (result.notices && result.notices.length ? " " + result.notices.join(" ") : ""));
    } catch (err) { say(err.message, true); }
  }

  async function home() {
    current = null;
    $("s-detail").hidden = true;
    $("s-home").hidden = false;
    say("");
    var list = $("s-list");
    list.textContent = "Loading…";
    try {
      var found = await api("/v1/sessions");
      list.textContent = "";
      if (!found.sessions.length) list.appendChild(el("p", "No sessions yet."));
      else {
        var table = el("table"), head = el("tr"), body = el("tbody"), thead = el("thead");
        ["Board", "Meeting", "Status", ""].forEach(function (h) { head.appendChild(el("th", h)); });
        thead.appendChild(head);
        table.appendChild(thead);
        found.sessions.forEach(function (s) {
          var row = el("tr"), cell = el("td");
          row.appendChild(el("td", s.board));
          row.appendChild(el("td", s.date));
          row.appendChild(el("td", s.status));
          var open = button("Open", function () { resume(s.id); }, "small");
          open.setAttribute("aria-label", "Open the session of " + s.board + " on " + s.date);
          cell.appendChild(open);
          row.appendChild(cell);
          body.appendChild(row);
        });
        table.appendChild(body);
        list.appendChild(table);
      }
      var select = $("s-framework");
      if (!select.options.length) {
        (await api("/v1/frameworks")).frameworks.forEach(function (f) {
          select.appendChild(new Option(f.title + " (" + f.questions + " questions)", f.name));
        });
        if (select.querySelector('option[value="nhs-impact"]')) select.value = "nhs-impact";
      }
    } catch (err) {
      list.textContent = "";
      say(err.status === 403 ? "Board sessions need a facilitator or admin key." : err.message, true);
    }
  }

  async function resume(id) {
    try {
      current = await api("/v1/sessions/" + encodeURIComponent(id));
      index = 0;
      show();
    } catch (err) { say(err.message, true); }
  }

  function show() {
    $("s-home").hidden = true;
    $("s-detail").hidden = false;
    render();
    $("s-title").focus();
  }

  function render() {
    var s = current;
    $("s-title").textContent = s.board + " — " + s.date;
    $("s-meta").textContent = s.organisation + " · " + s.framework + " · session " + s.status +
      (s.facilitator ? " · facilitated by " + s.facilitator : "");
    var list = $("s-questions");
    list.textContent = "";
    s.questions.forEach(function (q, i) {
      var li = el("li"), b = button(q.id, function () { index = i; render(); $("q-heading").focus(); });
      b.setAttribute("aria-label", "Question " + q.id + ": " + q.text);
      if (i === index) b.setAttribute("aria-current", "step");
      li.appendChild(b);
      list.appendChild(li);
    });
    renderQuestion(s.questions[index]);
    renderActions();
    $("s-close").hidden = s.status === "closed";
  }

  function renderQuestion(q) {
    var box = $("s-question");
    box.textContent = "";
    var panel = el("div", undefined, "panel");
    panel.appendChild(el("p", q.section_title, "role"));
    var heading = el("h3", q.id + ". " + q.text);
    heading.id = "q-heading";
    heading.tabIndex = -1;
    panel.appendChild(heading);
    var good = el("div", undefined, "panel good");
    good.appendChild(el("h4", "What good looks like"));
    var ul = el("ul");
    (q.good_looks_like || []).forEach(function (g) { ul.appendChild(el("li", g)); });
    good.appendChild(ul);
    panel.appendChild(good);
    if (q.probes && q.probes.length) {
      var probes = el("details");
      probes.appendChild(el("summary", "Follow-up questions"));
      var pl = el("ul");
      q.probes.forEach(function (p) { pl.appendChild(el("li", p)); });
      probes.appendChild(pl);
      panel.appendChild(probes);
    }
    panel.appendChild(evidencePanel(q));
    panel.appendChild(notesPanel(q));
    if (q.rated) panel.appendChild(ratingPanel(q));
    var nav = el("p");
    if (index > 0) nav.appendChild(button("Previous question", function () { index--; render(); $("q-heading").focus(); }, "plain"));
    if (index < current.questions.length - 1) nav.appendChild(button("Next question", function () { index++; render(); $("q-heading").focus(); }));
    panel.appendChild(nav);
    box.appendChild(panel);
  }

  function evidencePanel(q) {
    var wrap = el("div", undefined, "panel");
    wrap.appendChild(el("h4", "Evidence"));
    var list = el("div");
    function fill(items) {
      list.textContent = "";
      if (!items.length) { list.appendChild(el("p", "No passages found for this question.")); return; }
      var ol = el("ol");
      items.forEach(function (e) {
        var li = el("li"), d = el("details"), where = [e.title];
        if (e.page !== null && e.page !== undefined) where.push("page " + e.page);
        if (e.heading) where.push(e.heading);
        d.appendChild(el("summary", where.join(" — ")));
        d.appendChild(el("blockquote", e.text));
        li.appendChild(d);
        ol.appendChild(li);
      });
      list.appendChild(ol);
    }
    if (q.evidence && q.evidence.length) fill(q.evidence);
    else wrap.appendChild(button("Find evidence", async function () {
      list.textContent = "Searching…";
      try {
        var found = await api(path("/questions/" + encodeURIComponent(q.id) + "/evidence"));
        q.evidence = found.evidence;
        fill(found.evidence);
      } catch (err) { list.textContent = ""; say(err.message, true); }
    }, "plain"));
    wrap.appendChild(list);
    return wrap;
  }

  function notesPanel(q) {
    var wrap = el("div", undefined, "panel");
    wrap.appendChild(el("h4", "Notes"));
    q.notes.forEach(function (n) { wrap.appendChild(el("p", n.text, "answer-text")); });
    if (current.status === "closed") return wrap;
    var area = document.createElement("textarea");
    area.rows = 3;
    wrap.appendChild(labelled("q-notes", "Add a note (actions are drafted from it)", area));
    wrap.appendChild(button("Save the note", function () {
      if (!area.value.trim()) { say("Write the note first.", true); return; }
      step(path("/questions/" + encodeURIComponent(q.id)), { notes: area.value }, "Note saved.");
    }));
    return wrap;
  }

  function ratingPanel(q) {
    var wrap = el("div", undefined, "panel"), r = q.ratings || { count: 0, members: [] };
    wrap.appendChild(el("h4", "Maturity rating"));
    wrap.appendChild(el("p", r.count + " private rating" + (r.count === 1 ? "" : "s") + " recorded" +
      (r.members.length ? " (" + r.members.join(", ") + ")" : "") + "."));
    if (r.spread_shown && r.spread) {
      var spread = el("div", undefined, "spread");
      spread.setAttribute("aria-label", "Spread of ratings");
      current.scale.forEach(function (lv) {
        var cell = el("div");
        cell.appendChild(el("strong", String(r.spread[String(lv.value)] || 0)));
        cell.appendChild(el("div", lv.value + " – " + lv.label));
        spread.appendChild(cell);
      });
      wrap.appendChild(spread);
    }
    if (q.agreed_rating !== null) {
      wrap.appendChild(el("p", "Agreed rating: " + q.agreed_rating + (q.rationale ? " — " + q.rationale : "") +
        (q.target !== null ? ". Target " + q.target + " by " + q.target_by + "." : "")));
    }
    if (current.status === "closed") return wrap;
    if (!r.spread_shown) {
      var fs = el("fieldset");
      fs.appendChild(el("legend", "Private rating (nobody sees single ratings)"));
      var member = input("text");
      member.setAttribute("list", "s-people-list");
      var people = document.createElement("datalist");
      people.id = "s-people-list";
      current.participants.forEach(function (p) { people.appendChild(new Option(p)); });
      fs.appendChild(people);
      fs.appendChild(labelled("r-member", "Board member", member));
      var level = levelSelect(current.scale);
      fs.appendChild(labelled("r-level", "Their rating", level));
      fs.appendChild(button("Record the rating", function () {
        if (!member.value.trim()) { say("Name the board member.", true); return; }
        step(path("/questions/" + encodeURIComponent(q.id) + "/ratings"),
          { member: member.value.trim(), level: Number(level.value) }, "Rating recorded.");
      }));
      wrap.appendChild(fs);
      if (r.count) wrap.appendChild(button("Show the spread", function () {
        step(path("/questions/" + encodeURIComponent(q.id)), { show_spread: true }, "Spread shown.");
      }, "plain"));
      return wrap;
    }
    var agree = el("fieldset");
    agree.appendChild(el("legend", "Agree a rating and a target"));
    var agreed = levelSelect(current.scale), why = document.createElement("textarea");
    var target = levelSelect(current.scale, "No target"), by = input("date", q.target_by);
    if (q.agreed_rating !== null) agreed.value = q.agreed_rating;
    if (q.target !== null) target.value = q.target;
    why.rows = 2;
    why.value = q.rationale || "";
    agree.appendChild(labelled("a-level", "Agreed rating", agreed));
    agree.appendChild(labelled("a-why", "Why (the rationale the paper records)", why));
    agree.appendChild(labelled("a-target", "Target rating", target));
    agree.appendChild(labelled("a-by", "Target date", by));
    agree.appendChild(button("Agree the rating", function () {
      var body = { agreed: Number(agreed.value), rationale: why.value };
      if (target.value) { body.target = Number(target.value); body.by = by.value || null; }
      step(path("/questions/" + encodeURIComponent(q.id)), body, "Rating agreed.");
    }));
    wrap.appendChild(agree);
    return wrap;
  }

  function renderActions() {
    var box = $("s-actions");
    box.textContent = "";
    if (!current.actions.length) { box.appendChild(el("p", "No actions yet: they are drafted from the notes.")); return; }
    var table = el("table"), head = el("tr"), thead = el("thead"), body = el("tbody");
    ["Ref", "Action", "Owner", "Due", "Status", ""].forEach(function (h) { head.appendChild(el("th", h)); });
    thead.appendChild(head);
    table.appendChild(thead);
    current.actions.forEach(function (a) {
      var row = el("tr"), owner = input("text", a.owner), due = input("date", a.due);
      owner.setAttribute("aria-label", "Owner of " + a.ref);
      due.setAttribute("aria-label", "Due date of " + a.ref);
      row.appendChild(el("td", a.ref));
      row.appendChild(el("td", a.action));
      var oc = el("td"), dc = el("td"), cc = el("td");
      oc.appendChild(owner);
      dc.appendChild(due);
      row.appendChild(oc);
      row.appendChild(dc);
      row.appendChild(el("td", a.status));
      function edit(changes, done) {
        return async function () {
          try {
            current.actions = (await send("PATCH", path("/actions/" + encodeURIComponent(a.ref)), changes)).actions;
            render();
            say(done);
          } catch (err) { say(err.message, true); }
        };
      }
      var save = button("Save", function () {
        edit({ owner: owner.value.trim() || null, due: due.value || null }, a.ref + " saved.")();
      }, "small plain");
      save.setAttribute("aria-label", "Save owner and date of " + a.ref);
      var agree = button("Agree", function () {
        edit({ status: "agreed", owner: owner.value.trim() || null, due: due.value || null }, a.ref + " agreed.")();
      }, "small");
      agree.setAttribute("aria-label", "Agree " + a.ref);
      var drop = button("Drop", edit({ status: "dropped" }, a.ref + " dropped."), "small danger");
      drop.setAttribute("aria-label", "Drop " + a.ref);
      [save, agree, drop].forEach(function (b) { cc.appendChild(b); });
      row.appendChild(cc);
      body.appendChild(row);
    });
    table.appendChild(body);
    box.appendChild(table);
  }

  async function download(format) {
    try {
      var res = await fetch(path("/export?format=" + format), {
        headers: { "Authorization": "Bearer " + sessionStorage.getItem("impact-console-key") },
      });
      if (!res.ok) throw new Error(((await res.json()) || {}).detail || "HTTP " + res.status);
      var name = /filename="([^"]+)"/.exec(res.headers.get("content-disposition") || "");
      var link = document.createElement("a");
      link.href = URL.createObjectURL(await res.blob());
      link.download = name ? name[1] : "board-paper." + format;
      document.body.appendChild(link);
      link.click();
      setTimeout(function () { URL.revokeObjectURL(link.href); link.remove(); }, 1000);
      say("Downloaded " + link.download + ".");
    } catch (err) { say("Could not download: " + err.message, true); }
  }

  function wire() {
    $("s-new").addEventListener("submit", async function (e) {
      e.preventDefault();
      function list(v) { return v.split(",").map(function (x) { return x.trim(); }).filter(Boolean); }
      var body = {
        board: $("s-board").value,
        organisation: $("s-org").value,
        date: $("s-date").value,
        participants: list($("s-people").value),
      };
      if ($("s-framework").value) body.framework = $("s-framework").value;
      if ($("s-facilitator").value.trim()) body.facilitator = $("s-facilitator").value.trim();
      if (list($("s-sections").value).length) body.sections = list($("s-sections").value);
      try {
        current = await send("POST", "/v1/sessions", body);
        index = 0;
        show();
        say("Session started.");
      } catch (err) { say(err.message, true); }
    });
    $("s-back").addEventListener("click", home);
    $("s-close").addEventListener("click", async function () {
      if (!window.confirm("Close the session? Only its actions can change afterwards.")) return;
      step(path("/close"), undefined, "Session closed.");
    });
    document.querySelectorAll("[data-export]").forEach(function (b) {
      b.addEventListener("click", function () { download(b.dataset.export); });
    });
  }

  var wired = false;
  window.impactSessions = {
    open: function (apiFn, elFn) {
      api = apiFn;
      el = elFn;
      if (!wired) { wire(); wired = true; }
      if (!current) home();
    },
  };
})();
