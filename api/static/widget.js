/*
 * impact-assistant chat widget. Add to any page:
 *   <script src="https://SERVER/widget.js" data-key="imp.k..." defer></script>
 * Optional: data-server (defaults to where this script came from), data-title, data-open="true".
 * Everything lives in one shadow root on a <impact-assistant-widget> element: no global CSS,
 * no global variables, nothing the host page can break by accident or be broken by.
 */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || document.querySelector("impact-assistant-widget")) return;
  var key = script.getAttribute("data-key") || "";
  var server = (script.getAttribute("data-server") || new URL(script.src, location.href).origin).replace(/\/+$/, "");
  var title = script.getAttribute("data-title") || "Ask the NHS IMPACT assistant";

  var CSS = [
    ":host{all:initial;position:fixed;right:16px;bottom:16px;z-index:2147483000;",
    "font-family:Arial,'Helvetica Neue',sans-serif;font-size:16px;line-height:1.5;color:#212b32}",
    "*,*::before,*::after{box-sizing:border-box}",
    "[hidden]{display:none!important}",
    "button,textarea{font:inherit;color:inherit}",
    ":focus-visible{outline:3px solid #212b32;outline-offset:2px;box-shadow:0 0 0 2px #ffeb3b}",
    ".launcher{display:block;margin-left:auto;background:#005eb8;color:#fff;border:2px solid #003087;",
    "border-radius:24px;padding:10px 18px;font-weight:700;cursor:pointer;box-shadow:0 2px 6px rgba(0,0,0,.3)}",
    ".launcher:hover{background:#003087}",
    ".panel{width:min(26rem,calc(100vw - 32px));max-height:min(40rem,calc(100vh - 96px));display:flex;",
    "flex-direction:column;background:#fff;border:1px solid #4c6272;border-radius:8px;margin-bottom:10px;",
    "box-shadow:0 4px 16px rgba(0,0,0,.25);overflow:hidden}",
    "header{display:flex;align-items:center;justify-content:space-between;gap:8px;background:#005eb8;",
    "color:#fff;padding:8px 12px}",
    "h2{font-size:1.05rem;margin:0;font-weight:700}",
    ".close{background:transparent;border:2px solid #fff;color:#fff;border-radius:4px;padding:2px 10px;cursor:pointer}",
    ".log{flex:1;overflow-y:auto;padding:12px;min-height:8rem}",
    ".intro{margin:0 0 8px;color:#4c6272}",
    ".msg{margin:0 0 12px}",
    ".who{font-weight:700;margin:0 0 2px;font-size:.875rem;color:#4c6272}",
    ".user .body{background:#e8edee;border-radius:6px;padding:6px 10px;margin:0}",
    ".text p{margin:0 0 6px}.text ul{margin:0 0 6px;padding-left:1.25rem}",
    ".cite{background:none;border:none;padding:0 1px;color:#005eb8;text-decoration:underline;cursor:pointer;font-size:.875em}",
    ".notice{color:#212b32;background:#fff9c4;border-left:4px solid #ffb81c;padding:4px 8px;margin:6px 0}",
    "h3{font-size:.9rem;margin:8px 0 4px}",
    "ol.sources{margin:0;padding:0;list-style:none}",
    "ol.sources li{margin:0 0 4px}",
    "summary{cursor:pointer;color:#005eb8;text-decoration:underline}",
    "blockquote{margin:4px 0 8px;padding:6px 10px;border-left:4px solid #4c6272;background:#f0f4f5;",
    "white-space:pre-wrap;font-size:.875rem}",
    ".where{font-size:.875rem;color:#4c6272;margin:0}",
    "a{color:#005eb8}",
    "form{border-top:1px solid #d8dde0;padding:10px 12px;display:grid;gap:6px}",
    "label{font-weight:700}",
    "textarea{width:100%;min-height:3.2rem;resize:vertical;border:2px solid #4c6272;border-radius:4px;padding:6px}",
    ".row{display:flex;gap:8px;flex-wrap:wrap}",
    ".ask{background:#007f3b;color:#fff;border:2px solid #00401e;border-radius:4px;padding:6px 16px;font-weight:700;cursor:pointer}",
    ".ask[disabled]{background:#4c6272;border-color:#4c6272;cursor:wait}",
    ".new{background:#fff;color:#005eb8;border:2px solid #005eb8;border-radius:4px;padding:6px 12px;cursor:pointer}",
    ".error{color:#8a1538;background:#fde8ea;border-left:4px solid #d5281b;padding:6px 8px;margin:0 0 8px}",
    ".hint{font-size:.8rem;color:#4c6272;margin:0}",
    ".sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}",
  ].join("");

  var host = document.createElement("impact-assistant-widget");
  var root = host.attachShadow({ mode: "open" });
  root.innerHTML =
    "<style>" + CSS + "</style>" +
    '<section class="panel" id="panel" role="region" aria-labelledby="title" hidden>' +
    '<header><h2 id="title"></h2><button type="button" class="close">Close</button></header>' +
    '<div class="log" id="log" role="log" aria-labelledby="title" tabindex="0">' +
    '<p class="intro">Answers come only from the knowledge base, with numbered sources you can open.</p></div>' +
    '<form novalidate><label for="q">Your question</label>' +
    '<textarea id="q" name="q" rows="2" aria-describedby="hint" maxlength="2000"></textarea>' +
    '<p class="hint" id="hint">Enter sends; Shift+Enter starts a new line; Escape closes.</p>' +
    '<div class="row"><button type="submit" class="ask">Ask</button>' +
    '<button type="button" class="new">New conversation</button></div></form>' +
    '<p class="sr" id="status" role="status" aria-live="polite"></p></section>' +
    '<button type="button" class="launcher" aria-expanded="false" aria-controls="panel"></button>';

  var $ = function (sel) { return root.querySelector(sel); };
  var panel = $("#panel"), log = $("#log"), form = $("form"), input = $("#q");
  var launcher = $(".launcher"), askButton = $(".ask"), status = $("#status");
  $("#title").textContent = title;
  launcher.textContent = title;
  var conversationId = null;
  var busy = false;

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function setOpen(open) {
    panel.hidden = !open;
    launcher.setAttribute("aria-expanded", String(open));
    launcher.textContent = open ? "Hide the assistant" : title;
    if (open) input.focus(); else launcher.focus();
  }

  launcher.addEventListener("click", function () { setOpen(panel.hidden); });
  $(".close").addEventListener("click", function () { setOpen(false); });
  panel.addEventListener("keydown", function (e) {
    if (e.key === "Escape") { e.preventDefault(); setOpen(false); }
  });
  input.addEventListener("keydown", function (e) {
    if (e.key === "Enter" && !e.shiftKey && !e.isComposing) { e.preventDefault(); form.requestSubmit(); }
  });
  $(".new").addEventListener("click", function () {
    conversationId = null;
    Array.prototype.slice.call(log.querySelectorAll(".msg,.error")).forEach(function (n) { n.remove(); });
    status.textContent = "Started a new conversation.";
    input.focus();
  });
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    var question = input.value.trim();
    if (!question || busy) return;
    input.value = "";
    ask(question);
  });

  function where(c) {
    var parts = [c.title];
    if (c.page !== null && c.page !== undefined) parts.push("page " + c.page);
    if (c.heading) parts.push(c.heading);
    return parts.join(" — ");
  }

  // Answer text: paragraphs, "- " lists, and [n] markers that open source n.
  function renderText(container, text, citations, msgId) {
    container.textContent = "";
    var known = {};
    (citations || []).forEach(function (c) { known[c.n] = c; });
    var list = null;
    text.split("\n").forEach(function (line) {
      if (!line.trim()) { list = null; return; }
      var bullet = /^\s*[-*]\s+/.test(line);
      var block;
      if (bullet) {
        if (!list) { list = el("ul"); container.appendChild(list); }
        block = el("li"); list.appendChild(block); line = line.replace(/^\s*[-*]\s+/, "");
      } else {
        list = null; block = el("p"); container.appendChild(block);
      }
      var last = 0, re = /\[(\d{1,3})\]/g, m;
      while ((m = re.exec(line))) {
        block.appendChild(document.createTextNode(line.slice(last, m.index)));
        var c = known[m[1]];
        if (c) {
          var b = el("button", "cite", "[" + c.n + "]");
          b.type = "button";
          b.setAttribute("aria-label", "Source " + c.n + ": " + where(c));
          b.addEventListener("click", openSource.bind(null, msgId, c.n));
          block.appendChild(b);
        } else {
          block.appendChild(document.createTextNode(m[0]));
        }
        last = re.lastIndex;
      }
      block.appendChild(document.createTextNode(line.slice(last)));
    });
  }

  function openSource(msgId, n) {
    var details = root.getElementById(msgId + "-src-" + n);
    if (!details) return;
    details.open = true;
    details.querySelector("summary").focus();
  }

  function renderSources(box, citations, msgId) {
    if (!citations || !citations.length) return;
    var heading = el("h3", "", "Sources");
    var list = el("ol", "sources");
    citations.forEach(function (c) {
      var item = el("li");
      var details = el("details");
      details.id = msgId + "-src-" + c.n;
      details.appendChild(el("summary", "", "[" + c.n + "] " + where(c)));
      details.appendChild(el("blockquote", "", c.text));
      if (c.url) {
        var a = el("a", "", "Original source (opens in a new tab)");
        a.href = c.url; a.target = "_blank"; a.rel = "noopener noreferrer";
        var p = el("p", "where"); p.appendChild(a); details.appendChild(p);
      }
      item.appendChild(details);
      list.appendChild(item);
    });
    box.appendChild(heading);
    box.appendChild(list);
  }

  function showError(text) {
    var box = el("p", "error", text);
    box.setAttribute("role", "alert");
    log.appendChild(box);
    log.scrollTop = log.scrollHeight;
  }

  function problemText(res, body) {
    if (res.status === 429) {
      var wait = res.headers.get("Retry-After");
      return "Too many questions from this page just now" + (wait ? "; try again in " + wait + " seconds." : ".");
    }
    if (res.status === 401 || res.status === 403) return "The assistant is not set up for this page (" + ((body && body.detail) || res.status) + ").";
    return (body && body.detail) || "The assistant could not answer (HTTP " + res.status + ").";
  }

  var counter = 0;
  async function ask(question) {
    busy = true;
    askButton.disabled = true;
    var msgId = "m" + (++counter);
    var mine = el("div", "msg user");
    mine.appendChild(el("p", "who", "You"));
    mine.appendChild(el("p", "body", question));
    log.appendChild(mine);
    var reply = el("div", "msg bot");
    reply.setAttribute("aria-busy", "true");
    reply.appendChild(el("p", "who", "Assistant"));
    var text = el("div", "text");
    reply.appendChild(text);
    log.appendChild(reply);
    status.textContent = "Answering…";
    var streamed = "";
    try {
      var res = await fetch(server + "/v1/ask", {
        method: "POST",
        headers: { "Authorization": "Bearer " + key, "Content-Type": "application/json", "Accept": "text/event-stream" },
        body: JSON.stringify(conversationId ? { question: question, conversation_id: conversationId } : { question: question }),
      });
      if (!res.ok) {
        var problem = null;
        try { problem = await res.json(); } catch (ignored) { /* not JSON */ }
        reply.remove();
        showError(problemText(res, problem));
        status.textContent = "";
        return;
      }
      var reader = res.body.getReader(), decoder = new TextDecoder(), buffer = "", final = null;
      for (;;) {
        var chunk = await reader.read();
        if (chunk.done) break;
        buffer += decoder.decode(chunk.value, { stream: true });
        var events = buffer.split("\n\n");
        buffer = events.pop();
        for (var i = 0; i < events.length; i++) {
          var name = "message", data = "";
          events[i].split("\n").forEach(function (line) {
            if (line.indexOf("event:") === 0) name = line.slice(6).trim();
            else if (line.indexOf("data:") === 0) data += line.slice(5).trim();
          });
          if (!data) continue;
          var payload = JSON.parse(data);
          if (name === "meta") conversationId = payload.conversation_id;
          else if (name === "token") {
            streamed += payload.text; text.textContent = streamed; log.scrollTop = log.scrollHeight;
            // Many pieces often arrive in one network read: let the page paint between them,
            // so the answer is seen arriving rather than appearing at once.
            await new Promise(function (resolve) { setTimeout(resolve, 0); });
          }
          else if (name === "done") final = payload;
          else if (name === "error") throw new Error(payload.detail || "the answer stopped");
        }
      }
      if (!final) throw new Error("the answer was cut off; please ask again");
      renderText(text, final.answer, final.citations, msgId);
      if (final.notice) reply.appendChild(el("p", "notice", final.notice));
      renderSources(reply, final.citations, msgId);
      status.textContent = final.citations.length
        ? "Answer ready, with " + final.citations.length + " source" + (final.citations.length > 1 ? "s." : ".")
        : "Answer ready.";
    } catch (err) {
      if (!streamed) reply.remove();
      showError("The assistant could not answer: " + (err && err.message ? err.message : "network error") + ".");
      status.textContent = "";
    } finally {
      reply.setAttribute("aria-busy", "false");
      busy = false;
      askButton.disabled = false;
      log.scrollTop = log.scrollHeight;
    }
  }

  function mount() {
    document.body.appendChild(host);
    if (script.getAttribute("data-open") === "true") setOpen(true);
  }
  if (document.body) mount(); else document.addEventListener("DOMContentLoaded", mount);
})();
