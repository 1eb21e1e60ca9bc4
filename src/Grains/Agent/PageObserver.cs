using System.Text;
using System.Text.Json;
using Microsoft.Playwright;
using SessionGrid.Contracts.Actions;

namespace SessionGrid.Grains.Agent;

/// <summary>One look at the page: URL, title, numbered interactive elements, and visible text within a budget.</summary>
public sealed record PageObservation(string Url, string Title, IReadOnlyList<PageElement> Elements, string Text)
{
    /// <summary>The observation as the model reads it.</summary>
    public string Describe()
    {
        var text = new StringBuilder();
        text.Append("URL: ").AppendLine(Url).Append("Title: ").AppendLine(Title).AppendLine("Interactive elements:");
        foreach (var element in Elements)
        {
            text.Append('[').Append(element.Index).Append("] ").Append(element.Role);
            if (element.Name.Length > 0)
            {
                text.Append(" name=\"").Append(element.Name).Append('"');
            }

            if (element.Text.Length > 0)
            {
                text.Append(" \"").Append(element.Text).Append('"');
            }

            text.AppendLine();
        }

        return text.AppendLine("Visible text:").Append(Text).ToString();
    }

    /// <summary>
    /// The observation as a session command's result (an MCP client's <c>snapshot</c>): its parts, and
    /// <c>description</c>, the text the model reads (<see cref="Describe"/>).
    /// </summary>
    public string ToJson() => JsonSerializer.Serialize(new
    {
        url = Url,
        title = Title,
        elements = Elements.Select(e => new { index = e.Index, role = e.Role, name = e.Name, text = e.Text }),
        text = Text,
        description = Describe(),
    });
}

public sealed record PageElement(int Index, string Role, string Name, string Text);

/// <summary>
/// Numbers the page's visible interactive elements (marking each with <see cref="PageElements.IndexAttribute"/>, so the agent's
/// <c>click(index)</c> becomes an ordinary selector action) and reads its visible text. What a password field or a
/// field the agent typed a secret into holds is never read: such an element shows as <c>(filled, hidden)</c>.
/// </summary>
public static class PageObserver
{

    /// <summary>Marks an element the agent typed a secret into, so no observation reads it.</summary>
    public const string SecretAttribute = "data-sg-secret";

    private const string Script = """
        ([maxElements, textChars]) => {
          document.querySelectorAll('[data-sg-index]').forEach(e => e.removeAttribute('data-sg-index'));
          const selector = 'a[href], button, input, select, textarea, summary, [role=button], [role=link], [role=checkbox], [role=tab], [onclick], [contenteditable=true]';
          const elements = [];
          for (const el of document.querySelectorAll(selector)) {
            if (elements.length >= maxElements) break;
            const box = el.getBoundingClientRect();
            const style = getComputedStyle(el);
            if (box.width === 0 || box.height === 0 || style.visibility === 'hidden' || style.display === 'none' || el.type === 'hidden') continue;
            const index = elements.length;
            el.setAttribute('data-sg-index', String(index));
            const clean = s => (s || '').trim().replace(/\s+/g, ' ');
            const hidden = el.type === 'password' || el.hasAttribute('data-sg-secret');
            elements.push({
              index,
              role: el.getAttribute('role') || el.tagName.toLowerCase() + (el.type && el.tagName !== 'BUTTON' ? ':' + el.type : ''),
              name: clean(el.getAttribute('aria-label') || el.getAttribute('name') || el.getAttribute('placeholder') || el.id).slice(0, 80),
              text: hidden ? ((el.value || el.innerText) ? '(filled, hidden)' : '') : clean(el.tagName === 'SELECT' ? [...el.options].map(o => o.label).join(' | ') : (el.innerText || el.value)).slice(0, 120),
            });
          }
          const text = (document.body ? document.body.innerText : '').replace(/[ \t]+/g, ' ').replace(/\n\s*\n+/g, '\n').trim();
          return JSON.stringify({ url: location.href, title: document.title, elements, text: text.slice(0, textChars) });
        }
        """;

    public static async Task<PageObservation> ObserveAsync(IPage page, int maxElements, int textChars)
    {
        var json = await page.EvaluateAsync<string>(Script, new[] { maxElements, textChars });
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        var elements = root.GetProperty("elements").EnumerateArray()
            .Select(e => new PageElement(e.GetProperty("index").GetInt32(), e.GetProperty("role").GetString()!, e.GetProperty("name").GetString()!, e.GetProperty("text").GetString()!))
            .ToList();
        return new PageObservation(root.GetProperty("url").GetString()!, root.GetProperty("title").GetString()!, elements, root.GetProperty("text").GetString()!);
    }

    /// <summary>The selector of the element an observation numbered <paramref name="index"/> (<see cref="PageElements"/>).</summary>
    public static string Selector(int index) => PageElements.Selector(index);

    /// <summary>Marks the element matching <paramref name="selector"/> as holding a secret (see <see cref="SecretAttribute"/>).</summary>
    public static async Task MarkSecretAsync(IPage page, string selector)
    {
        try
        {
            await page.Locator(selector).First.EvaluateAsync($"e => e.setAttribute('{SecretAttribute}', '')", null, new LocatorEvaluateOptions { Timeout = 2_000 });
        }
        catch (Exception ex) when (ex is PlaywrightException or TimeoutException)
        {
            // The page moved on (a submit navigated): no element is left to hide.
        }
    }
}
