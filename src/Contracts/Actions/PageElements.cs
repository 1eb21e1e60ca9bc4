namespace SessionGrid.Contracts.Actions;

/// <summary>
/// The numbers a page observation gives the page's interactive elements (the agent's view, and an MCP client's
/// <c>snapshot</c>): each numbered element carries <see cref="IndexAttribute"/>, so "element 3" is an ordinary selector
/// for any action until the next observation renumbers the page.
/// </summary>
public static class PageElements
{
    public const string IndexAttribute = "data-sg-index";

    /// <summary>The selector of the element an observation numbered <paramref name="index"/>.</summary>
    public static string Selector(int index) => $"[{IndexAttribute}=\"{index}\"]";
}
