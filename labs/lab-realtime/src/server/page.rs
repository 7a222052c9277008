//! `GET /`: the demo page. It opens an `EventSource` on `/sse` and a
//! WebSocket on `/ws/events` and lists what each delivers, live.
//!
//! The browser test reads `window.sseIds` (the ids in arrival order) and
//! `window.sseOpens` (how many times the stream opened) and
//! `window.sseErrors` (how many times it broke): the page is the
//! browser's own account of what it received.

use axum::response::Html;

pub async fn index() -> Html<&'static str> {
    Html(PAGE)
}

// ANCHOR: page_script
const PAGE: &str = r#"<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>lab-realtime: live streams</title>
<style>
 body { font-family: system-ui, sans-serif; margin: 2em; }
 .cols { display: flex; gap: 3em; }
 ol { font-family: monospace; }
</style></head>
<body>
<h1>The same events, pushed two ways</h1>
<p>Publish one: <code>curl -X POST -H 'content-type: application/json'
 -d '{"kind":"door-opened"}' http://<span class="host"></span>/events</code>.
 Cut the SSE stream: <code>curl -X POST http://<span class="host"></span>/control/cut-sse</code> and watch
 the browser reconnect by itself.</p>
<div class="cols">
 <div><h2>Server-sent events</h2><p id="sse-state">connecting</p><ol id="sse"></ol></div>
 <div><h2>WebSocket</h2><p id="ws-state">connecting</p><ol id="ws"></ol></div>
</div>
<script>
document.querySelectorAll(".host").forEach((e) => { e.textContent = location.host; });
window.sseIds = [];
window.sseOpens = 0;
window.sseErrors = 0;
const sse = new EventSource("/sse");
sse.onopen = () => {
  window.sseOpens += 1;
  document.getElementById("sse-state").textContent = "open (" + window.sseOpens + ")";
};
sse.onerror = () => {
  window.sseErrors += 1;
  document.getElementById("sse-state").textContent = "reconnecting";
};
sse.addEventListener("door-opened", (e) => {
  window.sseIds.push(Number(e.lastEventId));
  const li = document.createElement("li");
  li.textContent = "id " + e.lastEventId + ": " + e.data;
  document.getElementById("sse").appendChild(li);
});

window.wsIds = [];
const ws = new WebSocket("ws://" + location.host + "/ws/events");
ws.onopen = () => { document.getElementById("ws-state").textContent = "open"; };
ws.onclose = (e) => {
  document.getElementById("ws-state").textContent = "closed (" + e.code + ")";
};
ws.onmessage = (e) => {
  const event = JSON.parse(e.data);
  window.wsIds.push(event.id);
  const li = document.createElement("li");
  li.textContent = "id " + event.id + ": " + e.data;
  document.getElementById("ws").appendChild(li);
};
</script>
</body></html>
"#;
// ANCHOR_END: page_script
