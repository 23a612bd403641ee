/// The dashboard's style sheet and script, served from `/ui/static/` as files of the binary.
///
/// The script is the only one pages load (the Content-Security-Policy allows no other, and no
/// inline script): it refreshes pages that ask for it (`data-refresh` on `<main>`) while the tab
/// is visible and nothing is selected. Everything works without it.
enum DashboardAssets {
    static let css = """
        :root { color-scheme: light dark; --bad: #b3261e; --muted: #6b6b6b; }
        body { font: 15px/1.45 system-ui, sans-serif; margin: 0; }
        header { display: flex; flex-wrap: wrap; gap: .5rem 1rem; align-items: center; padding: .5rem 1rem; border-bottom: 1px solid #8884; }
        header nav { display: flex; flex-wrap: wrap; gap: .75rem; }
        header nav a[aria-current] { font-weight: 600; text-decoration: none; }
        .brand { font-weight: 700; text-decoration: none; }
        .signout { margin-left: auto; }
        main { padding: 0 1rem 2rem; max-width: 72rem; }
        footer { padding: 1rem; color: var(--muted); font-size: .85em; }
        .muted { color: var(--muted); font-weight: normal; }
        .bad, .error { color: var(--bad); }
        .scroll { overflow-x: auto; }
        table { border-collapse: collapse; margin: .5rem 0 1rem; }
        caption { text-align: left; font-weight: 600; padding: .25rem 0; }
        th, td { text-align: left; padding: .25rem .6rem; border-bottom: 1px solid #8883; vertical-align: top; }
        th, td { white-space: nowrap; }
        td.note, td.value { min-width: 14rem; max-width: 36rem; overflow-wrap: anywhere; white-space: pre-wrap; }
        .facts { display: grid; grid-template-columns: repeat(auto-fit, minmax(11rem, 1fr)); gap: .5rem 1rem; }
        .facts dt { color: var(--muted); font-size: .85em; }
        .facts dd { margin: 0; font-size: 1.1em; }
        .chart svg { width: 100%; max-width: 40rem; height: auto; }
        .filters { display: flex; flex-wrap: wrap; gap: .5rem 1rem; align-items: end; }
        .filters label { display: flex; flex-direction: column; font-size: .85em; }
        .login { display: flex; flex-direction: column; gap: .5rem; max-width: 24rem; }
        pre.sql { overflow-x: auto; padding: .5rem; border: 1px solid #8884; font-size: .85em; }
        .confirm { display: flex; flex-direction: column; gap: .5rem; max-width: 28rem; margin: 1rem 0; }
        .confirm label { display: flex; flex-direction: column; }
        .timeline time { font-variant-numeric: tabular-nums; color: var(--muted); }
        input, select, button { font: inherit; }
        """

    /// The tab's icon: without one, browsers ask for `/favicon.ico` on every page, outside `/ui/`.
    static let icon = """
        <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><rect width="16" height="16" rx="3" fill="#3b6fb6"/><path d="M4 8.5l2.5 2.5L12 5" stroke="#fff" stroke-width="2" fill="none"/></svg>
        """

    static let javascript = """
        // TaskWarden dashboard: refreshes a page that asks for it (data-refresh on <main>), while the
        // tab is visible and nothing on it is selected or being typed into.
        (function () {
          "use strict";
          var main = document.getElementById("main");
          if (!main || !main.dataset.refresh) { return; }
          var seconds = Math.max(2, parseInt(main.dataset.refresh, 10) || 30);
          function busy() {
            if (document.hidden) { return true; }
            if (document.querySelector("input[type=checkbox]:checked")) { return true; }
            var active = document.activeElement;
            if (active && /^(INPUT|SELECT|TEXTAREA)$/.test(active.tagName)) { return true; }
            var selection = window.getSelection && window.getSelection();
            return !!(selection && selection.toString());
          }
          function refresh() {
            if (busy()) { return; }
            fetch(location.href, { credentials: "same-origin", headers: { "Accept": "text/html" } })
              .then(function (response) { return response.ok ? response.text() : null; })
              .then(function (text) {
                if (!text || busy()) { return; }
                var fresh = new DOMParser().parseFromString(text, "text/html").getElementById("main");
                if (fresh) { main.replaceChildren.apply(main, Array.prototype.slice.call(fresh.childNodes)); }
              })
              .catch(function () {});
          }
          setInterval(refresh, seconds * 1000);
          document.addEventListener("visibilitychange", function () { if (!document.hidden) { refresh(); } });
        })();
        """
}
