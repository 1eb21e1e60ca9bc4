using System.ClientModel;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using OpenAI;
using OpenAI.Chat;
using SessionGrid.Contracts.Agent;

namespace SessionGrid.Grains.Agent;

/// <summary>
/// The configured OpenAI-compatible chat models, through Microsoft.Extensions.AI: the agent's model, and the lighter one
/// (<see cref="AgentOptions.LiteModel"/>, else the same); null when none is configured.
/// </summary>
public sealed class AgentModel(IOptions<AgentOptions> options)
{
    private readonly Lazy<IChatClient?> _client = new(() => Create(options.Value, options.Value.Model));
    private readonly Lazy<IChatClient?> _lite = new(() => string.IsNullOrWhiteSpace(options.Value.LiteModel) ? null : Create(options.Value, options.Value.LiteModel));

    /// <summary>The model a run uses: the lighter one when it asked for it and one is set, else the agent's model.</summary>
    public IChatClient? For(bool lite) => lite && _lite.Value is { } light ? light : _client.Value;

    private static IChatClient? Create(AgentOptions settings, string? model)
    {
        if (!settings.Configured)
        {
            return null;
        }

        var clientOptions = new OpenAIClientOptions { NetworkTimeout = TimeSpan.FromSeconds(settings.ModelTimeoutSeconds) };
        if (!string.IsNullOrWhiteSpace(settings.Endpoint))
        {
            clientOptions.Endpoint = new Uri(settings.Endpoint);
        }

        // A local server (vLLM, Ollama) may need no key; the client still wants one.
        var key = new ApiKeyCredential(string.IsNullOrEmpty(settings.ApiKey) ? "no-key" : settings.ApiKey);
        return new ChatClient(model, key, clientOptions).AsIChatClient();
    }
}
