// Demo page: the key arrives in the URL fragment (never sent to a server), is kept for this tab
// only, and the widget is added exactly as an intranet page would add it: one <script> tag.
(function () {
  "use strict";
  var match = /(?:^#|&)key=([^&]+)/.exec(location.hash);
  if (match) {
    sessionStorage.setItem("impact-demo-key", decodeURIComponent(match[1]));
    history.replaceState(null, "", location.pathname + location.search);
  }
  var key = sessionStorage.getItem("impact-demo-key");
  document.getElementById("snippet").textContent =
    '<script src="' + location.origin + '/widget.js" data-key="YOUR-READER-KEY" defer></script>';
  if (!key) {
    var section = document.getElementById("key-form");
    section.hidden = false;
    document.getElementById("demo-key-form").addEventListener("submit", function (e) {
      e.preventDefault();
      sessionStorage.setItem("impact-demo-key", document.getElementById("demo-key").value.trim());
      location.reload();
    });
    return;
  }
  var tag = document.createElement("script");
  tag.src = "/widget.js";
  tag.setAttribute("data-key", key);
  tag.setAttribute("data-server", location.origin);
  if (/[?&]open=1/.test(location.search)) tag.setAttribute("data-open", "true");
  document.body.appendChild(tag);
})();
