using System.ComponentModel;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.Json;
using SessionGrid.Api.Actions;
using SessionGrid.Api.OpenApi;
using SessionGrid.Api.TaskApi;
using SessionGrid.Contracts.Actions;
using SessionGrid.Contracts.Sessions;
using SessionGrid.Grains.Actions;

namespace SessionGrid.Tests.Actions;

/// <summary>
/// The action registry against every place that derives from it or must match it: each action record has an entry,
/// each name parses through the shared JSON form and each Task API name through the event parser, each action has an
/// OpenAPI schema named by its entry, and the runner implements each record. A new action missing from any of them
/// fails here.
/// </summary>
public sealed class ActionRegistryTests
{
    private static readonly JsonElement NoFields = JsonDocument.Parse("{}").RootElement;

    public static TheoryData<string> Names => [.. ActionRegistry.All.Select(entry => entry.Name)];

    public static TheoryData<string, string> TaskApiNames =>
        [.. ActionRegistry.All.SelectMany(entry => entry.TaskApiNames.Select(name => (entry.Name, name)))];

    [Fact]
    public void Every_action_record_has_one_entry_and_takes_its_name_from_it()
    {
        var records = typeof(BrowserAction).Assembly.GetTypes()
            .Where(type => type.IsSubclassOf(typeof(BrowserAction)) && !type.IsAbstract)
            .ToList();
        Assert.NotEmpty(records);
        Assert.Equal(records.OrderBy(type => type.Name), ActionRegistry.All.Select(entry => entry.Record).OrderBy(type => type.Name));
        foreach (var record in records)
        {
            var action = (BrowserAction)RuntimeHelpers.GetUninitializedObject(record);
            Assert.Equal(ActionRegistry.Of(record).Name, action.Type);
        }

        Assert.Equal(ActionRegistry.All.Count, ActionRegistry.All.Select(entry => entry.Name).Distinct(StringComparer.Ordinal).Count());
        var taskApiNames = ActionRegistry.All.SelectMany(entry => entry.TaskApiNames).ToList();
        Assert.Equal(taskApiNames.Count, taskApiNames.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(ActionRegistry.All.Select(entry => entry.Name), ActionJson.Types);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Every_name_parses_through_the_actions_JSON_form(string name)
    {
        var record = ActionRegistry.Find(name)!.Record;
        foreach (var parsed in new[] { ActionJson.Parse(name, NoFields), ActionJson.Parse(JsonDocument.Parse($$"""{"type": "{{name}}"}""").RootElement) })
        {
            // Without fields an action either parses or names the field it needs, never an unknown type.
            if (parsed.Action is { } action)
            {
                Assert.IsType(record, action);
            }
            else
            {
                Assert.DoesNotContain("unknown action type", parsed.Error, StringComparison.Ordinal);
            }
        }
    }

    [Theory]
    [MemberData(nameof(TaskApiNames))]
    public void Every_Task_API_name_parses_through_the_event_parser(string engineName, string taskApiName)
    {
        var payload = JsonDocument.Parse($$$"""{"name": "{{{taskApiName}}}", "input": {}}""").RootElement;
        var parsed = TaskEventParser.Parse(new TaskEventRequest { Name = "browser_action", Payload = payload }, "e1", agentConfigured: false);
        if (parsed.Command is RunAction run)
        {
            Assert.IsType(ActionRegistry.Find(engineName)!.Record, run.Action);
        }
        else
        {
            Assert.DoesNotContain("unknown browser_action", parsed.Error, StringComparison.Ordinal);
            Assert.DoesNotContain("unknown action type", parsed.Error, StringComparison.Ordinal);
            Assert.StartsWith(taskApiName + ":", parsed.Error, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void The_Task_API_event_schema_lists_every_Task_API_name()
    {
        // The description is prose; its list in parentheses names each action (aliases joined by /), then extract.
        var description = typeof(TaskEventPayload).GetCustomAttribute<DescriptionAttribute>()!.Description;
        var list = description[(description.IndexOf('(', StringComparison.Ordinal) + 1)..description.IndexOf(')', StringComparison.Ordinal)];
        var listed = list.Split(", ").SelectMany(group => group.Split('/')).Where(name => name != "extract");
        Assert.Equal(ActionRegistry.All.SelectMany(entry => entry.TaskApiNames).Order(), listed.Order());
    }

    [Fact]
    public void Every_action_has_an_OpenAPI_schema_named_by_its_entry()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        ActionSchemaTypes.AddTo(options);
        var variants = options.GetTypeInfo(typeof(ActionSchema)).PolymorphismOptions!.DerivedTypes;
        Assert.Equal(ActionRegistry.All.Select(entry => (object)entry.Name), variants.Select(variant => variant.TypeDiscriminator!));
        foreach (var (entry, variant) in ActionRegistry.All.Zip(variants))
        {
            Assert.Equal(typeof(ActionSchema<>).MakeGenericType(entry.Record), variant.DerivedType.BaseType);
        }
    }

    [Fact]
    public void The_runner_implements_every_action()
    {
        Assert.Equal(ActionRegistry.All.Select(entry => entry.Record).OrderBy(type => type.Name), ActionRunner.HandledActions.OrderBy(type => type.Name));
    }
}
