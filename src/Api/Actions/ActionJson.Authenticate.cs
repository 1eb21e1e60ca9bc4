using SessionGrid.Api.Http;
using SessionGrid.Contracts.Actions;

namespace SessionGrid.Api.Actions;

/// <summary>
/// The <c>authenticate</c> action's JSON form: <c>mode</c>, and the fields that mode uses. A field the mode does not use
/// is a conflict (400), so a request that expected typing does not quietly wait for a person instead.
/// </summary>
public static partial class ActionJson
{
    private static readonly Dictionary<string, AuthenticateMode> Modes = new(StringComparer.Ordinal)
    {
        ["vault"] = AuthenticateMode.Vault,
        ["prompt_user"] = AuthenticateMode.PromptUser,
        ["vault_then_prompt"] = AuthenticateMode.VaultThenPrompt,
    };

    private static readonly Dictionary<string, SuccessKind> SuccessKinds = new(StringComparer.Ordinal)
    {
        ["url"] = SuccessKind.Url,
        ["selector"] = SuccessKind.Selector,
        ["text"] = SuccessKind.Text,
        ["networkIdle"] = SuccessKind.NetworkIdle,
        ["networkidle"] = SuccessKind.NetworkIdle,
    };

    private static AuthenticateAction Authenticate(Fields f)
    {
        var modeName = f.String("mode").Get() ?? throw new FieldException("mode is required: one of vault, prompt_user, vault_then_prompt");
        if (!Modes.TryGetValue(modeName, out var mode))
        {
            throw new FieldException($"mode must be one of vault, prompt_user, vault_then_prompt (got '{Text.Shorten(modeName)}')");
        }

        var credentialId = f.String("credentialId").Get();
        var selectors = f.Object("selectors") is { } s ? Nested("selectors", () => Selectors(new Fields(s))) : null;
        var success = f.Object("success") is { } c ? Nested("success", () => Success(new Fields(c))) : null;
        var pause = f.Int("pauseTimeoutMs");
        if (mode == AuthenticateMode.PromptUser)
        {
            if (credentialId is not null || selectors is not null)
            {
                throw new FieldException("prompt_user types nothing: credentialId and selectors belong to the vault modes");
            }
        }
        else
        {
            if (credentialId is null)
            {
                throw new FieldException($"credentialId is required when mode is {modeName} (the id POST /api/v1/browser/credentials answered)");
            }

            if (!Guid.TryParseExact(credentialId, "D", out _))
            {
                throw new FieldException("credentialId must be a credential id (a UUID)");
            }

            if (selectors is null)
            {
                throw new FieldException($"selectors {{username, password, submit?, totp?}} are required when mode is {modeName}");
            }
        }

        if (mode == AuthenticateMode.Vault && pause is not null)
        {
            throw new FieldException("pauseTimeoutMs belongs to prompt_user and vault_then_prompt");
        }

        if (mode != AuthenticateMode.Vault && success is null or { Condition: SuccessKind.NetworkIdle })
        {
            throw new FieldException($"{modeName} needs success with condition url, selector or text: it is how SessionGrid sees that the person has logged in");
        }

        return new AuthenticateAction(mode, credentialId, selectors, success, pause);
    }

    private static LoginSelectors Selectors(Fields f) => new(
        f.Selector("username", required: true)!,
        f.Selector("password", required: true)!,
        f.Selector("submit", required: false),
        f.Selector("totp", required: false));

    private static SuccessCondition Success(Fields f)
    {
        var name = f.String("condition").Get() ?? throw new FieldException("condition is required: one of url, selector, text, networkIdle");
        if (!SuccessKinds.TryGetValue(name, out var kind))
        {
            throw new FieldException($"condition must be one of url, selector, text, networkIdle (got '{Text.Shorten(name)}')");
        }

        var value = kind == SuccessKind.NetworkIdle ? null : f.Selector("value", required: true);
        return new SuccessCondition(kind, value, f.Int("timeoutMs"));
    }

    /// <summary>Parses a nested object, naming its fields from the action (<c>selectors.username is required</c>).</summary>
    private static T Nested<T>(string name, Func<T> parse)
    {
        try
        {
            return parse();
        }
        catch (FieldException ex)
        {
            throw new FieldException($"{name}.{ex.Message}");
        }
    }
}
