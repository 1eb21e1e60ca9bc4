namespace SessionGrid.Contracts.Agent;

/// <summary>
/// A value the agent may type but never sees (a password, an API key): the model knows it only by
/// <see cref="Name"/>, as the placeholder <c>{{secret:NAME}}</c>, and the value is typed only into a page whose URL
/// matches one of <see cref="AllowedUrls"/> (the <c>allowed_urls</c> globs). The value never goes into an event, a log,
/// a span, a model request or an error; <see cref="ToString"/> leaves it out.
/// </summary>
[GenerateSerializer, Alias("sg.AgentSecret")]
public sealed record AgentSecret(
    [property: Id(0)] string Name,
    [property: Id(1)] string Value,
    [property: Id(2)] IReadOnlyList<string> AllowedUrls)
{
    /// <summary>How the model writes the secret in the text it types.</summary>
    public string Placeholder => PlaceholderOf(Name);

    public static string PlaceholderOf(string name) => "{{secret:" + name + "}}";

    /// <summary>The secret without its value, so no log or exception message can carry it.</summary>
    public override string ToString() => $"AgentSecret {{ Name = {Name}, AllowedUrls = [{string.Join(", ", AllowedUrls)}] }}";
}
