using System.Text.Json;
using Microsoft.Extensions.AI;
using SessionGrid.Contracts.Agent;

namespace SessionGrid.Grains.Agent;

/// <summary>
/// The tools the model is offered in one agent run, by the names it calls them: the agent's own (<c>goto</c>,
/// <c>click</c>, … <c>done</c>, <c>upload</c> when the task has files), the <c>additional_tools</c> the request enabled,
/// then the client's custom tools. The server's tools keep their names; a client's tool whose name one of them (or an
/// earlier client tool's offered name) already has is offered as <c>custom_NAME</c>, so both stay callable and the
/// client's tool call still carries its own name.
/// </summary>
public sealed class AgentToolbox
{
    /// <summary>What the model's prefix for a client's tool is when the server has a tool of that name.</summary>
    public const string ClientPrefix = "custom_";

    public const string DoneTool = "done";

    private readonly IReadOnlyList<AgentTool> _tools;

    private AgentToolbox(IReadOnlyList<AgentTool> tools) => _tools = tools;

    /// <summary>The declarations the model gets, in order.</summary>
    public IList<AITool> Declarations => [.. _tools.Select(t => t.Declaration)];

    /// <summary>The tool the model calls <paramref name="modelName"/>; null when there is none.</summary>
    public AgentTool? Find(string modelName) => _tools.FirstOrDefault(t => t.ModelName == modelName);

    public static AgentToolbox For(AgentSpec spec, bool hasFiles, bool hasSecrets)
    {
        var outputSchema = spec.ResponseModel ?? "{}";
        var typeHelp = hasSecrets
            ? " To type a secret, write its placeholder {{secret:NAME}} in text: you never see its value, and it is typed only on the pages the secret allows."
            : "";
        var tools = new List<AgentTool>
        {
            Own("goto", "Open a URL in the browser.", """{"type":"object","properties":{"url":{"type":"string"}},"required":["url"]}"""),
            Own("click", "Click the interactive element with this index.", Indexed),
            Own("type", "Type text into the element with this index; submit presses Enter afterwards." + typeHelp, """{"type":"object","properties":{"index":{"type":"integer"},"text":{"type":"string"},"submit":{"type":"boolean"}},"required":["index","text"]}"""),
            Own("select", "Choose an option (by its label) of the select element with this index.", """{"type":"object","properties":{"index":{"type":"integer"},"option":{"type":"string"}},"required":["index","option"]}"""),
            Own("scroll", "Scroll the page up or down.", """{"type":"object","properties":{"direction":{"type":"string","enum":["up","down"]}},"required":["direction"]}"""),
            Own("wait", "Wait for the page to change, up to 10 seconds.", """{"type":"object","properties":{"seconds":{"type":"number"}}}"""),
            Own("extract", "Answer a question from the whole text of the current page (more than a step shows).", """{"type":"object","properties":{"query":{"type":"string"}},"required":["query"]}"""),
            Own(DoneTool, "Finish the task with its output.", $$"""{"type":"object","properties":{"output":{{outputSchema}}},"required":["output"]}"""),
        };
        if (hasFiles)
        {
            tools.Add(Own("upload", "Put one of the task's files into the file input with this index.", """{"type":"object","properties":{"index":{"type":"integer"},"file":{"type":"string"}},"required":["index","file"]}"""));
        }

        tools.AddRange(spec.AdditionalTools.Select(Additional));
        foreach (var tool in spec.CustomTools)
        {
            var name = tool.Name;
            while (tools.Any(t => t.ModelName == name))
            {
                name = ClientPrefix + name;
            }

            var description = (name == tool.Name ? "" : $"The client's own tool '{tool.Name}' (not the browser's {tool.Name}). ")
                + tool.Description + (tool.Output is null ? "" : " Returns: " + tool.Output);
            tools.Add(new AgentTool(name, AgentToolKind.Client, tool.Name, Declare(name, description, tool.InputsSchema)));
        }

        return new AgentToolbox(tools);
    }

    private const string Indexed = """{"type":"object","properties":{"index":{"type":"integer"}},"required":["index"]}""";

    private static AgentTool Additional(AdditionalTool tool) => tool.Name switch
    {
        AdditionalTool.Screenshot => Extra(tool, $"Take a screenshot of the {(tool.FullPage ? "whole page" : "visible part of the page")}; it is saved as a file for the client.", """{"type":"object","properties":{}}"""),
        AdditionalTool.Hover => Extra(tool, "Move the mouse over the interactive element with this index (opens menus, shows tooltips).", Indexed),
        AdditionalTool.PrintPage => Extra(tool, "Save the current page as a PDF file for the client.", """{"type":"object","properties":{}}"""),
        AdditionalTool.DragDrop => Extra(tool, "Drag the element with index source_index and drop it onto the element with index target_index.", """{"type":"object","properties":{"source_index":{"type":"integer"},"target_index":{"type":"integer"}},"required":["source_index","target_index"]}"""),
        _ => throw new ArgumentOutOfRangeException(nameof(tool), tool.Name, "not an additional tool"),
    };

    private static AgentTool Own(string name, string description, string schema) => new(name, AgentToolKind.Agent, name, Declare(name, description, schema));

    private static AgentTool Extra(AdditionalTool tool, string description, string schema) =>
        new(tool.Name, AgentToolKind.Additional, tool.Name, Declare(tool.Name, description, schema)) { Options = tool };

    private static AITool Declare(string name, string description, string schema) =>
        AIFunctionFactory.CreateDeclaration(name, description, JsonDocument.Parse(schema).RootElement.Clone());
}

/// <summary>Whose a tool of the agent is: the agent's own, an enabled additional tool, or the client's.</summary>
public enum AgentToolKind
{
    Agent,
    Additional,
    Client,
}

/// <summary>
/// One tool of a run: the name the model calls it by, whose it is, its own name (for a client's tool, the name its
/// tool calls carry), the declaration the model gets, and an additional tool's options.
/// </summary>
public sealed record AgentTool(string ModelName, AgentToolKind Kind, string Name, AITool Declaration)
{
    public AdditionalTool? Options { get; init; }
}
