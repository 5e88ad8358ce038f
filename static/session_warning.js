/* The warning before a session ends for want of activity (templates/accounts/_session_warning.html).
   The server renders the idle limit, the last activity and its own time (seconds since the
   epoch); the banner shows a few minutes before the limit. Only a click on 继续工作 keeps the
   session: its form is posted in the background (with its CSRF token), so the page and what is
   typed on it stay. A local file, not inline script: the CSP allows scripts from 'self' only. */
(function () {
  "use strict";
  var form = document.getElementById("session-warning");
  if (!form || !window.fetch) {
    return;
  }
  var idle = Number(form.getAttribute("data-idle-seconds"));
  var seenAt = Number(form.getAttribute("data-seen-at"));
  var skew = Number(form.getAttribute("data-server-now")) - Date.now() / 1000;
  var warnBefore = Math.min(300, idle / 2);
  var soon = form.querySelector('[data-state="soon"]');
  var ended = form.querySelector('[data-state="ended"]');
  var minutes = form.querySelector("[data-minutes-left]");
  var timer = null;

  function left() {
    return seenAt + idle - (Date.now() / 1000 + skew);
  }

  function tick() {
    var seconds = left();
    if (seconds > warnBefore) {
      form.hidden = true;
      timer = window.setTimeout(tick, (seconds - warnBefore) * 1000);
      return;
    }
    form.hidden = false;
    soon.hidden = seconds <= 0;
    ended.hidden = seconds > 0;
    if (minutes) {
      minutes.textContent = String(Math.max(1, Math.ceil(seconds / 60)));
    }
    if (seconds > 0) {
      timer = window.setTimeout(tick, 15000);
    }
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    window.fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      redirect: "manual"
    }).then(function (response) {
      if (response.status === 204) {
        seenAt = Date.now() / 1000 + skew; // the server counted this request as activity
        window.clearTimeout(timer);
        tick();
      } else {
        soon.hidden = true;
        ended.hidden = false;
      }
    });
  });

  tick();
})();
