namespace SessionGrid.Grains.Browser;

/// <summary>
/// The mouse pointer drawn into a session's pages (<c>show_cursor</c>): headless Chromium draws none, so screenshots, the
/// live view and recordings show no pointer. The script (an init script of the context, and run on the pages it already
/// has) puts an arrow at the last mouse position the page's top document saw: every mouse the session moves goes
/// through Chromium's input (Playwright's mouse for actions and the agent, the live view's input), so the page sees it.
/// The arrow is a <c>sessiongrid-cursor</c> element on top of everything, ignored by the pointer (<c>pointer-events:
/// none</c>) and by assistive technology, created at the first move and put back if the page removes it; it also
/// carries the position (<c>data-x</c>, <c>data-y</c>). Inside a cross-origin frame the arrow stays where it last was.
/// </summary>
public static class DrawnCursor
{
    public const string Script = """
        (() => {
          if (window.__sessiongridCursor) return;
          window.__sessiongridCursor = true;
          const arrow = 'data:image/svg+xml,' + encodeURIComponent(
            '<svg xmlns="http://www.w3.org/2000/svg" width="20" height="24" viewBox="0 0 20 24">' +
            '<path d="M1 1 L1 19 L6 14.5 L9.5 22 L12.5 20.5 L9 13.5 L15.5 13.5 Z" fill="black" stroke="white" stroke-width="1.5"/></svg>');
          let cursor = null;
          const place = (event) => {
            const root = document.documentElement;
            if (!root) return;
            if (!cursor || !cursor.isConnected) {
              cursor = document.createElement('sessiongrid-cursor');
              cursor.setAttribute('aria-hidden', 'true');
              cursor.style.cssText = 'all: initial; position: fixed; left: 0; top: 0; width: 20px; height: 24px; z-index: 2147483647; ' +
                'pointer-events: none; transform-origin: 0 0; background: url("' + arrow + '") no-repeat; display: block;';
              root.appendChild(cursor);
            }
            cursor.style.transform = 'translate(' + event.clientX + 'px, ' + event.clientY + 'px)' + (event.buttons ? ' scale(0.85)' : '');
            cursor.dataset.x = String(event.clientX);
            cursor.dataset.y = String(event.clientY);
          };
          for (const type of ['mousemove', 'mousedown', 'mouseup']) {
            window.addEventListener(type, place, { capture: true, passive: true });
          }
        })();
        """;
}
