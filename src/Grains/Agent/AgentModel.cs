using System.ClientModel;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using OpenAI;
using OpenAI.Chat;
using SessionGrid.Contracts.Agent;

namespace SessionGrid.Grains.Agent;

/// <summary>The configured OpenAI-compatible chat model, through Microsoft.Extensions.AI; null when none is configured.</summary>
public sealed class AgentModel(IOptions<AgentOptions> options)
{
    private readonly Lazy<IChatClient?> _client = new(() => Create(options.Value));

    public IChatClient? Client => _client.Value;

    private static IChatClient? Create(AgentOptions settings)
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
        return new ChatClient(settings.Model, key, clientOptions).AsIChatClient();
    }
}
