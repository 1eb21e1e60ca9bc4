using System.Net;

namespace SessionGrid.Api.LiveView;

/// <summary>
/// The live view's page: self-contained (inline style and script, nothing from elsewhere). It opens the view's
/// WebSocket at its own address plus <c>/ws</c> with its own query (the token and the flags), shows each frame, and,
/// when interactive, sends the viewer's mouse and keyboard input, its points mapped to the remote page's CSS pixels.
/// <c>embed=true</c> leaves out the page's bar, for an iframe. Its state is in <c>window.liveView</c>
/// (<c>status</c>, <c>seq</c>, <c>width</c>, <c>height</c>, <c>frames</c>, <c>blob</c>: the last frame).
/// </summary>
public static class LiveViewPage
{
    /// <summary>Only the page's own inline code, frames from blob URLs and its own WebSocket; framing is allowed.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; img-src blob:; style-src 'unsafe-inline'; script-src 'unsafe-inline'; connect-src 'self'; base-uri 'none'; form-action 'none'";

    public static string Render(string sessionId, bool interactive, bool embed)
    {
        var session = WebUtility.HtmlEncode(sessionId);
        var mode = interactive ? "Interactive" : "View only";
        var bar = embed
            ? ""
            : $"""<header id="bar"><strong>SessionGrid live view</strong><span id="session">{session}</span><span id="status">Connecting…</span><span id="mode">{mode}</span></header>""";
        return $$"""
            <!doctype html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="referrer" content="no-referrer">
            <title>Live view · {{session}}</title>
            <style>
              html, body { margin: 0; height: 100%; background: #15171a; color: #d8dadd; font: 14px system-ui, sans-serif; }
              body { display: flex; flex-direction: column; }
              #bar { display: flex; gap: 16px; align-items: baseline; padding: 6px 12px; background: #23262b; border-bottom: 1px solid #33363b; }
              #session { font-family: ui-monospace, monospace; opacity: .7; }
              #mode { margin-left: auto; opacity: .8; }
              #stage { flex: 1; min-height: 0; display: flex; align-items: center; justify-content: center; position: relative; overflow: hidden; }
              #screen { display: block; max-width: 100%; max-height: 100%; user-select: none; -webkit-user-drag: none; outline: none; }
              #screen:not([src]) { display: none; }
              #notice { position: absolute; padding: 8px 14px; border-radius: 6px; background: rgba(0, 0, 0, .7); }
              #notice:empty { display: none; }
              body.embed { background: #000; }
            </style>
            </head>
            <body class="{{(embed ? "embed" : "")}}" data-interactive="{{(interactive ? "true" : "false")}}" data-status="connecting">
            {{bar}}
            <main id="stage"><img id="screen" alt="The remote browser" tabindex="0" draggable="false"><div id="notice">Connecting…</div></main>
            <script>
            (() => {
              const interactive = document.body.dataset.interactive === 'true';
              const screen = document.getElementById('screen');
              const notice = document.getElementById('notice');
              const statusText = document.getElementById('status');
              const state = window.liveView = { status: 'connecting', seq: 0, width: 0, height: 0, frames: 0, blob: null };
              const setStatus = (status, text) => {
                state.status = status;
                document.body.dataset.status = status;
                if (statusText) statusText.textContent = text;
                notice.textContent = status === 'live' ? '' : text;
              };

              const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
              const socket = new WebSocket(`${scheme}//${location.host}${location.pathname.replace(/\/$/, '')}/ws${location.search}`);
              socket.binaryType = 'blob';
              let meta = null;
              socket.onopen = () => setStatus('waiting', 'Waiting for the first frame…');
              socket.onclose = (e) => setStatus('ended', e.reason ? `The live view ended: ${e.reason}.` : 'The live view ended.');
              socket.onmessage = (e) => {
                if (typeof e.data === 'string') {
                  const message = JSON.parse(e.data);
                  if (message.type === 'frame') meta = message;
                  else if (message.type === 'input_refused') console.warn('live view: input refused:', message.detail);
                  return;
                }
                if (!meta) return;
                const old = screen.getAttribute('src');
                screen.src = URL.createObjectURL(e.data);
                if (old) URL.revokeObjectURL(old);
                Object.assign(state, { seq: meta.seq, width: meta.width, height: meta.height, frames: state.frames + 1, blob: e.data });
                meta = null;
                setStatus('live', 'Live');
              };

              if (!interactive) return;
              const send = (message) => { if (socket.readyState === WebSocket.OPEN && state.width) socket.send(JSON.stringify(message)); };
              const point = (e) => {
                const r = screen.getBoundingClientRect();
                const clamp = (v, max) => Math.min(Math.max(v, 0), max);
                return { x: clamp((e.clientX - r.left) * state.width / r.width, state.width), y: clamp((e.clientY - r.top) * state.height / r.height, state.height) };
              };
              const buttons = ['left', 'middle', 'right'];
              let pressed = null;
              let lastMove = 0;
              screen.addEventListener('mousedown', (e) => {
                e.preventDefault();
                screen.focus();
                pressed = buttons[e.button] || 'left';
                send({ type: 'mouse', action: 'down', button: pressed, ...point(e) });
              });
              window.addEventListener('mouseup', (e) => {
                if (!pressed) return;
                send({ type: 'mouse', action: 'up', button: pressed, ...point(e) });
                pressed = null;
              });
              screen.addEventListener('mousemove', (e) => {
                const now = performance.now();
                if (now - lastMove < 50) return;
                lastMove = now;
                send({ type: 'mouse', action: 'move', ...point(e) });
              });
              screen.addEventListener('contextmenu', (e) => e.preventDefault());
              screen.addEventListener('wheel', (e) => {
                e.preventDefault();
                const scale = e.deltaMode === 1 ? 40 : e.deltaMode === 2 ? state.height : 1;
                send({ type: 'wheel', ...point(e), deltaX: e.deltaX * scale, deltaY: e.deltaY * scale });
              }, { passive: false });

              const namedKeys = new Set(['Enter', 'Backspace', 'Tab', 'Escape', 'Delete', 'Insert', 'Home', 'End', 'PageUp', 'PageDown',
                'ArrowUp', 'ArrowDown', 'ArrowLeft', 'ArrowRight', 'F1', 'F2', 'F3', 'F4', 'F5', 'F6', 'F7', 'F8', 'F9', 'F10', 'F11', 'F12']);
              document.addEventListener('keydown', (e) => {
                if (e.isComposing) return;
                const command = e.ctrlKey || e.metaKey || e.altKey;
                // A paste arrives as its own event, with its text.
                if (command && e.key.toLowerCase() === 'v') return;
                const modifiers = [e.ctrlKey && 'Control', e.altKey && 'Alt', e.metaKey && 'Meta'].filter(Boolean);
                if (e.key.length === 1 && !command) {
                  send({ type: 'text', text: e.key });
                } else if (e.key.length === 1 || namedKeys.has(e.key)) {
                  send({ type: 'key', key: [...modifiers, e.shiftKey && e.key.length > 1 && 'Shift', e.key].filter(Boolean).join('+') });
                } else {
                  return;
                }
                e.preventDefault();
              });
              document.addEventListener('paste', (e) => {
                const text = e.clipboardData && e.clipboardData.getData('text');
                if (!text) return;
                e.preventDefault();
                send({ type: 'text', text });
              });
            })();
            </script>
            </body>
            </html>
            """;
    }
}
