using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace SessionGrid.Api.OpenApi;

/// <summary>The document's title and description, and one tag per dialect (and the admin API) saying how it answers.</summary>
public sealed class DocumentDescription : IOpenApiDocumentTransformer
{
    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info = new OpenApiInfo
        {
            Title = "SessionGrid",
            Version = "v1",
            Description = "Self-hosted browser automation over HTTP: three dialects over one engine of real Chromium sessions. " +
                "Every dialect accepts the API key as the apikey header or as Authorization: Bearer. " +
                "A key past its request rate answers 429 with Retry-After on every route of the dialects, and so does opening a session " +
                "(POST /api/v1/task, POST /api/v1/browser/sessions, POST /api/v1/browsing/async and /sync) while the key has its most sessions open.",
        };
        document.Tags = new HashSet<OpenApiTag>
        {
            new() { Name = TaskApiDocs.Tag, Description = "Smooth-compatible. Success bodies are {\"r\": …}, errors {\"detail\": \"…\"}." },
            new() { Name = BrowserSessionApiDocs.Tag, Description = "ScrapEngine-compatible. Plain camelCase JSON; errors are RFC 7807 problem details." },
            new() { Name = BrowsingApiDocs.Tag, Description = "dat.ai-compatible. Plain snake_case JSON; errors are {\"error\": \"…\"}." },
            new() { Name = AdminApiDocs.Tag, Description = "Issued API keys, with an admin key. Plain camelCase JSON; errors are RFC 7807 problem details." },
            new() { Name = ConsoleApiDocs.Tag, Description = "What the web console (/console) reads that no dialect answers: every dialect's sessions, one session's events, the nodes. Read-only; snake_case JSON; errors {\"detail\": \"…\"}." },
        };
        return Task.CompletedTask;
    }
}
